"""The email alerts forms: what to follow (the lists and how to narrow them), in which language; with
an address and the consent CASL asks for when subscribing."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from challenges.forms import DescribedMixin, HoneypotMixin
from home.alerts.lists import LISTS, clean_filters, followable_challenges
from home.alerts.models import Subscriber
from news.choices import ReleaseType
from site_core.models import Division, Topic

CONSENT_TEXT = _(
    "I agree to receive the email alerts I chose above from the City of Toronto's Civic Innovation "
    "Office. I can unsubscribe at any time, from a link in every email."
)

# The narrowing checkboxes of each list: form field name -> (list key, facet).
FACET_FIELDS = {
    "challenge_topics": ("challenges", "topics"),
    "challenge_divisions": ("challenges", "divisions"),
    "news_types": ("news", "types"),
    "news_topics": ("news", "topics"),
}


class PreferencesForm(DescribedMixin, forms.Form):
    """The lists followed, how each is narrowed, and the language of the emails."""

    lists = forms.MultipleChoiceField(label=_("Email me about"), required=False, widget=forms.CheckboxSelectMultiple)
    challenge_topics = forms.MultipleChoiceField(
        label=_("New challenges: only these topics"),
        help_text=_("Leave all unticked for every new challenge."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    challenge_divisions = forms.MultipleChoiceField(
        label=_("New challenges: only from these City divisions"),
        help_text=_("Leave all unticked for every division."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    news_types = forms.MultipleChoiceField(
        label=_("News releases: only these kinds"),
        help_text=_("Leave all unticked for every kind."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=ReleaseType.choices,
    )
    news_topics = forms.MultipleChoiceField(
        label=_("News releases: only these topics"),
        help_text=_("Leave all unticked for every topic."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    follow = forms.MultipleChoiceField(
        label=_("Updates on a challenge"),
        help_text=_(
            "Its announcements and amendments, newly answered questions, a changed deadline, and reminders 7 days "
            "and 1 day before the deadline."
        ),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=Subscriber.Frequency.choices,
        initial=Subscriber.Frequency.IMMEDIATE,
        required=False,  # none chosen: as soon as it is published
        help_text=_(
            "The weekly summary comes on Monday morning. Updates on a challenge you follow always come at once."
        ),
        widget=forms.RadioSelect,
    )
    language = forms.ChoiceField(label=_("Language of the emails"), widget=forms.RadioSelect)

    def __init__(self, *args, locale_id: int, followed: tuple[str, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lists"].choices = [(key, alert_list.label) for key, alert_list in LISTS.items()]
        self.fields["follow"].choices = followable_challenges(locale_id, timezone.now(), also=tuple(followed))
        topics = [(topic.slug, topic.name) for topic in Topic.for_locale(locale_id)]
        divisions = [
            (division.slug, division.name) for division in Division.objects.filter(locale_id=locale_id).order_by("name")
        ]
        self.fields["challenge_topics"].choices = topics
        self.fields["news_topics"].choices = topics
        self.fields["challenge_divisions"].choices = divisions
        self.fields["language"].choices = [(code, name) for code, name in settings.LANGUAGES]

    def clean(self):
        data = super().clean()
        if not data.get("lists") and not data.get("follow") and "lists" not in self.errors:
            self.add_error("lists", _("Choose at least one kind of news to follow, or a challenge."))
        return data

    def choices(self) -> dict:
        """What to store: {"language", "frequency", "lists": {list key: filters}, "follow": [challenge
        translation keys]} (home/alerts/lists.py)."""
        data = self.cleaned_data
        raw: dict[str, dict[str, list[str]]] = {key: {} for key in data["lists"]}
        for name, (list_key, facet) in FACET_FIELDS.items():
            if list_key in raw:
                raw[list_key][facet] = data.get(name) or []
        return {
            "language": data["language"],
            "frequency": data.get("frequency") or Subscriber.Frequency.IMMEDIATE,
            "lists": {key: clean_filters(LISTS[key], filters) for key, filters in raw.items()},
            "follow": sorted(set(data.get("follow") or [])),
        }

    @classmethod
    def initial_from(cls, subscriptions, subscriber: Subscriber) -> dict:
        """The form's initial values from a subscriber's subscriptions."""
        initial: dict = {"lists": [], "follow": [], "language": subscriber.language, "frequency": subscriber.frequency}
        for subscription in subscriptions:
            if subscription.target:
                initial["follow"].append(subscription.target)
                continue
            initial["lists"].append(subscription.list_key)
            for name, (list_key, facet) in FACET_FIELDS.items():
                if list_key == subscription.list_key:
                    initial[name] = (subscription.filters or {}).get(facet, [])
        return initial


class SubscribeForm(HoneypotMixin, PreferencesForm):
    """Preferences, plus the address, the consent and the honeypot people never see."""

    field_order = ["email"]

    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("We email this address a link to confirm: nothing is sent until you use it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={"required": _("Tick the box to agree: we cannot email you without your consent.")},
    )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()
