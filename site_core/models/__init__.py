from .indexes import IndexPage, ListingFilter
from .office import OfficeDetails
from .outbox import OutgoingEmail
from .pages import BasePage, ListingFieldsMixin, SocialFieldsMixin
from .settings import SiteSettings
from .snippets import Boilerplate, Division, MediaContact, PartnerCity, Topic

__all__ = [
    "BasePage",
    "Boilerplate",
    "Division",
    "IndexPage",
    "ListingFieldsMixin",
    "ListingFilter",
    "MediaContact",
    "OfficeDetails",
    "OutgoingEmail",
    "PartnerCity",
    "SiteSettings",
    "SocialFieldsMixin",
    "Topic",
]
