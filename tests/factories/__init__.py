from .pages import HomePageFactory, NewsIndexPageFactory, NewsReleasePageFactory
from .snippets import BoilerplateFactory, DivisionFactory, MediaContactFactory, PartnerCityFactory, TopicFactory

__all__ = [
    "BoilerplateFactory",
    "DivisionFactory",
    "HomePageFactory",
    "MediaContactFactory",
    "NewsIndexPageFactory",
    "NewsReleasePageFactory",
    "PartnerCityFactory",
    "TopicFactory",
]
