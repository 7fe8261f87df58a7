"""Which events take registrations, and what registrants are told about one: a challenge's key date
(an information session, a demo day) or a news release's event whose `registration_required` is on
(site_core/events.py), on a live, public page. An event is named by its `translation_key`, the same
in every language; each language's page shows it in its own words."""

import datetime
import uuid
from dataclasses import dataclass

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from challenges.models import ChallengeKeyDate
from news.models import ReleaseEvent
from site_core.listings.queries import restricted_paths

EVENT_MODELS = (ChallengeKeyDate, ReleaseEvent)


@dataclass
class Event:
    row: ChallengeKeyDate | ReleaseEvent
    page: object  # the specific page the event is on (a ChallengePage or a NewsReleasePage)

    @property
    def key(self) -> uuid.UUID:
        return self.row.translation_key

    @property
    def title(self) -> str:
        """'Information session: <the challenge>', or the release event's own title (active language)."""
        if isinstance(self.row, ChallengeKeyDate):
            # French typography puts a space before the colon, so the pattern is translated.
            kind = self.row.get_kind_display()
            return _("%(kind)s: %(title)s") % {"kind": kind, "title": " ".join(self.page.title.split())}
        return " ".join(self.row.title.split())

    @property
    def capacity(self) -> int:
        return self.row.capacity or 0

    def has_started(self, now: datetime.datetime | None = None) -> bool:
        return self.row.starts_at <= (now or timezone.now())

    @property
    def calendar_uid(self) -> str:
        return str(self.row.uid)


def is_public(page) -> bool:
    return page.live and not any(page.path.startswith(path) for path in restricted_paths())


def rows_of(model, **filters):
    return model.objects.filter(registration_required=True, page__live=True, **filters).select_related(
        "page", "page__locale"
    )


def find_event(key: uuid.UUID, language: str | None = None) -> Event | None:
    """The event in `language` (the active one by default), or in another language when it has no
    version in that one; None when no live, public page shows it taking registrations."""
    language = language or translation.get_language()
    for model in EVENT_MODELS:
        rows = [row for row in rows_of(model, translation_key=key) if is_public(row.page)]
        if rows:
            rows.sort(key=lambda row: row.page.locale.language_code != language)
            return Event(rows[0], rows[0].page)
    return None


def registrable_events(language: str) -> list[Event]:
    """Every event taking registrations, once each (in `language` when it has that version), soonest first."""
    found: dict[uuid.UUID, Event] = {}
    for model in EVENT_MODELS:
        for row in rows_of(model):
            if not is_public(row.page):
                continue
            known = found.get(row.translation_key)
            if known is None or (
                known.page.locale.language_code != language and row.page.locale.language_code == language
            ):
                found[row.translation_key] = Event(row, row.page)
    return sorted(found.values(), key=lambda event: (event.row.starts_at, str(event.key)))


def events_starting(start: datetime.datetime, end: datetime.datetime) -> dict[uuid.UUID, datetime.datetime]:
    """The events taking registrations that start in [start, end): their keys and start times."""
    found: dict[uuid.UUID, datetime.datetime] = {}
    for model in EVENT_MODELS:
        rows = rows_of(model, starts_at__gte=start, starts_at__lt=end).values_list("translation_key", "starts_at")
        for key, starts_at in rows:
            found[key] = min(starts_at, found.get(key, starts_at))
    return found
