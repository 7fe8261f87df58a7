"""The admin dashboard (/admin/): applications this week, challenges closing soon, scheduled
publishing; each shown only to the people it is for, in the same number of queries at any size."""

import datetime
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.utils import timezone
from wagtail.admin.views.home import HomeView
from wagtail.models import GroupPagePermission
from wagtail.users.models import UserProfile

from site_core.local_time import city_zone
from tests.challenges.application_helpers import stored_application
from tests.conftest import assert_constant_queries
from tests.factories import (
    ChallengeIndexPageFactory,
    NewsReleasePageFactory,
    add_live_pages,
    build_challenge,
    make_challenge,
)

pytestmark = pytest.mark.django_db
User = get_user_model()

APPLICATIONS_HEADING = "Applications received in the last 7 days"
CLOSING_HEADING = "Challenges closing in the next 14 days"
SCHEDULED_HEADING = "Scheduled publishing"


def days_from_now(days: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


def schedule_release(parent, go_live_at, **fields):
    """A release published with a go-live time in the future, as the editor's "Publish" does."""
    release = NewsReleasePageFactory(parent=parent, live=False, release_date=go_live_at, **fields)
    release.go_live_at = go_live_at
    release.save_revision().publish()
    return release


def section(html: str, panel_id: str) -> str:
    """The HTML of one dashboard panel (a <section> of its own), or "" when it is not shown."""
    match = re.search(rf'<section[^>]*id="{panel_id}-section".*?</section>', html, re.S)
    return match.group(0) if match else ""


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def challenge_index(site_tree):
    return ChallengeIndexPageFactory(parent=site_tree.home)


@pytest.fixture
def editor_client(client, django_user_model, site_tree):
    """Staff who may edit pages (every page under the home page) but not see applications."""
    group = Group.objects.create(name="Dashboard test editors")
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    for codename in ("add_page", "change_page"):
        GroupPagePermission.objects.create(
            group=group, page=site_tree.home, permission=Permission.objects.get(codename=codename)
        )
    user = django_user_model.objects.create_user("editor", "editor@example.ca", "x-long-password-1")
    user.groups.add(group)
    client.force_login(user)
    return client


@pytest.fixture
def reviewer_client(client, django_user_model, site_tree):
    """Staff who review applications and edit no page."""
    group = Group.objects.create(name="Dashboard test reviewers")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        Permission.objects.get(content_type__app_label="challenges", codename="view_application"),
    )
    user = django_user_model.objects.create_user("reviewer", "reviewer@example.ca", "x-long-password-1")
    user.groups.add(group)
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def content(site_tree, challenge_index):
    closing = make_challenge(challenge_index, title="Track 311 requests", closes=5)
    later = make_challenge(challenge_index, title="Fix the snow plough map", closes=20)
    stored_application(closing, organisation_name="Recent Ltd.", submitted_at=days_from_now(-3))
    stored_application(closing, organisation_name="Also recent Ltd.", submitted_at=days_from_now(-1))
    stored_application(closing, organisation_name="Old Ltd.", submitted_at=days_from_now(-10))
    stored_application(closing, organisation_name="Spam Ltd.", submitted_at=days_from_now(-2), is_spam=True)
    stored_application(later, organisation_name="Old only", submitted_at=days_from_now(-10))
    release = schedule_release(site_tree.news_index, days_from_now(7), title="Embargoed: the pilot results")
    expiring = NewsReleasePageFactory(parent=site_tree.news_index, title="A notice that comes down")
    expiring.expire_at = days_from_now(3)
    expiring.save_revision().publish()
    return {"closing": closing, "later": later, "release": release, "expiring": expiring}


