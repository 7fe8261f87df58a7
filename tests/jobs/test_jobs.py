"""Job postings that people and search engines understand, closing by themselves on time."""

import datetime

import extruct
import pytest
from django.utils import timezone

from jobs.rules import is_open
from site_core.models import OfficeDetails
from tests.conftest import assert_constant_queries
from tests.factories import DivisionFactory, JobIndexPageFactory, JobPostingPageFactory, add_live_pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def job_index(site_tree):
    return JobIndexPageFactory(parent=site_tree.home)


def job_posting_data(html: str) -> list[dict]:
    data = extruct.extract(html, syntaxes=["json-ld"], uniform=True)["json-ld"]
    return [item for item in data if item.get("@type") == "JobPosting"]


def test_a_posting_closes_exactly_at_its_closing_time():
    closes = datetime.datetime(2026, 3, 8, 23, 59, tzinfo=datetime.UTC)
    assert is_open(closes, closes - datetime.timedelta(seconds=1))
    assert not is_open(closes, closes)


def test_open_posting_carries_complete_well_typed_json_ld(client, job_index):
    posting = JobPostingPageFactory(
        parent=job_index,
        title="Design Strategist",
        job_id="2017-CIO-003",
        salary_min=47.5,
        salary_max=56.25,
        salary_period="hour",
        employment_type="contract",
        positions=2,
    )
    (data,) = job_posting_data(client.get(posting.url).content.decode())
    assert data["title"] == "Design Strategist"
    assert data["description"].startswith("<p>")
    assert datetime.date.fromisoformat(data["datePosted"]) == posting.posting_date
    assert datetime.datetime.fromisoformat(data["validThrough"]) == posting.closes_at
    assert data["employmentType"] == "CONTRACTOR"
    assert data["hiringOrganization"]["@type"] == "Organization"
    assert data["hiringOrganization"]["name"] == "City of Toronto"
    assert data["jobLocation"]["address"]["addressLocality"] == "Toronto"
    assert data["jobLocation"]["address"]["addressCountry"] == "CA"
    assert data["identifier"]["value"] == "2017-CIO-003"
    assert data["baseSalary"]["currency"] == "CAD"
    assert data["baseSalary"]["value"] == {
        "@type": "QuantitativeValue",
        "unitText": "HOUR",
        "minValue": 47.5,
        "maxValue": 56.25,
    }
    assert data["directApply"] is False
    assert data["totalJobOpenings"] == 2
    assert "jobLocationType" not in data


def test_remote_postings_say_so_and_where_applicants_may_live(client, job_index):
    posting = JobPostingPageFactory(parent=job_index, work_arrangement="remote")
    (data,) = job_posting_data(client.get(posting.url).content.decode())
    assert data["jobLocationType"] == "TELECOMMUTE"
    assert data["applicantLocationRequirements"]["name"] == "Ontario"


def test_text_cannot_break_out_of_the_json_ld_script(client, job_index):
    posting = JobPostingPageFactory(parent=job_index, title="Analyst </script><script>alert(1)</script>")
    html = client.get(posting.url).content.decode()
    assert "</script><script>alert(1)" not in html
    (data,) = job_posting_data(html)
    assert data["title"] == "Analyst </script><script>alert(1)</script>"


def test_a_closed_posting_says_so_offers_no_apply_button_and_drops_its_json_ld(client, job_index):
    posting = JobPostingPageFactory(parent=job_index, closes_at=timezone.now() - datetime.timedelta(minutes=1))
    html = client.get(posting.url).content.decode()
    assert "This posting has closed" in html
    assert "Apply on the City" not in html
    assert job_posting_data(html) == []


def test_open_postings_come_first_closing_soonest_then_closed_ones_marked(client, job_index):
    now = timezone.now()
    JobPostingPageFactory(parent=job_index, title="Closed long ago", closes_at=now - datetime.timedelta(days=30))
    JobPostingPageFactory(parent=job_index, title="Closed yesterday", closes_at=now - datetime.timedelta(days=1))
    JobPostingPageFactory(parent=job_index, title="Closes next month", closes_at=now + datetime.timedelta(days=30))
    JobPostingPageFactory(parent=job_index, title="Closes tomorrow", closes_at=now + datetime.timedelta(days=1))
    html = client.get(job_index.url).content.decode()
    titles = ["Closes tomorrow", "Closes next month", "Closed yesterday", "Closed long ago"]
    assert sorted(titles, key=html.index) == titles
    assert html.count('status-badge--completed">Closed<') == 2


