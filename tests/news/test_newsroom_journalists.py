"""What journalists need from the newsroom (issue 23): the release time, the related challenges, the
pinned release labelled on the home page, no empty archives, and a label on each embargo preview link."""

import datetime

import pytest
from django.utils import translation
from django.utils.translation import pgettext
from wagtail.models import PageViewRestriction

from news.models import EmbargoPreviewLink, NewsIndexPage, NewsReleasePage
from news.models.newsroom import period_has_releases
from site_core.local_time import city_zone
from site_core.text.locale_formats import datetime_text
from tests.conftest import assert_constant_queries
from tests.factories import NewsReleasePageFactory
from tests.factories.challenges import ChallengeIndexPageFactory, make_challenge
from tests.news.test_embargo_previews import links_url, preview_path, schedule_release

pytestmark = pytest.mark.django_db

MOMENT = datetime.datetime(2017, 3, 10, 9, 30, tzinfo=city_zone())  # 9:30 a.m. EST


@pytest.fixture
def newsrooms(site_tree):
    """The English newsroom and its French twin, each with one release on 10 March 2017 at 9:30."""
    news_fr = site_tree.news_index.copy_for_translation(site_tree.french)
    news_fr.title, news_fr.slug = "Nouvelles", "nouvelles"
    news_fr.save_revision().publish()
    news_fr = NewsIndexPage.objects.get(pk=news_fr.pk)
    english = NewsReleasePageFactory(
        parent=site_tree.news_index, title="Transit pilot", slug="transit", release_date=MOMENT
    )
    french = NewsReleasePageFactory(
        parent=news_fr, locale=site_tree.french, title="Projet pilote", slug="projet", release_date=MOMENT
    )
    return {"en": (site_tree.news_index, english), "fr": (news_fr, french)}


def time_element(language: str) -> str:
    with translation.override(language):
        return f'<time datetime="2017-03-10T09:30:00-05:00">{datetime_text(MOMENT)}</time>'


# --- the release time ---------------------------------------------------------------------------


def test_the_english_release_time_reads_as_canadian_english():
    assert time_element("en") == '<time datetime="2017-03-10T09:30:00-05:00">March 10, 2017, 9:30\u202fa.m.</time>'


def test_the_french_release_time_reads_as_canadian_french():
    assert time_element("fr") == '<time datetime="2017-03-10T09:30:00-05:00">10 mars 2017, 9\u00a0h\u00a030</time>'


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_release_page_gives_its_release_time_in_toronto_time(client, newsrooms, language):
    _newsroom, release = newsrooms[language]
    html = client.get(release.url).content.decode()
    assert f'<p class="release__date">{time_element(language)}' in html
    with translation.override(language):
        assert translation.gettext("Toronto time") in html.split('class="release__date"')[1].split("</p>")[0]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_newsroom_cards_give_the_release_time(client, newsrooms, language):
    newsroom, _release = newsrooms[language]
    html = client.get(newsroom.url).content.decode()
    assert f'<p class="card__meta">{time_element(language)}</p>' in html


# --- related challenges -------------------------------------------------------------------------


@pytest.fixture
def challenges(site_tree):
    index = ChallengeIndexPageFactory(parent=site_tree.home)
    public = make_challenge(index, title="Public call", slug="public-call")
    draft = make_challenge(index, title="Draft call", slug="draft-call")
    draft.unpublish()
    private = make_challenge(index, title="Private call", slug="private-call")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    return public, draft, private


def link_challenges(release, *pages):
    for page in pages:
        release.related_challenge_links.add(release.related_challenge_links.model(challenge=page))
    release.save_revision().publish()


def test_a_release_links_its_live_public_challenges_only(client, newsrooms, challenges):
    public, draft, private = challenges
    _newsroom, release = newsrooms["en"]
    link_challenges(release, draft, public, private)
    html = client.get(release.url).content.decode()
    section = html.split('aria-labelledby="release-challenges"')[1].split("</section>")[0]
    assert "Related challenge</h2>" in section  # one: singular
    assert f'<a href="{public.url}">Public call</a>' in section
    assert "Draft call" not in html and "Private call" not in html


def test_a_french_release_links_its_challenges_under_a_french_heading(client, newsrooms, challenges):
    public, _draft, _private = challenges
    _newsroom, release = newsrooms["fr"]
    link_challenges(release, public)  # not translated yet: the link points at the original
    html = client.get(release.url).content.decode()
    with translation.override("fr"):
        heading = translation.ngettext("Related challenge", "Related challenges", 1)
    assert f'<h2 id="release-challenges">{heading}</h2>' in html
    assert f'<a href="{public.url}">Public call</a>' in html


def test_a_release_without_public_related_challenges_has_no_such_section(client, newsrooms, challenges):
    _public, draft, private = challenges
    _newsroom, release = newsrooms["en"]
    link_challenges(release, draft, private)
    assert "release-challenges" not in client.get(release.url).content.decode()


