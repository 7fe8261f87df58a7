"""The reviewers' admin for applications: list with filters, inspect, review status and notes,
CSV/XLSX export with formula-safe cells, a private file download, and an audit trail."""

import codecs
import csv
import datetime
from decimal import Decimal, InvalidOperation

import django_filters
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages as admin_messages
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import DeleteView, EditView, IndexView, InspectView
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.views.mixins import Echo
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.coreutils import multigetattr
from wagtail.log_actions import get_active_log_context, log
from wagtail.models import ModelLogEntry
from wagtail.permission_policies.base import ModelPermissionPolicy

from challenges.models import Application, ApplicationStatus, ChallengePage, PanelMember
from challenges.models.applications import CORE_ANSWER_FIELDS, QuestionType
from challenges.panels import (
    can_see,
    needs_declaration,
    panel_challenge_keys,
    readable_applications,
    visible_applications,
)
from site_core.local_time import city_zone
from site_core.text.spreadsheet import spreadsheet_cell

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
        queryset=lambda request: reviewed_challenges(request.user),
    )
    status = django_filters.ChoiceFilter(
        label=_("Review status"), choices=ApplicationStatus.choices, empty_label=_("Any status")
    )
    is_spam = django_filters.BooleanFilter(label=_("Held for a check"))
    submitted_at = django_filters.DateFromToRangeFilter(label=_("Received"), widget=DateRangePickerWidget)

    class Meta:
        model = Application
        fields = ["challenge", "status", "is_spam", "submitted_at"]


def reviewed_challenges(user):
    """The challenges whose applications `user` sees (the list's challenge filter)."""
    challenges = ChallengePage.objects.order_by("-closes_at", "title")
    if user.is_superuser:
        return challenges
    return challenges.filter(translation_key__in=panel_challenge_keys(user))


class DeclarationRequired(Exception):
    def __init__(self, application):
        super().__init__(application.pk)
        self.url = declaration_url(application.challenge)


def declaration_url(challenge) -> str:
    return reverse("application_conflicts", args=[challenge.pk])


def challenges_to_declare(user) -> list:
    """The challenges with applications `user` sees but may not read yet (no declaration since they
    arrived). Two queries."""
    if user.is_superuser:
        return []
    pending = visible_applications(user).exclude(pk__in=readable_applications(user).values("pk"))
    return list(ChallengePage.objects.filter(pk__in=pending.values("challenge_id")).order_by("title"))


class PanelScopedObject:
    """An application view (inspect, edit, delete, history, usage) answers 404 for an application
    outside the user's panels, or one they declared a conflict with, as if it did not exist: a guessed
    address reveals nothing. One whose challenge's conflicts they have not declared since it arrived
    sends them to the declaration first."""

    def get_object(self, *args, **kwargs):
        application = super().get_object(*args, **kwargs)
        if not can_see(self.request.user, application):
            raise Http404
        if needs_declaration(self.request.user, application):
            raise DeclarationRequired(application)
        return application

    def setup(self, request, *args, **kwargs):
        self.declaration_redirect = None
        try:
            super().setup(request, *args, **kwargs)
        except DeclarationRequired as required:  # raised while the view loads its object
            self.declaration_redirect = required.url

    def dispatch(self, request, *args, **kwargs):
        try:
            if self.declaration_redirect:
                return redirect(self.declaration_redirect)
            return super().dispatch(request, *args, **kwargs)
        except DeclarationRequired as required:
            return redirect(required.url)


class ApplicationEditView(PanelScopedObject, EditView):
    pass


class ApplicationDeleteView(PanelScopedObject, DeleteView):
    pass


class ApplicationHistoryView(PanelScopedObject, HistoryView):
    pass


class ApplicationUsageView(PanelScopedObject, UsageView):
    pass


