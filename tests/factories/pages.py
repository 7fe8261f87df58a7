import datetime

import factory
import wagtail_factories
from django.utils import timezone

from home.models import HomePage
from jobs.models import JobIndexPage, JobPostingPage
from news.models import NewsIndexPage, NewsReleasePage, PartnerCityIndexPage, PartnerStoryPage, ReleaseType


class HomePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = HomePage

    title = "Home"
    slug = "home"
    hero_heading = "Solving City service problems with innovators"
    hero_text = "The office works with City divisions and innovators."


class NewsIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = NewsIndexPage

    title = "News"
    slug = "news"


class NewsReleasePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = NewsReleasePage

    title = factory.Sequence(lambda n: f"City announces initiative number {n}")
    slug = factory.Sequence(lambda n: f"release-{n}")
    release_type = ReleaseType.NEWS_RELEASE
    release_date = factory.Sequence(lambda n: timezone.now() - datetime.timedelta(days=n))
    lead = "The City of Toronto announced a new initiative today."
    body = factory.LazyFunction(lambda: [("paragraph", "<p>More details about the initiative.</p>")])


class PartnerCityIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = PartnerCityIndexPage

    title = "Partner cities"
    slug = "partner-cities"


class PartnerStoryPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = PartnerStoryPage

    title = factory.Sequence(lambda n: f"Story number {n}")
    slug = factory.Sequence(lambda n: f"story-{n}")
    summary = "What the team tried and learned."
    story_date = factory.Sequence(lambda n: datetime.date(2018, 1, 1) - datetime.timedelta(days=n))
    body = factory.LazyFunction(lambda: [("paragraph", "<p>The story.</p>")])


class JobIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = JobIndexPage

    title = "Jobs"
    slug = "jobs"


class JobPostingPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = JobPostingPage

    title = factory.Sequence(lambda n: f"Analyst {n}")
    slug = factory.Sequence(lambda n: f"analyst-{n}")
    job_id = factory.Sequence(lambda n: f"JOB-{n:05d}")
    salary_min = 80000
    salary_max = 95000
    closes_at = factory.Sequence(lambda n: timezone.now() + datetime.timedelta(days=10 + n % 30))
    summary = "Analyse City services."
    responsibilities = "<p>Analyse.</p>"
    qualifications = "<p>Experience.</p>"
    apply_url = "https://www.toronto.ca/jobs"


def release_form(release=None, **overrides) -> dict:
    """The whole add/edit form of a news release in the admin, every StreamField and inline panel
    included (a post without one is invalid), from `release` or defaults; `overrides` are the
    nested form values (e.g. `media_kit=streamfield([...])`)."""
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

    data = {
        "title": release.title if release else "A release",
        "slug": release.slug if release else "a-release",
        "release_type": release.release_type if release else "news-release",
        "release_date": "2017-03-10 10:00",
        "lead": release.lead if release else "Lead.",
        "body": streamfield([]),
        "media_kit": streamfield([]),
        "boilerplate_links": inline_formset([]),
        "media_contact_links": inline_formset([]),
        "related_challenge_links": inline_formset([]),
        "events": inline_formset([]),
        "comments": inline_formset([]),
    }
    data.update(overrides)
    return nested_form_data(data)
