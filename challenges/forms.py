"""The public application form: the core questions, the challenge's own questions, a PDF upload,
consent to the notice of collection, and the hidden parts of the spam defence."""

import time
import uuid

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

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


class DescribedMixin:
    """Links every field to its hint and its error message (aria-describedby) and flags invalid
    fields (aria-invalid), so screen readers hear both when they reach the field."""

    def describe_fields(self):
        for name, field in self.fields.items():
            bound = self[name]
            described_by = []
            if field.help_text:
                described_by.append(f"{bound.auto_id}-hint")
            if self.is_bound and bound.errors:
                described_by.append(f"{bound.auto_id}-error")
                field.widget.attrs["aria-invalid"] = "true"
            if described_by:
                field.widget.attrs["aria-describedby"] = " ".join(described_by)


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


class ApplicationForm(DescribedMixin, forms.Form):
    organisation_name = SingleLineCharField(
        label=_("Organisation name"),
        max_length=200,
        help_text=_("The legal name of your company, non-profit or institution."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    contact_name = SingleLineCharField(
        label=_("Contact person"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        help_text=_("We send the confirmation and any questions here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = SingleLineCharField(
        label=_("Phone"),
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
        min_value=1,
        max_value=10000,
        help_text=_("How many people would work on the challenge."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    proposal_summary = LongAnswerField(
        label=_("Proposal summary"),
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
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[self.question_field_name(question)] = self.field_for(question)
        self.fields["consent"] = forms.BooleanField(
            label=_(
                "I have read the notice of collection above and agree that the City may use this "
                "information to assess my application."
            ),
        )
        # Spam defence: a field people never see (bots fill it) and the signed form token.
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            required=False,
            label=_("Leave this field empty"),
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )
        self.fields["form_token"] = forms.CharField(widget=forms.HiddenInput)
        self.token = None
        self.describe_fields()

    @staticmethod
    def question_field_name(question) -> str:
        return f"q_{question.uid.hex}"

    @staticmethod
    def field_for(question) -> forms.Field:
        common = {"label": question.label, "required": question.required, "help_text": question.help_text}
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

    def full_clean(self):
        super().full_clean()
        self.describe_fields()

    def clean_attachment(self):
        upload = self.cleaned_data["attachment"]
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

    def clean_form_token(self):
        try:
            self.token = FormToken(self.cleaned_data["form_token"])
        except (signing.BadSignature, KeyError, ValueError, TypeError) as error:
            raise ValidationError(
                _("This form has expired or was changed. Check your answers, choose your PDF again and send it.")
            ) from error
        return self.cleaned_data["form_token"]

    def spam_reason(self) -> str:
        """Why this submission looks automated ('' when it does not)."""
        if self.cleaned_data.get(HONEYPOT_FIELD):
            return "hidden field filled in"
        if self.token and self.token.seconds_taken < settings.APPLICATION_MIN_FILL_SECONDS:
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
