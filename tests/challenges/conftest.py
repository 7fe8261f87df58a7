import pytest

from tests.factories import ChallengeIndexPageFactory


@pytest.fixture
def challenge_index(site_tree):
    return ChallengeIndexPageFactory(parent=site_tree.home)
