from .bulk import add_live_pages
from .challenges import ChallengeIndexPageFactory, build_challenge, make_challenge
from .pages import (
    HomePageFactory,
    JobIndexPageFactory,
    JobPostingPageFactory,
    NewsIndexPageFactory,
    NewsReleasePageFactory,
    PartnerCityIndexPageFactory,
    PartnerStoryPageFactory,
    release_form,
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
    "add_live_pages",
    "build_challenge",
    "make_challenge",
    "release_form",
]
