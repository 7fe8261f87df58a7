"""schema.org JSON-LD: the builders as pure functions, then the pages' data parsed back with extruct."""

import datetime
from types import SimpleNamespace

import extruct
import pytest
from bs4 import BeautifulSoup

from challenges.models import KeyDateKind
from challenges.structured_data import MIXED, OFFLINE, ONLINE, event_location, info_session_events
from news.structured_data import news_article
from site_core.local_time import city_zone
from site_core.models import OfficeDetails, SiteSettings
from site_core.seo import structured_data
from tests.factories import (
    ChallengeIndexPageFactory,
    JobIndexPageFactory,
    JobPostingPageFactory,
    NewsReleasePageFactory,
    make_challenge,
)

OFFICE = {"@type": "Organization", "name": "Civic Innovation Office", "url": "https://example.ca/en/"}


def json_ld(html: str, url: str = "http://testserver/") -> list[dict]:
    return extruct.extract(html, base_url=url, syntaxes=["json-ld"])["json-ld"]


def of_type(items: list[dict], schema_type: str) -> list[dict]:
    return [item for item in items if item.get("@type") == schema_type]


# --- builders -------------------------------------------------------------------------------


def test_the_organization_names_its_parent_and_keeps_its_address_as_written():
    data = structured_data.organization(
        name="Civic Innovation Office",
        url="https://example.ca/en/",
        parent_name="City of Toronto",
        address="Toronto City Hall\n100 Queen Street West\n\nToronto, ON",
        same_as=["https://x.com/TorontoComms"],
    )
    assert data["parentOrganization"] == {"@type": "Organization", "name": "City of Toronto"}
    assert data["address"] == "Toronto City Hall, 100 Queen Street West, Toronto, ON"
    assert data["sameAs"] == ["https://x.com/TorontoComms"]
    assert "email" not in data
    assert structured_data.organization(name="A", url="u") == {"@type": "Organization", "name": "A", "url": "u"}


