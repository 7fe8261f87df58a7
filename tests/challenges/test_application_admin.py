"""Only Challenge reviewers (and superusers) can see, export, download or delete applications;
exports are formula-safe; every look is in the audit log."""

import csv
import io

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import ModelLogEntry

from challenges.models import Application, ConflictDeclaration, PanelMember
from tests.challenges.application_helpers import stored_application
from tests.factories import make_challenge

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(challenge_index):
    challenge = make_challenge(challenge_index, title="Track 311 requests")
    return stored_application(
        challenge,
        organisation_name='=HYPERLINK("http://evil.example","x")',
        contact_name="+Robin Tables",
        email="robin@example.ca",
        phone="-416-555-0100",
        team_size=3,
        proposal_summary="@SUM(1+1)\tand more",
        answers=[{"label": "Q", "display": "=1+1", "value": "=1+1"}],
    )


@pytest.fixture
def users(db, django_user_model):
    call_command("setup_groups", stdout=io.StringIO())
    reviewer = django_user_model.objects.create_user("reviewer", password="x-long-password-1")
    reviewer.groups.add(Group.objects.get(name="Challenge reviewers"))
    editor = django_user_model.objects.create_user("editor", password="x-long-password-1")
    editor.groups.add(Group.objects.get(name="Communications editors"))  # they edit pages, not applications
    superuser = django_user_model.objects.create_superuser("super", password="x-long-password-1")
    return {"anonymous": None, "editor": editor, "reviewer": reviewer, "superuser": superuser}


@pytest.fixture(autouse=True)
def reviewer_on_the_panel(users, application):
    """The reviewer sits on the application's challenge's panel and has declared their conflicts
    (none) since it arrived (challenges/panels.py)."""
    PanelMember.objects.create(challenge=application.challenge, user=users["reviewer"])
    ConflictDeclaration.objects.create(challenge=application.challenge, user=users["reviewer"])


def urls(application) -> dict[str, str]:
    return {
        "list": "/admin/applications/",
        "detail": f"/admin/applications/inspect/{application.pk}/",
        "export": "/admin/applications/?export=csv",
        "file": f"/admin/applications/{application.pk}/attachment/",
    }


ALLOWED = {"reviewer", "superuser"}


@pytest.mark.parametrize("who", ["anonymous", "editor", "reviewer", "superuser"])
@pytest.mark.parametrize("what", ["list", "detail", "export", "file"])
def test_permission_matrix(client, users, application, who, what):
    if users[who] is not None:
        client.force_login(users[who])
    response = client.get(urls(application)[what])
    if who in ALLOWED:
        assert response.status_code == 200
    elif who == "anonymous":
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]
    else:
        assert response.status_code in {302, 403}
        if response.status_code == 302:
            assert "/admin/" in response["Location"]
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert application.reference.encode() not in body
        assert b"Robin Tables" not in body


def test_editors_cannot_delete_applications(client, users, application):
    client.force_login(users["editor"])
    client.post(f"/admin/applications/delete/{application.pk}/")
    assert Application.objects.filter(pk=application.pk).exists()


def test_reviewers_can_delete_and_it_is_logged(client, users, application):
    client.force_login(users["reviewer"])
    response = client.post(f"/admin/applications/delete/{application.pk}/")
    assert response.status_code == 302
    assert not Application.objects.exists()
    assert ModelLogEntry.objects.filter(action="wagtail.delete", user=users["reviewer"]).exists()


def test_viewing_exporting_and_downloading_are_in_the_audit_log(client, users, application):
    client.force_login(users["reviewer"])
    client.get(urls(application)["detail"])
    b"".join(client.get(urls(application)["export"]).streaming_content)
    b"".join(client.get(urls(application)["file"]).streaming_content)
    actions = set(
        ModelLogEntry.objects.filter(user=users["reviewer"], object_id=str(application.pk)).values_list(
            "action", flat=True
        )
    )
    assert {"cio.application.view", "cio.application.export", "cio.application.download"} <= actions


