"""The applicant's pages cost the same number of SQL queries however much there is: earlier versions
of the application, other applications and drafts on the challenge, applications from other
addresses; and they weigh no more than the application form."""

import gzip
import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from challenges.models import (
    ApplicantLink,
    Application,
    ApplicationDraft,
    ApplicationVersion,
    PendingUpload,
    QuestionType,
)
from challenges.models.applicant import new_token, token_hash
from tests.challenges.application_helpers import PDF_BYTES, pdf, stored_application
from tests.conftest import assert_constant_queries
from tests.factories import make_challenge

pytestmark = pytest.mark.django_db

# Every page's budget (issue 24): the application form itself costs 4 or 5 queries (the routing's two,
# the questions, the settings, the header), plus finding the link, its application or draft and
# marking it used (9 at most today).
APPLICANT_QUERY_BUDGET = 12


@pytest.fixture
def challenge(challenge_index):
    challenge = make_challenge(challenge_index, title="Track 311 requests", opens=-5, closes=20, publish=False)
    for label, kind in [
        ("Which request types first?", QuestionType.LONG_TEXT),
        ("Worked with government?", QuestionType.YES_NO),
        ("Which stage?", QuestionType.CHOICE),
        ("Demo link", QuestionType.URL),
    ]:
        challenge.questions.add(
            challenge.questions.model(
                label=label, field_type=kind, required=kind != QuestionType.URL, choices="Idea\nPrototype"
            )
        )
    challenge.save_revision().publish()
    challenge.refresh_from_db()
    return challenge


def add_other_applications(challenge, count: int) -> None:
    """`count` applications from other addresses, each with an earlier version, a link and a draft
    beside it (rows only: no file is written for them)."""
    now = timezone.now()
    Application.objects.bulk_create(
        Application(
            challenge=challenge,
            form_token=uuid.uuid4(),
            organisation_name=f"Other team {number}",
            contact_name="Robin Roe",
            email=f"other-{uuid.uuid4().hex[:10]}@example.ca",
            phone="416-555-0199",
            team_size=3,
            proposal_summary="Another proposal.",
            attachment="applications/2026/other.pdf",
            attachment_name="other.pdf",
            attachment_size=len(PDF_BYTES),
            consent_at=now,
        )
        for number in range(count)
    )
    applications = list(Application.objects.filter(challenge=challenge).order_by("-pk")[:count])
    ApplicationVersion.objects.bulk_create(
        ApplicationVersion(application=application, number=1, saved_at=now, answers={}, changed=["Phone"])
        for application in applications
    )
    ApplicationDraft.objects.bulk_create(
        ApplicationDraft(challenge=challenge, email=application.email, answers={"email": [application.email]})
        for application in applications
    )
    drafts = list(ApplicationDraft.objects.filter(challenge=challenge).order_by("-pk")[:count])
    ApplicantLink.objects.bulk_create(
        [ApplicantLink(token_hash=token_hash(new_token()), application=application) for application in applications]
        + [ApplicantLink(token_hash=token_hash(new_token()), draft=draft) for draft in drafts]
    )


def add_versions(application, count: int) -> None:
    start = application.versions.count()
    ApplicationVersion.objects.bulk_create(
        ApplicationVersion(
            application=application,
            number=number,
            saved_at=application.submitted_at,
            answers={"phone": "416-555-0100"},
            changed=["Phone", "Proposal summary"],
        )
        for number in range(start + 1, start + count + 1)
    )
    Application.objects.filter(pk=application.pk).update(changed_at=timezone.now())


def applicant_urls(challenge, token: str) -> list[str]:
    page = f"{challenge.url}apply/application/{token}/"
    return [page, page + "edit/", page + "withdraw/"]


def draft_with_answers(challenge) -> tuple[ApplicationDraft, str]:
    """A draft as "Save and finish later" leaves it: every answer given, its file kept."""
    questions = {question.label: f"q_{question.uid.hex}" for question in challenge.questions.all()}
    answers = {
        "organisation_name": ["Civic Widgets Inc."],
        "contact_name": ["Alex Martin"],
        "email": ["alex@example.ca"],
        "phone": ["416-555-0100"],
        "team_size": ["4"],
        "proposal_summary": ["Half written.\nSecond line."],
        questions["Which request types first?"]: ["Potholes, then graffiti."],
        questions["Worked with government?"]: ["yes"],
        questions["Which stage?"]: ["Prototype"],
    }
    upload = PendingUpload(name="plan.pdf", size=len(PDF_BYTES), expires_at=challenge.closes_at)
    upload.file.save("proposal.pdf", pdf(), save=False)
    upload.save()
    draft = ApplicationDraft.objects.create(
        challenge=challenge, email="alex@example.ca", answers=answers, upload=upload
    )
    return draft, ApplicantLink.create_for(draft=draft)