def test_the_website_search_action_sends_the_query_to_the_search_page():
    data = structured_data.website(
        name="Civic Innovation Office",
        url="https://example.ca/fr/",
        language="fr-CA",
        publisher=OFFICE,
        search_url="https://example.ca/fr/search/",
    )
    action = data["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == "https://example.ca/fr/search/?q={search_term_string}"
    assert action["query-input"] == "required name=search_term_string"
    no_search = structured_data.website(name="x", url="u", language="en-CA", publisher=OFFICE)
    assert "potentialAction" not in no_search


def test_breadcrumb_positions_start_at_one():
    data = structured_data.breadcrumb_list([{"title": "Home", "url": "https://e/en/"}, {"title": "News", "url": "n"}])
    assert [(item["position"], item["name"]) for item in data["itemListElement"]] == [(1, "Home"), (2, "News")]
    assert structured_data.breadcrumb_list([]) is None


def test_a_news_article_is_dated_in_toronto_time_and_never_modified_before_publication():
    published = datetime.datetime(2017, 3, 10, 15, 0, tzinfo=datetime.UTC)
    data = news_article(
        headline="x" * 200,
        url="https://example.ca/en/news/launch/",
        published=published,
        modified=published - datetime.timedelta(days=30),  # imported content published before its date
        language="en-CA",
        publisher=OFFICE,
    )
    assert data["datePublished"] == "2017-03-10T10:00:00-05:00"
    assert data["dateModified"] == data["datePublished"]
    assert len(data["headline"]) == 110
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": "https://example.ca/en/news/launch/"}
    assert data["author"] == data["publisher"] == OFFICE
    assert "image" not in data and "description" not in data
    summer = news_article(
        headline="h", url="u", published=published.replace(month=7), modified=None, language="fr-CA", publisher=OFFICE
    )
    assert summer["datePublished"] == summer["dateModified"] == "2017-07-10T11:00:00-04:00"


@pytest.mark.parametrize(
    ("location", "online_url", "mode", "types"),
    [
        ("City Hall, Committee Room 2", "", OFFLINE, ["Place"]),
        ("", "https://meet.example.ca/x", ONLINE, ["VirtualLocation"]),
        ("City Hall", "https://meet.example.ca/x", MIXED, ["Place", "VirtualLocation"]),
        ("  ", "", None, []),
    ],
)
def test_an_events_location_follows_the_data(location, online_url, mode, types):
    found_mode, places = event_location(location, online_url)
    assert found_mode == mode
    assert [place["@type"] for place in places] == types


def test_a_session_held_online_only_is_never_a_place():
    """Issue 21: the demo's "Online: the link is emailed to everyone who registers" was a Place."""
    note = "Online: the link is emailed to everyone who registers"
    mode, places = event_location(note, "", online=True, page_url="https://e/c/")
    assert mode == ONLINE and places == [{"@type": "VirtualLocation", "url": "https://e/c/"}]
    mode, places = event_location(note, "https://meet.example.ca/x", online=True, page_url="https://e/c/")
    assert mode == ONLINE and places == [{"@type": "VirtualLocation", "url": "https://meet.example.ca/x"}]


def key_date(kind, starts_at, ends_at=None, location="", online_url=""):
    return SimpleNamespace(kind=kind, starts_at=starts_at, ends_at=ends_at, location=location, online_url=online_url)


def test_each_info_session_is_an_event_with_torontos_offset_of_its_day():
    winter = datetime.datetime(2026, 1, 15, 17, 0, tzinfo=datetime.UTC)
    summer = datetime.datetime(2026, 7, 15, 16, 0, tzinfo=datetime.UTC)
    dates = [
        key_date(KeyDateKind.CLOSES, winter + datetime.timedelta(days=300)),
        key_date(KeyDateKind.INFO_SESSION, summer, summer + datetime.timedelta(hours=1), online_url="https://m.ca/"),
        key_date(KeyDateKind.INFO_SESSION, winter, location="City Hall"),
    ]
    events = info_session_events(dates, title="Safer school zones", url="https://e/c/", organizer=OFFICE)
    assert [event["startDate"] for event in events] == ["2026-01-15T12:00:00-05:00", "2026-07-15T12:00:00-04:00"]
    assert "endDate" not in events[0]
    assert events[1]["endDate"] == "2026-07-15T13:00:00-04:00"
    assert events[0]["location"] == {"@type": "Place", "name": "City Hall", "address": "City Hall"}
    assert events[1]["location"] == {"@type": "VirtualLocation", "url": "https://m.ca/"}
    assert events[0]["name"] == "Information session: Safer school zones"
    assert {event["eventStatus"] for event in events} == {"https://schema.org/EventScheduled"}
    assert events[0]["organizer"] == OFFICE


# --- pages ----------------------------------------------------------------------------------


@pytest.fixture
def office(site_tree):
    details = OfficeDetails.objects.create(
        locale=site_tree.english,
        office_name="Civic Innovation Office",
        parent_organisation="City Manager's Office, City of Toronto",
        street_address="Toronto City Hall\n100 Queen Street West",
    )
    settings = SiteSettings.for_site(site_tree.site)
    settings.contact_email = "innovation@example.ca"
    settings.x_url = "https://x.com/TorontoComms"
    settings.save()
    return details


@pytest.mark.django_db
def test_the_home_page_describes_the_office_and_the_site_search(client, office):
    items = json_ld(client.get("/en/").content.decode())
    [organization] = of_type(items, "Organization")
    assert organization["name"] == "Civic Innovation Office"
    assert organization["url"] == "http://testserver/en/"
    assert organization["parentOrganization"]["name"] == "City Manager's Office, City of Toronto"
    assert organization["sameAs"] == ["https://x.com/TorontoComms"]
    [website] = of_type(items, "WebSite")
    assert website["inLanguage"] == "en-CA"
    assert website["potentialAction"]["target"]["urlTemplate"] == "http://testserver/en/search/?q={search_term_string}"
    assert not of_type(items, "BreadcrumbList")  # the home page shows no breadcrumbs


@pytest.mark.django_db
def test_the_french_home_page_searches_in_french(client, office):
    [website] = of_type(json_ld(client.get("/fr/").content.decode()), "WebSite")
    assert website["potentialAction"]["target"]["urlTemplate"] == "http://testserver/fr/search/?q={search_term_string}"
    assert website["inLanguage"] == "fr-CA"


@pytest.mark.django_db
def test_a_release_is_a_news_article_published_on_its_release_date(client, site_tree, office):
    release_date = datetime.datetime(2017, 3, 10, 10, 0, tzinfo=city_zone())
    release = NewsReleasePageFactory(
        parent=site_tree.news_index, slug="launch", title="City launches the office", release_date=release_date
    )
    [article] = of_type(json_ld(client.get(release.url).content.decode()), "NewsArticle")
    assert article["headline"] == "City launches the office"
    assert article["datePublished"] == "2017-03-10T10:00:00-05:00"
    assert datetime.datetime.fromisoformat(article["dateModified"]) >= release_date
    assert article["inLanguage"] == "en-CA"
    assert article["mainEntityOfPage"]["@id"] == "http://testserver/en/news/launch/"
    assert article["publisher"]["name"] == article["author"]["name"] == "Civic Innovation Office"
    assert article["description"] == "The City of Toronto announced a new initiative today."
    assert article["articleSection"] == "News release"


@pytest.mark.django_db
def test_a_title_that_closes_the_script_element_is_escaped_and_parsed_back_whole(client, site_tree):
    title = 'Budget </script><script>alert("x")</script> & more'
    release = NewsReleasePageFactory(parent=site_tree.news_index, slug="tricky", title=title)
    html = client.get(release.url).content.decode()
    assert "<script>alert" not in html
    scripts = BeautifulSoup(html, "html.parser").select('script[type="application/ld+json"]')
    assert len(scripts) == 2  # the article and the breadcrumbs, neither cut short
    [article] = of_type(json_ld(html), "NewsArticle")
    assert article["headline"] == title
    [breadcrumbs] = of_type(json_ld(html), "BreadcrumbList")
    assert breadcrumbs["itemListElement"][-1]["name"] == title


@pytest.mark.django_db
def test_a_challenges_info_sessions_are_events_in_toronto_time(client, site_tree):
    OfficeDetails.objects.create(locale=site_tree.english)
    index = ChallengeIndexPageFactory(parent=site_tree.home)
    session = datetime.datetime(2031, 1, 15, 12, 0, tzinfo=city_zone())
    challenge = make_challenge(index, title="Safer school zones", opens=-5, closes=60, info_session=session)
    summer = challenge.key_dates.model(
        page=challenge,
        kind=KeyDateKind.INFO_SESSION,
        starts_at=datetime.datetime(2031, 7, 2, 18, 30, tzinfo=city_zone()),
        ends_at=datetime.datetime(2031, 7, 2, 20, 0, tzinfo=city_zone()),
        location="Toronto City Hall, Committee Room 1",
        online_url="https://meet.example.ca/session",
        locale=challenge.locale,
    )
    summer.save()

    events = of_type(json_ld(client.get(challenge.url).content.decode()), "Event")
    assert [event["startDate"] for event in events] == ["2031-01-15T12:00:00-05:00", "2031-07-02T18:30:00-04:00"]
    assert events[1]["endDate"] == "2031-07-02T20:00:00-04:00"
    assert events[1]["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert [place["@type"] for place in events[1]["location"]] == ["Place", "VirtualLocation"]
    assert events[0]["url"] == f"http://testserver{challenge.url}"
    assert events[0]["name"] == "Information session: Safer school zones"
    assert events[0]["description"] == "Help the City solve a service problem."
    assert events[0]["organizer"]["@type"] == "Organization"
    # The application form is another page: no events there.
    assert not of_type(json_ld(client.get(f"{challenge.url}apply/").content.decode()), "Event")


@pytest.mark.django_db
def test_a_session_held_online_only_is_a_virtual_location_on_the_page(client, site_tree):
    OfficeDetails.objects.create(locale=site_tree.english)
    index = ChallengeIndexPageFactory(parent=site_tree.home)
    challenge = make_challenge(index, title="Safer school zones", opens=-5, closes=60)
    challenge.key_dates.model(
        page=challenge,
        kind=KeyDateKind.INFO_SESSION,
        starts_at=datetime.datetime(2031, 7, 2, 18, 30, tzinfo=city_zone()),
        location="Online: the link is emailed to everyone who registers",
        online=True,
        locale=challenge.locale,
    ).save()
    html = client.get(challenge.url).content.decode()
    (event,) = of_type(json_ld(html), "Event")
    assert event["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert event["location"] == {"@type": "VirtualLocation", "url": f"http://testserver{challenge.url}"}
    assert "Online: the link is emailed to everyone who registers" in html  # still told on the page


@pytest.mark.django_db
def test_a_challenge_without_an_info_session_has_no_event(client, site_tree):
    challenge = make_challenge(ChallengeIndexPageFactory(parent=site_tree.home))
    assert not of_type(json_ld(client.get(challenge.url).content.decode()), "Event")


@pytest.mark.django_db
def test_the_breadcrumb_list_is_the_visible_breadcrumb_trail_with_absolute_urls(client, site_tree):
    release = NewsReleasePageFactory(parent=site_tree.news_index, slug="trail", title="A release")
    html = client.get(release.url).content.decode()
    visible = [
        (link.get_text(strip=True), f"http://testserver{link['href']}")
        for link in BeautifulSoup(html, "html.parser").select("nav.breadcrumbs a")
    ]
    [breadcrumbs] = of_type(json_ld(html), "BreadcrumbList")
    listed = [(item["name"], item["item"]) for item in breadcrumbs["itemListElement"]]
    assert (
        listed
        == visible
        == [
            ("Home", "http://testserver/en/"),
            ("News", "http://testserver/en/news/"),
            ("A release", f"http://testserver{release.url}"),
        ]
    )
    assert [item["position"] for item in breadcrumbs["itemListElement"]] == [1, 2, 3]


@pytest.mark.django_db
def test_the_job_posting_keeps_its_own_data_next_to_the_breadcrumbs(client, site_tree):
    posting = JobPostingPageFactory(parent=JobIndexPageFactory(parent=site_tree.home), slug="analyst")
    items = json_ld(client.get(posting.url).content.decode())
    assert len(of_type(items, "JobPosting")) == 1
    assert len(of_type(items, "BreadcrumbList")) == 1