class ApplicationIndexView(IndexView):
    """The list and its CSV/XLSX exports. An export reads the applications from the database a chunk at
    a time (its memory does not grow with their number); its cells are what reviewers read: date-times
    in Toronto time (real date cells in XLSX), numbers as numbers, labels instead of codes and
    True/False, and text made formula-safe. Filtered to one challenge, it has one column per question
    of that challenge instead of the one "Answers" column."""

    def get_list_more_buttons(self, instance):
        return [
            *super().get_list_more_buttons(instance),
            MenuItem(
                gettext("Score sheet"),
                url=reverse("application_score", args=[instance.pk]),
                icon_name="tick",
                priority=5,
            ),
        ]

    # Set per export by as_spreadsheet: {column key: heading} of the question columns.
    question_headings: dict = {}
    export_language = None

    def preprocess_field_value(self, field, value, export_format):
        """A cell from to_row_dict's value: no None; date-times and dates as text in CSV and as
        themselves in XLSX (Wagtail's own step would turn them into UTC); numbers as numbers; any
        text formula-safe."""
        if value is None:
            return ""
        if isinstance(value, datetime.datetime):
            return value if export_format == self.FORMAT_XLSX else f"{value:%Y-%m-%d %H:%M}"
        if isinstance(value, datetime.date):
            return value if export_format == self.FORMAT_XLSX else value.isoformat()
        if isinstance(value, int | Decimal | float) and not isinstance(value, bool):
            return value
        return spreadsheet_cell(str(value))

    def to_row_dict(self, item):
        """One application's row, keyed like list_export: values a spreadsheet understands."""
        row = {}
        answers = None
        for field in self.list_export:
            if field in self.question_headings:
                if answers is None:
                    answers = answers_by_column(item.answers, self.question_headings)
                row[field] = answers.get(field)
            elif field == "answers_text":
                row[field] = "\n".join(answer_text(answer) for answer in item.answers)
            else:
                row[field] = export_value(item, field)
        return row

    def get_heading(self, queryset, field):
        if field in self.question_headings:
            heading = self.question_headings[field]
        else:
            heading = super().get_heading(queryset, field)
            if isinstance(model_field(field), models.DateTimeField):
                heading = in_toronto_time(heading)
        return spreadsheet_cell(heading)

    def export_challenge(self):
        """The challenge the list is filtered to, if one."""
        if self.filters is not None and self.filters.is_valid():
            return self.filters.form.cleaned_data.get("challenge")
        return None

    def stream_csv(self, queryset):
        """UTF-8 with a byte-order mark (Excel then reads "Amélie", not "AmÃ©lie"). The rows are
        written after the view has returned, so each is written in the reviewer's language."""
        writer = csv.DictWriter(Echo(), fieldnames=self.list_export)
        with translation.override(self.export_language):
            headings = {field: self.get_heading(queryset, field) for field in self.list_export}
        yield codecs.BOM_UTF8 + writer.writerow(headings)
        for item in queryset.iterator(chunk_size=EXPORT_CHUNK_SIZE):
            with translation.override(self.export_language):
                line = self.write_csv_row(writer, self.to_row_dict(item))
            yield line

    def write_csv_response(self, queryset):
        response = super().write_csv_response(queryset)
        response["Content-Type"] = "text/csv; charset=utf-8"
        return response

    def write_xlsx(self, queryset, output):
        """A write-only workbook (rows go to a temporary file as they come): received as a real date
        cell in Toronto wall-clock time, its heading naming the zone (Excel cells have none)."""
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        worksheet = workbook.create_sheet(title=gettext("Applications"))
        worksheet.append(self.get_heading(queryset, field) for field in self.list_export)
        for item in queryset.iterator(chunk_size=EXPORT_CHUNK_SIZE):
            row = self.to_row_dict(item)
            worksheet.append(self.generate_xlsx_row(worksheet, row, date_format=EXPORT_DATETIME_FORMAT))
        workbook.save(output)

    def get_base_queryset(self):
        """Only the applications of the user's panels, less their declared conflicts: the list and its
        search; an export, what they may read (their conflicts declared since it arrived)."""
        base = super().get_base_queryset().select_related("challenge")
        if self.is_export:
            return readable_applications(self.request.user, base)
        return visible_applications(self.request.user, base)

    def get(self, request, *args, **kwargs):
        if self.is_export:
            # Straight to the export: Wagtail's listing context would first count the unpaginated
            # list with len(), loading every application into memory.
            return self.as_spreadsheet(self.get_queryset(), request.GET.get("export"))
        if not request.headers.get("x-requested-with"):  # not the list's own refresh on filtering
            for challenge in challenges_to_declare(request.user):
                admin_messages.warning(
                    request,
                    _("Declare your conflicts of interest for “%(title)s” before reading its applications.")
                    % {"title": challenge.title},
                    buttons=[admin_messages.button(declaration_url(challenge), _("Declare"))],
                )
        return super().get(request, *args, **kwargs)

    def as_spreadsheet(self, queryset, spreadsheet_format):
        log_export(self.request, queryset)
        self.export_language = translation.get_language()
        challenge = self.export_challenge()
        if challenge is not None and "answers_text" in self.list_export:
            self.question_headings = question_columns(challenge, queryset)
            fields = list(self.list_export)
            at = fields.index("answers_text")
            fields[at : at + 1] = list(self.question_headings)
            self.list_export = fields
        return super().as_spreadsheet(queryset, spreadsheet_format)