def test_csv_export_neutralises_formulas(client, users, application):
    client.force_login(users["reviewer"])
    response = client.get(urls(application)["export"])
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    row = rows[0]
    assert row["Organisation"].startswith("'=HYPERLINK")
    assert row["Contact name"] == "'+Robin Tables"
    assert row["Phone"] == "'-416-555-0100"
    assert row["Proposal summary"].startswith("'@SUM")
    assert row["Answers"] == "Q: =1+1"  # starts with "Q", so a spreadsheet reads it as text


def test_xlsx_export_neutralises_formulas(client, users, application):
    client.force_login(users["reviewer"])
    response = client.get("/admin/applications/?export=xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    values = [cell.value for cell in next(workbook.active.iter_rows(min_row=2, max_row=2))]
    assert '\'=HYPERLINK("http://evil.example","x")' in values
    assert all(not (isinstance(value, str) and value.startswith("=")) for value in values)


def test_export_honours_the_filters(client, users, application, challenge_index):
    other = make_challenge(challenge_index, title="Another call")
    stored_application(other, organisation_name="Other Org")
    PanelMember.objects.create(challenge=other, user=users["reviewer"])
    ConflictDeclaration.objects.create(challenge=other, user=users["reviewer"])
    client.force_login(users["reviewer"])
    response = client.get(f"/admin/applications/?challenge={other.pk}&export=csv")
    text = b"".join(response.streaming_content).decode()
    assert "Other Org" in text
    assert "Robin Tables" not in text


def test_the_file_downloads_as_an_attachment_that_browsers_will_not_sniff(client, users, application):
    client.force_login(users["reviewer"])
    response = client.get(urls(application)["file"])
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="proposal.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_the_file_has_no_public_url(application, settings):
    assert not application.attachment.path.startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(ValueError, match="not accessible via a URL"):
        application.attachment.url  # noqa: B018


def test_reviewers_record_notes_but_the_status_is_the_chairs_decision(client, users, application):
    client.force_login(users["reviewer"])
    form = client.get(f"/admin/applications/edit/{application.pk}/").content.decode()
    assert 'name="notes"' in form and 'name="status"' not in form
    response = client.post(
        f"/admin/applications/edit/{application.pk}/", {"status": "shortlisted", "notes": "Strong team.", "is_spam": ""}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "received"  # decisions go through the chair (test_panel_review.py)
    assert application.notes == "Strong team."


def test_reviewers_cannot_edit_pages(client, users, challenge_index):
    client.force_login(users["reviewer"])
    response = client.get(f"/admin/pages/{challenge_index.pk}/edit/")
    assert response.status_code in {302, 403}


def test_reviewers_see_each_change_an_applicant_made_and_download_the_earlier_file(client, users, application):
    from django.core.files.base import ContentFile

    from challenges.models import ApplicationVersion
    from tests.challenges.application_helpers import PDF_BYTES

    version = ApplicationVersion(
        application=application,
        number=1,
        saved_at=application.submitted_at,
        answers={"proposal_summary": "The first summary", "answers": []},
        attachment_name="first-draft.pdf",
        attachment_size=len(PDF_BYTES),
        changed=["proposal summary", "proposal (PDF)"],
    )
    version.attachment.save("x.pdf", ContentFile(PDF_BYTES + b"%first"), save=False)
    version.save()
    for who in ("editor", "anonymous"):
        if users[who]:
            client.force_login(users[who])
        response = client.get(f"/admin/applications/{application.pk}/versions/1/attachment/")
        assert response.status_code in {302, 403}
        client.logout()
    client.force_login(users["reviewer"])
    html = client.get(f"/admin/applications/inspect/{application.pk}/").content.decode()
    assert "changed proposal summary, proposal (PDF)" in html
    assert "The first summary" in html and "first-draft.pdf" in html
    response = client.get(f"/admin/applications/{application.pk}/versions/1/attachment/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).endswith(b"%first")
    assert 'filename="first-draft.pdf"' in response["Content-Disposition"]
    assert client.get(f"/admin/applications/{application.pk}/versions/2/attachment/", follow=True).status_code == 404
