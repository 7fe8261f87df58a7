from .office import OfficeDetails
from .pages import BasePage, ListingFieldsMixin, SocialFieldsMixin
from .settings import SiteSettings
from .snippets import Boilerplate, Division, MediaContact, PartnerCity, Topic

__all__ = [
    "BasePage",
    "Boilerplate",
    "Division",
    "ListingFieldsMixin",
    "MediaContact",
    "OfficeDetails",
    "PartnerCity",
    "SiteSettings",
    "SocialFieldsMixin",
    "Topic",
]
