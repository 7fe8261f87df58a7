import datetime

import factory
import wagtail_factories
from django.utils import timezone

from home.models import HomePage
from news.models import NewsIndexPage, NewsReleasePage, ReleaseType


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
