import pytest

from site_core.models import OfficeDetails, SiteSettings
from tests.factories import ChallengeIndexPageFactory


@pytest.fixture
def privacy_notice(site_tree):
    """A site whose forms can show a complete notice of collection."""
    settings = SiteSettings.for_site(site_tree.site)
    settings.contact_email = "innovation@example.ca"
    settings.save()
    return OfficeDetails.objects.create(
        locale=site_tree.english,
        privacy_officer_title="Director, Civic Innovation Office",
        privacy_officer_address="100 Queen Street West, Toronto, ON  M5H 2N2",
        privacy_officer_phone="416-392-0000",
    )


@pytest.fixture
def challenge_index(site_tree, privacy_notice):
    return ChallengeIndexPageFactory(parent=site_tree.home)
