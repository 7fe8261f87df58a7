"""Demo job postings: the three roles the 10 March 2017 release says the City is hiring."""

import datetime
from pathlib import Path

from django.utils import timezone

from devtools.demo.site import translate_page
from devtools.demo.translation import demo_catalogue
from jobs.models import EmploymentType, JobIndexPage, JobPostingPage, WorkArrangement
from site_core.local_time import city_zone

# French for the job list and the postings (msgid: the English segment).
CATALOGUE = Path(__file__).with_name("jobs_fr.po")


def closing_in(days: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime(day.year, day.month, day.day, 23, 59, tzinfo=city_zone())


POSTINGS = [
    {
        "slug": "director-civic-innovation-office",
        "title": "Director, Civic Innovation Office",
        "job_id": "2017-CIO-001",
        "salary": (128000, 165000, "year"),
        "days_open": 25,
        "summary": (
            "Lead the City's Civic Innovation Office: work with division heads to choose the service problems "
            "worth solving, run open challenges with innovators, and make sure what works is adopted."
        ),
        "responsibilities": (
            "<ul><li>Set the office's direction and its portfolio of challenges with the City Manager.</li>"
            "<li>Build partnerships with City divisions, the innovation community and the Innovation Teams "
            "network.</li><li>Lead a small multidisciplinary team and report results to Council committees.</li></ul>"
        ),
        "qualifications": (
            "<ul><li>Senior experience leading service design, digital or innovation programmes in a large "
            "organisation.</li><li>A record of turning pilots into lasting services.</li>"
            "<li>Excellent communication with residents, staff and elected officials.</li></ul>"
        ),
    },
    {
        "slug": "project-manager-civic-innovation-office",
        "title": "Project Manager, Civic Innovation Office",
        "job_id": "2017-CIO-002",
        "salary": (98000, 124000, "year"),
        "days_open": 18,
        "summary": (
            "Run the office's challenges from the first conversation with a division to the end of each "
            "16-week stint: plans, budgets, procurement steps and the people who make them happen."
        ),
        "responsibilities": (
            "<ul><li>Plan and manage several challenges at once, on time and on budget.</li>"
            "<li>Coordinate City staff, selected teams and procurement.</li>"
            "<li>Track the measures agreed for each stint and report on them.</li></ul>"
        ),
        "qualifications": (
            "<ul><li>Several years of project management in the public or non-profit sector.</li>"
            "<li>Knowledge of public procurement.</li><li>A project management certification is an asset.</li></ul>"
        ),
    },
    {
        "slug": "design-strategist-civic-innovation-office",
        "title": "Design Strategist, Civic Innovation Office",
        "job_id": "2017-CIO-003",
        "salary": (47.5, 56.25, "hour"),
        "days_open": -3,
        "employment_type": EmploymentType.CONTRACT,
        "summary": (
            "Help residents and staff shape the problems the office takes on: research with the people affected, "
            "map how services really work, and test ideas before they are scaled."
        ),
        "responsibilities": (
            "<ul><li>Plan and conduct research with residents and City staff.</li>"
            "<li>Turn findings into clear problem statements for challenges.</li>"
            "<li>Prototype and test service changes with selected teams.</li></ul>"
        ),
        "qualifications": (
            "<ul><li>A portfolio of service design or user research work.</li>"
            "<li>Experience designing for accessibility and for people of many languages.</li></ul>"
        ),
    },
]

OFFER = (
    "<ul><li>Work that residents see, with a team that tests ideas before scaling them.</li>"
    "<li>A defined benefit pension plan (OMERS) and health, dental and vision benefits.</li></ul>"
)


def load(home, snippets) -> JobIndexPage:
    index = JobIndexPage.objects.child_of(home).first()
    if index is None:
        index = JobIndexPage(
            title="Jobs",
            slug="jobs",
            intro="Join the Civic Innovation Office. Open postings come first, closing soonest first.",
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    for spec in POSTINGS:
        if JobPostingPage.objects.child_of(index).filter(slug=spec["slug"]).exists():
            continue
        low, high, period = spec["salary"]
        posting = JobPostingPage(
            title=spec["title"],
            slug=spec["slug"],
            job_id=spec["job_id"],
            division=snippets["divisions"]["city-managers-office"],
            employment_type=spec.get("employment_type", EmploymentType.FULL_TIME),
            salary_min=low,
            salary_max=high,
            salary_period=period,
            hours="35 hours per week",
            work_arrangement=WorkArrangement.HYBRID,
            posting_date=timezone.localdate() - datetime.timedelta(days=10),
            closes_at=closing_in(spec["days_open"]),
            summary=spec["summary"],
            responsibilities=spec["responsibilities"],
            qualifications=spec["qualifications"],
            offer=OFFER,
            apply_url="https://www.toronto.ca/jobs",
            apply_email="",
        )
        index.add_child(instance=posting)
        posting.save_revision().publish()
    return index


def translate(index: JobIndexPage, french) -> JobIndexPage:
    """The French job list, then each demo posting in French."""
    strings = demo_catalogue(CATALOGUE)
    translated_index = translate_page(index, french, strings)
    slugs = [spec["slug"] for spec in POSTINGS]
    for posting in JobPostingPage.objects.child_of(index).filter(slug__in=slugs).order_by("path"):
        translate_page(posting, french, strings)
    return translated_index
