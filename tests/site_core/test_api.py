"""The read-only API at /api/v2/pages/: live, public pages only, exactly the documented fields of each
page type (docs/open-data.md), nothing staff-only, and a fixed number of queries per request."""

import datetime

import pytest
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page, PageViewRestriction, get_page_models
from wagtail.search.backends import get_search_backend

from challenges.models import KeyDateKind, ResultsPage
from home.standard import StandardPage
from news.models import NewsReleasePage
from tests.challenges.application_helpers import stored_application
from tests.conftest import assert_constant_queries
from tests.factories import (
    BoilerplateFactory,
    ChallengeIndexPageFactory,
    DivisionFactory,
    JobIndexPageFactory,
    JobPostingPageFactory,
    MediaContactFactory,
    NewsReleasePageFactory,
    PartnerCityFactory,
    PartnerCityIndexPageFactory,
    PartnerStoryPageFactory,
    TopicFactory,
    add_live_pages,
    build_challenge,
    make_challenge,
)

pytestmark = pytest.mark.django_db

API = "/api/v2/pages/"

# --- the documented whitelist (docs/open-data.md) ---------------------------------------------------

META = {
    "type",
    "detail_url",
    "html_url",
    "slug",
    "seo_title",
    "search_description",
    "first_published_at",
    "last_published_at",
    "locale",
    "parent",
}
LISTING = {"id", "meta", "title", "listing_title", "listing_summary", "listing_image"}
FIELDS = {
    "home.HomePage": LISTING
    | {"hero_heading", "hero_text", "hero_image", "hero_cta_label", "hero_cta_page", "featured_release", "body"},
    "home.StandardPage": LISTING | {"intro", "body"},
    "challenges.ChallengeIndexPage": LISTING | {"intro"},
    "challenges.ChallengePage": LISTING
    | {
        "status",
        "summary",
        "problem_statement",
        "who_is_affected",
        "success_looks_like",
        "division",
        "topics",
        "key_dates",
        "announcements",
        "partners",
        "eligibility",
        "evaluation_criteria",
        "award_value",
        "award_amount",
        "stint_length_weeks",
        "procurement_path",
        "how_to_apply",
        "resources",
        "faq",
        "outcome_summary",
        "selected_teams",
        "procurement_outcome",
        "council_reports",
    },
    "challenges.ResultsPage": LISTING | {"intro"},
    "news.NewsIndexPage": LISTING | {"intro"},
    "news.NewsReleasePage": LISTING
    | {
        "release_type",
        "release_date",
        "lead",
        "body",
        "media_kit",
        "topics",
        "boilerplates",
        "media_contacts",
        "related_challenges",
    },
    "news.PartnerCityIndexPage": LISTING | {"intro"},
    "news.PartnerStoryPage": LISTING | {"partner_city", "story_date", "summary", "image", "body", "topics"},
    "jobs.JobIndexPage": LISTING | {"intro"},
    "jobs.JobPostingPage": LISTING
    | {
        "is_open",
        "job_id",
        "division",
        "employment_type",
        "positions",
        "salary_min",
        "salary_max",
        "salary_period",
        "hours",
        "street_address",
        "locality",
        "region",
        "postal_code",
        "country",
        "work_arrangement",
        "posting_date",
        "closes_at",
        "summary",
        "responsibilities",
        "qualifications",
        "offer",
        "apply_url",
        "apply_email",
        "accommodation_statement",
    },
}
DETAIL_ONLY = {"body", "resources", "media_kit"}  # and meta.parent
SNIPPET_KEYS = {
    "division": {"name", "slug", "website"},
    "topics": {"name", "slug"},
    "partner_city": {"name", "slug", "region", "country", "program", "website"},
    "media_contacts": {"office", "organisation", "phone", "email"},
    "boilerplates": {"title", "body"},
    "key_dates": {"kind", "starts_at", "ends_at", "location", "online_url"},
    "announcements": {"published_at", "title", "body"},
}
RENDITION_KEYS = {"url", "full_url", "width", "height", "alt"}

STAFF_EMAIL = "challenge.lead.private@example.ca"
SECRET_QUESTION = "Internal scoring note for reviewers"
APPLICANT = "Confidential Applicant Ltd."


def image(title="Pilot", description=""):
    return get_image_model().objects.create(title=title, description=description, file=get_test_image_file())


