"""Issue 23, item 2: the contact form (a topic routed to its inbox) and the accessibility feedback form
(with the format of the reply). Each message is stored before any email, gets a reference shown on
the thanks page, a receipt to the sender that repeats nothing they typed and a notification to the
office through the outbox; bad input is refused clearly with nothing stored; an SMTP outage loses
nothing; only the Communications role reads them; they go after their retention."""

import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from home.messages.models import RETENTION_MONTHS, VisitorMessage, retention_cutoff
from site_core.models import OfficeDetails, OutgoingEmail, SiteSettings
from site_core.services.outbox import send_due_emails
from tests.conftest import assert_constant_queries

pytestmark = pytest.mark.django_db

CONTACT = "/{language}/contact/form/"
FEEDBACK = "/{language}/accessibility/feedback/"
SECRET = "Zebra-crossing-7431"  # typed into the message: the office sees it, the sender's receipt never does


@pytest.fixture
def office(site_tree):
    for locale, name in ((site_tree.english, "Civic Innovation Office"), (site_tree.french, "Bureau de l'innovation")):
        OfficeDetails.objects.create(
            locale=locale, office_name=name, street_address="100 Queen Street West", privacy_officer_title="Director"
        )
    settings_row = SiteSettings.for_site(site_tree.site)
    settings_row.contact_email = "innovation@example.ca"
    settings_row.save()


def contact(client, language="en", **overrides):
    data = {
        "name": "Ada Lovelace",
        "email": "ada@example.ca",
        "topic": "media",
        "message": f"Could we interview the director? {SECRET}",
        "consent": "on",
        **overrides,
    }
    return client.post(CONTACT.format(language=language), data)


def feedback(client, language="en", **overrides):
    data = {
        "name": "",
        "email": "sam@example.ca",
        "about": "The challenge PDF",
        "page_url": "https://example.ca/en/challenges/",
        "message": f"The PDF is not tagged. {SECRET}",
        "reply_format": "large_print",
        "consent": "on",
        **overrides,
    }
    return client.post(FEEDBACK.format(language=language), data)


def sent() -> dict[str, list]:
    send_due_emails()
    by_recipient: dict[str, list] = {}
    for message in mail.outbox:
        by_recipient.setdefault(message.to[0], []).append(message)
    return by_recipient


def test_a_contact_message_is_stored_and_its_reference_shown_without_personal_data_in_the_address(client, office):
    response = contact(client)
    assert response.status_code == 302
    assert "ada" not in response["Location"] and "example" not in response["Location"]
    message = VisitorMessage.objects.get()
    assert (message.kind, message.topic, message.status) == ("contact", "media", "new")
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200 and message.reference in thanks.content.decode()
    assert thanks["Cache-Control"].startswith("max-age=0") or "no-store" in thanks["Cache-Control"]
    assert message.reference.startswith(f"MSG-{timezone.now():%Y}-")


def test_the_sender_gets_a_receipt_without_their_words_and_the_office_gets_the_message(client, office):
    contact(client)
    emails = sent()
    (receipt,) = emails["ada@example.ca"]
    (notification,) = emails["innovation@example.ca"]
    reference = VisitorMessage.objects.get().reference
    assert reference in receipt.subject and reference in receipt.body
    assert SECRET not in receipt.body and "Ada" not in receipt.body and "Civic Innovation Office" in receipt.body
    assert SECRET in notification.body and notification.reply_to == ["ada@example.ca"]


def test_each_topic_goes_to_its_configured_address_and_the_rest_to_the_office(client, office, settings):
    settings.CONTACT_TOPIC_ADDRESSES = {"media": "media@example.ca", "accessibility": "aoda@example.ca"}
    contact(client, topic="media")
    contact(client, topic="partnerships", email="bo@example.ca")
    feedback(client)
    routed = dict(VisitorMessage.objects.values_list("email", "routed_to"))
    assert routed == {
        "ada@example.ca": "media@example.ca",
        "bo@example.ca": "innovation@example.ca",
        "sam@example.ca": "aoda@example.ca",
    }
    emails = sent()
    assert len(emails["media@example.ca"]) == 1 and len(emails["aoda@example.ca"]) == 1


def test_accessibility_feedback_keeps_the_reply_format_and_answers_in_french(client, office):
    response = feedback(client, language="fr")
    assert response.status_code == 302 and "/fr/accessibility/feedback/thanks/" in response["Location"]
    message = VisitorMessage.objects.get()
    assert (message.kind, message.reply_format, message.language) == ("accessibility", "large_print", "fr")
    assert message.reference.startswith("A11Y-")
    emails = sent()
    (receipt,) = emails["sam@example.ca"]
    assert "Bureau de l'innovation" in receipt.body and SECRET not in receipt.body
    (notification,) = emails["innovation@example.ca"]
    assert "Large print" in notification.body and "The challenge PDF" in notification.body
    # The office's notification is in English, the office's working language, and says to answer in French.
    assert "Written in French: please reply in French" in notification.body


