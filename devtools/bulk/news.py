"""Bulk newsroom content for performance work: thousands of releases and partner stories.

Called by `manage.py generate_bulk_content` (home). Release n and story n are always the same page
(same text, date and links), so runs top up instead of duplicating; see devtools/bulk/pages.py."""

import datetime

from django.utils import timezone
from django.utils.html import escape
from wagtail.models import Locale

from challenges.models import ChallengePage
from devtools.bulk.pages import aligned, slug_for
from devtools.bulk.text import GENERAL_SENTENCES, Writer
from devtools.demo.site import demo_image
from news.models import NewsReleasePage, PartnerStoryPage, ReleaseType
from site_core.local_time import city_zone
from site_core.models import Boilerplate, Division, MediaContact, PartnerCity, Topic

YEARS_BACK = 9
RECENT_EVERY = 20  # one release in 20 falls in the last 30 days, so /news/recent/ is never empty

# What releases are about: noun phrases that follow a verb or a colon in both languages.
THINGS = [
    ("a new online service for building permits", "un nouveau service en ligne pour les permis de construire"),
    ("a pilot of smart traffic signals", "un projet pilote de feux de circulation intelligents"),
    ("an open data portal for road closures", "un portail de données ouvertes sur les fermetures de routes"),
    ("a plain-language guide to property tax", "un guide en langage clair sur l'impôt foncier"),
    ("a challenge to reduce missed waste collections", "un défi pour réduire les collectes de déchets manquées"),
    ("a partnership with local startups", "un partenariat avec de jeunes pousses locales"),
    ("a study of 311 service request times", "une étude des délais de traitement des demandes au 311"),
    ("a mobile app for reporting potholes", "une application mobile pour signaler les nids-de-poule"),
    ("a data-sharing agreement with partner cities", "une entente de partage de données avec les villes partenaires"),
    ("sensors to monitor flooding in ravines", "des capteurs pour surveiller les inondations dans les ravins"),
    ("an easier way to book recreation programs", "une façon plus simple de réserver les programmes de loisirs"),
    ("a faster process for business licences", "un processus plus rapide pour les permis d'entreprise"),
    ("online booking for marriage licences", "la réservation en ligne des licences de mariage"),
    ("training for staff in service design", "une formation du personnel en design de services"),
    ("a review of how residents find City services", "un examen de la façon dont les résidents trouvent les services"),
    ("text message reminders for court dates", "des rappels par texto pour les dates d'audience"),
    ("new ways to report graffiti", "de nouvelles façons de signaler les graffitis"),
    ("a pilot of accessible digital forms", "un projet pilote de formulaires numériques accessibles"),
]
# Where: every other release names a part of the city.
PLACES = [
    ("in Scarborough", "à Scarborough"),
    ("in Etobicoke", "à Etobicoke"),
    ("in North York", "à North York"),
    ("in East York", "à East York"),
    ("downtown", "au centre-ville"),
    ("in the waterfront neighbourhoods", "dans les quartiers riverains"),
    ("across the city", "dans toute la ville"),
    ("in 25 libraries", "dans 25 bibliothèques"),
    ("at civic centres", "dans les centres civiques"),
    ("for seniors", "pour les aînés"),
    ("for small businesses", "pour les petites entreprises"),
    ("for newcomers", "pour les nouveaux arrivants"),
]
TITLES = {
    ReleaseType.NEWS_RELEASE: [
        ("City of Toronto launches {thing}", "La Ville de Toronto lance {thing}"),
        ("City of Toronto expands {thing}", "La Ville de Toronto élargit {thing}"),
        (
            "{division} and the Civic Innovation Office test {thing}",
            "La division {division} et le Bureau de l'innovation civique mettent à l'essai {thing}",
        ),
        ("City invites residents to try {thing}", "La Ville invite les résidents à essayer {thing}"),
        ("City Council approves {thing}", "Le conseil municipal approuve {thing}"),
    ],
    ReleaseType.MEDIA_ADVISORY: [
        ("Media advisory: Mayor to announce {thing}", "Avis aux médias : le maire annoncera {thing}"),
        (
            "Media advisory: {division} to present {thing}",
            "Avis aux médias : la division {division} présentera {thing}",
        ),
    ],
    ReleaseType.BACKGROUNDER: [
        ("Backgrounder: {thing}", "Document d'information : {thing}"),
        ("Backgrounder: how the City is testing {thing}", "Document d'information : la Ville met à l'essai {thing}"),
    ],
    ReleaseType.STATEMENT: [
        ("Statement from the Mayor: {thing}", "Déclaration du maire : {thing}"),
        ("Statement from the City Manager: {thing}", "Déclaration du directeur municipal : {thing}"),
    ],
}
LEADS = [
    (
        "The City of Toronto today announced {thing}, the result of work by {division} and the Civic Innovation "
        "Office.",
        "La Ville de Toronto a annoncé aujourd'hui {thing}, fruit du travail de la division {division} et du "
        "Bureau de l'innovation civique.",
    ),
    (
        "Residents can now see {thing}, tested with the people who use the service.",
        "Les résidents peuvent maintenant découvrir {thing}, testé avec les personnes qui utilisent le service.",
    ),
    (
        "The Civic Innovation Office and {division} shared results today from {thing}.",
        "Le Bureau de l'innovation civique et la division {division} ont présenté aujourd'hui les résultats "
        "obtenus : {thing}.",
    ),
]
ADVISORY = (
    "Date: {date}. Location: Toronto City Hall, 100 Queen Street West, Committee Room 2. Media are asked to "
    "arrive 15 minutes early.",
    "Date : {date}. Lieu : hôtel de ville de Toronto, 100, rue Queen Ouest, salle de comité 2. Les médias sont "
    "priés d'arriver 15 minutes à l'avance.",
)
RELATED = (
    "The City is looking for innovators to help: read the challenge “{challenge}” and apply before the deadline.",
    "La Ville cherche des innovateurs pour l'aider : lisez le défi « {challenge} » et posez votre candidature "
    "avant la date limite.",
)
# Release types in turn: any four consecutive releases have all four types; over twenty, mostly news releases.
_N, _A, _B, _S = ReleaseType.NEWS_RELEASE, ReleaseType.MEDIA_ADVISORY, ReleaseType.BACKGROUNDER, ReleaseType.STATEMENT
TYPE_CYCLE = [_N, _A, _B, _S, _N, _N, _A, _N, _B, _N, _N, _A, _N, _S, _N, _B, _N, _A, _N, _N]

