"""Issue 20, conflicts of interest: before reading a challenge's applications a reviewer declares
their conflicts per applicant organisation; a declared conflict hides that organisation's
applications from them everywhere; the declaration is in the audit log."""

import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import ModelLogEntry

from challenges.models import Application, Conflict, ConflictDeclaration, PanelMember
from tests.challenges.application_helpers import stored_application
from tests.factories import make_challenge

pytestmark = pytest.mark.django_db


@pytest.fixture
def panel(challenge_index, django_user_model, client):
    call_command("setup_groups", stdout=io.StringIO())
    challenge = make_challenge(challenge_index, title="Track 311 requests")
    reviewer = django_user_model.objects.create_user("ana", password="x-long-password-1")
    reviewer.groups.add(Group.objects.get(name="Challenge reviewers"))
    PanelMember.objects.create(challenge=challenge, user=reviewer)
    friends = stored_application(challenge, organisation_name="Friends & Co", email="f@example.ca")
    friends_again = stored_application(challenge, organisation_name="FRIENDS & CO", email="g@example.ca")
    strangers = stored_application(challenge, organisation_name="Strangers Ltd.", email="s@example.ca")
    client.force_login(reviewer)
    return {"challenge": challenge, "reviewer": reviewer, "friends": [friends, friends_again], "strangers": strangers}


def declare_url(challenge) -> str:
    return f"/admin/applications/conflicts/{challenge.pk}/"


def text(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


def test_before_declaring_a_reviewer_sees_the_list_but_reads_nothing(client, panel):
    listing = text(client.get("/admin/applications/"))
    assert "Strangers Ltd." in listing  # the names they must declare against
    assert "Declare your conflicts of interest for “Track 311 requests”" in listing
    assert declare_url(panel["challenge"]) in listing
    strangers = panel["strangers"]
    for path in (f"inspect/{strangers.pk}/", f"edit/{strangers.pk}/", f"{strangers.pk}/attachment/"):
        response = client.get(f"/admin/applications/{path}")
        assert response.status_code == 302, path
        assert response["Location"] == declare_url(panel["challenge"]), path
    assert "Strangers Ltd." not in text(client.get("/admin/applications/?export=csv"))
    assert not ModelLogEntry.objects.filter(action="cio.application.view").exists()


def test_the_declaration_must_be_confirmed(client, panel):
    page = text(client.get(declare_url(panel["challenge"])))
    assert page.count('name="conflict"') == 2  # one per organisation, whatever the case of its name
    response = client.post(declare_url(panel["challenge"]), {"conflict": ["Friends & Co"]})
    assert response.status_code == 400
    assert "Tick the box to confirm your declaration" in text(response)
    assert not ConflictDeclaration.objects.exists() and not Conflict.objects.exists()


def test_a_declared_conflict_hides_the_organisations_applications_everywhere(client, panel):
    response = client.post(declare_url(panel["challenge"]), {"conflict": ["Friends & Co"], "confirm": "1"})
    assert response.status_code == 302
    friends, strangers = panel["friends"], panel["strangers"]
    assert Conflict.objects.filter(user=panel["reviewer"]).count() == 2  # both spellings of the name
    listing = text(client.get("/admin/applications/"))
    assert "Strangers Ltd." in listing and "Friends" not in listing and "Declare your conflicts" not in listing
    export = text(client.get("/admin/applications/?export=csv"))
    assert "Strangers Ltd." in export and "Friends" not in export
    for application in friends:
        assert client.get(f"/admin/applications/inspect/{application.pk}/", follow=True).status_code == 404
        assert client.get(f"/admin/applications/{application.pk}/attachment/", follow=True).status_code == 404
    assert client.get(f"/admin/applications/inspect/{strangers.pk}/").status_code == 200
    entry = ModelLogEntry.objects.get(action="cio.conflicts.declare")
    assert entry.user_id == panel["reviewer"].pk
    assert entry.data == {"organisations": 2, "conflicts": ["Friends & Co"]}


def test_an_application_received_after_the_declaration_asks_for_a_new_one(client, panel):
    client.post(declare_url(panel["challenge"]), {"confirm": "1"})
    ConflictDeclaration.objects.update(covers_until=timezone.now() - datetime.timedelta(minutes=1))
    ConflictDeclaration.objects.update(declared_at=timezone.now() - datetime.timedelta(minutes=1))
    Application.objects.exclude(pk=panel["strangers"].pk).update(
        submitted_at=timezone.now() - datetime.timedelta(hours=1)
    )
    late = panel["strangers"]  # arrived after the declaration (submitted_at is now)
    early = panel["friends"][0]
    assert client.get(f"/admin/applications/inspect/{early.pk}/").status_code == 200
    assert client.get(f"/admin/applications/inspect/{late.pk}/")["Location"] == declare_url(panel["challenge"])
    client.post(declare_url(panel["challenge"]), {"confirm": "1"})
    assert client.get(f"/admin/applications/inspect/{late.pk}/").status_code == 200
    assert ModelLogEntry.objects.filter(action="cio.conflicts.declare").count() == 2


def test_another_panels_reviewer_cannot_declare_for_this_challenge(client, panel, challenge_index, django_user_model):
    outsider = django_user_model.objects.create_user("outsider", password="x-long-password-1")
    outsider.groups.add(Group.objects.get(name="Challenge reviewers"))
    PanelMember.objects.create(challenge=make_challenge(challenge_index, title="Another call"), user=outsider)
    client.force_login(outsider)
    assert client.get(declare_url(panel["challenge"]), follow=True).status_code == 404
    assert client.post(declare_url(panel["challenge"]), {"confirm": "1"}, follow=True).status_code == 404
    assert not ConflictDeclaration.objects.exists()


def test_conflicts_go_with_their_application(client, panel):
    client.post(declare_url(panel["challenge"]), {"conflict": ["Friends & Co"], "confirm": "1"})
    for application in panel["friends"]:
        application.delete()
    assert not Conflict.objects.exists()
    assert ConflictDeclaration.objects.count() == 1  # the declaration itself stays, for the record
