"""Issue 22: the public email alerts pages make as many SQL queries with 500 topics, divisions,
followable challenges, subscribers and subscriptions as with 10, each within a stated budget: the
subscribe form (GET, and a valid POST), the confirmation page, and the manage page (GET, and a POST
that changes the preferences).

The person at hand follows every list, narrowed by every topic and division, and every challenge (so
they hold 3 + N subscriptions); N other people subscribed too. Each count is of a request repeated
as on a running server (the first after a change refills the per-process and shared caches). A
POST's multi-row INSERTs are counted apart: SQLite takes at most 999 parameters a statement, so
Django splits one bulk insert of 500 subscriptions into several there (one on PostgreSQL); every
other statement must be the same. The confirmation email is not in the subscribe POST's count: it is
written and sent after the commit, off the request (site_core/services/outbox.py)."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from challenges.models import ChallengePage
from home.alerts.lists import FOLLOW
from home.alerts.models import Subscriber, Subscription
from site_core.models import Division, Topic
from tests.factories import ChallengeIndexPageFactory, DivisionFactory, TopicFactory, add_live_pages, build_challenge

pytestmark = pytest.mark.django_db

SMALL, LARGE = 10, 500
# The most queries each page may make (everything but a POST's multi-row inserts), whatever the volume:
# what each makes on SQLite and on PostgreSQL alike (6 December 2026).
BUDGETS = {"subscribe": 6, "subscribe-post": 12, "confirm": 5, "manage": 8, "manage-post": 17}
_addresses = itertools.count(1)


class Volume:
    """Topics, divisions, followable challenges and other subscribers, grown to a number of each; and
    the person whose pages are counted."""

    def __init__(self, site_tree):
        self.site_tree = site_tree
        self.index = ChallengeIndexPageFactory(parent=site_tree.home)
        self.count = 0
        self.person = Subscriber.objects.create(
            email="person@example.ca", language="en", confirmed_at=timezone.now(), consented_at=timezone.now()
        )
        self.key = self.person.new_key()

    def grow(self, to: int) -> None:
        more = to - self.count
        topics = TopicFactory.create_batch(more)
        divisions = DivisionFactory.create_batch(more)
        challenges = [build_challenge(division=divisions[number % len(divisions)]) for number in range(more)]
        add_live_pages(self.index, challenges)
        others = Subscriber.objects.bulk_create(
            Subscriber(
                email=f"other{next(_addresses)}@example.ca",
                language="en",
                confirmed_at=timezone.now(),
                consented_at=timezone.now(),
            )
            for _number in range(more)
        )
        Subscription.objects.bulk_create(
            Subscription(subscriber=other, list_key=list_key, filters=filters)
            for other, topic in zip(others, topics, strict=True)
            for list_key, filters in [("news", {"topics": [topic.slug]}), ("challenges", {}), ("jobs", {})]
        )
        self.count = to
        self.choice = self.everything()
        # The person follows every list, narrowed by every topic and division, and every challenge.
        self.person.subscriptions.all().delete()
        Subscription.objects.bulk_create(
            [
                Subscription(subscriber=self.person, list_key="news", filters={"topics": self.choice["news_topics"]}),
                Subscription(
                    subscriber=self.person,
                    list_key="challenges",
                    filters={
                        "topics": self.choice["challenge_topics"],
                        "divisions": self.choice["challenge_divisions"],
                    },
                ),
                Subscription(subscriber=self.person, list_key="jobs"),
            ]
            + [Subscription(subscriber=self.person, list_key=FOLLOW, target=key) for key in self.choice["follow"]]
        )
        # ... and has asked for it all again (a pending choice, which the confirmation page shows).
        self.person.pending = {
            "language": "en",
            "frequency": "immediate",
            "lists": {"news": {}, "challenges": {}, "jobs": {}},
            "follow": self.choice["follow"],
            "asked_at": timezone.now().isoformat(),
        }
        self.person.save(update_fields=["pending"])

    def everything(self) -> dict:
        """Form values choosing every list, topic, division and followable challenge."""
        english = self.site_tree.english
        topics = sorted(Topic.objects.filter(locale=english).values_list("slug", flat=True))
        divisions = sorted(Division.objects.filter(locale=english).values_list("slug", flat=True))
        challenges = ChallengePage.objects.child_of(self.index).live()  # (the index's numchild in memory is stale)
        follow = sorted(str(key) for key in challenges.values_list("translation_key", flat=True))
        assert len(topics) == len(divisions) == len(follow) == self.count
        return {
            "lists": ["news", "challenges", "jobs", "stories"],
            "news_topics": topics,
            "challenge_topics": topics,
            "challenge_divisions": divisions,
            "follow": follow,
            "frequency": "immediate",
            "language": "en",
        }


@pytest.fixture
def volume(site_tree):
    return Volume(site_tree)


def counted(client, method: str, path: str, data: dict | None = None) -> tuple[int, int, int]:
    """(statements other than INSERTs, INSERT statements, status) of one request."""
    with CaptureQueriesContext(connection) as captured:
        response = client.post(path, data) if method == "POST" else client.get(path)
    inserts = sum(1 for query in captured.captured_queries if query["sql"].lstrip().upper().startswith("INSERT"))
    return len(captured.captured_queries) - inserts, inserts, response.status_code


def request_of(page: str, volume: Volume) -> tuple[str, str, dict | None, int]:
    """(method, path, form data, expected status) of a page; a subscribe POST from a new address each
    time, so that each does the same work (an address asked within the hour gets no second email)."""
    if page == "subscribe":
        return "GET", "/en/alerts/", None, 200
    if page == "subscribe-post":
        data = {**volume.everything(), "email": f"new{next(_addresses)}@example.ca", "consent": "on"}
        return "POST", "/en/alerts/", data, 302
    if page == "confirm":
        return "GET", f"/en/alerts/confirm/{volume.key}/", None, 200
    if page == "manage":
        return "GET", f"/en/alerts/manage/{volume.key}/", None, 200
    return "POST", f"/en/alerts/manage/{volume.key}/", volume.everything(), 200


def count_at(client, page: str, volume: Volume) -> tuple[int, int]:
    """Two warm-up requests (the first visit creates the site's settings row, which invalidates the
    shared cache), then the counted one."""
    for _warm in range(2):
        method, path, data, expected = request_of(page, volume)
        assert counted(client, method, path, data)[2] == expected, (page, path)
    method, path, data, expected = request_of(page, volume)
    others, inserts, status = counted(client, method, path, data)
    assert status == expected, (page, status)
    return others, inserts


@pytest.mark.parametrize("page", list(BUDGETS))
def test_each_alerts_page_makes_as_many_queries_with_500_of_everything_as_with_10(client, volume, page):
    volume.grow(SMALL)
    small, small_inserts = count_at(client, page, volume)
    volume.grow(LARGE)
    large, large_inserts = count_at(client, page, volume)
    assert small == large, f"{page}: {small} queries with {SMALL} of everything, {large} with {LARGE}"
    assert large <= BUDGETS[page], f"{page}: {large} queries, over its budget of {BUDGETS[page]}"
    if page == "manage-post":  # the subscriptions, written again in one multi-row INSERT (a few on SQLite)
        assert small_inserts == 1 and large_inserts <= (1 if connection.vendor == "postgresql" else 4)
    elif page == "subscribe-post":  # the new subscriber and its confirmation email
        assert small_inserts == large_inserts == 2
    else:
        assert small_inserts == large_inserts == 0  # a GET writes nothing


def test_the_manage_page_shows_every_subscription_of_the_large_volume(client, volume):
    """The counts above are of pages that show what they should: all 500 followed challenges ticked,
    and a POST keeps them all."""
    volume.grow(LARGE)
    html = client.get(f"/en/alerts/manage/{volume.key}/").content.decode()
    assert html.count('name="follow"') == LARGE and html.count('name="news_topics"') == LARGE
    assert html.count("checked") >= 2 * LARGE + 3
    assert client.post(f"/en/alerts/manage/{volume.key}/", volume.everything()).status_code == 200
    assert volume.person.subscriptions.filter(list_key=FOLLOW).count() == LARGE
