"""The panel review in the admin (issue 20): the reviewer's list of their panels, the score sheet of
an application, the chair's table of a challenge with its export, a decision, the release of the
decisions and the selected teams for the challenge page. The rules are in challenges/scoring.py,
challenges/panel_table.py and challenges/decisions.py; who sees what in challenges/panels.py."""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import log
from wagtail.models import Locale

from challenges import decisions, panel_table, scoring
from challenges.admin_views import (
    challenges_to_declare,
    declaration_url,
    in_toronto_time,
    member_name,
    toronto_wall_clock,
    yes_no,
)
from challenges.forms import DescribedMixin
from challenges.models import Application, ApplicationStatus, ChallengePage, Conflict, PanelMember, ScoreSheet
from challenges.panels import can_see, needs_declaration, readable_applications, visible_applications
from site_core.csv_download import csv_download
from site_core.text.spreadsheet import spreadsheet_cell

SUBMIT_ACTION = "cio.review.submit"
RETURN_ACTION = "cio.review.return"
SCORES_EXPORT_ACTION = "cio.review.export"
TABLE_PAGE_SIZE = 50


def challenge_or_404(challenge_id: int):
    return decisions.panel_challenge(get_object_or_404(ChallengePage, pk=challenge_id))


def panel_member(user, challenge) -> PanelMember | None:
    return PanelMember.objects.filter(user=user, challenge__translation_key=challenge.translation_key).first()


# --- the reviewer's panels --------------------------------------------------------------------------


class ReviewHomeView(WagtailAdminTemplateMixin, TemplateView):
    """Review > the challenges whose panel the user is on (a Publisher: every challenge with a panel),
    with their progress and where to go next."""

    template_name = "challenges/admin/review_home.html"
    page_title = _("Review")
    header_icon = "tick"

    def dispatch(self, request, *args, **kwargs):
        if not (decisions.is_publisher(request.user) or PanelMember.objects.filter(user=request.user).exists()):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user = self.request.user
        keys = PanelMember.objects.filter(user=user).values("challenge__translation_key")
        chaired = set(
            PanelMember.objects.filter(user=user, is_chair=True).values_list("challenge__translation_key", flat=True)
        )
        publisher = decisions.is_publisher(user)
        challenges = ChallengePage.objects.filter(locale=Locale.get_default())
        if publisher:
            challenges = challenges.filter(Q(panel_members__isnull=False) | Q(translation_key__in=keys))
        else:
            challenges = challenges.filter(translation_key__in=keys)
        challenges = list(challenges.distinct().order_by("-closes_at", "title"))
        readable = readable_applications(user).filter(is_spam=False).exclude(status=ApplicationStatus.WITHDRAWN)
        counts = {
            row["challenge__translation_key"]: row
            for row in readable.values("challenge__translation_key").annotate(
                applications=Count("pk", distinct=True),
                submitted=Count(
                    "score_sheets", filter=Q(score_sheets__reviewer=user, score_sheets__submitted_at__isnull=False)
                ),
            )
        }
        member_of = set(keys.values_list("challenge__translation_key", flat=True))
        to_declare = {challenge.translation_key for challenge in challenges_to_declare(user)}
        rows = []
        for challenge in challenges:
            count = counts.get(challenge.translation_key, {})
            rows.append(
                {
                    "challenge": challenge,
                    "member": challenge.translation_key in member_of,
                    "chairs": publisher or challenge.translation_key in chaired,
                    "applications": count.get("applications", 0),
                    "submitted": count.get("submitted", 0),
                    "declare": challenge.translation_key in to_declare,
                    "next_url": next_to_score_url(user, challenge) if challenge.translation_key in member_of else None,
                }
            )
        return {**super().get_context_data(**kwargs), "rows": rows, "scale": scoring.SCORES}


def next_to_score(user, challenge, after: Application | None = None) -> Application | None:
    """The next application of `challenge` the user may score and has not submitted a sheet for."""
    candidates = (
        readable_applications(user)
        .filter(challenge__translation_key=challenge.translation_key, is_spam=False)
        .exclude(status=ApplicationStatus.WITHDRAWN)
        .exclude(
            Exists(ScoreSheet.objects.filter(application=OuterRef("pk"), reviewer=user, submitted_at__isnull=False))
        )
        .order_by("pk")
    )
    if after is not None:
        later = candidates.filter(pk__gt=after.pk).first()
        return later or candidates.exclude(pk=after.pk).first()
    return candidates.first()


