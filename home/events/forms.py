"""The registration form: who is coming, how to reach them, what they need to take part, and their
consent to the notice of collection; with the honeypot people never see."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from challenges.forms import DescribedMixin, HoneypotMixin, LongAnswerField
from home.events.models import ACCESSIBILITY_LENGTH, NAME_LENGTH

# Line breaks (however written) and other control characters: one-line answers never hold them.
CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")

CONSENT_TEXT = _(
    "I have read the notice of collection above and agree that the City may use this information to "
    "register me for this event."
)


class OneLineField(forms.CharField):
    """A one-line answer that refuses line breaks and control characters with a clear error, rather
    than storing what a browser's text box never sends (a forged header, say)."""

    default_error_messages = {"lines": _("Write this on one line, without line breaks or special characters.")}

    def validate(self, value):
        super().validate(value)
        if value and CONTROLS.search(value):
            raise ValidationError(self.error_messages["lines"], code="lines")


class RegistrationForm(HoneypotMixin, DescribedMixin, forms.Form):
    name = OneLineField(
        label=_("Your name"), max_length=NAME_LENGTH, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("We email your registration here, with the details you need to attend."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    organisation = OneLineField(
        label=_("Organisation"),
        max_length=NAME_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    accessibility_needs = LongAnswerField(
        label=_("Accessibility needs"),
        max_length=ACCESSIBILITY_LENGTH,
        required=False,
        help_text=_(
            "Anything we should arrange so you can take part, e.g. sign language interpretation, captions or "
            "step-free access. At most 1,000 characters."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={"required": _("Tick the box to agree: we cannot register you without your consent.")},
    )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()
