"""Embargo preview links: a journalist with the link reads the latest draft of a scheduled release
until it goes live; Publishers make and revoke links in the admin, and the history records it."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from wagtail.models import GroupPagePermission, PageLogEntry

from news.models import EmbargoPreviewLink, NewsReleasePage
from news.models.previews import preview_link_is_valid
from tests.factories import NewsIndexPageFactory, NewsReleasePageFactory

pytestmark = pytest.mark.django_db

SECRET = "Embargoed announcement"
DRAFT_ONLY = "A sentence added to the draft after scheduling."
BUTTON = "Share embargo preview"


def schedule_release(parent, go_live_at, title=SECRET, slug="embargoed", **kwargs) -> NewsReleasePage:
    """A release scheduled to go live at `go_live_at` (as in test_embargo_and_partners.py)."""
    release = NewsReleasePageFactory(
        parent=parent, title=title, slug=slug, live=False, release_date=go_live_at, **kwargs
    )
    release.go_live_at = go_live_at
    release.save_revision().publish()
    release.refresh_from_db()
    assert not release.live
    return release


def in_hours(hours: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(hours=hours)


@pytest.fixture
def release(site_tree) -> NewsReleasePage:
    return schedule_release(site_tree.news_index, in_hours(24))


def make_link(page) -> EmbargoPreviewLink:
    return EmbargoPreviewLink.create_for(page, "Toronto Star")


def preview_path(link) -> str:
    return f"/preview/{link.token}/"


def assert_not_found(response):
    """The site's ordinary 404 page (not a redirect to /en/…, not a 500), nothing about the page."""
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body
    assert SECRET not in body and "Embargoed until" not in body
    assert response["Cache-Control"] == "private, no-store"


# The rule ---------------------------------------------------------------------------------------

NOW = datetime.datetime(2026, 5, 1, 12, tzinfo=datetime.UTC)
HOUR = datetime.timedelta(hours=1)


@pytest.mark.parametrize(
    ("revoked_at", "expires_at", "go_live_at", "live", "valid"),
    [
        (None, NOW + HOUR, NOW + HOUR, False, True),  # scheduled, before go-live
        (NOW - HOUR, NOW + HOUR, NOW + HOUR, False, False),  # revoked
        (None, NOW, NOW, False, False),  # at go-live exactly
        (None, NOW - HOUR, NOW - HOUR, False, False),  # past go-live, scheduler not yet run
        (None, NOW - HOUR, NOW - HOUR, True, False),  # live
        (None, NOW + 2 * HOUR, NOW - HOUR, True, False),  # go-live moved earlier, now live
        (None, NOW + 2 * HOUR, NOW - HOUR, False, False),  # go-live moved earlier, passed
        (None, NOW + 2 * HOUR, NOW + HOUR, False, True),  # go-live moved earlier, still ahead
        (None, NOW + HOUR, NOW + 2 * HOUR, False, True),  # go-live moved later (the link keeps its expiry)
        (None, NOW - HOUR, NOW + HOUR, False, False),  # link expired, go-live moved later
        (None, NOW + HOUR, None, False, False),  # no go-live time any more
        (None, NOW + HOUR, None, True, False),  # published right away
    ],
)
def test_the_rule_of_a_preview_link(revoked_at, expires_at, go_live_at, live, valid):
    assert (
        preview_link_is_valid(revoked_at=revoked_at, expires_at=expires_at, go_live_at=go_live_at, live=live, now=NOW)
        is valid
    )


def test_tokens_are_long_random_and_unique(release):
    tokens = {make_link(release).token for _ in range(20)}
    assert len(tokens) == 20
    assert all(len(token) >= 43 for token in tokens)


# The public preview -----------------------------------------------------------------------------


def test_a_valid_link_shows_the_latest_draft_under_a_banner_and_is_never_cached_or_indexed(client, release):
    draft = release.get_latest_revision_as_object()
    draft.lead = DRAFT_ONLY
    draft.save_revision()
    link = make_link(release)

    response = client.get(preview_path(link))

    assert response.status_code == 200
    body = response.content.decode()
    assert SECRET in body and DRAFT_ONLY in body
    assert "Embargoed until" in body and "not for publication" in body
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"
    assert '<meta name="robots" content="noindex, nofollow">' in body
    assert '<html lang="en"' in body
    # The public address of the release still answers 404: the link opens the draft, nothing else.
    assert client.get("/en/news/embargoed/").status_code == 404


