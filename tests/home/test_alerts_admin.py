"""Issue 22, item 5: Reports > Email alerts for the Communications role: counts per list and language,
the latest sends, suppressing an address (by hand and by the operator's command), and the export."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from home.alerts.models import AlertBroadcast, AlertDelivery, Subscriber, Subscription
from site_core.models import OutgoingEmail
from tests.conftest import count_queries

pytestmark = pytest.mark.django_db

REPORT = "/admin/alerts/"


@pytest.fixture
def roles(site_tree):
    """The roles, set up once the site exists (its root collection included), as in production."""
    call_command("setup_groups", stdout=io.StringIO())


def staff(django_user_model, client, group: str):
    user = django_user_model.objects.create_user(group.split()[0].lower(), password="x-long-password-1")
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    return client


def subscribers(count: int, start: int = 0, language: str = "en", lists=("news",)):
    now = timezone.now()
    for number in range(start, start + count):
        subscriber = Subscriber.objects.create(
            email=f"person{number}@example.ca", language=language, confirmed_at=now, consented_at=now
        )
        Subscription.objects.bulk_create(Subscription(subscriber=subscriber, list_key=key) for key in lists)


def test_communications_editors_see_the_counts_and_the_latest_sends(client, django_user_model, roles, site_tree):
    subscribers(3, lists=("news", "jobs"))
    subscribers(2, start=10, language="fr", lists=("challenges",))
    Subscriber.objects.create(email="waiting@example.ca", language="en")  # not confirmed: not counted
    broadcast = AlertBroadcast.objects.create(
        page=site_tree.news_index, list_key="news", recipients=3, done_at=timezone.now()
    )
    for subscriber, state in zip(Subscriber.objects.filter(language="en")[:3], ["sent", "sent", "failed"], strict=True):
        email = OutgoingEmail.objects.create(kind="alert", to=subscriber.email, state=state)
        AlertDelivery.objects.create(subscriber=subscriber, broadcast=broadcast, email=email)
    html = staff(django_user_model, client, "Communications editors").get(REPORT).content.decode()
    assert "5 confirmed subscribers, 1 not confirmed yet" in html
    assert '<th scope="row">News releases</th><td>3</td><td>0</td>' in html
    assert '<th scope="row">New challenges</th><td>0</td><td>2</td>' in html
    assert f'<th scope="row">{site_tree.news_index.title}</th>' in html
    assert "<td>3</td><td>2</td><td>0</td><td>1</td>" in html  # recipients, sent, waiting, failed


@pytest.mark.parametrize("group", ["Publishers", "Challenge reviewers", "Translators", "Innovation Office staff"])
def test_nobody_else_sees_the_subscribers(client, django_user_model, roles, group):
    subscribers(1)
    signed_in = staff(django_user_model, client, group)
    assert signed_in.get(REPORT).status_code in {302, 403}
    assert signed_in.get(REPORT + "?export=csv").status_code in {302, 403}
    assert "Email alerts" not in signed_in.get("/admin/").content.decode()


def test_suppressing_an_address_by_hand(client, django_user_model, roles):
    subscribers(1)
    editor = staff(django_user_model, client, "Communications editors")
    bad = editor.post(REPORT, {"email": "not an address", "reason": ""})
    assert bad.status_code == 400
    done = editor.post(REPORT, {"email": "Person0@Example.ca", "reason": "bounced"}, follow=True)
    assert "Nothing more will be sent to person0@example.ca" in done.content.decode()
    subscriber = Subscriber.objects.get(email="person0@example.ca")
    assert subscriber.suppressed_at is not None and subscriber.suppressed_reason == "bounced"
    assert not subscriber.reachable


def test_the_operator_suppresses_bounces_from_a_list(monkeypatch):
    subscribers(2)
    monkeypatch.setattr("sys.stdin", io.StringIO("person0@example.ca\nnot-an-address\nnew@example.org\n"))
    out, err = io.StringIO(), io.StringIO()
    call_command("suppress_address", reason="bounced (mail server report)", stdout=out, stderr=err)
    assert "Suppressed 2 address(es)." in out.getvalue() and "not-an-address" in err.getvalue()
    assert set(Subscriber.objects.filter(suppressed_at__isnull=False).values_list("email", flat=True)) == {
        "person0@example.ca",
        "new@example.org",  # suppressed before it ever subscribes
    }


def test_the_export_has_every_subscriber_with_the_consent_record_formula_safe(client, django_user_model, roles):
    subscribers(2)
    Subscriber.objects.filter(email="person1@example.ca").update(consent_text="=HYPERLINK(1)")
    response = staff(django_user_model, client, "Communications editors").get(REPORT + "?export=csv")
    body = b"".join(response.streaming_content).decode()
    lines = body.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("email,language,lists,asked,confirmed,consent given,consent given on,consent wording")
    assert len(lines) == 3 and "'=HYPERLINK(1)" in body
    assert "no-store" in response["Cache-Control"]


def test_the_report_costs_the_same_queries_with_10_or_200_subscribers(client, django_user_model, roles, site_tree):
    editor = staff(django_user_model, client, "Communications editors")
    subscribers(10)
    editor.get(REPORT)
    small, _response = count_queries(editor, REPORT)
    subscribers(190, start=10, lists=("news", "stories"))
    large, response = count_queries(editor, REPORT)
    assert response.status_code == 200 and small == large