def log_export(request, queryset, action: str = EXPORT_ACTION) -> None:
    """One audit entry per exported application (Wagtail's audit log is per object): the entries
    Wagtail's `log()` writes, inserted a chunk at a time (5,000 single inserts took seconds)."""
    content_type = ContentType.objects.get_for_model(Application, for_concrete_model=False)
    common = {
        "content_type": content_type,
        "action": action,
        "timestamp": timezone.now(),
        "data": {"format": request.GET.get("export")},
        "user": request.user,
        "uuid": get_active_log_context().uuid,
    }
    applications = queryset.select_related(None).only("pk", "reference", "organisation_name")
    entries = []
    for application in applications.iterator(chunk_size=EXPORT_CHUNK_SIZE):
        label = ModelLogEntry.objects.get_instance_title(application)
        entries.append(ModelLogEntry(object_id=str(application.pk), label=label, **common))
        if len(entries) == EXPORT_CHUNK_SIZE:
            ModelLogEntry.objects.bulk_create(entries)
            entries = []
    ModelLogEntry.objects.bulk_create(entries)


# Dates, numbers and labels as reviewers read them, in the list, the inspect view and the exports.
# The database holds UTC; the admin shows Toronto wall-clock time and names the zone.
EXPORT_CHUNK_SIZE = 500  # applications read from the database at a time by an export
EXPORT_DATETIME_FORMAT = "yyyy-mm-dd hh:mm"  # XLSX date-time cells (the heading names the zone)


def toronto_wall_clock(value: datetime.datetime) -> datetime.datetime:
    """An aware date-time as Toronto wall-clock time, without a zone (what a spreadsheet cell holds)."""
    return value.astimezone(city_zone()).replace(tzinfo=None)


def in_toronto_time(text) -> str:
    """ "Received" -> "Received (Toronto time)"; "2026-12-05 14:03" -> "2026-12-05 14:03 (Toronto time)"."""
    return gettext("%(value)s (Toronto time)") % {"value": text}


def toronto_time(value: datetime.datetime) -> str:
    """A date-time as the admin shows it: "2026-12-05 14:03 (Toronto time)", whatever zone the
    reviewer's account or the server uses."""
    return in_toronto_time(f"{toronto_wall_clock(value):%Y-%m-%d %H:%M}")


def yes_no(value: bool) -> str:
    return gettext("Yes") if value else gettext("No")


def language_name(code: str) -> str:
    """A language code as its name in the admin's language (English, French; anglais, français): the
    same names as the language labels of the admin's pages."""
    return str(dict(settings.LANGUAGES).get(code, code))


def model_field(name: str):
    try:
        return Application._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def export_value(application: Application, field: str):
    """An application's field as an export's value: a label instead of a code or True/False, a
    Toronto wall-clock date-time, a number as a number, text as text (None stays None: an empty cell)."""
    value = multigetattr(application, field)
    if field == "language":
        return language_name(value)
    definition = model_field(field)
    if definition is not None and definition.choices:
        return getattr(application, f"get_{field}_display")()
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, datetime.datetime):
        return toronto_wall_clock(value)
    if isinstance(value, models.Model):
        return str(value)
    return value


def answer_value(answer: dict):
    """An answer to a challenge's question as a cell: a number, a date, Yes or No, or its text."""
    kind, value, display = answer.get("type"), answer.get("value"), answer.get("display") or ""
    if value is None or value == "" or value == []:
        return None
    if kind == QuestionType.NUMBER:
        try:
            return Decimal(str(value))
        except InvalidOperation:
            return display
    if kind == QuestionType.DATE:
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError:
            return display
    if kind == QuestionType.YES_NO and value in ("yes", "no"):
        return yes_no(value == "yes")
    return display


def answer_display(answer: dict) -> str:
    value = answer_value(answer)
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, datetime.date) else str(value)


def answer_text(answer: dict) -> str:
    """ "Question: answer" (the one "Answers" cell of an export of several challenges)."""
    return f"{answer.get('label', '')}: {answer_display(answer)}"


def answer_column(answer: dict, headings: dict) -> str:
    """The column of an answer: its question's (by the question's stable uid, or by its label for an
    answer without one), or else one for a question since removed from the form."""
    uid = answer.get("uid")
    if uid and f"question:{uid}" in headings:
        return f"question:{uid}"
    label = answer.get("label", "")
    for key, heading in headings.items():
        if key.startswith("question:") and heading == label:
            return key
    return f"removed:{uid or label}"


def answers_by_column(answers: list, headings: dict) -> dict:
    return {answer_column(answer, headings): answer_value(answer) for answer in answers or []}