@pytest.fixture
def content(site_tree):
    """One live page of every type, with every relation filled, and private values to look for."""
    division = DivisionFactory(name="Transportation Services", slug="transportation", website="https://example.ca")
    topic = TopicFactory(name="Open data", slug="open-data")
    challenges = ChallengeIndexPageFactory(parent=site_tree.home, intro="Calls for innovators.")
    challenge = make_challenge(
        challenges,
        title="Safer school zones",
        division=division,
        info_session=5,
        contact_email=STAFF_EMAIL,
        retention_months=36,
        award_value="Up to $60,000",
        award_amount=60000,
        listing_image=image("Card", description="Children crossing a street"),
        outcome_summary='<p>See <a href="https://example.ca/report">the report</a>.</p>',
        selected_teams="Team A\nTeam B",
        publish=False,
    )
    challenge.topics.add(topic)
    challenge.questions.add(challenge.questions.model(label=SECRET_QUESTION, field_type="text"))
    challenge.announcements.add(challenge.announcements.model(title="Deadline extended", body="<p>By a week.</p>"))
    challenge.save_revision().publish()
    stored_application(challenge, organisation_name=APPLICANT)

    release = NewsReleasePageFactory(parent=site_tree.news_index, title="City launches school zone pilot")
    release.topics.add(topic)
    release.boilerplate_links.add(release.boilerplate_links.model(boilerplate=BoilerplateFactory()))
    release.media_contact_links.add(release.media_contact_links.model(media_contact=MediaContactFactory()))
    release.related_challenge_links.add(release.related_challenge_links.model(challenge=challenge))
    release.save_revision().publish()

    partners = PartnerCityIndexPageFactory(parent=site_tree.home)
    story = PartnerStoryPageFactory(
        parent=partners, partner_city=PartnerCityFactory(), image=image("Story"), image_alt="A team at work"
    )
    jobs = JobIndexPageFactory(parent=site_tree.home)
    posting = JobPostingPageFactory(parent=jobs, division=division, apply_email="jobs@example.ca")
    about = site_tree.home.add_child(
        instance=StandardPage(
            title="About the office", slug="about", intro="Who we are.", body=[("paragraph", "<p>Since 2017.</p>")]
        )
    )
    about.save_revision().publish()
    results = site_tree.home.add_child(instance=ResultsPage(title="Results", slug="results", intro="Outcomes."))
    results.save_revision().publish()
    home = site_tree.home
    home.hero_image = image("Hero", description="Decorative shapes")
    home.hero_cta_page = challenges
    home.featured_release = release
    home.save_revision().publish()
    return {
        "home.HomePage": home,
        "challenges.ChallengeIndexPage": challenges,
        "challenges.ChallengePage": challenge,
        "news.NewsIndexPage": site_tree.news_index,
        "news.NewsReleasePage": release,
        "news.PartnerCityIndexPage": partners,
        "news.PartnerStoryPage": story,
        "jobs.JobIndexPage": jobs,
        "jobs.JobPostingPage": posting,
        "home.StandardPage": about,
        "challenges.ResultsPage": results,
    }


def detail(client, page, query=""):
    response = client.get(f"{API}{page.pk}/{query}")
    assert response.status_code == 200, response.content
    return response.json()


# --- exactly the documented fields ---------------------------------------------------------------


@pytest.mark.parametrize("page_type", sorted(FIELDS))
def test_detail_shows_exactly_the_documented_fields(client, content, page_type):
    data = detail(client, content[page_type])
    assert data["meta"]["type"] == page_type
    assert set(data) == FIELDS[page_type]
    assert set(data["meta"]) == META
    for name, keys in SNIPPET_KEYS.items():
        if data.get(name):
            items = data[name] if isinstance(data[name], list) else [data[name]]
            assert all(set(item) == keys for item in items), (name, items)


@pytest.mark.parametrize("page_type", sorted(FIELDS))
def test_all_fields_is_the_same_list(client, content, page_type):
    page = content[page_type]
    assert detail(client, page, "?fields=*") == detail(client, page)


@pytest.mark.parametrize("page_type", sorted(FIELDS))
def test_listing_of_one_type_with_all_fields_leaves_out_only_the_long_content(client, content, page_type):
    response = client.get(f"{API}?type={page_type}&fields=*&locale=en")
    assert response.status_code == 200
    (item,) = response.json()["items"]
    assert set(item) == FIELDS[page_type] - DETAIL_ONLY
    assert set(item["meta"]) == META - {"parent"}


def test_default_listing_fields(client, content):
    items = client.get(API).json()["items"]
    assert len(items) == len(content) + 1  # and the French home page
    for item in items:
        assert set(item) == {"id", "meta", "title"}
        assert set(item["meta"]) == {"type", "detail_url", "html_url", "slug", "first_published_at", "locale"}


