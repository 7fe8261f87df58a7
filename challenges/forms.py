"""The public application form: the core questions, the challenge's own questions, a PDF upload,
consent to the notice of collection, and the hidden parts of the spam defence."""

import time
import uuid

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from challenges.models import QuestionType
from challenges.models.applications import CORE_ANSWER_FIELDS
from challenges.rules import clean_answer_text, clean_upload_name, looks_like_pdf

TOKEN_SALT = "challenges.application-form"  # noqa: S105 - a signing salt, not a secret
HONEYPOT_FIELD = "fax_number"


def issue_form_token() -> str:
    """A signed, single-use token: a fresh id (stored with the application, unique) and the time the
    form was served (to spot forms filled faster than a person can)."""
    return signing.dumps({"id": uuid.uuid4().hex, "t": int(time.time())}, salt=TOKEN_SALT, compress=True)


class FormToken:
    def __init__(self, raw: str):
        data = signing.loads(raw, salt=TOKEN_SALT)  # raises signing.BadSignature
        self.id = uuid.UUID(hex=data["id"])
        self.issued_at = int(data["t"])
        if self.seconds_taken > settings.APPLICATION_FORM_MAX_AGE_HOURS * 3600:
            raise signing.SignatureExpired("form served too long ago")

    @property
    def seconds_taken(self) -> float:
        return time.time() - self.issued_at


class DescribedBoundField(BoundField):
    """A field of a DescribedMixin form, rendered pointing at its hint and its errors."""

    def build_widget_attrs(self, attrs, widget=None):
        chosen = attrs.get("aria-describedby")  # given by the template: it wins, as in Django
        attrs = super().build_widget_attrs(attrs, widget)
        errors = self.form.is_bound and self.errors
        if errors:
            attrs["aria-invalid"] = "true"
        described_by = self.form.described_by(self.auto_id, bool(self.field.help_text), bool(errors))
        if described_by and not chosen:
            attrs["aria-describedby"] = described_by
        return attrs


class DescribedMixin:
    """Links every field to its hint and its error message (aria-describedby) and flags invalid
    fields (aria-invalid), so screen readers hear both when they reach the field. Worked out as each
    field is rendered (DescribedBoundField, also for every radio button or checkbox of a group), so
    building a form never cleans it, fields added at any time are described, and so is an error added
    after cleaning."""

    bound_field_class = DescribedBoundField
    # The ids the form's templates give a field's hint and its errors, and which a screen reader
    # hears first: templates/components/field.html's by default.
    hint_id = "{id}-hint"
    error_id = "{id}-error"
    errors_first = False

    def described_by(self, field_id: str, hint: bool, errors: bool) -> str:
        """The aria-describedby of the field with this id ("" for none)."""
        ids = [(self.hint_id if hint else ""), (self.error_id if errors else "")]
        if self.errors_first:
            ids.reverse()
        return " ".join(each.format(id=field_id) for each in ids if each)

    def describe_fields(self) -> None:
        """Nothing to do any more: each field is described when it is rendered. Kept for forms that
        still call it."""


