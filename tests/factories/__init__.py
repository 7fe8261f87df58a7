from .challenges import ChallengeIndexPageFactory, make_challenge
from .pages import (
    HomePageFactory,
    JobIndexPageFactory,
    JobPostingPageFactory,
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
    "JobIndexPageFactory",
    "JobPostingPageFactory",
    "MediaContactFactory",
    "NewsIndexPageFactory",
    "NewsReleasePageFactory",
    "PartnerCityFactory",
    "PartnerCityIndexPageFactory",
    "PartnerStoryPageFactory",
    "TopicFactory",
    "make_challenge",
]
