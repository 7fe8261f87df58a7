"""Bulk job postings for performance work: hundreds of postings, open and closed, across divisions.

Called by `manage.py generate_bulk_content` (home). Posting n always gets the same role, division,
type and dates (relative to today); see devtools/bulk/pages.py."""

import datetime

from django.utils import timezone
from django.utils.html import escape
from wagtail.models import Locale

from devtools.bulk.pages import aligned, slug_for
from devtools.bulk.text import Writer
from jobs.models import EmploymentType, JobPostingPage, WorkArrangement
from site_core.local_time import city_zone
from site_core.models import Division

OPEN_EVERY = 4  # one posting in four is open today

# (title, yearly salary range in thousands or hourly range, per)
ROLES = [
    (("Policy Analyst", "Analyste des politiques"), (78, 96), "year"),
    (("Service Designer", "Designer de services"), (86, 108), "year"),
    (("Data Scientist", "Scientifique des données"), (95, 120), "year"),
    (("Senior Software Developer", "Développeur principal de logiciels"), (105, 132), "year"),
    (("User Researcher", "Chercheur en expérience utilisateur"), (82, 101), "year"),
    (("Project Coordinator", "Coordonnateur de projets"), (68, 84), "year"),
    (("Content Designer", "Concepteur de contenu"), (76, 94), "year"),
    (("Program Manager", "Gestionnaire de programme"), (110, 138), "year"),
    (("Research Assistant", "Assistant de recherche"), (28, 35), "hour"),
    (("Community Engagement Officer", "Agent de mobilisation communautaire"), (72, 88), "year"),
]
SUMMARIES = [
    (
        "Join {division} as a {role} and help residents get better services, working with the Civic Innovation "
        "Office on its challenges.",
        "Joignez-vous à la division {division} à titre de {role} et aidez les résidents à obtenir de meilleurs "
        "services, avec le Bureau de l'innovation civique.",
    ),
    (
        "{division} is hiring a {role} to test new ways of delivering City services with residents and staff.",
        "La division {division} embauche : {role}, pour mettre à l'essai de nouvelles façons d'offrir les "
        "services municipaux avec les résidents et le personnel.",
    ),
]
DUTIES = [
    (
        "Plan and run research with residents and front-line staff.",
        "Planifier et mener des recherches avec les résidents et le personnel de première ligne.",
    ),
    (
        "Analyse service data and present findings in plain language.",
        "Analyser les données de service et présenter les résultats en langage clair.",
    ),
    (
        "Work with selected teams during 16-week stints.",
        "Travailler avec les équipes sélectionnées pendant les projets de 16 semaines.",
    ),
    (
        "Write reports for divisions and City Council committees.",
        "Rédiger des rapports pour les divisions et les comités du conseil municipal.",
    ),
    (
        "Prototype and test changes to forms, letters and web pages.",
        "Concevoir et tester des changements aux formulaires, lettres et pages Web.",
    ),
    (
        "Coordinate procurement steps with Purchasing and Materials Management.",
        "Coordonner les étapes d'approvisionnement avec les Services d'achat.",
    ),
]
QUALIFICATIONS = [
    (
        "A degree in a related field, or equivalent experience.",
        "Un diplôme dans un domaine connexe, ou une expérience équivalente.",
    ),
    (
        "Experience designing services with the people who use them.",
        "De l'expérience en conception de services avec les personnes qui les utilisent.",
    ),
    ("Clear writing for a general audience.", "Une rédaction claire pour le grand public."),
    (
        "Knowledge of accessibility standards (AODA, WCAG).",
        "Une connaissance des normes d'accessibilité (LAPHO, WCAG).",
    ),
    ("Comfort working with data and spreadsheets.", "De l'aisance avec les données et les tableurs."),
    ("Fluency in French is an asset.", "La maîtrise du français est un atout."),
]
OFFER = (
    "A defined benefit pension plan (OMERS), health and dental benefits, and work residents see.",
    "Un régime de retraite à prestations déterminées (OMERS), une assurance maladie et dentaire, et un "
    "travail qui se voit.",
)
HOURS = ("35 hours per week", "35 heures par semaine")
# Employment types in turn: any six consecutive postings have all four; most are full-time.
_FULL, _CONTRACT = EmploymentType.FULL_TIME, EmploymentType.CONTRACT
TYPE_CYCLE = [
    _FULL,
    _CONTRACT,
    _FULL,
    EmploymentType.PART_TIME,
    _FULL,
    EmploymentType.TEMPORARY,
    _FULL,
    _CONTRACT,
    _FULL,
]
DIVISION_CODES = ["CMO", "TS", "TESS", "MLS", "311", "SWMS"]


def _items(writer: Writer, bank: list, count: int) -> str:
    return "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in writer.sample(bank, count)) + "</ul>"


def _closing(days: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime(day.year, day.month, day.day, 23, 59, tzinfo=city_zone())


class JobBuilder:
    """Builds posting n in English or French; a French posting uses the French divisions."""

    def __init__(self, english: Locale):
        self.divisions = list(Division.objects.filter(locale=english).order_by("pk"))
        self._by_locale = {english.pk: self.divisions}

    def divisions_in(self, locale: Locale) -> list:
        if locale.pk not in self._by_locale:
            self._by_locale[locale.pk] = aligned(self.divisions, locale)
        return self._by_locale[locale.pk]

    def posting(self, number: int, locale: Locale) -> JobPostingPage:
        writer = Writer(f"job-posting:{number}", locale.language_code)
        random = writer.random
        divisions = self.divisions_in(locale)
        position = random.randrange(len(divisions))
        division = divisions[position]
        (role, (low, high), period) = ROLES[random.randrange(len(ROLES))]
        # Open postings close in the coming weeks; closed ones closed at any time in the last nine years.
        closes_in = random.randint(3, 45) if number % OPEN_EVERY == 1 else -random.randint(1, 365 * 9)
        closes_at = _closing(closes_in)
        posting_date = (closes_at - datetime.timedelta(days=random.randint(14, 35))).date()
        writer.slots = {"division": division.name, "role": writer.say(role)}
        title = f"{writer.say(role)}, {division.name}"
        scale = 1000 if period == "year" else 1
        code = DIVISION_CODES[position % len(DIVISION_CODES)]
        return JobPostingPage(
            title=title,
            slug=slug_for(title, number),
            job_id=f"{posting_date.year}-{code}-{number:05d}",
            division=division,
            employment_type=TYPE_CYCLE[(number - 1) % len(TYPE_CYCLE)],
            positions=random.choice([1, 1, 1, 2, 3]),
            salary_min=low * scale,
            salary_max=high * scale,
            salary_period=period,
            hours=writer.say(HOURS),
            work_arrangement=random.choice(WorkArrangement.values),
            posting_date=posting_date,
            closes_at=closes_at,
            summary=writer.pick(SUMMARIES).format(**writer.slots),
            responsibilities=_items(writer, DUTIES, random.randint(3, 5)),
            qualifications=_items(writer, QUALIFICATIONS, random.randint(3, 5)),
            offer=f"<p>{escape(writer.say(OFFER))}</p>",
            apply_url="https://www.toronto.ca/home/jobs/",
            first_published_at=datetime.datetime.combine(posting_date, datetime.time(9), tzinfo=city_zone()),
        )