def test_a_phone_reply_needs_a_phone_number(client, office):
    response = feedback(client, reply_format="phone")
    assert response.status_code == 400 and 'href="#id_phone"' in response.content.decode()
    assert feedback(client, reply_format="phone", phone="416-555-0100").status_code == 302
    assert VisitorMessage.objects.get().phone == "416-555-0100"


@pytest.mark.parametrize("form", ["contact", "feedback"])
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"email": "not-an-address"}, "email"),
        ({"email": "a@example.ca\r\nBcc: victim@example.ca"}, "email"),
        ({"email": "x" * 10_000 + "@example.ca"}, "email"),
        ({"name": "Ada\r\nBcc: x@example.ca"}, "name"),
        ({"name": "x" * 10_000}, "name"),
        ({"message": "x" * 10_000}, "message"),
        ({"message": ""}, "message"),
        ({"consent": ""}, "consent"),
    ],
)
def test_bad_input_gets_a_clear_error_and_stores_nothing(client, office, form, overrides, field):
    response = (contact if form == "contact" else feedback)(client, **overrides)
    html = response.content.decode()
    assert response.status_code == 400
    assert 'class="error-summary"' in html and f'href="#id_{field}"' in html and 'aria-invalid="true"' in html
    assert not VisitorMessage.objects.exists() and not OutgoingEmail.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"topic": "lottery"}, "topic"),
        ({"topic": ""}, "topic"),
    ],
)
def test_an_unknown_topic_is_refused(client, office, overrides, field):
    response = contact(client, **overrides)
    assert response.status_code == 400 and f'href="#id_{field}_0"' in response.content.decode()  # its first choice
    assert not VisitorMessage.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"about": "x" * 10_000}, "about"),
        ({"about": "PDF\nBcc: x@example.ca"}, "about"),
        ({"page_url": "javascript:alert(1)"}, "page_url"),
        ({"phone": "416\r\nBcc: x@example.ca"}, "phone"),
        ({"reply_format": "carrier-pigeon"}, "reply_format_0"),
    ],
)
def test_bad_feedback_answers_are_refused(client, office, overrides, field):
    response = feedback(client, **overrides)
    assert response.status_code == 400 and f'href="#id_{field}"' in response.content.decode()
    assert not VisitorMessage.objects.exists() and not OutgoingEmail.objects.exists()


def test_an_smtp_outage_loses_nothing_and_the_person_sees_the_thanks_page(
    client, office, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.support.UnreachableSMTPBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = feedback(client)
    assert response.status_code == 302
    assert "A11Y-" in client.get(response["Location"]).content.decode()
    assert VisitorMessage.objects.count() == 1
    assert set(OutgoingEmail.objects.values_list("state", flat=True)) == {"queued"}
    assert "SMTPServerDisconnected" in OutgoingEmail.objects.order_by("pk").first().last_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutgoingEmail.objects.update(next_attempt_at=timezone.now())
    call_command("send_queued_emails", stdout=io.StringIO())
    call_command("send_queued_emails", stdout=io.StringIO())
    assert sorted(message.to[0] for message in mail.outbox) == ["innovation@example.ca", "sam@example.ca"]


def test_a_filled_honeypot_is_stored_and_held_and_emails_nobody(client, office):
    response = contact(client, fax_number="cheap pills")
    assert response.status_code == 302 and "MSG-" in client.get(response["Location"]).content.decode()
    message = VisitorMessage.objects.get()
    assert message.status == VisitorMessage.Status.HELD and "never see" in message.held_reason
    assert sent() == {}


def test_a_flood_from_one_address_is_refused_with_429_and_stores_nothing_more(client, office, settings):
    settings.ALERTS_POST_RATE_LIMIT = "2/m"
    assert contact(client).status_code == 302
    assert contact(client).status_code == 302
    flooded = contact(client)
    assert flooded.status_code == 429 and "/en/contact/form/" in flooded.content.decode()
    assert VisitorMessage.objects.count() == 2


def test_a_forged_or_foreign_receipt_is_a_404(client, office):
    location = contact(client)["Location"]
    assert client.get(location + "x").status_code == 404
    receipt = location.split("?", 1)[1]
    assert client.get(f"/en/accessibility/feedback/thanks/?{receipt}").status_code == 404


def test_the_receipts_one_address_gets_in_a_day_are_limited(client, office, settings):
    settings.APPLICANT_EMAILS_PER_ADDRESS = 2
    settings.ALERTS_POST_RATE_LIMIT = "100/m"
    for _ in range(4):
        contact(client)
    assert VisitorMessage.objects.count() == 4  # every message is stored and reaches the office
    emails = sent()
    assert len(emails["ada@example.ca"]) == 2 and len(emails["innovation@example.ca"]) == 4


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_forms_show_the_notice_of_collection_and_are_never_cached(client, office, language):
    for url in (CONTACT, FEEDBACK):
        response = client.get(url.format(language=language))
        html = response.content.decode()
        assert response.status_code == 200 and 'id="notice-heading"' in html and "Director" in html
        assert "no-store" in response["Cache-Control"] or "private" in response["Cache-Control"]
        assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_the_form_pages_queries_do_not_grow_with_the_messages(client, office):
    def add_messages(count):
        VisitorMessage.objects.bulk_create(
            VisitorMessage(kind="contact", topic="general", email=f"p{n}@example.ca", message="Hi", language="en")
            for n in range(count)
        )

    assert_constant_queries(client, [CONTACT.format(language="en"), FEEDBACK.format(language="en")], add_messages)


def staff_client(client, django_user_model, role: str | None):
    user = django_user_model.objects.create_user(f"staff-{role}", password="x-long-password-1")
    if role:
        user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    return client


@pytest.fixture
def roles(site_tree):
    call_command("setup_groups", stdout=io.StringIO())


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("Communications editors", True),
        ("Publishers", False),
        ("Innovation Office staff", False),
        ("Challenge reviewers", False),
        ("Translators", False),
    ],
)
def test_only_the_communications_role_reads_the_messages(client, office, roles, django_user_model, role, allowed):
    contact(client)
    message = VisitorMessage.objects.get()
    staff_client(client, django_user_model, role)
    pages = [
        "/admin/visitor-messages/",
        f"/admin/visitor-messages/{message.pk}/",
        "/admin/visitor-messages/?export=csv",
    ]
    answers = [client.get(url) for url in pages]
    client.post(f"/admin/visitor-messages/{message.pk}/", {"answered": "1"})
    answered = VisitorMessage.objects.get().status == VisitorMessage.Status.ANSWERED
    if allowed:
        assert [answer.status_code for answer in answers] == [200, 200, 200] and answered
    else:  # Wagtail's admin turns a refusal into a redirect to the dashboard
        assert all(refused(answer) for answer in answers) and not answered
    menu = client.get("/admin/reports/translation-status/").content.decode() if allowed else ""
    assert ("Messages from visitors" in menu) == allowed