def next_to_score_url(user, challenge) -> str | None:
    application = next_to_score(user, challenge)
    return reverse("application_score", args=[application.pk]) if application else None


# --- a score sheet ----------------------------------------------------------------------------------


class AdminDescribedMixin(DescribedMixin):
    """A field with errors points at them, then at its help text, so a screen reader reads them on
    focus, by the ids the admin's templates give them: templates/challenges/admin/field_errors.html's
    "<field id>-errors" and Django's own "<field id>_helptext"."""

    hint_id = "{id}_helptext"
    error_id = "{id}-errors"
    errors_first = True


class ScoreSheetForm(AdminDescribedMixin, forms.Form):
    """A score (radio buttons, 0-5) and a comment per criterion, and an overall note. Saving a draft
    checks nothing but the values; submitting needs every score."""

    overall_note = forms.CharField(
        label=_("Overall note"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Your view of the application as a whole, for the panel (4,000 characters at most)."),
    )

    def __init__(self, *args, criteria=(), submitting=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        self.submitting = submitting
        for index, criterion in enumerate(self.criteria):
            self.fields[f"score_{index}"] = forms.TypedChoiceField(
                label=criterion.name,
                choices=[(value, label) for value, label in scoring.SCORES.items()],
                coerce=int,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": _("Choose a score from 0 to 5.")},
            )
            self.fields[f"comment_{index}"] = forms.CharField(
                label=_("Comment on “%(criterion)s”") % {"criterion": criterion.name},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        self.order_fields([*(name for name in self.fields if name != "overall_note"), "overall_note"])

    def clean(self):
        cleaned = super().clean()
        if self.submitting:
            for index, criterion in enumerate(self.criteria):
                name = f"score_{index}"
                if cleaned.get(name) in (None, "") and name not in self.errors:
                    self.add_error(
                        name,
                        _("Score “%(criterion)s” from 0 to 5 before you submit.") % {"criterion": criterion.name},
                    )
        return cleaned

    def scores(self) -> dict:
        result = {}
        for index, criterion in enumerate(self.criteria):
            score = self.cleaned_data.get(f"score_{index}")
            result[criterion.key] = {
                "score": None if score in (None, "") else int(score),
                "comment": self.cleaned_data.get(f"comment_{index}", ""),
            }
        return result

    def criterion_fields(self):
        return [
            (criterion, self[f"score_{index}"], self[f"comment_{index}"])
            for index, criterion in enumerate(self.criteria)
        ]

    @staticmethod
    def initial_from(sheet: ScoreSheet | None, criteria) -> dict:
        if sheet is None:
            return {}
        initial = {"overall_note": sheet.overall_note}
        for index, criterion in enumerate(criteria):
            entry = sheet.scores.get(criterion.key) or {}
            initial[f"score_{index}"] = entry.get("score")
            initial[f"comment_{index}"] = entry.get("comment", "")
        return initial


def sheet_display(sheet: ScoreSheet, criteria) -> dict:
    """A sheet as read by others: each criterion's score and comment, the total, the note."""
    return {
        "sheet": sheet,
        "reviewer": member_name(sheet.reviewer),
        "entries": [
            {
                "criterion": criterion,
                "score": (sheet.scores.get(criterion.key) or {}).get("score"),
                "comment": (sheet.scores.get(criterion.key) or {}).get("comment", ""),
            }
            for criterion in criteria
        ],
    }


class ScoreSheetView(WagtailAdminTemplateMixin, TemplateView):
    """A panel member's sheet for one application (a draft until submitted); once theirs is
    submitted, the panel's other submitted sheets. A Publisher not on the panel reads the sheets."""

    template_name = "challenges/admin/score_sheet.html"
    page_title = _("Score sheet")
    header_icon = "tick"

    def dispatch(self, request, *args, **kwargs):
        application = self.application
        self.member = panel_member(request.user, self.challenge)
        if self.member is not None and can_see(request.user, application):
            if needs_declaration(request.user, application):
                return redirect(declaration_url(application.challenge))
            self.mode = "score"
        elif self.member is None and decisions.is_publisher(request.user):
            self.mode = "read"
        else:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def application(self) -> Application:
        return get_object_or_404(Application.objects.select_related("challenge"), pk=self.kwargs["pk"])

    @cached_property
    def challenge(self):
        return decisions.panel_challenge(self.application.challenge)

    @cached_property
    def criteria(self):
        return scoring.criteria_of(self.challenge)

    def get_page_subtitle(self):
        return f"{self.application.reference}: {self.application.organisation_name}"

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse("review_home"), "label": gettext("Review")},
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    def own_sheet(self) -> ScoreSheet | None:
        if self.mode != "score":
            return None
        return ScoreSheet.objects.filter(application=self.application, reviewer=self.request.user).first()

    def panel_sheets(self, exclude_user=None) -> list:
        """The submitted sheets of current panel members without a conflict with the application."""
        members = PanelMember.objects.filter(challenge__translation_key=self.challenge.translation_key).values(
            "user_id"
        )
        conflicted = Conflict.objects.filter(application=self.application).values("user_id")
        sheets = (
            ScoreSheet.objects.filter(application=self.application, submitted_at__isnull=False, reviewer__in=members)
            .exclude(reviewer__in=conflicted)
            .select_related("reviewer")
            .order_by("submitted_at")
        )
        if exclude_user is not None:
            sheets = sheets.exclude(reviewer=exclude_user)
        return [sheet_display(sheet, self.criteria) for sheet in sheets]

    def scoreable_problem(self) -> str:
        if self.application.is_withdrawn:
            return gettext("Its applicant withdrew this application: it is not scored.")
        if self.application.is_spam:
            return gettext("This application is held for a check: it is scored once a reviewer clears the hold.")
        return ""

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        sheet = self.own_sheet()
        submitted = sheet is not None and sheet.is_submitted
        if form is None and self.mode == "score" and not submitted:
            form = ScoreSheetForm(initial=ScoreSheetForm.initial_from(sheet, self.criteria), criteria=self.criteria)
        if self.mode == "read":
            others = self.panel_sheets()
        elif submitted:
            others = self.panel_sheets(exclude_user=self.request.user)
        else:
            others = None  # hidden until the reviewer submits their own
        following = (
            next_to_score(self.request.user, self.challenge, after=self.application) if self.mode == "score" else None
        )
        return {
            **context,
            "application": self.application,
            "challenge": self.challenge,
            "criteria": self.criteria,
            "mode": self.mode,
            "form": form,
            "sheet": sheet,
            "own": sheet_display(sheet, self.criteria) if submitted else None,
            "others": others,
            "problem": self.scoreable_problem(),
            "chairs": decisions.chairs(self.request.user, self.challenge),
            "next_application": following,
            "scale": scoring.SCORES,
            "application_url": reverse("applications:inspect", args=[self.application.pk]),
            "table_url": reverse("review_panel", args=[self.challenge.pk]),
        }

    def post(self, request, *args, **kwargs):
        if self.mode != "score":
            raise Http404
        if self.scoreable_problem():  # withdrawn or held meanwhile: say so, store nothing
            return self.render_to_response(self.get_context_data(), status=400)
        submitting = request.POST.get("action") == "submit"
        with transaction.atomic():
            sheet = (
                ScoreSheet.objects.select_for_update()
                .filter(application=self.application, reviewer=request.user)
                .first()
            )
            if sheet is not None and sheet.is_submitted:
                messages.error(request, gettext("Your sheet is submitted already: ask the chair to return it to you."))
                return redirect(request.path)
            form = ScoreSheetForm(request.POST, criteria=self.criteria, submitting=submitting)
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(form=form), status=400)
            if sheet is None:
                sheet = ScoreSheet(application=self.application, reviewer=request.user)
            sheet.scores = form.scores()
            sheet.overall_note = form.cleaned_data["overall_note"]
            if submitting:
                sheet.total = scoring.weighted_total(self.criteria, sheet.scores)
                sheet.submitted_at = timezone.now()
            sheet.save()
            if submitting:
                log(
                    instance=self.application, action=SUBMIT_ACTION, user=request.user, data={"total": str(sheet.total)}
                )
        if submitting:
            messages.success(
                request,
                gettext("Your scores are submitted: total %(total)s out of 100. The panel's other sheets are below.")
                % {"total": sheet.total},
            )
        else:
            messages.success(request, gettext("Draft saved. Only you see it until you submit it."))
        return redirect(request.path)


def return_sheet(request, pk: int, reviewer_id: int):
    """The chair returns a submitted sheet to its reviewer as a draft (a mistake to correct)."""
    if request.method != "POST":
        raise Http404
    application = get_object_or_404(Application.objects.select_related("challenge"), pk=pk)
    challenge = decisions.panel_challenge(application.challenge)
    if not decisions.chairs(request.user, challenge) or not (
        decisions.is_publisher(request.user) or can_see(request.user, application)
    ):
        raise Http404
    sheet = get_object_or_404(ScoreSheet, application=application, reviewer_id=reviewer_id, submitted_at__isnull=False)
    with transaction.atomic():
        sheet.submitted_at = None
        sheet.total = None
        sheet.save(update_fields=["submitted_at", "total", "updated_at"])
        log(
            instance=application,
            action=RETURN_ACTION,
            user=request.user,
            data={"reviewer": member_name(sheet.reviewer)},
        )
    messages.success(
        request,
        gettext("The sheet of %(name)s is a draft again: they can correct and submit it.")
        % {"name": member_name(sheet.reviewer)},
    )
    return redirect(reverse("application_score", args=[application.pk]))


# --- the chair's table ------------------------------------------------------------------------------


class ChairView(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "tick"

    def dispatch(self, request, *args, **kwargs):
        self.challenge = challenge_or_404(self.kwargs["challenge_id"])
        if not decisions.chairs(request.user, self.challenge):
            raise Http404
        self.publisher = decisions.is_publisher(request.user)
        if not self.publisher and challenge_needs_declaration(request.user, self.challenge):
            return redirect(declaration_url(self.challenge))
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.challenge.title

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse("review_home"), "label": gettext("Review")},
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]


