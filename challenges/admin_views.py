"""The reviewers' admin for applications: list with filters, inspect, review status and notes,
CSV/XLSX export with formula-safe cells, a private file download, and an audit trail."""

import django_filters
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log
from wagtail.permission_policies.base import ModelPermissionPolicy

from challenges.models import Application, ApplicationStatus, ChallengePage
from challenges.models.applications import CORE_ANSWER_FIELDS
from challenges.rules import spreadsheet_cell

VIEW_ACTION = "cio.application.view"
EXPORT_ACTION = "cio.application.export"
DOWNLOAD_ACTION = "cio.application.download"
PURGE_ACTION = "cio.application.purge"


class ApplicationPermissionPolicy(ModelPermissionPolicy):
    """Django's model permissions (view, change, delete), which only the Challenge reviewers group
    holds; nobody adds applications in the admin: they come from the public form."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([action for action in actions if action != "add"])


application_permission_policy = ApplicationPermissionPolicy(Application)


class ApplicationFilterSet(WagtailFilterSet):
    challenge = django_filters.ModelChoiceFilter(
        label=_("Challenge"),
        empty_label=_("All challenges"),
        queryset=lambda request: ChallengePage.objects.order_by("-closes_at", "title"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Review status"), choices=ApplicationStatus.choices, empty_label=_("Any status")
    )
    is_spam = django_filters.BooleanFilter(label=_("Held for a check"))
    submitted_at = django_filters.DateFromToRangeFilter(label=_("Received"), widget=DateRangePickerWidget)

    class Meta:
        model = Application
        fields = ["challenge", "status", "is_spam", "submitted_at"]


class ApplicationIndexView(IndexView):
    def preprocess_field_value(self, field, value, export_format):
        return spreadsheet_cell(super().preprocess_field_value(field, value, export_format))

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("challenge")

    def as_spreadsheet(self, queryset, spreadsheet_format):
        log_export(self.request, queryset)
        return super().as_spreadsheet(queryset, spreadsheet_format)


def log_export(request, queryset) -> None:
    """One audit entry per exported application (Wagtail's audit log is per object)."""
    export_format = request.GET.get("export")
    for application in queryset.select_related(None).only("pk", "reference", "organisation_name"):
        log(instance=application, action=EXPORT_ACTION, user=request.user, data={"format": export_format})


class ApplicationInspectView(InspectView):
    def get(self, request, *args, **kwargs):
        log(instance=self.object, action=VIEW_ACTION, user=request.user)
        return super().get(request, *args, **kwargs)

    def get_attachment_display_value(self):
        url = reverse("application_attachment", args=[self.object.pk])
        return format_html(
            '<a href="{}" download>{}</a> ({} KB)',
            url,
            self.object.attachment_name,
            max(1, self.object.attachment_size // 1024),
        )

    def get_answers_display_value(self):
        return self.object.answers_text() or "-"

    def get_changed_at_display_value(self):
        """Each change its applicant made: when, what it changed, and the earlier version's answers and
        file (every version is kept)."""
        versions = list(self.object.versions.order_by("number"))
        if not versions:
            return _("Never changed since it was sent")
        return format_html_join("", "{}", ((self.version_html(version),) for version in versions))

    def version_html(self, version):
        labels = {str(Application._meta.get_field(name).verbose_name): name for name in CORE_ANSWER_FIELDS}
        old_values = []
        for label in version.changed:
            name = labels.get(label)
            if name is not None:
                old_values.append((label, version.answers.get(name, "")))
            else:
                answer = next((a for a in version.answers.get("answers", []) if a.get("label") == label), None)
                if answer is not None:
                    old_values.append((label, answer.get("display", "")))
        if version.attachment:
            url = reverse("application_version_attachment", args=[self.object.pk, version.number])
            name = version.attachment_name
            file_html = format_html('<li>{}: <a href="{}" download>{}</a></li>', _("File"), url, name)
        else:
            file_html = ""
        summary = _("%(date)s: changed %(changed)s") % {
            "date": date_format(localtime(version.replaced_at), "DATETIME_FORMAT"),
            "changed": ", ".join(version.changed),
        }
        return format_html(
            "<details><summary>{}</summary><p>{}</p><ul>{}{}</ul></details>",
            summary,
            _("Before this change (version %(number)s):") % {"number": version.number},
            format_html_join("", "<li>{}: {}</li>", old_values),
            file_html,
        )


class ApplicationViewSet(ModelViewSet):
    model = Application
    name = "applications"
    icon = "form"
    menu_label = _("Applications")
    menu_order = 250
    add_to_admin_menu = True
    index_view_class = ApplicationIndexView
    inspect_view_class = ApplicationInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["reference", "organisation_name", "challenge", "status", "is_spam", "submitted_at"]
    filterset_class = ApplicationFilterSet
    search_fields = ["reference", "organisation_name", "contact_name", "email"]
    search_backend_name = None
    list_export = [
        "reference",
        "challenge",
        "submitted_at",
        "language",
        "status",
        *CORE_ANSWER_FIELDS,
        "answers_text",
        "attachment_name",
        "is_spam",
        "spam_reason",
        "notes",
    ]
    export_headings = {"answers_text": _("Answers")}
    export_filename = "applications"
    form_fields = ["status", "notes", "is_spam"]
    inspect_view_fields = [
        "reference",
        "challenge",
        "submitted_at",
        "language",
        "status",
        *CORE_ANSWER_FIELDS,
        "answers",
        "attachment",
        "is_spam",
        "spam_reason",
        "changed_at",
        "withdrawn_at",
        "notes",
        "decided_at",
    ]


def download_attachment(request, pk: int, number: int | None = None):
    """Stream an application's PDF (or an earlier version's, by its number) to a reviewer, as a
    download that browsers will not render."""
    if not application_permission_policy.user_has_permission(request.user, "view"):
        raise PermissionDenied
    application = get_object_or_404(Application, pk=pk)
    source = application if number is None else get_object_or_404(application.versions, number=number)
    if not source.attachment:
        raise Http404
    log(instance=application, action=DOWNLOAD_ACTION, user=request.user, data={"version": number})
    response = FileResponse(
        source.attachment.open("rb"),
        as_attachment=True,
        filename=source.attachment_name,
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
