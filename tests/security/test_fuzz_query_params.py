"""Whatever a visitor puts in the query string of a public URL (any Unicode, lone surrogates,
direction marks, control characters, NUL, 100 KB values, broken percent-escapes, repeated and
array-style parameters), the answer is never a server error.

The test client re-raises a view's exception, so a 500 fails these tests with its traceback."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devtools.demo.home import index_pages_for_search
from tests.security.hostile import CORPUS, RAW_QUERY_JUNK, encode, query_string, query_value

pytestmark = pytest.mark.django_db

API = "/api/v2/pages/"
# Every query parameter the pages API reads (Wagtail's operations, this site's locale, and a few of
# the fields it filters on), plus the find view's own.
API_PARAMS = (
    "limit",
    "offset",
    "fields",
    "order",
    "search",
    "search_operator",
    "rich_text_format",
    "type",
    "child_of",
    "ancestor_of",
    "descendant_of",
    "translation_of",
    "locale",
    "site",
    "title",
    "slug",
    "first_published_at",
    "id",
)
UNKNOWN_PARAM = "utm_source"  # a parameter no view reads: tracking links add such things


def public_routes(site) -> dict[str, tuple[str, ...]]:
    """Every public URL of the site, with the query parameters its view reads."""
    challenge = site.challenge.url
    listing = ("type", "topic", "page")
    return {
        "/en/": (),
        "/fr/": (),
        "/": (),
        "/en/challenges/": ("status", "division", "topic", "page"),
        "/en/challenges/feed/": (),
        "/en/challenges/open-data/": (),
        "/en/challenges/open-data/challenges.csv": (),
        "/en/challenges/open-data/challenges.json": (),
        challenge: (),
        f"{challenge}apply/": (),
        f"{challenge}apply/thanks/": ("receipt",),
        f"{challenge}calendar.ics": (),
        "/en/news/": listing,
        "/en/news/recent/": listing,
        "/en/news/2017/": listing,
        "/en/news/2017/03/": listing,
        "/en/news/feed/": (),
        "/en/news/feed/news-release/": (),
        site.release.url: (),
        "/en/partner-cities/": (),
        "/en/partner-cities/bloomington/": ("page",),
        "/en/partner-cities/feed/": (),
        "/en/partner-cities/bloomington/feed/": (),
        "/en/jobs/feed/": (),
        site.story.url: (),
        "/en/jobs/": ("division", "type", "page"),
        site.posting.url: (),
        "/en/search/": ("q", "type", "page"),
        "/fr/search/": ("q", "type", "page"),
        "/sitemap.xml": (),
        "/sitemap-en.xml": (),
        "/robots.txt": (),
        "/healthz": (),
        "/preview/not-a-valid-token/": (),
        f"{API}find/": ("html_path", "id"),
        f"{API}{site.challenge.pk}/": ("fields",),
    }


def assert_no_server_error(client, url: str, query: str) -> None:
    response = client.get(f"{url}?{query}")
    assert response.status_code < 500, (url, query[:200], response.status_code)


def params_for(route_params: tuple[str, ...]) -> tuple[str, ...]:
    return (*route_params, UNKNOWN_PARAM)


def test_the_routes_under_test_exist(client, public_site):
    """The sweep below means something only if each URL answers normally without a query string."""
    expected = {
        "/": 302,
        "/preview/not-a-valid-token/": 404,
        f"{public_site.challenge.url}apply/thanks/": 400,  # no receipt
        f"{API}find/": 404,  # no html_path
    }
    statuses = {url: client.get(url).status_code for url in public_routes(public_site)}
    assert statuses == {url: expected.get(url, 200) for url in statuses}


def test_every_parameter_of_every_public_url_survives_the_classic_hostile_values(client, public_site):
    """The fixed corpus (NUL, every control character, marks, lone surrogates, 100 KB, huge and odd
    numbers, markup, CR/LF) in every parameter at once, then the raw percent-escape junk. A URL whose
    view reads no parameter of its own (only the shared templates read the query) gets the two
    catch-all values."""
    junk = "".join(RAW_QUERY_JUNK)
    for url, route_params in public_routes(public_site).items():
        values = CORPUS if route_params else CORPUS[:2]
        for value in [*(encode(text) for text in values), junk]:
            assert_no_server_error(client, url, query_string({name: [value] for name in params_for(route_params)}))


def test_every_api_parameter_survives_the_classic_hostile_values(client, public_site):
    """One parameter per request: the API answers 400 at the first parameter it refuses, which
    would hide what the others do."""
    for name in API_PARAMS:
        for value in [*(encode(text) for text in CORPUS), "".join(RAW_QUERY_JUNK)]:
            assert_no_server_error(client, API, f"{name}={value}")


def test_repeated_array_and_valueless_parameters_are_harmless(client, public_site):
    shapes = ("{0}=1&{0}=2&{0}=%00", "{0}[]=a&{0}[]=b", "{0}[0]=a&{0}[x][y]=b", "{0}&{0}=", "{0}=={0}==&&&")
    for url, route_params in public_routes(public_site).items():
        names = params_for(route_params)
        assert_no_server_error(client, url, "&".join(shape.format(name) for shape in shapes for name in names))


def test_more_parameters_than_django_accepts_give_a_client_error(client, public_site, settings):
    """Django refuses a query string of more than DATA_UPLOAD_MAX_NUMBER_FIELDS parameters with a 400
    (SuspiciousOperation), on every view that reads its parameters."""
    query = "&".join(f"p{number}=x" for number in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    for url in ("/en/challenges/", "/en/news/", "/en/jobs/", "/en/search/", API):
        response = client.get(f"{url}?{query}")
        assert response.status_code == 400, url


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_hostile_query_on_any_public_url_never_gives_a_server_error(client, public_site, data):
    routes = public_routes(public_site)
    url = data.draw(st.sampled_from(sorted(routes)), label="url")
    names = data.draw(st.lists(st.sampled_from(params_for(routes[url])), min_size=1, max_size=3), label="names")
    params = {name: data.draw(st.lists(query_value(), min_size=1, max_size=3), label=name) for name in names}
    assert_no_server_error(client, url, query_string(params))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=st.dictionaries(st.sampled_from(API_PARAMS), st.lists(query_value(), min_size=1, max_size=2), max_size=3))
def test_any_hostile_api_query_never_gives_a_server_error(client, public_site, params):
    assert_no_server_error(client, API, query_string(params))


def test_an_api_search_with_quotes_nul_and_control_characters_still_finds_the_page(client, public_site):
    """The words the backends cannot take are dropped, not the search: the page is still found."""
    index_pages_for_search()
    response = client.get(f"{API}?search={encode(chr(34) + 'Plain' + chr(0) + chr(34) + ' challenge' + chr(7))}")
    assert response.status_code == 200
    assert [item["title"] for item in response.json()["items"]] == ["Plain challenge"]


def test_an_api_search_with_no_searchable_word_finds_nothing(client, public_site):
    for raw in ("", " ", '"', "\x00", "\t\n", "* - &"):
        response = client.get(f"{API}?search={encode(raw)}")
        assert (response.status_code, response.json()["meta"]["total_count"]) == (200, 0), raw


def test_hostile_path_segments_never_give_a_server_error(client, public_site):
    """Slugs, archive periods, feed types, file names, tokens and sitemap sections: each reaches a
    database lookup or a router with whatever the path holds."""
    templates = (
        "/en/{}/",
        "/en/news/{}/",
        "/en/news/2017/{}/",
        "/en/news/feed/{}/",
        "/en/challenges/{}/",
        "/en/challenges/{}.csv",
        "/en/partner-cities/{}/",
        "/en/partner-cities/{}/feed/",
        "/en/jobs/{}/",
        "/preview/{}/",
        "/sitemap-{}.xml",
        "/documents/1/{}/",
        "/{}",
        f"{API}{{}}/",
    )
    for junk in ("%00", "%ED%A0%80", "%FF", "%C0%AF", "%E2%80%AE", "x" * 300):
        for template in templates:
            url = template.format(junk)
            assert client.get(url).status_code < 500, url
