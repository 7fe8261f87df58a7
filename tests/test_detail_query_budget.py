"""Issue 24 item 4: every public detail page renders in 12 queries or fewer (the home page's budget), the
same number with 10 and with 500 items of what it shows or sits among: sibling challenges and releases
that link to the challenge, sibling releases in both languages, the partner city's stories, sibling job
postings and standard pages. Counted uncached (the page cache is off in the tests), on the second
request, as docs/performance.md says ("Detail pages within 12 queries")."""

import pytest

from challenges.models import ApplicationQuestion
from home.standard import StandardPage
from news.models import NewsReleasePage, NewsReleaseRelatedChallenge
from tests.conftest import assert_constant_queries
from tests.factories import (
    ChallengeIndexPageFactory,
    DivisionFactory,
    JobIndexPageFactory,
    JobPostingPageFactory,
    NewsReleasePageFactory,
    PartnerCityFactory,
    PartnerCityIndexPageFactory,
    PartnerStoryPageFactory,
    TopicFactory,
    add_live_pages,
    build_challenge,
    make_challenge,
)
from tests.home.test_home_page import HOME_QUERY_BUDGET
from tests.home.test_standard_page import StandardPageFactory
from tests.news.test_media_kit import kit_item, photo
from tests.site_core.test_translation_status import translate_fully

pytestmark = pytest.mark.django_db

DETAIL_QUERY_BUDGET = HOME_QUERY_BUDGET  # 12: what every page type was given

CHALLENGE = "/en/challenges/measured-challenge/"
URLS = {
    "challenge": CHALLENGE,
    "apply form": f"{CHALLENGE}apply/",
    "release": "/en/news/measured-release/",
    "release (French)": "/fr/nouvelles/communique-mesure/",
    "partner city": "/en/partner-cities/austin/",
    "partner story": "/en/partner-cities/measured-story/",
    "job posting": "/en/jobs/measured-posting/",
    "standard page": "/en/about/",
}


def test_every_detail_page_renders_within_12_queries_with_10_or_500_items(client, site_tree):
    english, french = site_tree.english, site_tree.french
    division = DivisionFactory(slug="city-managers-office")
    topic = TopicFactory()
    image = photo()  # on every page and card that takes one: their queries are counted too

    challenge_index = ChallengeIndexPageFactory(parent=site_tree.home)
    challenge = make_challenge(
        challenge_index, slug="measured-challenge", division=division, info_session=5, listing_image=image
    )
    challenge.topics = [topic]
    challenge.application_questions = [ApplicationQuestion(label="Why you?")]
    challenge.save_revision().publish()

    release = NewsReleasePageFactory(
        parent=site_tree.news_index,
        slug="measured-release",
        topics=[topic],
        listing_image=image,
        media_kit=[kit_item(image)],
    )
    release.related_challenge_links = [NewsReleaseRelatedChallenge(challenge=challenge)]
    release.save_revision().publish()
    news_fr = translate_fully(site_tree.news_index, french, {"news": "nouvelles"})
    translate_fully(release, french, {"measured-release": "communique-mesure"})

    partners = PartnerCityIndexPageFactory(parent=site_tree.home)
    austin = PartnerCityFactory(name="Austin", slug="austin")
    PartnerStoryPageFactory(
        parent=partners,
        slug="measured-story",
        partner_city=austin,
        topics=[topic],
        image=image,
        image_alt="A street",
        listing_image=image,
    )

    jobs = JobIndexPageFactory(parent=site_tree.home)
    JobPostingPageFactory(parent=jobs, slug="measured-posting", division=division)

    StandardPageFactory(parent=site_tree.home, title="About", slug="about", body=[("paragraph", "<p>Us.</p>")])

    def add_items(count):
        start = NewsReleasePage.objects.count()
        numbers = range(start, start + count)
        challenges = []
        for number in numbers:
            sibling = build_challenge(opens=-number, closes=30, division=division, listing_image=image)
            sibling.topics = [topic]
            challenges.append(sibling)
        add_live_pages(challenge_index, challenges)
        releases = []
        for number in numbers:  # each links to the measured challenge, which lists the latest of them
            sibling = NewsReleasePageFactory.build(
                slug=f"sibling-release-{number}", topics=[topic], listing_image=image
            )
            sibling.related_challenge_links = [NewsReleaseRelatedChallenge(challenge=challenge, locale=english)]
            releases.append(sibling)
        add_live_pages(site_tree.news_index, releases)
        add_live_pages(
            news_fr, [NewsReleasePageFactory.build(slug=f"communique-{number}", locale=french) for number in numbers]
        )
        add_live_pages(
            partners,
            PartnerStoryPageFactory.build_batch(
                count, partner_city=austin, topics=[topic], image=image, image_alt="A street", listing_image=image
            ),
        )
        add_live_pages(jobs, JobPostingPageFactory.build_batch(count, division=division))
        add_live_pages(
            site_tree.home,
            [StandardPageFactory.build(slug=f"standard-{number + StandardPage.objects.count()}") for number in numbers],
        )

    counts = assert_constant_queries(client, list(URLS.values()), add_items)
    by_type = {name: counts[url] for name, url in URLS.items()}
    assert all(count <= DETAIL_QUERY_BUDGET for count in by_type.values()), by_type
    # What the pages show grew with the items (the counts were not of empty pages).
    assert client.get(CHALLENGE).content.decode().count('href="/en/news/sibling-release-') == 2  # of the latest 3
    assert "?page=51" in client.get(URLS["partner city"]).content.decode()  # 10 stories a page