def challenge_needs_declaration(user, challenge) -> bool:
    """Whether `user` sees applications of this challenge they may not read yet (one query)."""
    return (
        visible_applications(user)
        .filter(challenge__translation_key=challenge.translation_key)
        .exclude(pk__in=readable_applications(user).values("pk"))
        .exists()
    )


STATUS_FILTER = [("", _("Any status")), *ApplicationStatus.choices]
SORT_CHOICES = [
    ("rank", _("Rank")),
    ("-mean", _("Mean, highest first")),
    ("-spread", _("Spread, widest first")),
    ("reference", _("Reference")),
    ("organisation", _("Organisation")),
    ("status", _("Status")),
]


class PanelFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_FILTER, required=False)
    disagreement = forms.BooleanField(label=_("Disagreements only"), required=False)
    incomplete = forms.BooleanField(label=_("Sheets missing only"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)


class PanelTableView(ChairView):
    """The panel's table of a challenge, filtered and sorted, paginated; `?export=csv|xlsx` gives
    every row the filters keep."""

    template_name = "challenges/admin/panel_table.html"
    page_title = _("Panel scores")

    def table(self):
        table = panel_table.build(self.request.user, self.challenge, self.publisher)
        filters = PanelFilterForm(self.request.GET or None)
        values = filters.cleaned_data if filters.is_valid() else {}
        rows = panel_table.select(
            table.rows,
            status=values.get("status", ""),
            disagreement=values.get("disagreement", False),
            incomplete_of=len(table.members) if values.get("incomplete") else None,
        )
        rows = panel_table.order(rows, values.get("sort") or "rank")
        return table, rows, filters

    def get(self, request, *args, **kwargs):
        export = request.GET.get("export")
        if export in ("csv", "xlsx"):
            table, rows, _filters = self.table()
            return export_scores(request, self.challenge, table, rows, export)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        table, rows, filters = self.table()
        page = Paginator(rows, TABLE_PAGE_SIZE).get_page(self.request.GET.get("p"))
        query = {key: value for key, value in self.request.GET.items() if key not in ("p", "export")}
        members = [
            {"member": member, "name": member_name(member.user), "is_viewer": member.user_id == self.request.user.pk}
            for member in table.members
        ]
        for row in page.object_list:
            row.cells = [self.cell(row, member.user_id) for member in table.members]
        release = decisions.release_of(self.challenge)
        counts = dict.fromkeys(ApplicationStatus.values, 0)
        for row in table.rows:
            counts[row.application.status] += 1
        return {
            **super().get_context_data(**kwargs),
            "challenge": self.challenge,
            "table": table,
            "members": members,
            "page": page,
            "rows": page.object_list,
            "filters": filters,
            "query": urlencode(query),
            "export_csv": "?" + urlencode({**query, "export": "csv"}),
            "export_xlsx": "?" + urlencode({**query, "export": "xlsx"}),
            "release": release,
            "counts": counts,
            "undecided": sum(counts[status] for status in decisions.OPEN_STATUSES),
            "scale": scoring.SCORES,
            "viewer_scores": any(member["is_viewer"] for member in members),
        }

    @staticmethod
    def cell(row, user_id):
        if user_id in row.conflicted:
            return {"kind": "conflict"}
        total = row.totals.get(user_id)
        if isinstance(total, Decimal):
            return {"kind": "hidden"} if row.hidden else {"kind": "total", "value": total}
        return {"kind": "draft" if total == "draft" else "none"}


def export_scores(request, challenge, table, rows, export_format):
    """The table's rows as CSV (UTF-8 with a byte-order mark) or XLSX: the application, its status and
    the decision's reason, the mean, spread, rank, each member's total and each criterion's mean.
    Hidden rows (the viewer has not submitted their own sheet) have no scores. One audit entry per
    application exported."""
    from challenges.admin_views import log_export

    log_export(request, Application.objects.filter(pk__in=[row.application.pk for row in rows]), SCORES_EXPORT_ACTION)
    headings = [
        gettext("Rank"),
        gettext("Reference"),
        gettext("Organisation"),
        gettext("Status"),
        gettext("Reason for the decision"),
        gettext("Mean (out of 100)"),
        gettext("Spread (points)"),
        gettext("Disagreement"),
        gettext("Sheets submitted"),
        *(gettext("Total by %(name)s") % {"name": member_name(member.user)} for member in table.members),
        *(gettext("Mean score: %(criterion)s (0-5)") % {"criterion": criterion.name} for criterion in table.criteria),
        gettext("Agreed to be named if selected"),
        in_toronto_time(gettext("Decided")),
    ]

    # Words translated once per export, not once per cell.
    statuses = {value: str(label) for value, label in ApplicationStatus.choices}
    words = {True: yes_no(True), False: yes_no(False), "conflict": gettext("Conflict"), "draft": gettext("Draft")}

    def values(row):
        application = row.application
        shown = not row.hidden
        member_totals = []
        for member in table.members:
            total = row.totals.get(member.user_id)
            if member.user_id in row.conflicted:
                member_totals.append(words["conflict"])
            elif shown and isinstance(total, Decimal):
                member_totals.append(total)
            elif total == "draft":
                member_totals.append(words["draft"])
            else:
                member_totals.append(None)
        return [
            row.rank if shown else None,
            application.reference,
            spreadsheet_cell(application.organisation_name),
            statuses.get(application.status, application.status),
            spreadsheet_cell(application.decision_reason),
            row.mean if shown else None,
            row.spread if shown else None,
            words[row.disagreement] if shown and row.spread is not None else None,
            row.submitted if shown else None,
            *member_totals,
            *((row.criterion_means.get(criterion.key) if shown else None) for criterion in table.criteria),
            words[application.publish_consent],
            toronto_wall_clock(application.decided_at) if application.decided_at else None,
        ]

    name = f"scores-{challenge.slug}-{timezone.localdate():%Y-%m-%d}"
    if export_format == "csv":

        def csv_rows():
            yield [str(heading) for heading in headings]
            for row in rows:
                yield [f"{v:%Y-%m-%d %H:%M}" if hasattr(v, "strftime") else v for v in values(row)]

        return csv_download(csv_rows(), f"{name}.csv")
    import tempfile

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=gettext("Scores")[:31])
    sheet.append([spreadsheet_cell(str(h)) for h in headings])
    for row in rows:
        cells = []
        for value in values(row):
            cell = WriteOnlyCell(sheet, value=float(value) if isinstance(value, Decimal) else value)
            if hasattr(value, "strftime"):
                cell.number_format = "yyyy-mm-dd hh:mm"
            cells.append(cell)
        sheet.append(cells)
    output = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    workbook.save(output)
    output.seek(0)
    from django.http import FileResponse

    return FileResponse(
        output,
        as_attachment=True,
        filename=f"{name}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


# --- decisions --------------------------------------------------------------------------------------


class DecisionForm(AdminDescribedMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=decisions.DECISION_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a decision.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Why the panel decided so, in a sentence or two: it is kept on the record (not sent to the applicant)."
        ),
    )


