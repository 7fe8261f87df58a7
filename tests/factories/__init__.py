from .challenges import ChallengeIndexPageFactory, make_challenge
from .pages import HomePageFactory, NewsIndexPageFactory, NewsReleasePageFactory
from .snippets import BoilerplateFactory, DivisionFactory, MediaContactFactory, PartnerCityFactory, TopicFactory

__all__ = [
    "BoilerplateFactory",
    "ChallengeIndexPageFactory",
    "DivisionFactory",
    "HomePageFactory",
    "MediaContactFactory",
    "NewsIndexPageFactory",
    "NewsReleasePageFactory",
    "PartnerCityFactory",
    "TopicFactory",
    "make_challenge",
]
