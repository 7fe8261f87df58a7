"""Demo registrations (issue 22, item 3) for the 311 challenge's information session, which takes
registrations (devtools/demo/challenges.py: 40 seats, online): people who registered on the English
page and on the French one, one with accessibility needs.

They go through the real flow (home/events/seats.py `register`), so their seats are counted as the
form counts them. The emails it queues are deleted at once (none is ever sent to these made-up
addresses). Each is found again by its address, so running the demo twice registers nobody twice.
Addresses are at example.ca and example.org."""

from django.utils import translation

from challenges.models import ChallengeKeyDate, KeyDateKind
from home.events import emails
from home.events.catalogue import find_event
from home.events.models import Registration
from home.events.seats import register
from site_core.models import OutgoingEmail

CHALLENGE_SLUG = "track-your-311-service-request"

REGISTRANTS = [
    {
        "name": "Priya Raman",
        "email": "priya.raman@example.ca",
        "organisation": "Queue Labs",
        "accessibility_needs": "",
        "language": "en",
    },
    {
        "name": "Marcus Chen",
        "email": "marcus.chen@example.org",
        "organisation": "",
        "accessibility_needs": "Live captions, please: I am hard of hearing.",
        "language": "en",
    },
    {
        "name": "Élise Tremblay",
        "email": "elise.tremblay@example.ca",
        "organisation": "Civique Numérique",
        "accessibility_needs": "",
        "language": "fr",
    },
]


def demo_emails() -> list[str]:
    return [spec["email"] for spec in REGISTRANTS]


def load() -> list[Registration]:
    """Register the demo's people for the 311 information session (call after every page is
    published and translated). Returns the registrations."""
    session = ChallengeKeyDate.objects.filter(
        page__slug=CHALLENGE_SLUG, kind=KeyDateKind.INFO_SESSION, registration_required=True
    ).first()
    if session is None:
        return []
    for spec in REGISTRANTS:
        with translation.override(spec["language"]):
            event = find_event(session.translation_key, spec["language"])
            if event is None or event.has_started():
                return []
            data = {key: spec[key] for key in ("name", "email", "organisation", "accessibility_needs")}
            register(event, event.page, data, spec["language"])
    # Never sent: the emails the registrations queued (after the demo's transaction commits they
    # find nothing to send).
    OutgoingEmail.objects.filter(kind__in=emails.KINDS, to__in=demo_emails()).delete()
    return list(Registration.objects.filter(translation_key=session.translation_key, email__in=demo_emails()))