class DecideView(ChairView):
    template_name = "challenges/admin/decide.html"
    page_title = _("Record a decision")

    @cached_property
    def application(self):
        applications = panel_table.applications_for(self.request.user, self.challenge, self.publisher)
        return get_object_or_404(applications.select_related("challenge", "decided_by"), pk=self.kwargs["pk"])

    def get_page_subtitle(self):
        return f"{self.application.reference}: {self.application.organisation_name}"

    def get_context_data(self, form=None, **kwargs):
        table = panel_table.build(self.request.user, self.challenge, self.publisher, only=self.application.pk)
        row = next(iter(table.rows), None)
        if form is None:
            initial = {"reason": self.application.decision_reason}
            if self.application.status in dict(decisions.DECISION_CHOICES):
                initial["status"] = self.application.status
            form = DecisionForm(initial=initial)
        return {
            **super().get_context_data(**kwargs),
            "challenge": self.challenge,
            "application": self.application,
            "row": row,
            "cells": [
                {"name": member_name(member.user), **PanelTableView.cell(row, member.user_id)}
                for member in (table.members if row is not None else [])
            ],
            "form": form,
            "release": decisions.release_of(self.challenge),
            "table_url": reverse("review_panel", args=[self.challenge.pk]),
            "sheets_url": reverse("application_score", args=[self.application.pk]),
        }

    def post(self, request, *args, **kwargs):
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                decisions.record_decision(
                    self.application,
                    form.cleaned_data["status"],
                    form.cleaned_data["reason"],
                    request.user,
                    released=decisions.release_of(self.challenge) is not None,
                )
            except decisions.DecisionRefused as refused:
                field = "reason" if "reason" in str(refused) else None
                form.add_error(field, str(refused))
            else:
                messages.success(
                    request,
                    gettext("Decision recorded: %(reference)s is %(status)s.")
                    % {"reference": self.application.reference, "status": self.application.get_status_display()},
                )
                return redirect(reverse("review_panel", args=[self.challenge.pk]))
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ReleaseView(ChairView):
    template_name = "challenges/admin/release.html"
    page_title = _("Release the decisions")

    def get_context_data(self, error="", **kwargs):
        applications = decisions.challenge_applications(self.challenge).filter(is_spam=False)
        counts = dict(applications.values_list("status").annotate(n=Count("pk")).order_by())
        return {
            **super().get_context_data(**kwargs),
            "challenge": self.challenge,
            "release": decisions.release_of(self.challenge),
            "selected": counts.get(ApplicationStatus.SELECTED, 0),
            "declined": counts.get(ApplicationStatus.DECLINED, 0),
            "undecided": sum(counts.get(status, 0) for status in decisions.OPEN_STATUSES),
            "error": error,
            "table_url": reverse("review_panel", args=[self.challenge.pk]),
        }

    def post(self, request, *args, **kwargs):
        if not request.POST.get("confirm"):
            error = gettext("Tick the box to confirm: the release emails every applicant and cannot be undone.")
            return self.render_to_response(self.get_context_data(error=error), status=400)
        try:
            count = decisions.release(self.challenge, request.user)
        except decisions.DecisionRefused as refused:
            return self.render_to_response(self.get_context_data(error=str(refused)), status=400)
        messages.success(
            request,
            ngettext(
                "Decisions released: %(count)s applicant is being emailed their decision.",
                "Decisions released: %(count)s applicants are being emailed their decision.",
                count,
            )
            % {"count": count},
        )
        return redirect(reverse("review_panel", args=[self.challenge.pk]))


def fill_teams(request, challenge_id: int):
    """The chair copies the selected teams that agreed to be named into a draft of the challenge page."""
    challenge = challenge_or_404(challenge_id)
    if request.method != "POST" or not decisions.chairs(request.user, challenge):
        raise Http404
    try:
        teams, unnamed = decisions.fill_selected_teams(challenge, request.user)
    except decisions.DecisionRefused as refused:
        messages.error(request, str(refused))
    else:
        text = ngettext(
            "A draft of the challenge page now names %(count)s selected team.",
            "A draft of the challenge page now names %(count)s selected teams.",
            len(teams),
        ) % {"count": len(teams)}
        if unnamed:
            text += " " + ngettext(
                "%(count)s selected team did not agree to be named and is left out.",
                "%(count)s selected teams did not agree to be named and are left out.",
                unnamed,
            ) % {"count": unnamed}
        text += " " + gettext("A Publisher reviews and publishes it.")
        messages.success(request, text)
    return redirect(reverse("review_panel", args=[challenge.pk]))
