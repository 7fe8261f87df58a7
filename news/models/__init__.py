from news.choices import ReleaseType

from .partners import PartnerCityIndexPage, PartnerStoryPage
from .releases import (
    NewsIndexPage,
    NewsReleaseBoilerplate,
    NewsReleaseMediaContact,
    NewsReleasePage,
    NewsReleaseRelatedChallenge,
    live_releases,
)

__all__ = [
    "NewsIndexPage",
    "NewsReleaseBoilerplate",
    "NewsReleaseMediaContact",
    "NewsReleasePage",
    "NewsReleaseRelatedChallenge",
    "PartnerCityIndexPage",
    "PartnerStoryPage",
    "ReleaseType",
    "live_releases",
]
