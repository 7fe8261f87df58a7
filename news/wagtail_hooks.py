"""Admin wiring of the newsroom: embargo preview links (list, create, revoke) for Publishers, the
"Share embargo preview" button on embargoed releases, and their audit-log actions."""

from django import forms
from django.contrib.auth.models import Permission
from django.shortcuts import get_object_or_404, redirect
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.auth import permission_denied
from wagtail.admin.utils import get_user_display_name
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import Button
from wagtail.log_actions import log

from news.models import EmbargoPreviewLink, NewsReleasePage
from news.models.previews import embargo_is_in_future

SHARE_PERMISSION = "news.share_embargo_preview"
LINK_CREATED_ACTION = "cio.preview_link_created"
LINK_REVOKED_ACTION = "cio.preview_link_revoked"


def can_share(user) -> bool:
    return user.has_perm(SHARE_PERMISSION)


def shows_share_button(page, user) -> bool:
    """On news releases under embargo, for Publishers (works on unspecific pages of listings)."""
    return (
        issubclass(page.specific_class or type(page), NewsReleasePage)
        and embargo_is_in_future(page)
        and can_share(user)
    )


def public_link_url(request, page, link) -> str:
    """The address to give the journalist, on the public site of the release."""
    preview_path = reverse("embargo_preview", args=[link.token])
    site = page.get_site()
    return site.root_url + preview_path if site else request.build_absolute_uri(preview_path)


def log_link(request, page, link, action) -> None:
    """One entry in the release's history (the token itself stays out of the log)."""
    log(
        instance=page,
        action=action,
        user=request.user,
        data={"link_id": link.pk, "label": link.label, "expires_at": link.expires_at, "revoked_at": link.revoked_at},
    )


class PreviewLinkForm(forms.ModelForm):
    """What a new link needs from the Publisher: who it is for."""

    class Meta:
        model = EmbargoPreviewLink
        fields = ["label"]

    def clean_label(self):
        return " ".join(self.cleaned_data["label"].split())  # required: blank or spaces only is refused


class PublisherOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        if not can_share(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)


class EmbargoPreviewLinksView(PublisherOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    """A release's preview links (who made them, when, until when, whether they still work, the
    address to copy), with a button to make one (POST) and one to revoke each."""

    template_name = "news/admin/embargo_preview_links.html"
    page_title = _("Embargo preview links")
    header_icon = "link"

    @cached_property
    def page(self):
        return get_object_or_404(NewsReleasePage, pk=self.kwargs["page_id"])  # after the permission check

    def get_page_subtitle(self):
        return self.page.get_admin_display_title()

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse("wagtailadmin_pages:edit", args=[self.page.pk]),
                "label": self.page.get_admin_display_title(),
            },
            {"url": "", "label": self.page_title, "sublabel": self.get_page_subtitle()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        links = list(self.page.embargo_preview_links.select_related("created_by", "page"))
        for link in links:
            link.url = public_link_url(self.request, self.page, link)
            link.state = link.status(now)
            link.created_by_name = get_user_display_name(link.created_by) if link.created_by else ""
        return {
            **context,
            "page": self.page,
            "links": links,
            "can_create": embargo_is_in_future(self.page, now),
            "create_url": reverse("embargo_previews:index", args=[self.page.pk]),
            "form": kwargs.get("form") or PreviewLinkForm(),
        }

    def post(self, request, *args, **kwargs):
        page = self.page
        if not embargo_is_in_future(page):
            messages.error(
                request,
                _(
                    "“%(title)s” has no go-live time in the future, so it is not under embargo: no preview "
                    "link was made. Schedule the release first (or publish it, and share its public address)."
                )
                % {"title": page.get_admin_display_title()},
            )
            return redirect("embargo_previews:index", page.pk)
        form = PreviewLinkForm(request.POST)
        if not form.is_valid():
            messages.validation_error(request, _("The preview link could not be made. Correct the error below."), form)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        link = EmbargoPreviewLink.create_for(page, form.cleaned_data["label"], user=request.user)
        log_link(request, page, link, LINK_CREATED_ACTION)
        messages.success(
            request,
            _("Preview link made. It stops working when the release goes live, or when you revoke it."),
        )
        return redirect("embargo_previews:index", page.pk)


class RevokeEmbargoPreviewLinkView(PublisherOnlyMixin, View):
    http_method_names = ["post"]

    def post(self, request, link_id):
        link = get_object_or_404(EmbargoPreviewLink.objects.select_related("page"), pk=link_id)
        if link.revoked_at is None:
            link.revoke()
            log_link(request, link.page, link, LINK_REVOKED_ACTION)
            messages.success(request, _("Preview link revoked: it no longer opens the release."))
        return redirect("embargo_previews:index", link.page_id)


embargo_preview_urls = [
    path("<int:page_id>/", EmbargoPreviewLinksView.as_view(), name="index"),
    path("links/<int:link_id>/revoke/", RevokeEmbargoPreviewLinkView.as_view(), name="revoke"),
]


@hooks.register("register_admin_urls")
def register_embargo_preview_urls():
    return [
        path("embargo-previews/", include((embargo_preview_urls, "embargo_previews"), namespace="embargo_previews"))
    ]


@hooks.register("register_permissions")
def register_share_embargo_preview_permission():
    """Lets the permission be granted to groups in Settings → Groups ("Other permissions")."""
    return Permission.objects.filter(content_type__app_label="news", codename="share_embargo_preview")


@hooks.register("register_log_actions")
def register_embargo_preview_log_actions(actions):
    actions.register_action(LINK_CREATED_ACTION, _("Create embargo preview link"), _("Created an embargo preview link"))
    actions.register_action(LINK_REVOKED_ACTION, _("Revoke embargo preview link"), _("Revoked an embargo preview link"))


def _share_button(page, user, priority):
    if shows_share_button(page, user):
        yield Button(
            _("Share embargo preview"),
            reverse("embargo_previews:index", args=[page.pk]),
            icon_name="link",
            priority=priority,
        )


@hooks.register("register_page_header_buttons")
def share_embargo_preview_header_button(page, user, view_name=None, next_url=None):
    yield from _share_button(page, user, priority=48)


@hooks.register("register_page_listing_more_buttons")
def share_embargo_preview_listing_button(page, user, next_url=None):
    yield from _share_button(page, user, priority=48)