class HoneypotMixin:
    """A public form's trap: a field people never see (hidden from view and from screen readers:
    components/honeypot.html), which bots fill. A form with it filled is held for a check, never
    refused or dropped (challenges/abuse.py and the alerts, events and messages views)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            required=False,
            label=_("Leave this field empty"),
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )

    @property
    def honeypot_filled(self) -> bool:
        return bool(self.cleaned_data.get(HONEYPOT_FIELD))


class SingleLineCharField(forms.CharField):
    """A one-line answer. Browsers drop line breaks from text inputs, so one that arrives was forged
    (or pasted, as U+2028): each becomes a space, so that no answer adds lines of its own to the
    emails, exports and admin pages that show it; control characters go (challenges/rules.py)."""

    def to_python(self, value):
        value = super().to_python(value)
        return clean_answer_text(value, single_line=True) if value else value


class LongAnswerField(forms.CharField):
    """A long answer (a textarea): page breaks pasted from a PDF become line breaks, other control
    characters go (challenges/rules.py), so every export can hold it."""

    def to_python(self, value):
        value = super().to_python(value)
        return clean_answer_text(value, single_line=False) if value else value


class ApplicationForm(HoneypotMixin, DescribedMixin, forms.Form):
    organisation_name = SingleLineCharField(
        label=_("Organisation name"),
        error_messages={"required": _("Enter the name of your organisation.")},
        max_length=200,
        help_text=_("The legal name of your company, non-profit or institution."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    contact_name = SingleLineCharField(
        label=_("Contact person"),
        error_messages={"required": _("Enter the name of the person we should contact.")},
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Email"),
        error_messages={
            "required": _("Enter your email address."),
            "invalid": _("Enter an email address like name@example.ca."),
        },
        max_length=254,
        help_text=_("We send the confirmation and any questions here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = SingleLineCharField(
        label=_("Phone"),
        error_messages={"required": _("Enter a phone number, with its area code.")},
        max_length=40,
        help_text=_("Include the area code, e.g. 416-555-0100."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    website = forms.URLField(
        label=_("Website"),
        required=False,
        max_length=300,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )
    team_size = forms.IntegerField(
        label=_("Team size"),
        error_messages={
            "required": _("Enter how many people would work on the challenge."),
            "invalid": _("Enter the team size as a whole number, like 4."),
        },
        min_value=1,
        max_value=10000,
        help_text=_("How many people would work on the challenge."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    proposal_summary = LongAnswerField(
        label=_("Proposal summary"),
        error_messages={"required": _("Summarise your proposal.")},
        max_length=5000,
        help_text=_(
            "Your approach in plain language: the problem as you understand it, what you would build "
            "and test, and how you would measure success (5,000 characters at most)."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    attachment = forms.FileField(
        label=_("Proposal document (PDF)"),
        help_text=_("One PDF file, 10 MB at most."),
        error_messages={
            "required": _("Choose your proposal as a PDF file."),
            "empty": _("The file is empty. Choose your proposal as a PDF file."),
        },
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args, questions=(), kept=None, current_file_name="", changing=False, **kwargs):
        """`kept`: a file kept from an earlier round (a PendingUpload: a failed post, a draft); else the
        one the posted `kept_file` names. `current_file_name`: the file of the application being changed.
        With either, choosing a file is optional: it replaces the one attached. `changing`: the form of
        an application its applicant changes (through their private link): no consent to give again,
        no honeypot."""
        super().__init__(*args, **kwargs)
        from challenges import uploads

        self.kept = kept or (uploads.find(self.data.get("kept_file")) if self.is_bound else None)
        self.current_file_name = current_file_name
        self.fields["kept_file"] = forms.CharField(required=False, widget=forms.HiddenInput)
        if self.kept is not None:
            self.initial["kept_file"] = uploads.reference(self.kept)
        self.show_attached(self.kept.name if self.kept else current_file_name)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[self.question_field_name(question)] = self.field_for(question)
        if not changing:
            self.add_consent_and_honeypot()
        self.fields["form_token"] = forms.CharField(required=False, widget=forms.HiddenInput)
        self.token = None

    def add_consent_and_honeypot(self) -> None:
        self.fields["consent"] = forms.BooleanField(
            label=_(
                "I have read the notice of collection above and agree that the City may use this "
                "information to assess my application."
            ),
            error_messages={
                "required": _(
                    "Tick the box to agree to the notice of collection: we cannot assess an application without it."
                )
            },
        )
        self.fields["name_consent"] = forms.BooleanField(
            required=False,
            label=_("If our team is selected, the City may name our organisation on this challenge's page."),
            help_text=_("Optional: it changes nothing in how your application is assessed."),
        )

    def show_attached(self, name: str) -> None:
        """With a file attached already, the file input replaces it, and says so."""
        if not name:
            return
        field = self.fields["attachment"]
        field.required = False
        field.label = _("Replace the proposal document (PDF)")
        field.help_text = _(
            "Your file %(name)s is attached. To replace it, choose another PDF file (10 MB at most); "
            "otherwise leave this empty."
        ) % {"name": name}
        self._bound_fields_cache.pop("attachment", None)  # a BoundField copies its label and hint

    def keep_upload(self) -> None:
        """After a failed round: keep a valid new file server-side, so the form offers it next time."""
        from challenges import uploads

        upload = self.cleaned_data.get("attachment") if hasattr(self, "cleaned_data") else None
        if not upload or "attachment" in self.errors:
            return
        self.kept = uploads.keep(upload)
        self.data = self.data.copy()
        self.data["kept_file"] = uploads.reference(self.kept)
        self.show_attached(self.kept.name)

    def refresh_token(self) -> None:
        """A new form token after the old one expired, so the next send can succeed."""
        self.data = self.data.copy()
        self.data["form_token"] = issue_form_token()

    # What is not an answer: never saved in a draft, never compared between versions.
    NOT_ANSWERS = frozenset({"form_token", "kept_file", HONEYPOT_FIELD, "consent", "attachment"})

    def posted_answers(self) -> dict[str, list[str]]:
        """The answers as posted (checked or not), for a draft: field name -> its values."""
        return {
            name: [value[:5000] for value in self.data.getlist(name)][:50]
            for name in self.fields
            if name not in self.NOT_ANSWERS and name in self.data
        }

    def start_from(self, answers: dict) -> None:
        """Fill an unbound form with saved answers (a draft's, or an application's: name -> value)."""
        for name, value in answers.items():
            field = self.fields.get(name)
            if field is None or name in self.NOT_ANSWERS:
                continue
            many = isinstance(field, forms.MultipleChoiceField)
            values = value if isinstance(value, list) else [value]
            self.initial[name] = values if many else (values[0] if values else "")

    def only_email_checked(self) -> bool:
        """For "Save and finish later": the email (where the link goes) and the file, if one was
        chosen, are the only answers checked; the rest are saved as they are."""
        self.full_clean()
        kept = {name: self.errors[name] for name in ("email", "attachment") if name in self.errors}
        if not self.files.get("attachment"):
            kept.pop("attachment", None)  # no file yet: fine for a draft
        if "email" not in self.cleaned_data and "email" not in kept:
            kept["email"] = self.error_class([_("Enter your email address.")])
        self._errors = forms.utils.ErrorDict(kept)
        return not kept

    @staticmethod
    def question_field_name(question) -> str:
        return f"q_{question.uid.hex}"

    @staticmethod
    def field_for(question) -> forms.Field:
        common = {
            "label": question.label,
            "required": question.required,
            "help_text": question.help_text,
            "error_messages": {"required": _("Answer this question.")},
        }
        choices = [(choice, choice) for choice in question.choice_list]
        kind = question.field_type
        if kind == QuestionType.LONG_TEXT:
            return LongAnswerField(max_length=5000, widget=forms.Textarea(attrs={"rows": 5}), **common)
        if kind == QuestionType.CHOICE:
            return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
        if kind == QuestionType.CHECKBOXES:
            return forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, **common)
        if kind == QuestionType.NUMBER:
            return forms.DecimalField(max_digits=15, decimal_places=2, **common)
        if kind == QuestionType.DATE:
            return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
        if kind == QuestionType.URL:
            return forms.URLField(max_length=500, assume_scheme="https", **common)
        if kind == QuestionType.YES_NO:
            yes_no = [("yes", _("Yes")), ("no", _("No"))]
            return forms.ChoiceField(choices=yes_no, widget=forms.RadioSelect, **common)
        return SingleLineCharField(max_length=500, **common)

    def question_fields(self):
        return [self[self.question_field_name(question)] for question in self.questions]

    def core_fields(self):
        return [self[name] for name in (*CORE_ANSWER_FIELDS, "attachment")]

    def clean_attachment(self):
        upload = self.cleaned_data["attachment"]
        if not upload:
            return upload  # a file attached already (kept, or the application's own)
        limit = settings.APPLICATION_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise ValidationError(
                _(
                    "The file is %(size)s MB; the limit is %(limit)s MB. Reduce its size (for example, lower the "
                    "resolution of its images) and choose it again."
                )
                % {"size": f"{upload.size / 1_048_576:.1f}", "limit": limit // 1_048_576}
            )
        if upload.size == 0:
            raise ValidationError(_("The file is empty. Choose your proposal as a PDF file."))
        upload.seek(0)
        head = upload.read(1024)
        upload.seek(0)
        if not looks_like_pdf(head):
            raise ValidationError(
                _(
                    "This file is not a PDF, whatever its name says. Save or export your proposal as PDF and "
                    "choose it again."
                )
            )
        upload.clean_name = clean_upload_name(upload.name)
        return upload

    def clean(self):
        cleaned = super().clean()
        # The form's security token is not an answer: its problem is the form's, said at the top
        # (a link to a hidden field would lead nowhere).
        try:
            self.token = FormToken(self.data.get("form_token", ""))
        except signing.SignatureExpired:
            self.token = None
            hours = settings.APPLICATION_FORM_MAX_AGE_HOURS
            message = ngettext(
                "This form had expired (it was opened more than %(hours)s hour ago), so it was not sent. "
                "Your answers are below: check them and send the form again.",
                "This form had expired (it was opened more than %(hours)s hours ago), so it was not sent. "
                "Your answers are below: check them and send the form again.",
                hours,
            ) % {"hours": hours}
            self.add_error(None, ValidationError(message, code="expired"))
        except (signing.BadSignature, KeyError, ValueError, TypeError):
            self.token = None
            message = _(
                "This form's security code was missing or changed, so it was not sent. Your answers are "
                "below: check them and send the form again."
            )
            self.add_error(None, ValidationError(message, code="expired"))
        return cleaned

    def token_expired(self) -> bool:
        return any(error.code == "expired" for error in self.non_field_errors().as_data())

    def spam_reason(self, check_timing: bool = True) -> str:
        """Why this submission looks automated ('' when it does not): a reason to hold it for a check."""
        if self.honeypot_filled:
            return "hidden field filled in"
        if check_timing and self.token and self.token.seconds_taken < settings.APPLICATION_MIN_FILL_SECONDS:
            return f"sent {self.token.seconds_taken:.1f} s after the form was served"
        return ""

    def answers(self) -> list[dict]:
        """The answers to the challenge's questions, with the question as it was asked."""
        answers = []
        for question in self.questions:
            value = self.cleaned_data.get(self.question_field_name(question))
            if isinstance(value, list):
                display = ", ".join(value)
            elif value is None:
                display = ""
            else:
                display = str(value)
            stored = value if isinstance(value, list | str) or value is None else str(value)
            answers.append(
                {
                    "uid": question.uid.hex,
                    "label": question.label,
                    "type": question.field_type,
                    "value": stored,
                    "display": display,
                }
            )
        return answers
