"""A translation goes to review, not live (issue 21). wagtail-localize's translation editor offers a
translator who cannot publish no way to send their work for review, so this is the smallest bridge on
public APIs: "Submit for review" (in the page's actions in the page explorer, on the page's header,
and in a message with a button above wagtail-localize's translation editor, whose own header has no
room for page actions) starts the page's Wagtail workflow ("Review before publish", Publisher approval) for the
translation's latest revision. The confirmation page, like the Publisher's review, says how many
segments are still untranslated (wagtail-localize's `Translation.get_progress`). Approving the task
publishes the page, as for any page."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin import messages as admin_messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Locale, Page


def translation_of(page):
    """wagtail-localize's Translation record that made this page, if any."""
    from wagtail_localize.models import Translation

    return (
        Translation.objects.filter(source__object_id=page.translation_key, target_locale=page.locale_id)
        .select_related("source")
        .first()
    )


def progress(page) -> tuple[int, int] | None:
    """(segments in all, segments translated) of a translated page, or None."""
    translation = translation_of(page)
    return translation.get_progress() if translation is not None else None


def can_submit_for_review(user, page) -> bool:
    """A translation (not the default language) the user may edit, with a workflow, not in review yet."""
    if page.locale_id == Locale.get_default().pk or page.workflow_in_progress:
        return False
    if page.get_workflow() is None:
        return False
    return page.permissions_for_user(user).can_edit()


def remind_in_the_editor(request, page) -> None:
    """Above the translation editor (a GET of the page's edit view) of someone who cannot publish it,
    the way to send the work for review, with how much is left to translate."""
    if request.method != "GET" or not can_submit_for_review(request.user, page):
        return
    if page.permissions_for_user(request.user).can_publish():
        return  # a Publisher publishes from the editor itself; the reminder is for those who cannot
    done = progress(page)
    untranslated = done[0] - done[1] if done is not None else 0
    if untranslated:
        text = ngettext(
            "%(count)s segment is not translated yet. When the translation is ready, submit it for review: "
            "a Publisher approves and publishes it.",
            "%(count)s segments are not translated yet. When the translation is ready, submit it for review: "
            "a Publisher approves and publishes it.",
            untranslated,
        ) % {"count": untranslated}
    else:
        text = gettext("When the translation is ready, submit it for review: a Publisher approves and publishes it.")
    url = reverse("submit_translation_for_review", args=[page.pk])
    admin_messages.info(request, text, buttons=[admin_messages.button(url, gettext("Submit for review"))])


class SubmitTranslationForReviewView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "site_core/admin/submit_translation_for_review.html"
    page_title = _("Submit the translation for review")
    header_icon = "globe"

    @cached_property
    def page(self):
        return get_object_or_404(Page, pk=self.kwargs["page_id"]).specific

    def dispatch(self, request, *args, **kwargs):
        if not can_submit_for_review(request.user, self.page):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.page.get_admin_display_title()

    def get_breadcrumbs_items(self):
        """Home > the page's section > the page > this step, so the header names what is submitted."""
        page = self.page
        return [
            *self.breadcrumbs_items,
            {"url": reverse("wagtailadmin_explore", args=[page.get_parent().pk]), "label": _("Pages")},
            {"url": reverse("wagtailadmin_pages:edit", args=[page.pk]), "label": page.get_admin_display_title()},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        done = progress(self.page)
        total, translated = done if done is not None else (0, 0)
        return {
            **super().get_context_data(**kwargs),
            "page": self.page,
            "total": total,
            "translated": translated,
            "untranslated": total - translated,
        }

    def post(self, request, *args, **kwargs):
        page = self.page
        if page.latest_revision is None:
            page.save_revision(user=request.user)
        page.get_workflow().start(page, request.user)
        messages.success(
            request,
            _("“%(title)s” is submitted for review: a Publisher approves and publishes it.")
            % {"title": page.get_admin_display_title()},
        )
        return redirect(reverse("wagtailadmin_explore", args=[page.get_parent().pk]))