STORY_TITLES = [
    ("How {city} cut waiting times at its service counters", "Comment {city} a réduit l'attente aux comptoirs"),
    ("{city} tests {thing}", "{city} met à l'essai {thing}"),
    ("What {city} learned from {thing}", "Ce que {city} a appris : {thing}"),
    ("{city}'s innovation team looks back on a year of prototypes", "{city} : une année de prototypes"),
    ("Designing with residents in {city}", "Concevoir avec les résidents à {city}"),
]
STORY_SUMMARIES = [
    (
        "{city}'s innovation team explains what it tried, what worked and what it would do differently.",
        "L'équipe d'innovation de {city} explique ce qu'elle a essayé, ce qui a fonctionné et ce qu'elle ferait "
        "autrement.",
    ),
    (
        "A short account of a project in {city}, with the measures the team agreed on before it started.",
        "Le récit d'un projet à {city}, avec les mesures que l'équipe avait fixées avant de commencer.",
    ),
]
STORY_IMAGE_ALT = (
    "Illustration: rounded shapes in the colours of {city}'s innovation team",
    "Illustration : des formes arrondies aux couleurs de l'équipe d'innovation de {city}",
)
CITY_COLOURS = [("#0b3d6e", "#f2b705"), ("#14532d", "#a3e635"), ("#7c2d12", "#fdba74"), ("#312e81", "#c4b5fd")]


def _in_the_past(moment: datetime.datetime, now: datetime.datetime) -> datetime.datetime:
    return moment if moment <= now else moment - datetime.timedelta(days=1)


def _pick(writer: Writer, objects: list):
    return objects[writer.random.randrange(len(objects))] if objects else None