def test_the_banner_gives_the_go_live_time_in_toronto_time(client, site_tree):
    go_live_at = datetime.datetime(2099, 1, 15, 14, 30, tzinfo=datetime.UTC)  # 9:30 a.m. in Toronto (EST)
    link = make_link(schedule_release(site_tree.news_index, go_live_at))
    body = client.get(preview_path(link)).content.decode()
    assert "Embargoed until Jan. 15, 2099, 9:30\u202fa.m., Toronto time: not for publication" in body


def test_a_french_release_previews_in_french(client, site_tree):
    news_fr = NewsIndexPageFactory(
        parent=site_tree.home_fr, locale=site_tree.french, title="Nouvelles", slug="nouvelles"
    )
    release_fr = schedule_release(
        news_fr, in_hours(24), title="Annonce sous embargo", slug="annonce", locale=site_tree.french
    )
    response = client.get(preview_path(make_link(release_fr)), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="fr"' in body
    assert "Annonce sous embargo" in body
    assert response["Content-Language"] == "fr"


def test_the_link_dies_when_the_release_goes_live(client, release):
    link = make_link(release)
    assert client.get(preview_path(link)).status_code == 200

    release.go_live_at = timezone.now() - datetime.timedelta(minutes=1)  # the editor publishes now
    release.save_revision().publish()
    release.refresh_from_db()
    assert release.live

    assert_not_found(client.get(preview_path(link)))
    assert client.get("/en/news/embargoed/").status_code == 200


def test_the_link_dies_at_go_live_even_before_the_scheduler_publishes(client, release):
    link = make_link(release)
    NewsReleasePage.objects.filter(pk=release.pk).update(go_live_at=timezone.now() - datetime.timedelta(seconds=1))
    assert_not_found(client.get(preview_path(link)))


def test_moving_go_live_earlier_shortens_the_link(client, release):
    link = make_link(release)  # expires in 24 hours
    release.go_live_at = in_hours(1)
    release.save_revision().publish()  # rescheduled
    link.refresh_from_db()
    assert link.expires_at > in_hours(23)
    assert client.get(preview_path(link)).status_code == 200
    assert link.ends_at() == NewsReleasePage.objects.get(pk=release.pk).go_live_at

    NewsReleasePage.objects.filter(pk=release.pk).update(go_live_at=timezone.now() - datetime.timedelta(seconds=1))
    assert_not_found(client.get(preview_path(link)))


def test_a_release_without_a_go_live_time_has_no_working_link(client, release):
    link = make_link(release)
    NewsReleasePage.objects.filter(pk=release.pk).update(go_live_at=None)
    assert_not_found(client.get(preview_path(link)))


def test_a_revoked_link_is_refused(client, release):
    link = make_link(release)
    link.revoke()
    assert_not_found(client.get(preview_path(link)))


@pytest.mark.parametrize("token", ["not-a-token", "A" * 43, "x" * 64])
def test_an_unknown_token_is_refused_with_the_ordinary_404(client, site_tree, token):
    assert_not_found(client.get(f"/preview/{token}/"))


def test_a_malformed_token_never_reaches_the_view(client, site_tree):
    assert client.get(f"/preview/{'x' * 65}/").status_code in {302, 404}
    assert client.get("/preview/a.b/").status_code in {302, 404}


def test_only_reading_is_allowed(client, release):
    assert client.post(preview_path(make_link(release))).status_code == 405


# The admin --------------------------------------------------------------------------------------


@pytest.fixture
def editor_client(client, django_user_model, site_tree):
    """A staff member who edits and publishes news pages but may not share embargo previews."""
    group = Group.objects.create(name="News editors without sharing")
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=group, page=site_tree.news_index, permission=Permission.objects.get(codename=codename)
        )
    user = django_user_model.objects.create_user("editor", "editor@example.ca", "correct horse battery staple")
    user.groups.add(group)
    client.force_login(user)
    return client


def links_url(page) -> str:
    return f"/admin/embargo-previews/{page.pk}/"


