"""Reports > Translation status: every live English page against every other language.

One row per source page, one column per language, each cell saying missing, partly translated (N of M
segments), out of date or in sync (site_core/i18n/status.py) with the link that fixes it (translate,
finish, sync, or edit). Rows are paginated and the per-language
columns are subqueries, so a page of the report costs the same few queries however big the site."""

import datetime

import django_filters
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.reports import ReportView
from wagtail.models import Locale, Page
from wagtail.permissions import policy_registry

from site_core.i18n.status import (
    LABELS,
    TranslationState,
    annotate_translations,
    annotated_progress,
    state_filter,
    target_locales,
    translation_state,
)

EDIT_PERMISSIONS = ["add", "change", "publish"]


class TranslationStatusFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(
        label=_("Translation status"),
        choices=[(state.value, LABELS[state]) for state in TranslationState],
        empty_label=_("Any status"),
        method="filter_state",
    )

    class Meta:
        model = Page
        fields = []

    def filter_state(self, queryset, name, value):
        return queryset.filter(state_filter(value, target_locales()))


class TranslationStatusReportView(ReportView):
    page_title = _("Translation status")
    header_icon = "globe"
    results_template_name = "site_core/admin/translation_status_results.html"
    index_url_name = "translation_status"
    index_results_url_name = "translation_status_results"
    filterset_class = TranslationStatusFilterSet
    any_permission_required = EDIT_PERMISSIONS
    paginate_by = 50

    @cached_property
    def permission_policy(self):
        return policy_registry.get_by_type(Page)

    @cached_property
    def locales(self) -> list[Locale]:
        return target_locales()

    def get_filename(self):
        return f"translation-status-{datetime.date.today():%Y-%m-%d}"

    def get_queryset(self):
        pages = (
            Page.objects.live()
            .filter(locale__language_code=Locale.get_default().language_code, depth__gt=1)
            .select_related("content_type")
            .order_by("path")
        )
        return annotate_translations(pages, self.locales)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["locales"] = self.locales
        return context

    def decorate_paginated_queryset(self, object_list):
        for page in object_list:
            page.content_type_name = str(page.content_type.model_class()._meta.verbose_name).capitalize()
            page.translation_cells = [self.cell(page, locale) for locale in self.locales]
            for locale, cell in zip(self.locales, page.translation_cells, strict=True):
                setattr(page, f"status_{locale.language_code}", cell["label"])
        return object_list

    def cell(self, page, locale) -> dict:
        target_id = getattr(page, f"tr_{locale.pk}_id")
        progress = annotated_progress(page, locale)
        state = translation_state(
            page.last_published_at,
            getattr(page, f"tr_{locale.pk}_live"),
            getattr(page, f"tr_{locale.pk}_published"),
            progress,
        )
        label = progress.describe() if state == TranslationState.PARTLY_TRANSLATED else state.label
        if state == TranslationState.MISSING and target_id is None:
            action, url = _("Translate"), reverse("wagtail_localize:submit_page_translation", args=[page.pk])
        elif state in (TranslationState.MISSING, TranslationState.PARTLY_TRANSLATED):
            action, url = _("Finish the translation"), reverse("wagtailadmin_pages:edit", args=[target_id])
        elif state == TranslationState.OUT_OF_DATE and page.localize_source_id:
            action, url = _("Sync"), reverse("wagtail_localize:update_translations", args=[page.localize_source_id])
        else:
            action, url = _("Edit"), reverse("wagtailadmin_pages:edit", args=[target_id])
        return {"locale": locale, "state": state.value, "label": label, "action": action, "url": url}

    @property
    def list_export(self):
        return [
            "title",
            "url_path",
            "content_type_name",
            "last_published_at",
            *[f"status_{locale.language_code}" for locale in self.locales],
        ]

    @property
    def export_headings(self):
        headings = {
            "title": _("Page"),
            "url_path": _("Path"),
            "content_type_name": _("Type"),
            "last_published_at": _("Source last published"),
        }
        for locale in self.locales:
            headings[f"status_{locale.language_code}"] = locale.get_display_name()
        return headings


class TranslationStatusMenuItem(MenuItem):
    def is_shown(self, request):
        return policy_registry.get_by_type(Page).user_has_any_permission(request.user, EDIT_PERMISSIONS)
