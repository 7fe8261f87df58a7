import factory
from factory.django import DjangoModelFactory
from wagtail.models import Locale

from site_core.models import Boilerplate, Division, MediaContact, PartnerCity, Topic


class LocaleDefault(factory.LazyFunction):
    def __init__(self):
        super().__init__(lambda: Locale.objects.get_or_create(language_code="en")[0])


class DivisionFactory(DjangoModelFactory):
    class Meta:
        model = Division

    locale = LocaleDefault()
    name = factory.Sequence(lambda n: f"Division {n}")
    slug = factory.Sequence(lambda n: f"division-{n}")


class TopicFactory(DjangoModelFactory):
    class Meta:
        model = Topic

    locale = LocaleDefault()
    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class PartnerCityFactory(DjangoModelFactory):
    class Meta:
        model = PartnerCity

    locale = LocaleDefault()
    name = factory.Sequence(lambda n: f"Partner City {n}")
    slug = factory.Sequence(lambda n: f"partner-city-{n}")
    region = "Texas"
    country = "United States"
    program = "Bloomberg Philanthropies Innovation Teams"


class MediaContactFactory(DjangoModelFactory):
    class Meta:
        model = MediaContact

    locale = LocaleDefault()
    office = factory.Sequence(lambda n: f"Communications Office {n}")
    organisation = "City of Toronto"
    phone = "416-392-8937"
    email = factory.Sequence(lambda n: f"media{n}@example.ca")


class BoilerplateFactory(DjangoModelFactory):
    class Meta:
        model = Boilerplate

    locale = LocaleDefault()
    title = factory.Sequence(lambda n: f"About the team {n}")
    body = "<p>The team works with City divisions.</p>"
