from news.choices import ReleaseType

from .events import ReleaseEvent
from .newsroom import NewsIndexPage
from .partners import PartnerCityIndexPage, PartnerStoryPage
from .previews import EmbargoPreviewLink
from .releases import (
    NewsReleaseBoilerplate,
    NewsReleaseMediaContact,
    NewsReleasePage,
    NewsReleaseRelatedChallenge,
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
    "ReleaseEvent",
    "ReleaseType",
]
