"""Tree rules and rendering for every page type."""

import pytest
from wagtail.models import Page

from challenges.models import ChallengeIndexPage, ChallengePage
from home.models import HomePage, StandardPage
from jobs.models import JobIndexPage, JobPostingPage
from news.models import NewsIndexPage, NewsReleasePage
from tests.factories import ChallengeIndexPageFactory, JobIndexPageFactory, NewsReleasePageFactory, make_challenge

pytestmark = pytest.mark.django_db


def test_home_page_can_only_be_created_under_the_root():
    assert HomePage.allowed_parent_page_models() == [Page]


def test_newsroom_is_created_under_a_home_page_only():
    assert NewsIndexPage.allowed_parent_page_models() == [HomePage]
    assert NewsIndexPage.allowed_subpage_models() == [NewsReleasePage]


def test_a_home_page_takes_a_single_newsroom(site_tree):
    assert not NewsIndexPage.can_create_at(site_tree.home)


def test_the_french_home_page_can_take_its_own_newsroom(site_tree):
    assert NewsIndexPage.can_create_at(site_tree.home_fr)


def test_challenge_list_is_created_once_under_a_home_page(site_tree):
    assert ChallengeIndexPage.allowed_parent_page_models() == [HomePage]
    assert ChallengeIndexPage.can_create_at(site_tree.home)
    ChallengeIndexPageFactory(parent=site_tree.home)
    assert not ChallengeIndexPage.can_create_at(site_tree.home)


def test_challenges_live_only_in_a_challenge_list(site_tree):
    index = ChallengeIndexPageFactory(parent=site_tree.home)
    assert ChallengePage.can_create_at(index)
    assert not ChallengePage.can_create_at(site_tree.news_index)
    assert ChallengePage.allowed_subpage_models() == []


def test_challenge_list_and_challenge_render(client, site_tree):
    index = ChallengeIndexPageFactory(parent=site_tree.home)
    challenge = make_challenge(index, title="Shorter waits at counters")
    assert "Shorter waits at counters" in client.get(index.url).content.decode()
    assert "<h1>Shorter waits at counters</h1>" in client.get(challenge.url).content.decode()


def test_releases_live_only_in_a_newsroom(site_tree):
    assert NewsReleasePage.can_create_at(site_tree.news_index)
    assert not NewsReleasePage.can_create_at(site_tree.home)
    assert NewsReleasePage.allowed_subpage_models() == []


def test_home_page_renders_its_hero(client, site_tree):
    response = client.get("/en/")
    assert response.status_code == 200
    assert site_tree.home.hero_heading in response.content.decode()


def test_newsroom_renders_its_releases(client, site_tree):
    release = NewsReleasePageFactory(parent=site_tree.news_index, title="Transit pilot announced")
    response = client.get("/en/news/")
    assert response.status_code == 200
    assert release.title in response.content.decode()


def test_release_renders_headline_lead_and_body(client, site_tree):
    NewsReleasePageFactory(
        parent=site_tree.news_index,
        slug="pilot",
        title="Transit pilot announced",
        lead="Lead sentence.",
        body=[("paragraph", "<p>Body sentence.</p>")],
    )
    html = client.get("/en/news/pilot/").content.decode()
    assert "<h1>Transit pilot announced</h1>" in html
    assert "Lead sentence." in html
    assert "Body sentence." in html


def test_jobs_live_in_a_single_job_list_under_a_home_page(site_tree):
    assert JobIndexPage.allowed_parent_page_models() == [HomePage]
    index = JobIndexPageFactory(parent=site_tree.home)
    assert not JobIndexPage.can_create_at(site_tree.home)
    assert JobPostingPage.can_create_at(index)
    assert not JobPostingPage.can_create_at(site_tree.news_index)


def test_standard_pages_live_under_a_home_page_in_either_language_and_take_no_children(site_tree):
    assert StandardPage.allowed_parent_page_models() == [HomePage]
    assert StandardPage.can_create_at(site_tree.home)
    assert StandardPage.can_create_at(site_tree.home_fr)
    assert not StandardPage.can_create_at(site_tree.news_index)
    assert StandardPage.allowed_subpage_models() == []