def test_the_applicants_page_costs_the_same_queries_with_1_or_20_earlier_versions(client, challenge):
    application = stored_application(challenge)
    token = ApplicantLink.create_for(application=application)
    counts = assert_constant_queries(
        client, applicant_urls(challenge, token), lambda count: add_versions(application, count), small=1, large=20
    )
    assert max(counts.values()) <= APPLICANT_QUERY_BUDGET, counts
    html = client.get(applicant_urls(challenge, token)[0]).content.decode()
    assert html.count("changed Phone, Proposal summary") == 20
    print("Applicant's pages, queries with 20 earlier versions:", counts)


def test_the_applicants_page_costs_the_same_queries_with_10_or_500_other_applications(client, challenge):
    application = stored_application(challenge)
    add_versions(application, 2)
    token = ApplicantLink.create_for(application=application)
    counts = assert_constant_queries(
        client, applicant_urls(challenge, token), lambda count: add_other_applications(challenge, count)
    )
    assert max(counts.values()) <= APPLICANT_QUERY_BUDGET, counts
    assert Application.objects.filter(challenge=challenge).count() == 501
    print("Applicant's pages, queries with 500 other applications:", counts)


def test_the_draft_page_costs_the_same_queries_with_10_or_500_other_applications_and_drafts(client, challenge):
    _, token = draft_with_answers(challenge)
    url = f"{challenge.url}apply/draft/{token}/"
    queries = assert_constant_queries(client, url, lambda count: add_other_applications(challenge, count))
    assert queries <= APPLICANT_QUERY_BUDGET
    html = client.get(url).content.decode()
    assert 'value="Civic Widgets Inc."' in html
    assert "Your file plan.pdf is attached" in html
    print("Draft page, queries with 500 other applications and drafts:", queries)


def count_post_queries(client, url: str, data: dict) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, data)
    return len(captured.captured_queries), response


def test_the_lost_link_form_costs_the_same_queries_with_1_or_30_applications_from_other_addresses(client, challenge):
    """Whether or not the address applied (the page says the same either way)."""
    stored_application(challenge, email="asker@example.ca")
    ApplicationDraft.objects.create(challenge=challenge, email="asker@example.ca", answers={})
    url = f"{challenge.url}apply/link/"

    def counts() -> dict:
        result = {}
        for address in ("asker@example.ca", "never-applied@example.ca"):
            client.post(url, {"email": address})  # as on a running server: its caches filled
            result[address], response = count_post_queries(client, url, {"email": address})
            assert response.status_code == 302, (address, response.status_code)
            assert response["Location"].endswith("apply/link/?sent=1")
        return result

    add_other_applications(challenge, 1)
    with_one = counts()
    add_other_applications(challenge, 29)
    with_thirty = counts()
    assert with_one == with_thirty, f"with 1 other application: {with_one}; with 30: {with_thirty}"
    assert max(with_thirty.values()) <= APPLICANT_QUERY_BUDGET, with_thirty
    print("Lost-link form, queries with 30 applications from other addresses:", with_thirty)


# --- page weight ---------------------------------------------------------------------------------


def weight(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    html = response.content
    return {
        "bytes": len(html),
        "gzip": len(gzip.compress(html, compresslevel=5)),
        "assets": sorted(set(re.findall(rb'(?:src|href)="(/static/[^"]+)"', html))),
        "images": len(re.findall(rb"<img\b", html)),
    }


def test_the_applicants_pages_weigh_no_more_than_the_form(client, challenge):
    application = stored_application(challenge)
    add_versions(application, 20)
    token = ApplicantLink.create_for(application=application)
    form = weight(client, challenge.url + "apply/")
    pages = {
        "applicant": weight(client, applicant_urls(challenge, token)[0]),
        "saved": weight(client, challenge.url + "apply/saved/?state=emailed"),
    }
    print("Page weight (bytes of HTML, gzip):", {"form": form, **pages})
    for name, page in pages.items():
        assert page["assets"] == form["assets"], f"{name} loads other files than the form: {page['assets']}"
        assert page["images"] == 0, name
        assert page["bytes"] <= form["bytes"], f"{name}: {page['bytes']} bytes of HTML, the form {form['bytes']}"
        assert page["gzip"] <= form["gzip"], f"{name}: {page['gzip']} bytes gzip, the form {form['gzip']}"