def question_columns(challenge, queryset) -> dict:
    """{column key: heading}: one column per question of `challenge`, in the form's order, headed by
    the question; then one per question since removed from the form that an exported application
    answered (found by reading only the answers, a chunk at a time)."""
    headings = {f"question:{question.uid.hex}": question.label for question in challenge.questions.all()}
    if isinstance(queryset, models.QuerySet):
        answer_lists = queryset.order_by().values_list("answers", flat=True).iterator(chunk_size=EXPORT_CHUNK_SIZE)
        for answers in answer_lists:
            for answer in answers or []:
                key = answer_column(answer, headings)
                if key not in headings:
                    question = answer.get("label", "")
                    headings[key] = gettext("%(question)s (no longer on the form)") % {"question": question}
    return headings


class ApplicationInspectView(PanelScopedObject, InspectView):
    @cached_property
    def header_buttons(self):
        """ "Score" (the reviewer's sheet of this application, challenges/review_views.py)."""
        url = reverse("application_score", args=[self.object.pk])
        return [HeaderButton(gettext("Score sheet"), url=url, icon_name="tick")]

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
        answers = self.object.answers
        if not answers:
            return "-"
        rows = ((answer.get("label", ""), answer_display(answer)) for answer in answers)
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}: {}</li>", rows))

    # Date-times in Toronto time with the zone named (Wagtail's inspect template would print the
    # stored UTC value: its `localize` filter does not convert to the current time zone).
    def get_submitted_at_display_value(self):
        return toronto_time(self.object.submitted_at)

    def get_decided_at_display_value(self):
        return toronto_time(self.object.decided_at) if self.object.decided_at else gettext("Not decided yet")

    def get_withdrawn_at_display_value(self):
        return toronto_time(self.object.withdrawn_at) if self.object.withdrawn_at else gettext("Not withdrawn")

    def get_decided_by_display_value(self):
        return member_name(self.object.decided_by) if self.object.decided_by else gettext("Not decided yet")

    def get_decision_reason_display_value(self):
        return self.object.decision_reason or "-"

    def get_publish_consent_display_value(self):
        return yes_no(self.object.publish_consent)

    def get_language_display_value(self):
        return language_name(self.object.language)

    def get_is_spam_display_value(self):
        return yes_no(self.object.is_spam)

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
                    old_values.append((label, answer_display(answer)))
        if version.attachment:
            url = reverse("application_version_attachment", args=[self.object.pk, version.number])
            name = version.attachment_name
            file_html = format_html('<li>{}: <a href="{}" download>{}</a></li>', _("File"), url, name)
        else:
            file_html = ""
        summary = _("%(date)s: changed %(changed)s") % {
            "date": toronto_time(version.replaced_at),
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
    edit_view_class = ApplicationEditView
    delete_view_class = ApplicationDeleteView
    history_view_class = ApplicationHistoryView
    usage_view_class = ApplicationUsageView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        "reference",
        "organisation_name",
        "challenge",
        "status",
        Column("is_spam", label=_("Held for a check"), accessor=lambda a: yes_no(a.is_spam), sort_key="is_spam"),
        Column(
            "submitted_at",
            label=_("Received (Toronto time)"),
            accessor=lambda a: f"{toronto_wall_clock(a.submitted_at):%Y-%m-%d %H:%M}",
            sort_key="submitted_at",
        ),
    ]
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
    # The review status is the chair's decision, with its reason (challenges/review_views.py).
    form_fields = ["notes", "is_spam"]
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
        "decision_reason",
        "decided_by",
        "decided_at",
        "publish_consent",
    ]


def download_attachment(request, pk: int, number: int | None = None):
    """Stream an application's PDF (or an earlier version's, by its number) to a reviewer, as a
    download that browsers will not render."""
    if not application_permission_policy.user_has_permission(request.user, "view"):
        raise PermissionDenied
    application = get_object_or_404(visible_applications(request.user), pk=pk)
    if needs_declaration(request.user, application):
        return redirect(declaration_url(application.challenge))
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


def member_name(user) -> str:
    return user.get_full_name() or user.get_username()


class PanelMemberViewSet(ModelViewSet):
    """Settings > Review panels: Publishers put reviewers on a challenge's panel (and take them off);
    Wagtail's audit log records each change."""

    model = PanelMember
    name = "review_panels"
    icon = "group"
    menu_label = _("Review panels")
    add_to_settings_menu = True
    copy_view_enabled = False
    inspect_view_enabled = False
    list_display = [
        "challenge",
        Column(
            "user",
            label=_("Reviewer"),
            accessor=lambda member: str(member_name(member.user)),
            sort_key="user__last_name",
        ),
        Column(
            "is_chair",
            label=_("Chairs the panel"),
            accessor=lambda member: yes_no(member.is_chair),
            sort_key="is_chair",
        ),
        "assigned_at",
    ]
    list_filter = ["challenge", "is_chair"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "challenge__title"]
    search_backend_name = None
