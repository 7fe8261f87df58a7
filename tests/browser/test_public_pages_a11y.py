"""Every public page type passes axe-core in Chromium, on a phone and on a desktop, in both languages."""

import pytest
from django.conf import settings
from django.db import connection

from tests.browser.conftest import WIDTHS, check_page

pytestmark = pytest.mark.browser

PAGES = {
    "home": "/en/",
    "home-fr": "/fr/",
    "newsroom": "/en/news/",
    "newsroom-month": "/en/news/2017/03/",
    "newsroom-recent-filtered": "/en/news/recent/?type=statement",
    "partner-cities": "/en/partner-cities/",
    "partner-city": "/en/partner-cities/austin/",
    "partner-story": "/en/partner-cities/austin-co-designs-with-service-users/",
    "partner-cities-fr": "/fr/villes-partenaires/",
    "release": "/en/news/launch-of-the-civic-innovation-office/",
    "release-fr": "/fr/nouvelles/lancement-du-bureau-de-linnovation-civique/",
    "challenges": "/en/challenges/",
    "challenges-filtered": "/en/challenges/?status=open&division=311-toronto",
    "challenges-bad-filter": "/en/challenges/?status=bogus",
    "challenges-empty": "/en/challenges/?status=completed&topic=mobility",
    "challenge-open": "/en/challenges/track-your-311-service-request/",
    "challenge-upcoming": "/en/challenges/fewer-missed-curbside-collections/",
    "challenge-completed": "/en/challenges/connecting-newcomers-to-employment-services/",
    "jobs": "/en/jobs/",
    "job-open": "/en/jobs/director-civic-innovation-office/",
    "job-closed": "/en/jobs/design-strategist-civic-innovation-office/",
    "not-found": "/en/no-such-page/",
    # French twins of every page type (lang="fr" and French interface text are checked by axe too).
    "newsroom-fr": "/fr/nouvelles/",
    "partner-city-fr": "/fr/villes-partenaires/austin/",
    "partner-story-fr": "/fr/villes-partenaires/austin-concoit-avec-les-usagers/",
    "challenges-fr": "/fr/defis/",
    "challenge-open-fr": "/fr/defis/suivre-vos-demandes-de-service-au-311/",
    "apply-fr": "/fr/defis/suivre-vos-demandes-de-service-au-311/apply/",
    "jobs-fr": "/fr/emplois/",
    "job-open-fr": "/fr/emplois/directeur-ou-directrice-bureau-de-linnovation-civique/",
    "untranslated-fallback-fr": "/fr/?untranslated=1",
    "not-found-fr": "/fr/aucune-page/",
}


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_public_pages_have_no_axe_violations(demo_server, new_page, width):
    page = new_page(width=width)
    for name, path in PAGES.items():
        page.goto(demo_server + path)
        check_page(page, name, width)


def test_the_demo_server_runs_on_the_test_database(demo_server):
    """Browser modules carry no `django_db` mark, so pytest-django would not have set up a test
    database for them: run on their own, they once loaded (and flushed) the developer's database."""
    name = str(connection.settings_dict["NAME"])
    assert name != str(settings.BASE_DIR / "db.sqlite3")
    assert "memory" in name or name.startswith("test_"), name