def refused(response) -> bool:
    return response.status_code == 403 or (response.status_code == 302 and response["Location"] == "/admin/")


def test_communications_reads_exports_and_marks_a_message_answered(client, office, roles, django_user_model):
    contact(client, name="=HYPERLINK(1)")
    message = VisitorMessage.objects.get()
    staff_client(client, django_user_model, "Communications editors")
    listing = client.get("/admin/visitor-messages/").content.decode()
    assert message.reference in listing and "Messages from visitors" in listing
    assert SECRET in client.get(f"/admin/visitor-messages/{message.pk}/").content.decode()
    export = b"".join(client.get("/admin/visitor-messages/?export=csv").streaming_content).decode("utf-8-sig")
    assert message.reference in export and SECRET in export and "'=HYPERLINK(1)" in export
    client.post(f"/admin/visitor-messages/{message.pk}/", {"answered": "1"})
    message.refresh_from_db()
    assert message.status == VisitorMessage.Status.ANSWERED and message.answered_at is not None


def test_releasing_a_held_message_sends_its_emails(client, office, roles, django_user_model):
    contact(client, fax_number="filled")
    message = VisitorMessage.objects.get()
    staff_client(client, django_user_model, "Communications editors")
    client.post(f"/admin/visitor-messages/{message.pk}/", {"release": "1"})
    message.refresh_from_db()
    assert message.status == VisitorMessage.Status.NEW
    assert set(sent()) == {"ada@example.ca", "innovation@example.ca"}


def test_the_admin_list_queries_do_not_grow_with_the_messages(client, office, roles, django_user_model):
    staff_client(client, django_user_model, "Communications editors")

    def add_messages(count):
        VisitorMessage.objects.bulk_create(
            VisitorMessage(kind="accessibility", about="PDF", email=f"p{n}@example.ca", message="Hi", language="en")
            for n in range(count)
        )

    assert_constant_queries(client, "/admin/visitor-messages/", add_messages)


def test_messages_past_their_retention_are_purged_with_their_emails(client, office):
    contact(client)
    feedback(client)
    old = VisitorMessage.objects.get(kind="contact")
    VisitorMessage.objects.filter(pk=old.pk).update(
        created_at=retention_cutoff(timezone.now()) - datetime.timedelta(days=1)
    )
    out = io.StringIO()
    call_command("purge_visitor_messages", stdout=out)
    assert "deleted 1 " in out.getvalue()
    assert list(VisitorMessage.objects.values_list("kind", flat=True)) == ["accessibility"]
    assert not OutgoingEmail.objects.filter(object_id=old.pk, kind__startswith="visitor-message").exists()
    assert OutgoingEmail.objects.filter(kind__startswith="visitor-message").count() == 2


def test_the_retention_cutoff_counts_calendar_months():
    now = datetime.datetime(2026, 3, 31, 12, tzinfo=datetime.UTC)
    assert retention_cutoff(now, 1) == datetime.datetime(2026, 2, 28, 12, tzinfo=datetime.UTC)
    assert retention_cutoff(now, RETENTION_MONTHS) == datetime.datetime(2024, 3, 31, 12, tzinfo=datetime.UTC)
