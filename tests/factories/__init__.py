from .challenges import ChallengeIndexPageFactory, make_challenge
from .pages import (
    HomePageFactory,
    NewsIndexPageFactory,
    NewsReleasePageFactory,
    PartnerCityIndexPageFactory,
    PartnerStoryPageFactory,
)
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
    "PartnerCityIndexPageFactory",
    "PartnerStoryPageFactory",
    "TopicFactory",
    "make_challenge",
]
