"""The public page of embargo preview links (news/urls.py). The newsroom's routes and listing are
the model's (news/models/newsroom.py)."""

from django.template.response import SimpleTemplateResponse
from django.utils import translation
from django.views.decorators.http import require_safe

from news.models.previews import EmbargoPreviewLink
from site_core.compat import django as django_compat
from site_core.views import page_not_found

# Every answer of the preview route, valid or not: nothing cached or indexed, and the token (in the
# address) never sent on to other sites as a referrer.
PREVIEW_HEADERS = {
    "Cache-Control": "private, no-store",
    "X-Robots-Tag": "noindex, nofollow",
    "Referrer-Policy": "no-referrer",
}
PREVIEW_TEMPLATE = "news/embargo_preview.html"


def _with_preview_headers(response):
    for name, value in PREVIEW_HEADERS.items():
        response.headers[name] = value
    return response


def _preview_not_found(request):
    """The site's ordinary 404 page, the same for an unknown, revoked or expired token and after
    go-live, so the answer says nothing about the release."""
    # LocaleMiddleware answers a 404 outside the language prefixes with a redirect to the same path
    # under /en/ when that path resolves (Wagtail's catch-all always does), which would put the
    # token in a Location header and turn the 404 into a 302. Judged against news.urls (which has
    # no language prefixes), the 404 stays a 404.
    django_compat.judge_404_against(request, "news.urls")
    return _with_preview_headers(page_not_found(request))


@require_safe
def embargo_preview(request, token: str):
    """The latest draft of an embargoed release, for whoever holds a valid preview link: served
    the way Wagtail serves previews, in the release's language, under an embargo banner."""
    link = EmbargoPreviewLink.objects.for_token(token)
    if link is None or not link.is_valid():
        return _preview_not_found(request)
    page = link.page.get_latest_revision_as_object()
    language = link.page.locale.language_code
    mode = page.default_preview_mode
    with translation.override(language):
        request.LANGUAGE_CODE = language
        request.is_preview = True
        request.preview_mode = mode
        response = page.serve_preview(request, mode)
        if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
            response.context_data = {
                **(response.context_data or {}),
                "embargo_base_template": response.template_name,
                "embargo_until": link.ends_at(),
            }
            response.template_name = PREVIEW_TEMPLATE
            response.render()
    response.headers["Content-Language"] = language
    return _with_preview_headers(response)