def test_the_release_page_reads_its_related_challenges_in_the_same_queries_with_1_or_6(client, site_tree):
    index = ChallengeIndexPageFactory(parent=site_tree.home)
    release = NewsReleasePageFactory(parent=site_tree.news_index, slug="launch")

    def add_challenges(count):
        link_challenges(release, *(make_challenge(index) for _ in range(count)))

    assert_constant_queries(client, "/en/news/launch/", add_challenges, small=1, large=6)


# --- the pinned release on the home page ---------------------------------------------------------


def pin(home, release):
    home.featured_release = release
    home.save_revision().publish()


def latest_news_cards(html: str) -> list[str]:
    section = html.split('aria-labelledby="latest-news"')[1].split("</section>")[0]
    return section.split("<li>")[1:]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_latest_news_labels_the_pinned_release_only(client, site_tree, newsrooms, language):
    newsroom, _release = newsrooms[language]
    old = NewsReleasePageFactory(
        parent=newsroom,
        locale=newsroom.locale,
        title="Old but pinned",
        slug="old",
        release_date=MOMENT.replace(year=2016),
    )
    NewsReleasePageFactory(parent=newsroom, locale=newsroom.locale, title="Newest", slug="newest")
    home = site_tree.home if language == "en" else site_tree.home_fr
    pin(home, old)
    with translation.override(language):
        label = pgettext("a release shown first", "Pinned")
    cards = latest_news_cards(client.get(home.url).content.decode())
    assert "Old but pinned" in cards[0]
    assert f'<span class="status-badge status-badge--pinned">{label}</span>' in cards[0]
    assert not [card for card in cards[1:] if "status-badge--pinned" in card]


def test_latest_news_has_no_pinned_label_without_a_pinned_release(client, site_tree, newsrooms):
    assert "status-badge--pinned" not in client.get("/en/").content.decode()


# --- archives -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("1999/", 404),
        ("2016/", 404),
        ("2017/04/", 404),
        ("2017/02/", 404),
        ("2017/", 200),
        ("2017/03/", 200),
    ],
)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_only_archive_periods_with_releases_exist(client, newsrooms, language, path, status):
    newsroom, _release = newsrooms[language]
    assert client.get(f"{newsroom.url}{path}").status_code == status


def test_an_archive_empties_when_its_last_release_is_unpublished(client, newsrooms):
    _newsroom, release = newsrooms["en"]
    assert client.get("/en/news/2017/03/").status_code == 200
    NewsReleasePage.objects.get(pk=release.pk).unpublish()
    assert client.get("/en/news/2017/03/").status_code == 404
    assert client.get("/fr/nouvelles/2017/03/").status_code == 200  # the French one still has its release


def test_an_archive_names_its_twin_only_where_that_language_has_releases_then(client, newsrooms):
    _newsroom, english = newsrooms["en"]
    NewsReleasePageFactory(parent=english.get_parent(), slug="june", release_date=MOMENT.replace(month=6))
    assert 'rel="alternate" hreflang="fr"' in client.get("/en/news/2017/03/").content.decode()
    assert 'rel="alternate" hreflang="fr"' not in client.get("/en/news/2017/06/").content.decode()  # none in French


def test_period_has_releases_reads_years_and_months():
    periods = [{"year": 2017, "count": 2, "months": [{"month": 3}, {"month": 6}]}]
    assert period_has_releases(periods, 2017)
    assert period_has_releases(periods, 2017, 6)
    assert not period_has_releases(periods, 2017, 4)
    assert not period_has_releases(periods, 1999)


# --- embargo preview link labels ----------------------------------------------------------------


@pytest.fixture
def embargoed(site_tree):
    return schedule_release(site_tree.news_index, MOMENT.replace(year=2099))


def test_a_preview_link_needs_a_label_saying_who_it_is_for(superuser_client, embargoed):
    for label in ("", "   "):
        response = superuser_client.post(links_url(embargoed), {"label": label})
        assert response.status_code == 400
        assert "This field is required." in response.content.decode()
    assert not EmbargoPreviewLink.objects.exists()


def test_the_label_is_listed_for_editors_but_never_shown_to_the_journalist(client, superuser_client, embargoed):
    response = superuser_client.post(links_url(embargoed), {"label": "  Toronto   Star, city desk "})
    assert response.status_code == 302
    link = EmbargoPreviewLink.objects.get()
    assert link.label == "Toronto Star, city desk"
    listing = superuser_client.get(links_url(embargoed)).content.decode()
    assert "<td>Toronto Star, city desk</td>" in listing
    assert "Sent to" in listing
    preview = client.get(preview_path(link))
    assert preview.status_code == 200
    assert "Toronto Star" not in preview.content.decode()


def test_the_create_form_labels_its_field(superuser_client, embargoed):
    html = superuser_client.get(links_url(embargoed)).content.decode()
    assert 'name="label"' in html and "required" in html.split('name="label"')[1].split(">")[0]
