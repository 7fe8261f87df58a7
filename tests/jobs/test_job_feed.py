"""The job list's RSS feed: newest posting first, each saying when it closes, in its own language,
public postings only, in queries that do not grow, purged from the proxy with the list."""

import datetime
from xml.etree import ElementTree

import feedparser
import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from site_core.caching import proxy_cache
from site_core.local_time import city_zone
from tests.conftest import assert_constant_queries
from tests.factories import DivisionFactory, JobIndexPageFactory, JobPostingPageFactory, add_live_pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def job_index(site_tree):
    return JobIndexPageFactory(parent=site_tree.home)


def read_feed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/rss+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "rss20"
    return feed


def test_the_feed_lists_postings_newest_posted_first_open_or_closed_with_their_closing_date(client, job_index):
    closes = datetime.datetime(2099, 3, 10, 17, 0, tzinfo=city_zone())
    first_posted = JobPostingPageFactory(
        parent=job_index, title="Posted first", posting_date=datetime.date(2017, 3, 1), closes_at=closes
    )
    closed = JobPostingPageFactory(
        parent=job_index,
        title="Posted second, closed",
        posting_date=datetime.date(2017, 3, 5),
        closes_at=datetime.datetime(2017, 3, 20, 23, 59, tzinfo=city_zone()),
        summary="Run the pilot.",
    )
    newest = JobPostingPageFactory(
        parent=job_index,
        title="Posted last",
        posting_date=datetime.date(2017, 3, 9),
        closes_at=closes,
        summary="Design services.",
        employment_type="contract",
        division=DivisionFactory(name="Transportation Services"),
    )
    published = {  # published on its posting date; published ahead of it
        newest: datetime.datetime(2017, 3, 9, 14, 30, tzinfo=city_zone()),
        first_posted: datetime.datetime(2017, 2, 27, 9, 0, tzinfo=city_zone()),
    }
    for posting, moment in published.items():
        type(posting).objects.filter(pk=posting.pk).update(first_published_at=moment)
    feed = read_feed(client, "/en/jobs/feed/")
    # Not the list's order (open first, closing soonest): the order they were posted in.
    assert [entry.title for entry in feed.entries] == ["Posted last", "Posted second, closed", "Posted first"]
    assert feed.feed.title == "Jobs at the Civic Innovation Office"
    assert feed.feed.link == "http://testserver/en/jobs/"
    first, second, third = feed.entries
    assert first.link == "http://testserver" + newest.url
    assert first.id == f"urn:uuid:{newest.translation_key}:{newest.locale_id}"
    assert first.description == "Design services. Closes March 10, 2099, 5\u202fp.m. (Toronto time)"
    assert second.description == "Run the pilot. Closed on March 20, 2017"
    assert [tag.term for tag in first.tags] == ["Contract", "Transportation Services"]
    # Published on its posting date: that moment; otherwise the start of the posting date in Toronto.
    assert first.published_parsed[:5] == (2017, 3, 9, 19, 30)  # 2:30 p.m. EST
    assert second.published_parsed[:4] == (2017, 3, 5, 5)  # midnight EST is 5 a.m. UTC
    assert third.published_parsed[:4] == (2017, 3, 1, 5)
    assert second.link == "http://testserver" + closed.url


def test_the_list_announces_its_feed_in_the_head_and_on_the_page(client, job_index):
    html = client.get("/en/jobs/").content.decode()
    assert '<link rel="alternate" type="application/rss+xml" title="Job postings (RSS)" href="/en/jobs/feed/">' in html
    assert '<p class="feed-link"><a href="/en/jobs/feed/">Follow new job postings by RSS</a></p>' in html


def test_drafts_unpublished_scheduled_and_private_postings_never_appear(client, job_index):
    JobPostingPageFactory(parent=job_index, title="Public posting")
    JobPostingPageFactory(parent=job_index, title="Draft posting", live=False)
    withdrawn = JobPostingPageFactory(parent=job_index, title="Withdrawn posting")
    withdrawn.unpublish()
    scheduled = JobPostingPageFactory(parent=job_index, title="Scheduled posting", live=False)
    scheduled.go_live_at = timezone.now() + datetime.timedelta(days=1)
    scheduled.save_revision().publish()
    private = JobPostingPageFactory(parent=job_index, title="Private posting")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    feed = read_feed(client, "/en/jobs/feed/")
    assert [entry.title for entry in feed.entries] == ["Public posting"]


def test_the_french_feed_lists_french_postings_only_in_french(client, site_tree, job_index):
    from devtools.demo.translation import translate_with_localize

    posting = JobPostingPageFactory(
        parent=job_index,
        title="Service designer",
        summary="Design services.",
        closes_at=datetime.datetime(2099, 3, 10, 17, 0, tzinfo=city_zone()),
    )
    JobPostingPageFactory(parent=job_index, title="English only")
    french_index = translate_with_localize(job_index, site_tree.french, {})
    french = translate_with_localize(
        posting, site_tree.french, {"Service designer": "Concepteur de services", "Design services.": "Concevoir."}
    )
    feed = read_feed(client, f"{french_index.url}feed/")
    assert [entry.title for entry in feed.entries] == ["Concepteur de services"]
    assert feed.entries[0].link == "http://testserver" + french.url
    # The date and time as the French list writes them (site_core/text/locale_formats.py).
    assert feed.entries[0].description == "Concevoir. Ferme le 10 mars 2099, 17\u00a0h (heure de Toronto)"
    assert feed.feed.language == "fr"
    english = read_feed(client, "/en/jobs/feed/")
    assert sorted(entry.title for entry in english.entries) == ["English only", "Service designer"]


def test_titles_are_plain_text_and_summaries_are_escaped_once_for_readers_that_show_them_as_html(client, job_index):
    JobPostingPageFactory(parent=job_index, title="Analyst <script>alert(1)</script>", summary="<b>Bold</b> & more")
    document = ElementTree.fromstring(client.get("/en/jobs/feed/").content)  # noqa: S314 - our own response
    (item,) = document.iter("item")
    assert item.findtext("title") == "Analyst <script>alert(1)</script>"  # plain text, XML-escaped once
    assert item.findtext("description").startswith("&lt;b&gt;Bold&lt;/b&gt; &amp; more Closes ")


def test_the_feed_is_read_in_the_same_queries_with_10_or_500_postings(client, job_index):
    division = DivisionFactory()

    def add_postings(count):
        add_live_pages(job_index, JobPostingPageFactory.build_batch(count, division=division))

    assert_constant_queries(client, "/en/jobs/feed/", add_postings)


def test_publishing_a_posting_purges_the_feed_with_the_list(job_index):
    posting = JobPostingPageFactory(parent=job_index, slug="new-role")
    paths = {url.split("testserver", 1)[1] for url in proxy_cache.change_urls(posting)}
    assert {"/en/jobs/new-role/", "/en/jobs/", "/en/jobs/feed/"} <= paths
