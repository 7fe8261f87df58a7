"""Demo content for the shared parts of the site: locales, snippets, settings and images.

Every function is idempotent: it looks things up by a stable key (slug, name) before creating."""

import io
import logging
from pathlib import Path

from django.core.files.images import ImageFile
from modelcluster.fields import ParentalManyToManyField
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, Site, TranslatableMixin

from devtools.demo.translation import demo_catalogue, translate_with_localize
from site_core.models import Boilerplate, Division, MediaContact, OfficeDetails, PartnerCity, SiteSettings, Topic

logger = logging.getLogger(__name__)

# French for every demo snippet (msgid: the English segment as wagtail-localize exports it).
CATALOGUE = Path(__file__).with_name("site_fr.po")

DIVISIONS = [
    (
        "city-managers-office",
        "City Manager's Office",
        "Leads the City's public service; home of the Civic Innovation Office.",
    ),
    (
        "transportation-services",
        "Transportation Services",
        "Plans, builds and operates the City's roads, sidewalks and cycling network.",
    ),
    (
        "employment-social-services",
        "Toronto Employment & Social Services",
        "Helps residents find work and get income support.",
    ),
    (
        "municipal-licensing-standards",
        "Municipal Licensing & Standards",
        "Licenses businesses and enforces property and bylaw standards.",
    ),
    ("311-toronto", "311 Toronto", "Answers residents' questions about City services, 24 hours a day."),
    ("solid-waste-management", "Solid Waste Management Services", "Collects, recycles and composts the city's waste."),
]

TOPICS = [
    ("digital-services", "Digital services"),
    ("mobility", "Mobility"),
    ("housing", "Housing"),
    ("open-data", "Open data"),
    ("climate", "Climate and environment"),
    ("partnerships", "Partnerships"),
]

PARTNER_CITIES = [
    ("anchorage", "Anchorage", "Alaska", "United States"),
    ("durham", "Durham", "North Carolina", "United States"),
    ("austin", "Austin", "Texas", "United States"),
    ("baltimore", "Baltimore", "Maryland", "United States"),
    ("detroit", "Detroit", "Michigan", "United States"),
    ("beer-sheva", "Be'er Sheva", "Southern District", "Israel"),
]
PROGRAM = "Bloomberg Philanthropies Innovation Teams"

MEDIA_CONTACTS = [
    ("Office of the Mayor", "City of Toronto", "416-397-2489", "mayor.media@example.ca"),
    ("Strategic Communications", "City of Toronto", "416-392-8937", "media@example.ca"),
]

ABOUT_TEAM_TITLE = "About the Innovation Team"
ABOUT_TEAM_BODY = (
    "<p>Launched in 2012, the Innovation Teams Program is one of eight Government Innovation offerings at "
    "Bloomberg Philanthropies. Innovation teams (i-teams) work as in-house innovation consultants, helping "
    "agency leaders and staff assess problems with data, design new responses, build partnerships and "
    "deliver measurable results. The City of Toronto is one of more than 20 cities around the world in the program.</p>"
)
ABOUT_CITY_TITLE = "About the City of Toronto"
ABOUT_CITY_BODY = (
    "<p>Toronto is Canada's largest city, the fourth largest in North America, and home to a diverse "
    "population of about 2.8 million people. It is a global centre for business, finance, arts and culture. "
    "For information on non-emergency City services and programs, residents, businesses and visitors can "
    "call 311, 24 hours a day, 7 days a week.</p>"
)


def locales() -> tuple[Locale, Locale]:
    """The English source locale and the French one, created if missing."""
    english, _ = Locale.objects.get_or_create(language_code="en")
    french, _ = Locale.objects.get_or_create(language_code="fr")
    return english, french


def tree_root() -> Page:
    """The tree's root node, recreated if the database was emptied (e.g. flushed by a test)."""
    root = Page.get_first_root_node()
    if root is None:
        english, _french = locales()
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=english))
    return root


