"""The demo results hub (/en/results/, /fr/resultats/): the page itself, in both languages; what it
lists is the demo's completed challenge (challenges.py), with its teams, outcome, procurement and
council report."""

from pathlib import Path

from challenges.models import ResultsPage
from devtools.demo.site import translate_page
from devtools.demo.translation import demo_catalogue
from home.models import HomePage

# French for the results hub (msgid: the English segment).
CATALOGUE = Path(__file__).with_name("results_fr.po")

RESULTS = {
    "title": "Results",
    "slug": "results",
    "intro": (
        "What our completed challenges achieved: the teams the City worked with, what they piloted, and "
        "whether the City bought the solution."
    ),
    "search_description": (
        "Results of the City of Toronto's Civic Innovation Office challenges: pilots, outcomes and the "
        "solutions the City procured."
    ),
}


def load(home: HomePage) -> ResultsPage:
    """The English results hub under the home page (once, however often this runs)."""
    page = ResultsPage.objects.child_of(home).first()
    if page is None:
        page = ResultsPage(**RESULTS)
        home.add_child(instance=page)
        page.save_revision().publish()
    return page


def translate(page: ResultsPage, french) -> ResultsPage:
    return translate_page(page, french, demo_catalogue(CATALOGUE))
