"""Issue 20, panels: a reviewer sees, searches, exports and downloads only the applications of the
challenges whose panel they are on, in every path, and a guessed address reveals nothing."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import ModelLogEntry

from challenges.models import ApplicationVersion, ConflictDeclaration, PanelMember
from tests.challenges.application_helpers import PDF_BYTES, stored_application
from tests.factories import make_challenge

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_calls(challenge_index, django_user_model):
    call_command("setup_groups", stdout=io.StringIO())
    mine = make_challenge(challenge_index, title="Track 311 requests")
    theirs = make_challenge(challenge_index, title="Safer school zones")
    reviewers = Group.objects.get(name="Challenge reviewers")
    me = django_user_model.objects.create_user("me", password="x-long-password-1")
    other = django_user_model.objects.create_user("other", password="x-long-password-1")
    for user in (me, other):
        user.groups.add(reviewers)
    PanelMember.objects.create(challenge=mine, user=me)
    PanelMember.objects.create(challenge=theirs, user=other)
    my_application = stored_application(mine, organisation_name="Mine Ltd.", email="mine@example.ca")
    their_application = stored_application(theirs, organisation_name="Theirs Ltd.", email="theirs@example.ca")
    ConflictDeclaration.objects.create(challenge=mine, user=me)  # none declared, after both arrived
    version = ApplicationVersion(
        application=their_application, number=1, saved_at=timezone.now(), attachment_name="old.pdf", changed=["x"]
    )
    from django.core.files.base import ContentFile

    version.attachment.save("old.pdf", ContentFile(PDF_BYTES), save=False)
    version.save()
    return {"mine": mine, "theirs": theirs, "me": me, "my_application": my_application, "theirs_app": their_application}


def body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


def test_the_list_its_search_and_its_exports_hold_only_the_panels_applications(client, two_calls):
    client.force_login(two_calls["me"])
    for url in (
        "/admin/applications/",
        "/admin/applications/?q=Ltd",
        "/admin/applications/?q=theirs@example.ca",
        f"/admin/applications/?challenge={two_calls['theirs'].pk}",
        "/admin/applications/?export=csv",
        "/admin/applications/?export=xlsx",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        if "xlsx" in url:
            import openpyxl

            rows = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows()
            text = " ".join(str(cell.value) for row in rows for cell in row)
        else:
            text = body(response)
        assert "Theirs Ltd." not in text, url
    assert "Mine Ltd." in body(client.get("/admin/applications/"))
    assert "Mine Ltd." in body(client.get("/admin/applications/?export=csv"))


@pytest.mark.parametrize(
    "path",
    [
        "inspect/{pk}/",
        "edit/{pk}/",
        "delete/{pk}/",
        "history/{pk}/",
        "usage/{pk}/",
        "{pk}/attachment/",
        "{pk}/versions/1/attachment/",
    ],
)
def test_a_guessed_address_of_another_panels_application_is_not_found(client, two_calls, path):
    client.force_login(two_calls["me"])
    theirs = two_calls["theirs_app"]
    response = client.get("/admin/applications/" + path.format(pk=theirs.pk), follow=True)
    assert response.status_code == 404
    assert "Theirs Ltd." not in response.content.decode()
    assert not ModelLogEntry.objects.filter(object_id=str(theirs.pk), user=two_calls["me"]).exists()


def test_a_post_to_another_panels_application_changes_nothing(client, two_calls):
    client.force_login(two_calls["me"])
    theirs = two_calls["theirs_app"]
    client.post(f"/admin/applications/edit/{theirs.pk}/", {"status": "selected", "notes": "x"})
    client.post(f"/admin/applications/delete/{theirs.pk}/")
    theirs.refresh_from_db()
    assert (theirs.status, theirs.notes) == ("received", "")


def test_the_dashboard_counts_only_the_panels_applications(client, two_calls):
    stored_application(two_calls["theirs"], organisation_name="Held Ltd.", is_spam=True)
    client.force_login(two_calls["me"])
    html = client.get("/admin/").content.decode()
    assert "Track 311 requests" in html
    assert "Safer school zones" not in html
    assert "is held for a check" not in html and "are held for a check" not in html  # the other panel's


def test_the_applications_button_shows_on_the_panels_challenges_only(client, two_calls):
    client.force_login(two_calls["me"])
    mine = client.get(f"/admin/pages/{two_calls['mine'].pk}/edit/")
    theirs = client.get(f"/admin/pages/{two_calls['theirs'].pk}/edit/")
    # Reviewers edit no page: the header button is checked through the hook itself.
    from challenges.wagtail_hooks import applications_button

    assert list(applications_button(two_calls["mine"], two_calls["me"]))
    assert not list(applications_button(two_calls["theirs"], two_calls["me"]))
    assert mine.status_code in {302, 403} and theirs.status_code in {302, 403}


def test_a_reviewer_on_no_panel_sees_no_application(client, two_calls, django_user_model):
    lonely = django_user_model.objects.create_user("lonely", password="x-long-password-1")
    lonely.groups.add(Group.objects.get(name="Challenge reviewers"))
    client.force_login(lonely)
    text = body(client.get("/admin/applications/?export=csv"))
    assert "Mine Ltd." not in text and "Theirs Ltd." not in text


def test_the_panel_covers_the_french_version_of_the_challenge(client, two_calls, site_tree):
    from wagtail.models import Locale

    from challenges.models import ChallengePage

    mine = two_calls["mine"]
    french_locale = Locale.objects.get(language_code="fr")
    parent = mine.get_parent().specific
    french_parent = parent.get_translation_or_none(french_locale) or parent.copy_for_translation(french_locale)
    if not french_parent.live:
        french_parent.save_revision().publish()
    french = mine.copy_for_translation(french_locale)
    french.save_revision().publish()
    french = ChallengePage.objects.get(pk=french.pk)
    stored_application(french, organisation_name="Française SA")
    client.force_login(two_calls["me"])
    assert "Française SA" in body(client.get("/admin/applications/"))


def test_publishers_manage_the_panels_and_it_is_audited(client, two_calls, django_user_model):
    publisher = django_user_model.objects.create_user("publisher", password="x-long-password-1")
    publisher.groups.add(Group.objects.get(name="Publishers"))
    client.force_login(publisher)
    form = client.get("/admin/review_panels/new/")
    assert form.status_code == 200
    html = form.content.decode()
    assert ">me<" in html and ">publisher<" not in html  # only reviewers can sit on a panel
    response = client.post(
        "/admin/review_panels/new/", {"challenge": two_calls["theirs"].pk, "user": two_calls["me"].pk}
    )
    assert response.status_code == 302
    assert PanelMember.objects.filter(challenge=two_calls["theirs"], user=two_calls["me"]).exists()
    assert ModelLogEntry.objects.filter(action="wagtail.create", content_type__model="panelmember").exists()
    client.force_login(two_calls["me"])
    assert "Theirs Ltd." in body(client.get("/admin/applications/"))
    assert client.get("/admin/review_panels/").status_code in {302, 403}  # reviewers do not manage panels
