"""Wagtail's read-only API v2 (open data) at /api/v2/pages/: live, public pages only, with the fields
each page type lists in its `api_fields` (see site_core/api/fields.py) and a short list of meta
fields. Everyone gets the same answers: the API ignores sessions, so nothing a signed-in editor or a
visitor who knows a page's password may see can appear, and responses can be cached by anyone.

Images and documents need no endpoint of their own: pages show images as renditions and documents as
links. docs/open-data.md lists the fields of every page type."""

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import prefetch_related_objects
from django.urls import path
from django.utils.cache import patch_cache_control
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from wagtail.api.v2.filters import SearchFilter
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.models import PageViewRestriction

from site_core.compat import django as django_compat
from site_core.compat import rest_framework as rest_framework_compat
from site_core.compat import wagtail as wagtail_compat
from site_core.text.plain import search_terms

CACHE_SECONDS = 300
DEFAULT_RICH_TEXT_FORMAT = "html"  # links resolved to public addresses; ?rich_text_format= picks another


# Far more pages than the site will ever have, far fewer than a database's integer can hold.
MAX_OFFSET = 1_000_000


class PublicSearchFilter(SearchFilter):
    """Wagtail's ?search=, given only the words `search_terms` keeps: the backends turn each word of
    the raw text into SQL, and a NUL, a stray quote, a query of only spaces or thousands of words
    made them fail (a 500). A search with no word left finds nothing."""

    def filter_queryset(self, request, queryset, view):
        if "search" not in request.GET:
            return queryset
        terms = search_terms(request.GET["search"])
        if not terms:
            return queryset.none()
        rest_framework_compat.set_query_param(request, "search", " ".join(terms))
        return super().filter_queryset(request, queryset, view)


class PublicPagesAPIViewSet(PagesAPIViewSet):
    authentication_classes: list = []  # every request is anonymous
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]
    http_method_names = ["get", "head", "options"]
    filter_backends = wagtail_compat.api_filter_backends(
        PagesAPIViewSet.filter_backends, {SearchFilter: PublicSearchFilter}
    )

    # Wagtail's defaults without alias_of (an editing detail) and show_in_menus (navigation setting),
    # with last_published_at (when the content last changed).
    meta_fields = [
        "type",
        "detail_url",
        "html_url",
        "slug",
        "seo_title",
        "search_description",
        "first_published_at",
        "last_published_at",
        "locale",
        "parent",
    ]
    listing_default_fields = ["id", "type", "detail_url", "title", "html_url", "slug", "first_published_at", "locale"]
    nested_default_fields = ["id", "type", "detail_url", "title"]
    # Long content, whose images and documents cost queries per page, is shown one page at a time.
    detail_only_fields = ["parent", "body", "resources", "media_kit"]

    def get_base_queryset(self):
        # Wagtail's (live pages of this site in every language, minus the restricted sections this
        # request may not see), then without every restricted section, whoever asks. Filtering on
        # the tree path, as Wagtail does, keeps the queryset searchable (?search=).
        if not hasattr(self, "_public_pages"):
            pages = super().get_base_queryset()
            for path in self.restricted_paths():
                pages = pages.exclude(path__startswith=path)
            self._public_pages = pages
        return self._public_pages

    def restricted_paths(self) -> list[str]:
        """Tree paths of the view-restricted pages (each hides its section), loaded once."""
        if not hasattr(self, "_restricted_paths"):
            self._restricted_paths = list(PageViewRestriction.objects.values_list("page__path", flat=True))
        return self._restricted_paths

    def resolve_rich_text_format(self):
        if "rich_text_format" not in self.request.GET:
            return DEFAULT_RICH_TEXT_FORMAT
        return super().resolve_rich_text_format()

    def check_query_parameters(self, queryset):
        super().check_query_parameters(queryset)
        offset = self.request.GET.get("offset", "0").strip()
        if offset.isdigit() and (len(offset) > len(str(MAX_OFFSET)) or int(offset) > MAX_OFFSET):
            # Wagtail accepts any integer, and the databases cannot count that far (a 500).
            raise BadRequestError(f"offset cannot be higher than {MAX_OFFSET}")
        locale = self.request.GET.get("locale")
        codes = [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]
        if locale is not None and locale not in codes:
            raise BadRequestError(f"locale must be one of: {', '.join(codes)}")

    def listing_view(self, request):
        queryset = self.get_queryset()
        self.check_query_parameters(queryset)
        serializer_class = self.get_serializer_class()
        try:
            queryset = self.filter_queryset(queryset)
            pages = list(self.paginate_queryset(queryset))
        except (DjangoValidationError, ValueError) as error:
            # e.g. ?first_published_at=tomorrow: a filter value that does not fit its field
            raise BadRequestError("filter error: a value does not fit its field") from error
        prefetch_related_objects(pages, *self.related_lookups(queryset.model, serializer_class.Meta.fields))
        serializer = serializer_class(pages, many=True, context=self.get_serializer_context())
        return self.get_paginated_response(serializer.data)

    @classmethod
    def related_lookups(cls, model, field_names) -> list[str]:
        """What to load in bulk for `field_names` of `model` (one query per relation, whatever the
        number of pages): each API field says so, or else its model field does."""
        overrides = cls.get_field_serializer_overrides(model)
        lookups = []
        for name in field_names:
            serializer = overrides.get(name)
            if hasattr(serializer, "related_lookups"):
                lookups.extend(serializer.related_lookups(name))
                continue
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if field.is_relation and name != "parent":
                lookups.append(name)
        return list(dict.fromkeys(lookups))

    def find_object(self, queryset, request):
        # Wagtail looks ?id= and ?html_path= up as given: an id that is not a number raised a
        # ValueError, a path with a NUL a database error on PostgreSQL (500s). Neither names a page.
        page_id = request.GET.get("id")
        if "\x00" in request.GET.get("html_path", "") or (
            page_id is not None and not (page_id.isascii() and page_id.isdigit())
        ):
            return None
        return super().find_object(queryset, request)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code == 200:
            patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
        elif response.status_code == 404:
            # Django's LocaleMiddleware answers a 404 outside the language prefixes with a redirect to
            # /en/…, where Wagtail's catch-all pattern shows an HTML page. Pointing it at this module's
            # URL patterns, which have no language prefix, keeps the JSON 404 for API clients.
            django_compat.judge_404_against(rest_framework_compat.django_request(request), __name__)
        return response


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)

# The API's URLs on their own, without language prefixes (see finalize_response); site_core/urls.py
# includes the same router.
urlpatterns = [path("api/v2/", api_router.urls)]