def test_publishers_see_the_button_on_embargoed_releases_only(superuser_client, site_tree, release):
    assert BUTTON in superuser_client.get(f"/admin/pages/{release.pk}/edit/").content.decode()
    assert BUTTON in superuser_client.get(f"/admin/pages/{site_tree.news_index.pk}/").content.decode()
    published = NewsReleasePageFactory(parent=site_tree.news_index, slug="published")
    assert BUTTON not in superuser_client.get(f"/admin/pages/{published.pk}/edit/").content.decode()


def test_staff_without_the_permission_get_no_button_and_no_access(editor_client, site_tree, release):
    edit = editor_client.get(f"/admin/pages/{release.pk}/edit/")
    assert edit.status_code == 200
    assert BUTTON not in edit.content.decode()
    assert BUTTON not in editor_client.get(f"/admin/pages/{site_tree.news_index.pk}/").content.decode()

    assert editor_client.get(links_url(release)).status_code in {302, 403}
    assert editor_client.post(links_url(release)).status_code in {302, 403}
    assert not EmbargoPreviewLink.objects.exists()

    link = make_link(release)
    assert editor_client.post(f"/admin/embargo-previews/links/{link.pk}/revoke/").status_code in {302, 403}
    link.refresh_from_db()
    assert link.revoked_at is None


def test_anonymous_visitors_cannot_reach_the_admin_views(client, release):
    response = client.get(links_url(release))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_publisher_creates_copies_and_revokes_a_link_and_the_history_says_so(superuser_client, release):
    response = superuser_client.post(links_url(release), {"label": "Toronto Star, city desk"})
    assert response.status_code == 302 and response["Location"] == links_url(release)
    link = EmbargoPreviewLink.objects.get()
    assert link.page_id == release.pk
    assert link.label == "Toronto Star, city desk"
    assert link.created_by.username == "admin"
    assert link.expires_at == release.go_live_at

    listing = superuser_client.get(links_url(release))
    assert listing.status_code == 200
    html = listing.content.decode()
    assert f"http://testserver/preview/{link.token}/" in html
    assert 'data-status="active"' in html
    assert superuser_client.get(preview_path(link)).status_code == 200

    assert superuser_client.post(f"/admin/embargo-previews/links/{link.pk}/revoke/").status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert 'data-status="revoked"' in superuser_client.get(links_url(release)).content.decode()
    assert_not_found(superuser_client.get(preview_path(link)))

    entries = PageLogEntry.objects.filter(page=release, action__startswith="cio.preview_link").order_by("pk")
    assert [entry.action for entry in entries] == ["cio.preview_link_created", "cio.preview_link_revoked"]
    assert all(entry.user.username == "admin" and entry.data["link_id"] == link.pk for entry in entries)
    assert all(link.token not in str(entry.data) for entry in entries)
    history = superuser_client.get(f"/admin/pages/{release.pk}/history/").content.decode()
    assert "Created an embargo preview link" in history and "Revoked an embargo preview link" in history


def test_revoking_needs_a_post(superuser_client, release):
    link = make_link(release)
    assert superuser_client.get(f"/admin/embargo-previews/links/{link.pk}/revoke/").status_code == 405
    link.refresh_from_db()
    assert link.revoked_at is None


def test_a_release_not_under_embargo_gets_no_link_and_a_clear_message(superuser_client, site_tree):
    published = NewsReleasePageFactory(parent=site_tree.news_index, slug="published")
    listing = superuser_client.get(links_url(published)).content.decode()
    assert "no go-live time in the future" in listing
    assert "Create a preview link" not in listing

    response = superuser_client.post(links_url(published), follow=True)
    assert response.status_code == 200
    assert "has no go-live time in the future, so it is not under embargo" in response.content.decode()
    assert not EmbargoPreviewLink.objects.exists()
    assert not PageLogEntry.objects.filter(action="cio.preview_link_created").exists()


def test_links_are_for_news_releases_only(superuser_client, site_tree):
    # (LocaleMiddleware sends admin 404s through /en/admin/…, which 404s in turn.)
    assert superuser_client.get(links_url(site_tree.news_index), follow=True).status_code == 404
    assert superuser_client.post(links_url(site_tree.news_index), follow=True).status_code == 404
    assert not EmbargoPreviewLink.objects.exists()