def test_every_page_type_has_a_documented_whitelist():
    page_types = {f"{model._meta.app_label}.{model.__name__}" for model in get_page_models() if model is not Page}
    assert page_types == set(FIELDS)


@pytest.mark.parametrize("field", sorted(DETAIL_ONLY))
def test_long_content_is_not_offered_in_listings(client, content, field):
    response = client.get(f"{API}?type=news.NewsReleasePage&fields=title,{field}")
    assert response.status_code == 400


@pytest.mark.parametrize(
    "field",
    [
        "contact_email",  # the staff contact, where notifications go
        "retention_months",
        "questions",  # the application form's configuration
        "applications",
        "owner",
        "locked_by",
        "latest_revision",
        "live_revision",
        "draft_title",
        "alias_of",
        "show_in_menus",
        "has_unpublished_changes",
        "go_live_at",
        "translation_key",
        "opens_at",
        "no_such_field",
    ],
)
def test_asking_for_a_private_or_unknown_field_is_a_bad_request(client, content, field):
    challenge = content["challenges.ChallengePage"]
    for url in [f"{API}{challenge.pk}/?fields={field}", f"{API}?type=challenges.ChallengePage&fields={field}"]:
        response = client.get(url)
        assert response.status_code == 400, url
        assert "unknown fields" in response.json()["message"]


@pytest.mark.parametrize("parameter", ["contact_email=x", "order=contact_email", "owner=1", "retention_months=36"])
def test_filtering_or_ordering_by_a_private_field_is_a_bad_request(client, content, parameter):
    response = client.get(f"{API}?type=challenges.ChallengePage&{parameter}")
    assert response.status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        "first_published_at=tomorrow",
        "type=challenges.ChallengePage&award_amount=lots",
        "type=challenges.ChallengePage&topics=abc",
        "type=challenges.ChallengePage&division=abc",
        "type=challenges.Application",
        "type=nope",
        "limit=abc",
        "limit=1000",
        "offset=-1",
        "offset=9223372036854775808",  # past a 64-bit integer: was a 500 on both databases
        "offset=1000001",
        "child_of=abc",
        "locale=xx",
        "fields=title(",
        "rich_text_format=pdf",
    ],
)
def test_bad_parameters_are_bad_requests_not_errors(client, content, query):
    response = client.get(f"{API}?{query}")
    assert response.status_code == 400, (query, response.status_code)
    assert response.json()["message"]


def test_no_private_value_appears_anywhere(client, superuser_client, content):
    for each in [client, superuser_client]:
        texts = [each.get(f"{API}?type={page_type}&fields=*").content.decode() for page_type in FIELDS]
        texts += [each.get(f"{API}{page.pk}/").content.decode() for page in content.values()]
        for text in texts:
            assert STAFF_EMAIL not in text
            assert SECRET_QUESTION not in text
            assert APPLICANT not in text
            assert "alex@example.ca" not in text and "sam@example.ca" not in text


# --- values -------------------------------------------------------------------------------------


def test_challenge_values(client, content):
    data = detail(client, content["challenges.ChallengePage"])
    assert data["status"] == "open"
    assert data["division"] == {
        "name": "Transportation Services",
        "slug": "transportation",
        "website": "https://example.ca",
    }
    assert data["topics"] == [{"name": "Open data", "slug": "open-data"}]
    assert [key_date["kind"] for key_date in data["key_dates"]] == [
        KeyDateKind.OPENS,
        KeyDateKind.INFO_SESSION,
        KeyDateKind.CLOSES,
    ]
    opens = datetime.datetime.fromisoformat(data["key_dates"][0]["starts_at"])
    assert opens.utcoffset() in {datetime.timedelta(hours=-5), datetime.timedelta(hours=-4)}  # Toronto time
    assert data["award_amount"] == "60000.00"
    assert data["selected_teams"] == "Team A\nTeam B"
    # Rich text is display HTML by default; ?rich_text_format= picks another format.
    assert data["outcome_summary"] == '<p>See <a href="https://example.ca/report">the report</a>.</p>'
    markdown = detail(client, content["challenges.ChallengePage"], "?rich_text_format=markdown")
    assert markdown["outcome_summary"].strip() == "See [the report](https://example.ca/report)."
    assert data["announcements"][0]["body"] == "<p>By a week.</p>"
    assert data["meta"]["parent"]["id"] == content["challenges.ChallengeIndexPage"].pk
    assert data["meta"]["html_url"] == "http://testserver" + content["challenges.ChallengePage"].url


