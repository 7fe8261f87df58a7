"""Issue 22, item 1: subscribing to email alerts with double opt-in, and managing and ending them from
the links in the emails, in both languages, without ever saying whether an address is known."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from home.alerts.models import KEY_DAYS, Subscriber, SubscriberKey
from site_core.models import OfficeDetails, OutgoingEmail
from site_core.services.outbox import send_due_emails
from tests.factories import DivisionFactory, TopicFactory

pytestmark = pytest.mark.django_db

FORM = "/en/alerts/"


@pytest.fixture
def snippets(site_tree):
    OfficeDetails.objects.create(
        locale=site_tree.english, office_name="Civic Innovation Office", street_address="100 Queen Street West"
    )
    return {"topic": TopicFactory(name="Transit", slug="transit"), "division": DivisionFactory(slug="311")}


def subscribe(client, email="resident@example.ca", **overrides):
    data = {"email": email, "lists": ["news", "challenges"], "language": "en", "consent": "on", **overrides}
    return client.post(FORM, data)


def sent_links(pattern: str) -> list[str]:
    send_due_emails()
    return [link for message in mail.outbox for link in re.findall(rf"https?://\S+{pattern}\S+/", message.body)]


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_double_opt_in_from_the_form_to_the_confirmed_subscriptions(client, snippets):
    assert client.get(FORM).status_code == 200
    response = subscribe(client, news_topics=["transit"])
    assert response.status_code == 302 and response["Location"] == "/en/alerts/sent/"
    subscriber = Subscriber.objects.get(email="resident@example.ca")
    assert subscriber.confirmed_at is None and not subscriber.subscriptions.exists()  # nothing until confirmed

    (link,) = sent_links("/alerts/confirm/")
    (message,) = mail.outbox
    assert message.to == ["resident@example.ca"] and "Civic Innovation Office" in message.body
    assert "100 Queen Street West" in message.body  # the sender's identity and address (CASL)
    page = client.get(path_of(link))
    assert page.status_code == 200 and page["Referrer-Policy"] == "strict-origin"
    assert "no-store" in page["Cache-Control"]
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is None  # a GET (a mail scanner following the link) confirms nothing

    confirmed = client.post(path_of(link))
    assert confirmed.status_code == 302 and "/alerts/manage/" in confirmed["Location"]
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is not None and subscriber.consented_at is not None
    assert "I agree to receive the email alerts" in subscriber.consent_text
    assert subscriber.consent_form == FORM
    assert {s.list_key: s.filters for s in subscriber.subscriptions.all()} == {
        "news": {"topics": ["transit"]},
        "challenges": {},
    }
    assert "your email alerts are confirmed" in client.get(confirmed["Location"]).content.decode()


def test_the_form_never_says_whether_an_address_is_known_and_never_changes_alerts_without_the_link(client, snippets):
    subscribe(client)
    (link,) = sent_links("/alerts/confirm/")
    client.post(path_of(link))
    mail.outbox.clear()

    again = subscribe(client, lists=["jobs"])  # someone else types the same address
    assert again.status_code == 302 and again["Location"] == "/en/alerts/sent/"
    subscriber = Subscriber.objects.get()
    assert sorted(s.list_key for s in subscriber.subscriptions.all()) == ["challenges", "news"]  # unchanged
    assert sent_links("/alerts/confirm/") == []  # one confirmation an hour at most
    assert OutgoingEmail.objects.filter(kind="alert-confirm").count() == 1


def test_a_french_subscriber_gets_french_emails(client, snippets):
    client.post("/fr/alerts/", {"email": "ami@example.ca", "lists": ["jobs"], "language": "fr", "consent": "on"})
    (link,) = sent_links("/fr/alerts/confirm/")
    assert "Confirmez vos alertes" in mail.outbox[0].subject
    client.post(path_of(link))
    assert Subscriber.objects.get().language == "fr"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"email": "not-an-address"}, "email"),
        ({"email": "a@example.ca\r\nBcc: victim@example.ca"}, "email"),
        ({"email": "x" * 10_000 + "@example.ca"}, "email"),
        ({"lists": []}, "lists"),
        ({"lists": ["everything"]}, "lists"),
        ({"consent": ""}, "consent"),
        ({"news_topics": ["x" * 10_000]}, "news_topics"),
    ],
)
def test_bad_input_gets_a_clear_error_and_stores_nothing(client, snippets, overrides, field):
    response = subscribe(client, **overrides)
    html = response.content.decode()
    assert response.status_code == 400
    assert 'class="error-summary"' in html and f'href="#id_{field}' in html
    assert not Subscriber.objects.exists() and not OutgoingEmail.objects.exists()


def test_a_filled_honeypot_is_held_for_a_check_not_dropped(client, snippets, django_user_model):
    """The same answer, no email, and the form waits in Reports > Email alerts, where staff send the
    confirmation (the person still confirms) or delete it."""
    import io

    from django.contrib.auth.models import Group
    from django.core.management import call_command

    response = subscribe(client, fax_number="buy now")
    assert response.status_code == 302 and response["Location"] == "/en/alerts/sent/"
    subscriber = Subscriber.objects.get()
    assert subscriber.pending["held"] and sent_links("/alerts/") == []

    call_command("setup_groups", stdout=io.StringIO())
    editor = django_user_model.objects.create_user("editor", password="x-long-password-1")
    editor.groups.add(Group.objects.get(name="Communications editors"))
    client.force_login(editor)
    report = client.get("/admin/alerts/").content.decode()
    assert "Held for a check" in report and "resident@example.ca" in report
    done = client.post("/admin/alerts/", {"release": subscriber.pk, "decision": "send"}, follow=True)
    assert "The confirmation email to resident@example.ca is on its way" in done.content.decode()
    (link,) = sent_links("/alerts/confirm/")
    client.post(path_of(link))
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is not None and "held" not in subscriber.pending

    subscribe(client, email="bot@example.org", fax_number="buy now")
    held = Subscriber.objects.get(email="bot@example.org")
    client.post("/admin/alerts/", {"release": held.pk, "decision": "drop"})
    held.refresh_from_db()
    assert held.pending == {} and OutgoingEmail.objects.filter(to="bot@example.org").count() == 0
    again = client.post("/admin/alerts/", {"release": held.pk, "decision": "send"}, follow=True)
    assert "no longer held" in again.content.decode()


def test_a_flood_from_one_address_is_refused_with_a_clear_429(client, snippets, settings):
    settings.ALERTS_POST_RATE_LIMIT = "3/10m"
    for number in range(3):
        assert subscribe(client, email=f"person{number}@example.ca").status_code == 302
    refused = subscribe(client, email="one-too-many@example.ca")
    assert refused.status_code == 429 and "Nothing was stored" in refused.content.decode()
    assert not Subscriber.objects.filter(email="one-too-many@example.ca").exists()


def confirmed_subscriber(client) -> tuple[Subscriber, str]:
    subscribe(client)
    (link,) = sent_links("/alerts/confirm/")
    client.post(path_of(link))
    subscriber = Subscriber.objects.get()
    return subscriber, subscriber.new_key()


def test_unsubscribe_by_link_asks_first_then_ends_every_alert(client, snippets):
    subscriber, key = confirmed_subscriber(client)
    url = f"/en/alerts/unsubscribe/{key}/"
    page = client.get(url)
    assert page.status_code == 200 and subscriber.subscriptions.count() == 2  # a GET changes nothing
    done = client.post(url)
    assert done.status_code == 200 and "We will send no more alerts" in done.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at is not None and not subscriber.subscriptions.exists()
    assert subscriber.consent_text  # the record of consent (and its withdrawal) stays


def test_the_one_click_unsubscribe_of_rfc_8058_needs_no_csrf_token(client, snippets):
    subscriber, key = confirmed_subscriber(client)
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(f"/en/alerts/unsubscribe/{key}/", {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not subscriber.subscriptions.exists()
    assert mail_client.post("/en/alerts/unsubscribe/nope/", {"List-Unsubscribe": "One-Click"}).status_code == 404


def test_the_manage_page_changes_the_choices_and_its_link_expires(client, snippets):
    subscriber, key = confirmed_subscriber(client)
    url = f"/en/alerts/manage/{key}/"
    page = client.get(url).content.decode()
    assert 'value="news" id="id_lists_1" checked' in page or ('value="news"' in page and "checked" in page)
    saved = client.post(url, {"lists": ["jobs"], "challenge_divisions": ["311"], "language": "fr"})
    assert saved.status_code == 200 and "Your choices are saved" in saved.content.decode()
    subscriber.refresh_from_db()
    assert [s.list_key for s in subscriber.subscriptions.all()] == ["jobs"] and subscriber.language == "fr"
    assert client.post(url, {"lists": [], "language": "en"}).status_code == 400
    SubscriberKey.objects.update(created_at=timezone.now() - datetime.timedelta(days=KEY_DAYS + 1))
    assert client.get(url).status_code == 404
    assert client.get("/en/alerts/manage/unknown-key/").status_code == 404
    assert client.get(f"/en/alerts/manage/{'x' * 500}/").status_code == 404


def test_an_address_nobody_confirmed_is_forgotten_after_30_days(client, snippets):
    import io

    from django.core.management import call_command

    from home.alerts.models import UNCONFIRMED_DAYS

    subscriber, _key = confirmed_subscriber(client)  # confirmed: kept
    Subscriber.objects.create(email="never@example.ca", language="en", pending={"lists": {"news": {}}})
    long_ago = timezone.now() - datetime.timedelta(days=UNCONFIRMED_DAYS + 1)
    Subscriber.objects.filter(email="never@example.ca").update(created_at=long_ago)
    Subscriber.objects.filter(pk=subscriber.pk).update(
        created_at=long_ago, pending={"lists": {"jobs": {}}, "asked_at": long_ago.isoformat()}
    )
    Subscriber.objects.create(email="recent@example.ca", language="en")  # asked today: kept
    out = io.StringIO()
    call_command("send_alerts", stdout=out)
    assert "1 unconfirmed address(es) and 1 unused request(s) forgotten" in out.getvalue()
    assert set(Subscriber.objects.values_list("email", flat=True)) == {"resident@example.ca", "recent@example.ca"}
    subscriber.refresh_from_db()
    assert subscriber.pending == {} and subscriber.subscriptions.count() == 2  # what they confirmed stays
