from news.choices import ReleaseType

from .partners import PartnerCityIndexPage, PartnerStoryPage
from .previews import EmbargoPreviewLink
from .releases import (
    NewsIndexPage,
    NewsReleaseBoilerplate,
    NewsReleaseMediaContact,
    NewsReleasePage,
    NewsReleaseRelatedChallenge,
    live_releases,
)

__all__ = [
    "EmbargoPreviewLink",
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