def test_filters_by_division_and_type_and_ignore_bad_values(client, job_index):
    division = DivisionFactory(slug="city-managers-office")
    JobPostingPageFactory(parent=job_index, title="Contract role", employment_type="contract", division=division)
    JobPostingPageFactory(parent=job_index, title="Full-time role", division=division)
    html = client.get(f"{job_index.url}?division=city-managers-office&type=contract").content.decode()
    assert "Contract role" in html and "Full-time role" not in html
    bad = client.get(f"{job_index.url}?division=%3Cb%3E&type=forever&page=-3")
    assert bad.status_code == 200
    assert "Full-time role" in bad.content.decode()
    assert "<b>" not in bad.content.decode()


def test_the_home_page_lists_open_postings(client, site_tree, job_index):
    JobPostingPageFactory(parent=job_index, title="Open role")
    JobPostingPageFactory(parent=job_index, title="Closed role", closes_at=timezone.now() - datetime.timedelta(days=1))
    html = client.get("/en/").content.decode()
    assert "Open role" in html and "Closed role" not in html


def test_job_list_renders_in_the_same_queries_with_10_or_300_postings(client, job_index):
    division = DivisionFactory(slug="city-managers-office")
    urls = [job_index.url, job_index.url + "?division=city-managers-office&type=full-time"]

    def add_postings(count):
        add_live_pages(job_index, JobPostingPageFactory.build_batch(count, division=division))

    assert_constant_queries(client, urls, add_postings, small=10, large=300)


def test_a_posting_needs_a_way_to_apply(job_index):
    posting = JobPostingPageFactory.build(apply_url="", apply_email="")
    with pytest.raises(Exception, match="web address or an email"):
        posting.clean()


def test_the_hiring_organisation_is_the_employer_named_in_the_office_details_of_the_pages_language(
    client, site_tree, job_index
):
    """Issue 21: French postings told search engines "City of Toronto" (one name in the site settings).
    The employer is named in each language's office details."""
    from devtools.demo.translation import translate_with_localize

    english = OfficeDetails.objects.create(locale=site_tree.english, employer_name="City of Toronto")
    posting = JobPostingPageFactory(parent=job_index)
    translate_with_localize(job_index, site_tree.french, {})
    french = translate_with_localize(posting, site_tree.french, {})
    (data,) = job_posting_data(client.get(french.url).content.decode())
    assert data["hiringOrganization"]["name"] == "City of Toronto"  # no French details yet: the English name

    translate_with_localize(english, site_tree.french, {"City of Toronto": "Ville de Toronto"})
    (data,) = job_posting_data(client.get(posting.url).content.decode())
    assert data["hiringOrganization"]["name"] == "City of Toronto"
    (data,) = job_posting_data(client.get(french.url).content.decode())
    assert data["hiringOrganization"]["name"] == "Ville de Toronto"
    assert data["identifier"]["name"] == "Ville de Toronto"


def test_salaries_are_written_as_each_language_writes_money(client, job_index, site_tree):
    """Issue 21: "128,000.00 $" put the sign last in English; French groups with a space."""
    from devtools.demo.translation import translate_with_localize
    from site_core.text.locale_formats import money

    posting = JobPostingPageFactory(parent=job_index, salary_min=128000, salary_max=165000, salary_period="year")
    html = client.get(posting.url).content.decode()
    assert "$128,000.00 \u2013 $165,000.00 per year" in html and "128,000.00 $" not in html
    translate_with_localize(job_index, site_tree.french, {})
    french = translate_with_localize(posting, site_tree.french, {})
    french_html = client.get(french.url).content.decode()
    assert "128\u00a0000,00\u00a0$ \u2013 165\u00a0000,00\u00a0$" in french_html
    assert money(47.5, "fr") == "47,50\u00a0$" and money(47.5, "en") == "$47.50"


def test_the_address_line_is_written_as_each_language_writes_it(client, job_index, site_tree):
    """Issue 21: French pages said "Toronto, ON"; French writes "Toronto (Ontario)"."""
    from devtools.demo.translation import translate_with_localize
    from site_core.text.locale_formats import place_line

    posting = JobPostingPageFactory(parent=job_index, locality="Toronto", region="ON", postal_code="M5H 2N2")
    assert "Toronto, ON  M5H 2N2" in client.get(posting.url).content.decode()
    translate_with_localize(job_index, site_tree.french, {})
    french = translate_with_localize(posting, site_tree.french, {})
    assert "Toronto (Ontario)  M5H 2N2" in client.get(french.url).content.decode()
    assert (
        place_line("Québec", "QC", "", "fr") == "Québec (Québec)"
        and place_line("Iqaluit", "NU", "", "en") == "Iqaluit, NU"
    )