def demo_image(title: str, colours: tuple[str, str], size=(1200, 630)):
    """A generated illustration (no network, no binary in the repo), reused by title."""
    image_model = get_image_model()
    existing = image_model.objects.filter(title=title).first()
    if existing:
        return existing
    background, accent = colours
    picture = PILImage.new("RGB", size, background)
    draw = ImageDraw.Draw(picture)
    width, height = size
    for step in range(6):
        inset = step * 60
        draw.rounded_rectangle(
            [width // 2 - inset + 200, height // 6 + inset // 2, width - 80 - inset // 3, height - 60],
            radius=40,
            outline=accent,
            width=10,
        )
    draw.ellipse([80, height // 3, 80 + height // 2, height // 3 + height // 2], fill=accent)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    slug = "".join(ch if ch.isalnum() else "-" for ch in title.lower()).strip("-")
    collection = Collection.get_first_root_node() or Collection.add_root(name="Root")
    image = image_model(title=title, collection=collection)
    image.file = ImageFile(io.BytesIO(buffer.getvalue()), name=f"{slug}.png")
    image.file_size = len(buffer.getvalue())  # as the admin's upload form records it
    image.save()
    return image


SHARE_IMAGE_TITLE = "Civic Innovation Office sharing image"
SHARE_IMAGE_ALT = "Civic Innovation Office, City of Toronto: blue and gold illustration"


def share_image():
    """The default image for shared links: Open Graph's 1200 by 630, with a description as alt text."""
    image = demo_image(SHARE_IMAGE_TITLE, ("#0b3d6e", "#f2b705"))
    if not image.description:
        image.description = SHARE_IMAGE_ALT
        image.save(update_fields=["description"])
    return image


def load_snippets() -> dict:
    """English snippets (the source) and French translations of the ones French pages use."""
    english, french = locales()
    divisions = {}
    for slug, name, description in DIVISIONS:
        divisions[slug], _ = Division.objects.get_or_create(
            locale=english, slug=slug, defaults={"name": name, "description": description}
        )
    topics = {}
    for slug, name in TOPICS:
        topics[slug], _ = Topic.objects.get_or_create(locale=english, slug=slug, defaults={"name": name})
    cities = {}
    for slug, name, region, country in PARTNER_CITIES:
        cities[slug], _ = PartnerCity.objects.get_or_create(
            locale=english,
            slug=slug,
            defaults={
                "name": name,
                "region": region,
                "country": country,
                "program": PROGRAM,
                "description": f"{name}'s innovation team is part of the {PROGRAM} network.",
            },
        )
    contacts = {}
    for office, organisation, phone, email in MEDIA_CONTACTS:
        contacts[office], _ = MediaContact.objects.get_or_create(
            locale=english,
            office=office,
            defaults={"organisation": organisation, "phone": phone, "email": email},
        )
    boilerplates = {}
    for title, body in [(ABOUT_TEAM_TITLE, ABOUT_TEAM_BODY), (ABOUT_CITY_TITLE, ABOUT_CITY_BODY)]:
        boilerplates[title], _ = Boilerplate.objects.get_or_create(locale=english, title=title, defaults={"body": body})

    # French versions of every snippet the French pages show, before the pages are translated so that
    # wagtail-localize points the French pages at them.
    strings = demo_catalogue(CATALOGUE)
    english_snippets = [divisions, topics, cities, contacts, boilerplates]
    for snippet in [snippet for group in english_snippets for snippet in group.values()]:
        if not snippet.has_translation(french):
            translate_with_localize(snippet, french, strings)
    return {
        "divisions": divisions,
        "topics": topics,
        "cities": cities,
        "contacts": contacts,
        "boilerplates": boilerplates,
    }


def translate_page(page: Page, locale: Locale, strings: dict[str, str]) -> Page:
    """`page` in `locale`: translated once through wagtail-localize with `strings`, then its topics
    pointed at their translations (see `localise_references`). The translation is published again only
    when something changed, so running the demo twice changes nothing."""
    existing = page.get_translation_or_none(locale)
    translated = existing.specific if existing else translate_with_localize(page, locale, strings)
    if localise_references(translated, locale):
        translated.save_revision().publish()
    return translated


def localise_references(instance, locale: Locale) -> bool:
    """Point `instance`'s links to translatable objects (snippets, pages) at their `locale` versions
    where they exist, in memory; returns True if any changed.

    wagtail-localize copies many-to-many fields (topics) as they are, in the source language. Foreign
    keys to snippets and the inline objects (key dates, questions, a release's boilerplates and
    contacts) it translates and re-links itself, as the snippets are translated first."""
    changed = False
    for field in instance._meta.get_fields():
        if isinstance(field, ParentalManyToManyField) and issubclass(field.related_model, TranslatableMixin):
            current = list(getattr(instance, field.name).all())
            localised = _localised(field.related_model, current, locale)
            if {item.pk for item in localised} != {item.pk for item in current}:
                setattr(instance, field.name, localised)
                changed = True
    return changed


def _localised(model, objects: list, locale: Locale) -> list:
    """Each of `objects` in `locale` when translated, otherwise as it is."""
    keys = {obj.translation_key for obj in objects if obj.locale_id != locale.pk}
    translations = {obj.translation_key: obj for obj in model.objects.filter(translation_key__in=keys, locale=locale)}
    return [translations.get(obj.translation_key, obj) for obj in objects]


def load_settings(site: Site, navigation_pages: list) -> SiteSettings:
    """Contact details, the office's details in both languages and the main navigation."""
    site_settings = SiteSettings.for_site(site)
    site_settings.contact_email = "innovation@example.ca"
    site_settings.phone_311 = "311"
    site_settings.x_url = "https://x.com/TorontoComms"
    site_settings.instagram_url = "https://www.instagram.com/cityofto"
    site_settings.primary_navigation = [("link", {"page": page, "label": ""}) for page in navigation_pages]
    if site_settings.default_share_image_id is None:
        site_settings.default_share_image = share_image()
    site_settings.save()
    load_office_details()
    return site_settings


OFFICE_DETAILS = {
    "office_name": ("Civic Innovation Office", "Bureau de l'innovation civique"),
    "parent_organisation": (
        "City Manager's Office, City of Toronto",
        "Bureau du directeur municipal, Ville de Toronto",
    ),
    "employer_name": ("City of Toronto", "Ville de Toronto"),
    "street_address": (
        "Toronto City Hall\n100 Queen Street West\nToronto, ON  M5H 2N2",
        "Hôtel de ville de Toronto\n100, rue Queen Ouest\nToronto (Ontario)  M5H 2N2",
    ),
    "privacy_legal_authority": (
        "City of Toronto Act, 2006, S.O. 2006, c. 11, Schedule A, s. 136(c)",
        "Loi de 2006 sur la cité de Toronto, L.O. 2006, chap. 11, annexe A, alinéa 136 c)",
    ),
    "privacy_officer_title": (
        "Director, Civic Innovation Office",
        "Directeur ou directrice, Bureau de l'innovation civique",
    ),
    "privacy_officer_address": (
        "City Manager's Office, Toronto City Hall, 100 Queen Street West, Toronto, ON  M5H 2N2",
        "Bureau du directeur municipal, Hôtel de ville de Toronto, 100, rue Queen Ouest, Toronto (Ontario)  M5H 2N2",
    ),
}


def load_office_details() -> OfficeDetails:
    """The office's name, address and privacy wording in English, translated into French."""
    english = Locale.get_default()
    details = OfficeDetails.objects.filter(locale=english).first()
    if details is None:
        details = OfficeDetails(locale=english, phone="416-392-0000", privacy_officer_phone="416-392-0000")
        for field, (value, _french) in OFFICE_DETAILS.items():
            setattr(details, field, value)
        details.save()
    french = Locale.objects.filter(language_code="fr").first()
    if french is not None and not details.has_translation(french):
        # wagtail-localize turns the line breaks of plain-text fields into <br/> in its segments. Fields
        # left at their defaults (the open data licence) are translated in the demo catalogue.
        strings = demo_catalogue(CATALOGUE) | {
            getattr(details, field).replace("\n", "<br/>"): value.replace("\n", "<br/>")
            for field, (_english, value) in OFFICE_DETAILS.items()
        }
        translate_with_localize(details, french, strings)
    return details
