"""The two forms visitors write to the office with: contact (a topic) and accessibility feedback (what
it is about, and the format the reply should take). Both ask consent to the notice of collection and
carry the honeypot people never see; a line break in a one-line answer, an answer past its length or a
malformed address is a clear error, never stored."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from challenges.forms import DescribedMixin, HoneypotMixin, LongAnswerField
from home.events.forms import OneLineField
from home.messages.models import ABOUT_LENGTH, MESSAGE_LENGTH, NAME_LENGTH, VisitorMessage

CONSENT_TEXT = _(
    "I have read the notice of collection above and agree that the City may use this information to answer my message."
)


class MessageForm(HoneypotMixin, DescribedMixin, forms.Form):
    """What both forms ask; each adds its own questions between the address and the message."""

    name = OneLineField(
        label=_("Your name"),
        max_length=NAME_LENGTH,
        error_messages={"required": _("Enter your name.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        error_messages={
            "required": _("Enter your email address."),
            "invalid": _("Enter an email address like name@example.ca."),
        },
        help_text=_("We email you a receipt with your reference number, and our answer."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    message = LongAnswerField(
        label=_("Your message"),
        max_length=MESSAGE_LENGTH,
        error_messages={"required": _("Write your message.")},
        help_text=_("5,000 characters at most."),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={"required": _("Tick the box to agree: we cannot answer you without your consent.")},
    )

    field_order = ["name", "email"]

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def message_fields(self) -> dict:
        """The cleaned answers as `VisitorMessage` fields."""
        data = self.cleaned_data
        return {field: data.get(field, "") or "" for field in self.stored_fields}


class ContactForm(MessageForm):
    kind = VisitorMessage.Kind.CONTACT
    stored_fields = ("name", "email", "topic", "message")

    topic = forms.ChoiceField(
        label=_("What is your message about?"),
        choices=VisitorMessage.Topic.choices,
        error_messages={"required": _("Choose what your message is about.")},
        help_text=_("It goes straight to the person at the office who deals with it."),
        widget=forms.RadioSelect,
    )
    field_order = ["name", "email", "topic", "message", "consent"]


class AccessibilityFeedbackForm(MessageForm):
    kind = VisitorMessage.Kind.ACCESSIBILITY
    stored_fields = ("name", "email", "about", "page_url", "message", "reply_format", "phone")

    about = OneLineField(
        label=_("What is your feedback about?"),
        max_length=ABOUT_LENGTH,
        error_messages={"required": _("Say what your feedback is about, e.g. a page, a document or a form.")},
        help_text=_("For example a page, a document, a form or an event."),
    )
    page_url = forms.URLField(
        label=_("Address of the page"),
        required=False,
        max_length=ABOUT_LENGTH,
        assume_scheme="https",
        error_messages={"invalid": _("Enter a web address like https://example.ca/en/page/.")},
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )
    reply_format = forms.ChoiceField(
        label=_("How should we reply?"),
        choices=VisitorMessage.ReplyFormat.choices,
        initial=VisitorMessage.ReplyFormat.EMAIL,
        error_messages={"required": _("Choose how we should reply.")},
        widget=forms.RadioSelect,
    )
    phone = OneLineField(
        label=_("Phone number"),
        max_length=40,
        required=False,
        help_text=_("Only if you would like a phone call. Include the area code, e.g. 416-555-0100."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    field_order = ["name", "email", "about", "page_url", "message", "reply_format", "phone", "consent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False  # feedback may be anonymous but for the address we reply to

    def clean(self):
        data = super().clean()
        if data.get("reply_format") == VisitorMessage.ReplyFormat.PHONE and not data.get("phone"):
            self.add_error("phone", ValidationError(_("Enter the phone number we should call."), code="required"))
        return data
