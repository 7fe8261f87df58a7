"""Demo home page in English and French, and `load_demo_content`, which composes every section's demo
content (devtools/demo/)."""

import io
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import Page, Site
from wagtail.search.backends import get_search_backends

from challenges.models import ChallengePage
from devtools.demo import alerts as alerts_demo
from devtools.demo import applicants as applicants_demo
from devtools.demo import challenges as challenges_demo
from devtools.demo import events as events_demo
from devtools.demo import jobs as jobs_demo
from devtools.demo import news as news_demo
from devtools.demo import panels as panels_demo
from devtools.demo import results as results_demo
from devtools.demo import reviews as reviews_demo
from devtools.demo import site as core_demo
from devtools.demo import standard_pages as standard_demo
from devtools.demo.translation import demo_catalogue, translate_with_localize
from home.models import HomePage

# French for the home page (msgid: the English segment).
CATALOGUE = Path(__file__).with_name("home_fr.po")

HERO_EN = {
    "title": "Home",
    "hero_heading": "Solving City service problems with Toronto's innovators",
    "hero_text": (
        "The Civic Innovation Office works with City divisions to find service problems, then invites "
        "startups and innovators to solve them in 16-week stints the City can procure."
    ),
    "hero_cta_label": "See the open challenges",
    "search_description": (
        "The City of Toronto's Civic Innovation Office: challenges for innovators, news, "
        "jobs and stories from partner cities."
    ),
}


WAGTAIL_DEFAULT_ADDRESS = ("localhost", 80)  # the Site Wagtail's first migration makes


def site_address() -> tuple[str, int]:
    """The host name and port of settings.BASE_URL ("http://127.0.0.1:8000" -> ("127.0.0.1", 8000))."""
    address = urlsplit(settings.BASE_URL)
    return address.hostname or "localhost", address.port or (443 if address.scheme == "https" else 80)


def load_home() -> HomePage:
    """The English home page as the default site's root, replacing Wagtail's welcome page."""
    english, _french = core_demo.locales()
    root = core_demo.tree_root()
    welcome = [page for page in root.get_children().specific() if type(page) is Page and page.is_leaf()]
    site = Site.objects.filter(is_default_site=True).first()
    home = HomePage.objects.filter(locale=english).first()
    if home is None:
        for page in welcome:  # Wagtail's "Welcome" placeholder holds the slug "home"
            page.slug = f"wagtail-welcome-{page.pk}"
            page.save()
        home = HomePage(slug="home", locale=english, **HERO_EN)
        home.hero_image = core_demo.demo_image("Civic Innovation Office hero", ("#0b3d6e", "#f2b705"), size=(1280, 960))
        root.add_child(instance=home)
        home.save_revision().publish()
    if site is None:
        site = Site(hostname="localhost", port=80, is_default_site=True)
    hostname, port = site_address()
    if site.root_page_id != home.pk or (site.hostname, site.port) == WAGTAIL_DEFAULT_ADDRESS:
        # Absolute addresses (the API's html_url, the open data's url, emails) come from the Site: it
        # is where BASE_URL says the site is served, not Wagtail's "localhost" without its port.
        site.root_page = home
        site.site_name = "Civic Innovation Office"
        site.hostname, site.port = hostname, port
        site.save()
    for page in welcome:
        if not Site.objects.filter(root_page=page).exists():
            page.delete()
    return home


# An editors' pick in site search: people who search "apply" see the open challenge first.
PROMOTED_QUERY = "apply"
PROMOTED_DESCRIPTION = "Open for applications now: read the call and apply online before the deadline."


def load_search_promotion(challenge_index) -> SearchPromotion | None:
    """Promote the open demo challenge for the search "apply" (once, however often this runs)."""
    open_challenge = next(
        (page for page in ChallengePage.objects.child_of(challenge_index).live() if page.status.accepts_applications),
        None,
    )
    if open_challenge is None:
        return None
    promotion, _created = SearchPromotion.objects.get_or_create(
        query=Query.get(PROMOTED_QUERY),
        page=open_challenge,
        defaults={"description": PROMOTED_DESCRIPTION, "sort_order": 0},
    )
    return promotion


def index_pages_for_search() -> int:
    """Add every page to every search backend's index, including backends that do not index on
    save (the test settings turn that off), so the demo is searchable as soon as it is loaded.
    Returns the number of pages indexed."""
    by_model = defaultdict(list)
    for page in Page.objects.filter(depth__gt=1).specific():
        by_model[type(page)].append(page)
    for backend in get_search_backends():
        for model, pages in by_model.items():
            backend.add_bulk(model, pages)
    return sum(len(pages) for pages in by_model.values())


@transaction.atomic
def load_demo_content() -> dict:
    """Build (or complete) the demo site. Safe to run any number of times."""
    _english, french = core_demo.locales()
    snippets = core_demo.load_snippets()
    home = load_home()
    challenge_index = challenges_demo.load(home, snippets)
    reviews_demo.load_call(challenge_index, snippets)  # the call under review, its panel at work
    results_page = results_demo.load(home)  # the results hub: the completed challenges
    news_index = news_demo.load(home, snippets, challenge_index)
    partner_index = news_demo.load_partners(home, snippets)
    job_index = jobs_demo.load(home, snippets)
    standard_pages = standard_demo.load(home)  # About, Privacy, Accessibility, Terms of use, Contact: in the footer

    if home.hero_cta_page_id is None:
        home.hero_cta_page = challenge_index
        home.hero_cta_label = HERO_EN["hero_cta_label"]
        home.featured_release = news_demo.launch_release(news_index)
        home.save_revision().publish()
    core_demo.load_settings(
        Site.objects.get(is_default_site=True), [challenge_index, results_page, news_index, partner_index, job_index]
    )

    # Every page in French, parents before their children (wagtail-localize would otherwise copy a
    # missing parent in English) and challenges before the releases that link to them.
    strings = demo_catalogue(CATALOGUE)
    home_fr = core_demo.translate_page(home, french, strings)
    challenges_demo.translate(challenge_index, french)
    reviews_demo.translate_call(challenge_index, french)
    results_demo.translate(results_page, french)
    news_demo.translate(news_index, french)
    news_demo.translate_partners(partner_index, french)
    jobs_demo.translate(job_index, french)
    standard_demo.translate(standard_pages, french)
    targets = [home_fr.hero_cta_page, home_fr.featured_release]
    if any(target is not None and target.locale_id != french.pk for target in targets):
        # The French pages the home page links to did not exist when it was first translated: sync
        # once more so its button and pinned release point at their French versions.
        translate_with_localize(home, french, strings)
    # Applicants last: one applied on a French page, and the publishes above find nobody to email.
    applicants_demo.load(challenge_index)
    # The roles' page grants name the section pages, so they are applied once the pages exist.
    call_command("setup_groups", stdout=io.StringIO())
    # The review panel of a closed call: its reviewers join the reviewers' group, which setup_groups made;
    # then their sheets and shortlist, and the decided call's released decisions.
    panel = panels_demo.load(challenge_index)
    reviews_demo.load(challenge_index, panel)
    load_search_promotion(challenge_index)
    alerts_demo.load()  # after every publish: the subscribers are told of none of the demo's pages
    events_demo.load()  # after the French pages: one person registers on the French 311 session
    index_pages_for_search()
    return {
        "home": home,
        "challenge_index": challenge_index,
        "news_index": news_index,
        "partner_index": partner_index,
        "job_index": job_index,
    }