def test_images_are_renditions_with_their_text_alternative(client, content):
    challenge = detail(client, content["challenges.ChallengePage"])
    assert set(challenge["listing_image"]) == RENDITION_KEYS
    assert (challenge["listing_image"]["width"], challenge["listing_image"]["height"]) == (640, 360)
    assert challenge["listing_image"]["alt"] == "Children crossing a street"
    story = detail(client, content["news.PartnerStoryPage"])
    assert story["image"]["alt"] == "A team at work"  # the page's own description of its image
    home = detail(client, content["home.HomePage"])
    assert home["hero_image"]["alt"] == ""  # decorative, as on the page
    assert home["hero_cta_page"]["url"] == "http://testserver/en/challenges/"
    assert home["featured_release"]["title"] == "City launches school zone pilot"


def test_release_links_are_small_dicts(client, content):
    data = detail(client, content["news.NewsReleasePage"])
    assert data["related_challenges"] == [
        {
            "id": content["challenges.ChallengePage"].pk,
            "title": "Safer school zones",
            "url": "http://testserver" + content["challenges.ChallengePage"].url,
        }
    ]
    assert data["media_contacts"][0]["organisation"] == "City of Toronto"
    assert data["body"] == [
        {"type": "paragraph", "id": data["body"][0]["id"], "value": "<p>More details about the initiative.</p>"}
    ]


def test_links_to_unpublished_or_private_pages_are_left_out(client, content):
    challenge = content["challenges.ChallengePage"]
    challenge.unpublish()
    release = detail(client, content["news.NewsReleasePage"])
    assert release["related_challenges"] == []
    home = content["home.HomePage"]
    PageViewRestriction.objects.create(page=content["challenges.ChallengeIndexPage"], restriction_type="login")
    assert detail(client, home)["hero_cta_page"] is None


# --- only live, public content ------------------------------------------------------------------


def listed_ids(client, query="") -> set[int]:
    return {item["id"] for item in client.get(f"{API}?limit=20{query}").json()["items"]}


@pytest.mark.parametrize(
    "restriction",
    [{"restriction_type": "password", "password": "letmein"}, {"restriction_type": "login"}],
)
def test_view_restricted_pages_and_their_sections_are_absent(client, superuser_client, content, restriction):
    challenges = content["challenges.ChallengeIndexPage"]
    challenge = content["challenges.ChallengePage"]
    PageViewRestriction.objects.create(page=challenges, **restriction)
    for each in [client, superuser_client]:  # a signed-in editor sees no more than anyone
        assert each.get(f"{API}{challenges.pk}/").status_code == 404
        assert each.get(f"{API}{challenge.pk}/").status_code == 404
        assert not {challenges.pk, challenge.pk} & listed_ids(each)
        assert not listed_ids(each, "&type=challenges.ChallengePage")
        assert each.get(f"{API}find/?html_path=/challenges/").status_code == 404


def test_a_visitor_who_knows_the_password_sees_no_more(client, content):
    challenge = content["challenges.ChallengePage"]
    restriction = PageViewRestriction.objects.create(page=challenge, restriction_type="password", password="letmein")
    session = client.session
    session[PageViewRestriction.passed_view_restrictions_session_key] = [restriction.pk]
    session.save()
    assert client.get(challenge.url).status_code == 200  # the page itself opens for this visitor
    assert client.get(f"{API}{challenge.pk}/").status_code == 404


def test_pages_never_published_are_absent(client, content):
    draft = make_challenge(content["challenges.ChallengeIndexPage"], title="Draft call", live=False, publish=False)
    draft.save_revision()
    assert client.get(f"{API}{draft.pk}/").status_code == 404
    assert draft.pk not in listed_ids(client)


def test_draft_changes_to_a_live_page_stay_unpublished(client, content):
    challenge = content["challenges.ChallengePage"]
    challenge.title = "Unpublished new title"
    challenge.summary = "Unpublished summary"
    challenge.save_revision()
    data = detail(client, challenge)
    assert data["title"] == "Safer school zones"
    assert data["summary"] == "Help the City solve a service problem."


