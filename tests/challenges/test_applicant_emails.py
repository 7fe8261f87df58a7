# ruff: noqa: F811 -- the fixtures imported from journey_helpers are the tests' parameters
"""The applicant's emails and addresses (issue 19): no personal data in any URL or any emailed link;
no email carries the form's free text (anyone can type anyone's address into the form); the emails
the public form causes are limited per recipient; announcements reach every applicant and draft
holder of the challenge once, in their language."""

import re
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.core import mail, signing

from challenges.application_views import REFERENCE_SALT
from challenges.models import Application, ApplicationDraft
from devtools.demo.translation import translate_with_localize
from site_core.models import OutgoingEmail
from tests.challenges.application_helpers import application_data, pdf, stored_application
from tests.challenges.journey_helpers import (  # noqa: F401 -- fixtures
    FRENCH_CHALLENGE,
    apply_url,
    browser,
    challenge,
    committed,
    error_summary,
    form_data,
    french_challenge,
    link_in,
    links_in,
    mail_to,
    new_browser,
)

pytestmark = pytest.mark.django_db

EMAIL = "robin.quill@example.ca"
PERSONAL = {
    "email": EMAIL,
    "contact_name": "Robin Quill",
    "organisation_name": "Quillworks Co-operative",
}


def assert_no_personal_data(url: str) -> None:
    text = unquote(unquote(url)).lower()
    assert "@" not in text, url
    for value in (EMAIL, "robin", "quill", "co-operative"):
        assert value.lower() not in text, (value, url)


# --- no personal data in any address -----------------------------------------------------------


def test_the_thanks_address_carries_only_a_signed_reference(browser, challenge):
    response = browser.apply(challenge, **PERSONAL)
    assert response.status_code == 302
    location = response["Location"]
    assert_no_personal_data(location)
    query = parse_qs(urlsplit(location).query)
    assert set(query) == {"receipt"}
    receipt = signing.loads(query["receipt"][0], salt=REFERENCE_SALT)
    assert receipt == {"ref": Application.objects.get().reference}


def test_no_redirect_and_no_emailed_link_carries_personal_data(browser, new_browser, challenge):
    redirects = []

    def follow(response, expected=302):
        assert response.status_code == expected, (response.status_code, error_summary(response.content.decode()))
        redirects.append(response["Location"])
        return response["Location"]

    follow(browser.apply(challenge, **PERSONAL))  # thanks
    follow(  # saved (a second proposal, to finish later)
        browser.post(apply_url(challenge), {"action": "save", "email": EMAIL, "attachment": pdf()})
    )
    follow(browser.post(f"{challenge.url}apply/link/", {"email": EMAIL}))  # link sent

    application_link = link_in(mail_to(EMAIL)[0], "application")
    draft_link = next(link_in(message, "draft") for message in mail_to(EMAIL) if "/apply/draft/" in message.body)
    other = new_browser()
    html = other.get(application_link + "edit/").content.decode()
    follow(other.post(application_link + "edit/", form_data(html, proposal_summary="Changed.")))  # edit
    follow(other.post(application_link + "withdraw/"))  # withdraw
    html = other.get(draft_link).content.decode()
    answers = {name: value for name, value in application_data(challenge, **PERSONAL).items() if name != "form_token"}
    follow(other.post(draft_link, form_data(html, **answers)))  # the draft sent: thanks

    assert len(redirects) == 6
    for location in redirects:
        assert_no_personal_data(location)

    kinds = set(OutgoingEmail.objects.values_list("kind", flat=True))  # the draft's went with it
    assert {
        "applicant-confirmation",
        "staff-notification",
        "applicant-links-again",
        "applicant-changes-saved",
        "applicant-withdrawn",
    } <= kinds
    links = [link for message in mail.outbox for link in links_in(message.body)]
    assert len(links) >= 8
    for link in links:
        assert_no_personal_data(link)


# --- nothing from the form in the applicant's emails -------------------------------------------------


BAIT = "URGENT: your City grant is approved, confirm your bank details at https://evil.example/claim"