class NewsroomBuilder:
    """Builds release n and story n in English or French. The snippets (and challenges) are read once;
    a French page links to their French versions where they exist (otherwise to the English ones, as
    wagtail-localize does until they are translated), position by position, so it matches its English page."""

    def __init__(self, english: Locale):
        self.now = timezone.now()
        self.sources = {
            "topics": list(Topic.objects.filter(locale=english).order_by("pk")),
            "divisions": list(Division.objects.filter(locale=english).order_by("pk")),
            "contacts": list(MediaContact.objects.filter(locale=english).order_by("pk")),
            "boilerplates": list(Boilerplate.objects.filter(locale=english).order_by("pk")),
            "cities": list(PartnerCity.objects.filter(locale=english).order_by("pk")),
            "challenges": list(ChallengePage.objects.live().filter(locale=english).order_by("pk")),
        }
        self._by_locale = {english.pk: self.sources}
        self._images = {}

    def snippets(self, locale: Locale) -> dict:
        if locale.pk not in self._by_locale:
            self._by_locale[locale.pk] = {name: aligned(objects, locale) for name, objects in self.sources.items()}
        return self._by_locale[locale.pk]

    def release(self, number: int, locale: Locale) -> NewsReleasePage:
        writer = Writer(f"news-release:{number}", locale.language_code)
        snippets = self.snippets(locale)
        random = writer.random
        release_type = TYPE_CYCLE[(number - 1) % len(TYPE_CYCLE)]
        days_ago = random.uniform(0, 30) if number % RECENT_EVERY == 1 else random.uniform(0, 365 * YEARS_BACK)
        local = (self.now - datetime.timedelta(days=days_ago)).astimezone(city_zone())
        release_date = _in_the_past(
            local.replace(hour=random.randint(8, 16), minute=random.choice([0, 15, 30, 45])), self.now
        )
        division, city = _pick(writer, snippets["divisions"]), _pick(writer, snippets["cities"])
        topics = writer.sample(snippets["topics"], random.randint(1, 3))
        thing, place = writer.pick(THINGS), writer.pick(PLACES)
        writer.slots = {
            "thing": f"{thing} {place}" if random.random() < 0.6 else thing,
            "division": division.name if division else "311 Toronto",
            "topic": topics[0].name if topics else "",
            "city": city.name if city else "Austin",
            "year": str(release_date.year + 1),
        }
        title = writer.pick(TITLES[release_type]).format(**writer.slots)
        title = title[0].upper() + title[1:]
        opening = []
        if release_type == ReleaseType.MEDIA_ADVISORY:
            opening.append(f"<p>{escape(writer.say(ADVISORY).format(date=release_date.date().isoformat()))}</p>")
        challenge = _pick(writer, snippets["challenges"]) if random.random() < 0.2 else None
        page = NewsReleasePage(
            title=title,
            slug=slug_for(title, number),
            release_type=release_type,
            release_date=release_date,
            lead=writer.pick(LEADS).format(**writer.slots),
            body=writer.body(opening, sections=1 if release_type == ReleaseType.MEDIA_ADVISORY else None),
            first_published_at=release_date,
        )
        if challenge is not None:
            page.body.append(("paragraph", f"<p>{escape(writer.say(RELATED).format(challenge=challenge.title))}</p>"))
            page.related_challenge_links.add(page.related_challenge_links.model(challenge_id=challenge.pk))
        page.topics = topics
        for contact in writer.sample(snippets["contacts"], random.randint(1, 2)):
            page.media_contact_links.add(page.media_contact_links.model(media_contact=contact))
        if release_type in {ReleaseType.NEWS_RELEASE, ReleaseType.STATEMENT}:
            for boilerplate in writer.sample(snippets["boilerplates"], random.randint(1, 2)):
                page.boilerplate_links.add(page.boilerplate_links.model(boilerplate=boilerplate))
        return page

    def story(self, number: int, locale: Locale) -> PartnerStoryPage:
        writer = Writer(f"partner-story:{number}", locale.language_code)
        snippets = self.snippets(locale)
        random = writer.random
        # Every city in turn, so each city page has its share of the stories.
        city = snippets["cities"][(number - 1) % len(snippets["cities"])]
        story_date = (self.now - datetime.timedelta(days=random.uniform(1, 365 * YEARS_BACK))).astimezone(city_zone())
        writer.slots = {"thing": writer.pick(THINGS), "city": city.name, "year": str(story_date.year + 1)}
        title = writer.pick(STORY_TITLES).format(**writer.slots)
        page = PartnerStoryPage(
            title=title,
            slug=slug_for(title, number),
            partner_city=city,
            story_date=story_date.date(),
            summary=writer.pick(STORY_SUMMARIES).format(**writer.slots),
            image=self.city_image(self.sources["cities"][(number - 1) % len(self.sources["cities"])]),
            image_alt=writer.say(STORY_IMAGE_ALT).format(city=city.name),
            body=writer.body(bank=GENERAL_SENTENCES),
            first_published_at=datetime.datetime.combine(story_date.date(), datetime.time(10), tzinfo=city_zone()),
        )
        page.topics = writer.sample(snippets["topics"], random.randint(1, 2))
        return page

    def city_image(self, city: PartnerCity):
        """One generated illustration per partner city, shared by its stories (listings show renditions
        of a few images, as a real newsroom reuses its photos)."""
        if city.pk not in self._images:
            colours = CITY_COLOURS[len(self._images) % len(CITY_COLOURS)]
            self._images[city.pk] = demo_image(f"{city.name} innovation team", colours)
        return self._images[city.pk]