def test_embargoed_releases_are_absent_until_they_go_live(client, content, site_tree):
    embargoed = NewsReleasePageFactory(parent=site_tree.news_index, title="Embargoed release", live=False)
    embargoed.go_live_at = timezone.now() + datetime.timedelta(days=1)
    embargoed.save_revision().publish()  # scheduled, not live
    assert not NewsReleasePage.objects.get(pk=embargoed.pk).live
    assert client.get(f"{API}{embargoed.pk}/").status_code == 404
    assert embargoed.pk not in listed_ids(client, "&type=news.NewsReleasePage")

    # A scheduled new version of a live release stays hidden too: the API shows the live version.
    release = NewsReleasePage.objects.get(pk=content["news.NewsReleasePage"].pk)
    release.title = "Embargoed new version"
    release.go_live_at = timezone.now() + datetime.timedelta(days=1)
    release.save_revision().publish()
    assert release.revisions.filter(approved_go_live_at__isnull=False).exists()
    assert detail(client, release)["title"] == "City launches school zone pilot"


def test_french_pages_with_locale(client, content, site_tree):
    ids = listed_ids(client, "&locale=fr")
    assert ids == {site_tree.home_fr.pk}
    data = detail(client, site_tree.home_fr)
    assert data["meta"]["locale"] == "fr"
    assert data["title"] == "Accueil"


# --- read-only, cacheable -----------------------------------------------------------------------


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_is_read_only(client, superuser_client, content, method):
    challenge = content["challenges.ChallengePage"]
    for each in [client, superuser_client]:
        for url in [API, f"{API}{challenge.pk}/"]:
            response = getattr(each, method)(url, data={"title": "Changed"}, content_type="application/json")
            assert response.status_code == 405, (method, url)
    challenge.refresh_from_db()
    assert challenge.title == "Safer school zones"


def test_responses_are_json_and_cacheable_by_anyone(client, content):
    response = client.get(API, HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    assert response["Content-Type"] == "application/json"
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    assert "Set-Cookie" not in response.headers


# --- a fixed number of queries --------------------------------------------------------------------


def test_listings_take_the_same_queries_with_10_or_500_challenges(client, site_tree):
    index = ChallengeIndexPageFactory(parent=site_tree.home)
    division = DivisionFactory()
    topics = [TopicFactory(), TopicFactory()]
    card = image("Card")

    def add_challenges(count):
        challenges = []
        for number in range(count):
            challenge = build_challenge(opens=-number, closes=30, info_session=3, division=division, listing_image=card)
            challenge.topics = topics
            challenge.announcements.add(challenge.announcements.model(title="Notice", body="<p>Read this.</p>"))
            challenges.append(challenge)
        add_live_pages(index, challenges)

    counts = assert_constant_queries(
        client,
        [API, f"{API}?type=challenges.ChallengePage&fields=*", f"{API}?type=challenges.ChallengePage&locale=en"],
        add_challenges,
    )
    print("API queries with 500 challenges:", counts)


def test_release_and_story_listings_take_the_same_queries_with_10_or_500(client, site_tree):
    partners = PartnerCityIndexPageFactory(parent=site_tree.home)
    city = PartnerCityFactory()
    topic = TopicFactory()
    boilerplate = BoilerplateFactory()
    contact = MediaContactFactory()
    challenge = make_challenge(ChallengeIndexPageFactory(parent=site_tree.home))
    picture = image("Story")

    def add_pages(count):
        releases = NewsReleasePageFactory.build_batch(count // 2, topics=[topic])
        for release in releases:
            release.boilerplate_links.add(release.boilerplate_links.model(boilerplate=boilerplate))
            release.media_contact_links.add(release.media_contact_links.model(media_contact=contact))
            release.related_challenge_links.add(release.related_challenge_links.model(challenge=challenge))
        add_live_pages(site_tree.news_index, releases)
        stories = PartnerStoryPageFactory.build_batch(
            count // 2, partner_city=city, image=picture, image_alt="A team", topics=[topic]
        )
        add_live_pages(partners, stories)

    counts = assert_constant_queries(
        client, [f"{API}?type=news.NewsReleasePage&fields=*", f"{API}?type=news.PartnerStoryPage&fields=*"], add_pages
    )
    print("API queries with 250 releases and 250 stories:", counts)


@pytest.mark.parametrize(
    "query", ["search=school", "search=school&type=challenges.ChallengePage", "search=école&locale=fr"]
)
def test_search_answers(client, content, query):
    response = client.get(f"{API}?{query}")
    assert response.status_code == 200, response.content


def test_search_finds_public_pages_only(client, content, settings):
    settings.WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
    backend = get_search_backend()
    for page in content.values():
        backend.add(page.specific)
    challenge, release = content["challenges.ChallengePage"], content["news.NewsReleasePage"]
    assert {challenge.pk, release.pk} <= listed_ids(client, "&search=school")
    PageViewRestriction.objects.create(page=challenge, restriction_type="login")
    found = listed_ids(client, "&search=school")
    assert release.pk in found
    assert challenge.pk not in found