def test_a_superuser_sees_the_three_panels_with_the_right_rows(superuser_client, content):
    response = superuser_client.get("/admin/")
    assert response.status_code == 200
    html = response.content.decode()

    applications = section(html, "cio-recent-applications")
    assert APPLICATIONS_HEADING in text(applications)
    assert "<caption" in applications
    rows = re.findall(r"<tr>.*?</tr>", applications, re.S)[1:]  # after the heading row
    assert len(rows) == 1  # "Fix the snow plough map" only had an application 10 days ago
    cells = [text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", rows[0], re.S)]
    assert cells[0].startswith("Track 311 requests")
    assert cells[2] == "2"  # 3 days and 1 day ago; not 10 days ago, not the spam
    assert cells[4].startswith("1")  # the spam, apart
    assert f'href="/admin/applications/?challenge={content["closing"].pk}"' in applications
    assert "Fix the snow plough map" not in applications

    closing = section(html, "cio-closing-challenges")
    assert CLOSING_HEADING in text(closing)
    assert "Track 311 requests" in closing
    assert f'href="/admin/pages/{content["closing"].pk}/edit/"' in closing
    assert "Fix the snow plough map" not in closing  # closes in 20 days

    scheduled = section(html, "cio-scheduled-publishing")
    assert SCHEDULED_HEADING in text(scheduled)
    going_live, coming_down = scheduled.split("Coming down")
    assert "Embargoed: the pilot results" in going_live
    assert f'href="/admin/pages/{content["release"].pk}/edit/"' in going_live
    assert "News release" in going_live
    assert "A notice that comes down" in coming_down


def test_times_are_toronto_time_whatever_the_editor_s_own_time_zone(superuser_client, site_tree, challenge_index):
    profile = UserProfile.get_for_user(User.objects.get(username="admin"))
    profile.current_time_zone = "Asia/Tokyo"
    profile.save()
    closes_at = days_from_now(5).replace(microsecond=0)
    make_challenge(challenge_index, title="Track 311 requests", closes=closes_at)
    go_live_at = days_from_now(7).replace(microsecond=0)
    schedule_release(site_tree.news_index, go_live_at, title="Next week")
    html = superuser_client.get("/admin/").content.decode()
    closing = section(html, "cio-closing-challenges")
    assert f'datetime="{closes_at.astimezone(city_zone()).isoformat()}"' in closing
    assert "(Toronto time)" in closing
    scheduled = section(html, "cio-scheduled-publishing")
    assert f'datetime="{go_live_at.astimezone(city_zone()).isoformat()}"' in scheduled


def test_wagtail_s_own_review_panels_remain(rf, django_user_model, site_tree):
    """ "Awaiting your review" and "Your pages in a workflow" are Wagtail's: ours sit beside them."""
    request = rf.get("/admin/")
    request.user = django_user_model.objects.create_superuser("boss", "boss@example.ca", "x-long-password-1")
    view = HomeView()
    view.setup(request)
    names = [panel.name for panel in view.get_panels()]
    assert "workflow_objects_to_moderate" in names
    assert "user_objects_in_workflow_moderation" in names
    assert {"cio_recent_applications", "cio_closing_challenges", "cio_scheduled_publishing"} <= set(names)


def test_someone_who_may_not_see_applications_does_not_see_the_panel(editor_client, content):
    html = editor_client.get("/admin/").content.decode()
    assert section(html, "cio-recent-applications") == ""
    assert APPLICATIONS_HEADING not in html
    assert "Recent Ltd." not in html
    # The page panels are there: this editor may edit everything under the home page.
    assert "Track 311 requests" in section(html, "cio-closing-challenges")
    assert "Embargoed: the pilot results" in section(html, "cio-scheduled-publishing")


def test_a_reviewer_sees_applications_but_no_page_panels(reviewer_client, content):
    from challenges.models import PanelMember

    PanelMember.objects.create(challenge=content["closing"], user=reviewer_client.user)
    html = reviewer_client.get("/admin/").content.decode()
    assert "Track 311 requests" in section(html, "cio-recent-applications")
    assert section(html, "cio-closing-challenges") == ""
    assert section(html, "cio-scheduled-publishing") == ""
    assert "Embargoed: the pilot results" not in html  # an embargo is not everyone's business


def test_scheduled_pages_the_user_may_not_edit_are_not_listed(client, django_user_model, content, site_tree):
    """An editor of the challenges section alone does not learn of an embargoed news release."""
    group = Group.objects.create(name="Challenge section editors")
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    GroupPagePermission.objects.create(
        group=group, page=content["closing"].get_parent(), permission=Permission.objects.get(codename="change_page")
    )
    user = django_user_model.objects.create_user("challenge-editor", password="x-long-password-1")
    user.groups.add(group)
    client.force_login(user)
    html = client.get("/admin/").content.decode()
    assert "Track 311 requests" in section(html, "cio-closing-challenges")
    scheduled = section(html, "cio-scheduled-publishing")
    assert "No page is scheduled to go live." in scheduled
    assert "Embargoed: the pilot results" not in html


def test_a_schedule_past_its_time_is_flagged_until_the_scheduler_runs(superuser_client, site_tree, time_machine):
    go_live_at = timezone.now() + datetime.timedelta(seconds=1)
    schedule_release(site_tree.news_index, go_live_at, title="Late release")
    time_machine.move_to(go_live_at + datetime.timedelta(seconds=0.1))  # the minutely job has not run
    scheduled = section(superuser_client.get("/admin/").content.decode(), "cio-scheduled-publishing")
    assert "Late release" in scheduled
    assert "Overdue" in scheduled
    call_command("publish_scheduled", stdout=io.StringIO())
    scheduled = section(superuser_client.get("/admin/").content.decode(), "cio-scheduled-publishing")
    assert "Late release" not in scheduled


def test_empty_states(superuser_client, site_tree):
    html = superuser_client.get("/admin/").content.decode()
    assert "No applications have been received in the last 7 days." in section(html, "cio-recent-applications")
    assert "No live challenge closes in the next 14 days." in section(html, "cio-closing-challenges")
    assert "No page is scheduled to go live." in section(html, "cio-scheduled-publishing")


@pytest.mark.parametrize("who", ["superuser_client", "editor_client"])
def test_the_dashboard_makes_the_same_queries_with_2_or_30_of_everything(request, who, site_tree, challenge_index):
    """The editor's panels filter by page permissions in the query, not per row."""
    client = request.getfixturevalue(who)

    def add_items(count):
        # The releases need Wagtail's real scheduling (a revision with a go-live time), so only the
        # challenges, read from their own rows, are inserted in bulk.
        for challenge in add_live_pages(challenge_index, [build_challenge(closes=5) for _ in range(count)]):
            stored_application(challenge, submitted_at=days_from_now(-3))
            stored_application(challenge, submitted_at=days_from_now(-2), is_spam=True)
            schedule_release(site_tree.news_index, days_from_now(7))

    queries = assert_constant_queries(client, "/admin/", add_items, small=2, large=30)
    html = client.get("/admin/").content.decode()
    if who == "superuser_client":
        assert text(section(html, "cio-recent-applications")).count("Challenge number") == 30
    assert len(re.findall(r"<tr>", section(html, "cio-closing-challenges"))) == 1 + 25  # capped
    assert len(re.findall(r"<tr>", section(html, "cio-scheduled-publishing"))) == 1 + 20  # capped
    print(f"/admin/ for {who}: {queries} queries")