def test_the_confirmation_carries_no_text_from_the_form(browser, challenge):
    browser.apply(
        challenge,
        email="victim@example.ca",
        contact_name=BAIT,
        organisation_name="URGENT payment release: visit evil.example/pay today",
        proposal_summary=BAIT,
        website="https://evil.example/claim",
    )
    application = Application.objects.get()
    (confirmation,) = mail_to("victim@example.ca")
    for text in (confirmation.subject, confirmation.body):
        assert "evil.example" not in text
        assert "URGENT" not in text
        assert "bank details" not in text
        assert "payment release" not in text
    assert application.reference in confirmation.subject
    assert application.reference in confirmation.body


def test_past_the_daily_share_of_an_address_no_confirmation_and_the_page_says_so(browser, challenge, settings):
    settings.APPLICANT_EMAILS_PER_ADDRESS = 2
    for _ in range(2):
        assert browser.apply(challenge, email="busy@example.ca").status_code == 302
    assert len(mail_to("busy@example.ca")) == 2

    response = browser.apply(challenge, email="busy@example.ca")
    assert response.status_code == 302
    third = Application.objects.order_by("pk").last()
    assert third.email == "busy@example.ca"
    assert not third.is_spam, third.spam_reason
    assert OutgoingEmail.objects.filter(to="busy@example.ca").count() == 2
    assert len(mail_to("busy@example.ca")) == 2
    thanks = browser.get(response["Location"]).content.decode()
    assert third.reference in thanks
    assert "We have not emailed a confirmation" in thanks
    assert "We are sending a confirmation" not in thanks

    saved = browser.post(apply_url(challenge), {"action": "save", "email": "busy@example.ca", "attachment": pdf()})
    assert saved["Location"].endswith("apply/saved/?state=not-emailed")
    assert ApplicationDraft.objects.filter(email="busy@example.ca").exists()
    browser.post(f"{challenge.url}apply/link/", {"email": "busy@example.ca"})
    assert len(mail_to("busy@example.ca")) == 2
    assert mail_to("311-challenge@example.ca")  # staff still hear of every application


# --- announcements ------------------------------------------------------------------------------------


def announce(page, title="Deadline extended", body="<p>Two more weeks.</p>"):
    page.announcements.add(page.announcements.model(title=title, body=body))
    page.save_revision().publish()


def test_an_announcement_reaches_each_applicant_and_draft_once(challenge, committed):
    stored_application(challenge, email="applied@example.ca")
    stored_application(challenge, email="withdrew@example.ca", status="withdrawn")
    stored_application(challenge, email="held@example.ca", is_spam=True, spam_reason="hidden field filled in")
    ApplicationDraft.objects.create(challenge=challenge, email="drafting@example.ca")

    with committed():
        announce(challenge)
    assert sorted(message.to[0] for message in mail.outbox) == ["applied@example.ca", "drafting@example.ca"]
    (to_applicant,) = mail_to("applied@example.ca")
    assert "Deadline extended" in to_applicant.subject
    assert "Two more weeks." in to_applicant.body
    assert "/apply/application/" in to_applicant.body
    (to_draft,) = mail_to("drafting@example.ca")
    assert "/apply/draft/" in to_draft.body

    for _ in range(2):
        with committed():
            challenge.save_revision().publish()
    assert len(mail.outbox) == 2
    assert OutgoingEmail.objects.filter(kind="applicant-announcement").count() == 2


def test_a_french_applicant_hears_of_the_announcement_in_french(browser, challenge, french_challenge, committed):
    response = browser.post(
        french_challenge.url + "apply/", application_data(french_challenge, email="marie@example.ca")
    )
    assert response.status_code == 302
    assert browser.apply(challenge, email="alex@example.ca").status_code == 302
    mail.outbox.clear()

    with committed():
        announce(challenge)
    assert [message.to for message in mail.outbox] == [["alex@example.ca"]]
    assert mail.outbox[0].body.startswith("Hello,")

    with committed():
        translate_with_localize(
            challenge,
            french_challenge.locale,
            {
                **FRENCH_CHALLENGE,
                "Deadline extended": "Date limite prolongée",
                "Two more weeks.": "Deux semaines de plus.",
            },
        )
    (french,) = mail_to("marie@example.ca")
    assert OutgoingEmail.objects.get(kind="applicant-announcement", to="marie@example.ca").language == "fr"
    assert french.body.startswith("Bonjour,")
    assert "Date limite prolongée" in french.subject
    assert "Deux semaines de plus." in french.body
    assert re.search(r"/fr/[^\s]*/apply/application/", french.body)
    assert len(mail_to("alex@example.ca")) == 1
