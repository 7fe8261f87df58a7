"""Bulk challenge calls for performance work: hundreds of challenges in every status.

Called by `manage.py generate_bulk_content` (home). Dates are relative to today, like the demo's, and
challenge n always gets the same status pattern, division, text and questions; see devtools/bulk/pages.py."""

import datetime

from django.utils import timezone
from django.utils.html import escape
from wagtail.models import Locale

from challenges.models import ChallengePage, KeyDateKind
from challenges.status import Status
from devtools.bulk.pages import aligned, slug_for
from devtools.bulk.text import Writer
from devtools.demo.challenges import at
from site_core.models import Division, Topic

# One cycle of statuses: any six consecutive challenges cover all six, and most calls are in the past
# as on a site that has run for years.
STATUS_CYCLE = [
    Status.COMPLETED,
    Status.OPEN,
    Status.UPCOMING,
    Status.IN_PROGRESS,
    Status.UNDER_REVIEW,
    Status.CLOSING_SOON,
    Status.COMPLETED,
    Status.COMPLETED,
    Status.OPEN,
    Status.COMPLETED,
    Status.UPCOMING,
    Status.COMPLETED,
    Status.IN_PROGRESS,
    Status.COMPLETED,
    Status.UNDER_REVIEW,
    Status.COMPLETED,
    Status.COMPLETED,
    Status.OPEN,
    Status.COMPLETED,
    Status.COMPLETED,
]

PROBLEMS = [
    (
        "residents wait weeks for a building permit decision",
        "les résidents attendent des semaines une décision sur un permis de construire",
    ),
    (
        "missed waste collections are reported too late to fix the same day",
        "les collectes manquées sont signalées trop tard pour être réglées le jour même",
    ),
    (
        "newcomers struggle to find the employment services they qualify for",
        "les nouveaux arrivants peinent à trouver les services d'emploi auxquels ils ont droit",
    ),
    (
        "drivers speed in school zones despite new signs",
        "les conducteurs roulent trop vite dans les zones scolaires malgré les nouveaux panneaux",
    ),
    (
        "small businesses renew the same licence on paper every year",
        "les petites entreprises renouvellent chaque année le même permis sur papier",
    ),
    (
        "residents cannot tell when a reported pothole will be repaired",
        "les résidents ne savent pas quand un nid-de-poule signalé sera réparé",
    ),
    (
        "shelters cannot see available beds across the city in real time",
        "les refuges ne voient pas en temps réel les lits libres dans toute la ville",
    ),
    (
        "park permit requests arrive by email and get lost",
        "les demandes de permis de parc arrivent par courriel et se perdent",
    ),
    (
        "flooded basements are reported after the damage is done",
        "les sous-sols inondés sont signalés une fois les dégâts faits",
    ),
    (
        "library users cannot renew items in their own language",
        "les usagers des bibliothèques ne peuvent pas renouveler leurs prêts dans leur langue",
    ),
]
TITLES = [
    ("Help us fix this: {problem}", "Aidez-nous à régler ce problème : {problem}"),
    ("Challenge: {problem}", "Défi : {problem}"),
    ("Innovators wanted: {problem}", "Innovateurs recherchés : {problem}"),
]
SUMMARIES = [
    (
        "Today {problem}. Help {division} pilot a solution in a 16-week stint the City can procure.",
        "Aujourd'hui, {problem}. Aidez la division {division} à mettre à l'essai une solution en 16 semaines, "
        "que la Ville pourra acquérir.",
    ),
    (
        "{division} is looking for a team to work on a hard problem: {problem}.",
        "La division {division} cherche une équipe pour s'attaquer à un problème difficile : {problem}.",
    ),
]
AFFECTED = (
    "Residents who rely on the service, the front-line staff of {division}, and 311 agents who answer their calls.",
    "Les résidents qui dépendent du service, le personnel de première ligne de la division {division} et les "
    "agents du 311 qui répondent à leurs appels.",
)
SUCCESS = (
    "A working pilot used by real residents, with results measured against goals agreed before the stint.",
    "Un projet pilote utilisé par de vrais résidents, dont les résultats sont mesurés par rapport à des "
    "objectifs fixés avant le début du projet.",
)
ELIGIBILITY = (
    "Startups, small businesses, non-profit organisations and academic teams that can contract with the City.",
    "Les jeunes pousses, petites entreprises, organismes sans but lucratif et équipes universitaires pouvant "
    "conclure un contrat avec la Ville.",
)
AWARD = ("Up to {amount} for the 16-week stint", "Jusqu'à {amount} pour le projet de 16 semaines")
CRITERIA = [
    (("Impact on residents", "Impact pour les résidents"), 40),
    (("Feasibility in 16 weeks", "Faisabilité en 16 semaines"), 30),
    (("Team", "Équipe"), 30),
]
QUESTIONS = [
    (
        ("Which stage is your product at?", "À quelle étape en est votre produit?"),
        "choice",
        ("Idea\nPrototype\nIn use by customers", "Idée\nPrototype\nUtilisé par des clients"),
    ),
    (
        (
            "Has your team worked with a government before?",
            "Votre équipe a-t-elle déjà travaillé avec un gouvernement?",
        ),
        "yes-no",
        ("", ""),
    ),
    (
        ("How many residents could your pilot reach?", "Combien de résidents votre projet pilote pourrait-il joindre?"),
        "number",
        ("", ""),
    ),
    (("Link to a demo or prototype", "Lien vers une démo ou un prototype"), "url", ("", "")),
    (("What would you measure during the stint?", "Que mesureriez-vous pendant le projet?"), "long-text", ("", "")),
]
TEAMS = ["Northwind Labs", "Civic Bridge Co-op", "Maple Data Inc.", "Open Streets Studio", "Harbourfront Analytics"]
OUTCOME = (
    "The team piloted its solution with {number} residents and reported the results to the division.",
    "L'équipe a mis à l'essai sa solution avec {number} résidents et présenté les résultats à la division.",
)
INFO_SESSION = (
    "Online: the link is emailed to everyone who registers",
    "En ligne : le lien est envoyé aux personnes inscrites",
)


def key_dates(status: Status, random) -> list[tuple[str, int, int]]:
    """(kind, days from today, hour) for a challenge that has `status` today (Toronto time)."""
    if status == Status.UPCOMING:
        opens = random.randint(3, 60)
        closes = opens + random.randint(21, 45)
    elif status == Status.OPEN:
        opens, closes = -random.randint(8, 40), random.randint(9, 45)
    elif status == Status.CLOSING_SOON:
        opens, closes = -random.randint(20, 50), random.randint(1, 6)
    elif status == Status.UNDER_REVIEW:
        closes = -random.randint(2, 25)
        opens = closes - random.randint(28, 45)
        stint = random.randint(5, 40)
        return [(KeyDateKind.OPENS, opens, 9), (KeyDateKind.CLOSES, closes, 17), (KeyDateKind.STINT_START, stint, 9)]
    else:
        stint = -random.randint(7, 100) if status == Status.IN_PROGRESS else -random.randint(125, 365 * 9)
        closes = stint - random.randint(21, 35)
        opens = closes - random.randint(28, 45)
        dates = [
            (KeyDateKind.OPENS, opens, 9),
            (KeyDateKind.CLOSES, closes, 17),
            (KeyDateKind.SELECTION, closes + 14, 12),
            (KeyDateKind.STINT_START, stint, 9),
        ]
        if status == Status.COMPLETED:
            dates.append((KeyDateKind.DEMO_DAY, stint + 108, 14))
        return dates
    stint = closes + random.randint(21, 35)
    dates = [(KeyDateKind.OPENS, opens, 9), (KeyDateKind.CLOSES, closes, 17), (KeyDateKind.STINT_START, stint, 9)]
    if random.random() < 0.5:
        dates.insert(1, (KeyDateKind.INFO_SESSION, opens + 7, 12))
    return dates


class ChallengeBuilder:
    """Builds challenge n in English or French; a French challenge uses the French divisions and topics."""

    def __init__(self, english: Locale):
        self.sources = {
            "divisions": list(Division.objects.filter(locale=english).order_by("pk")),
            "topics": list(Topic.objects.filter(locale=english).order_by("pk")),
        }
        self._by_locale = {english.pk: self.sources}

    def snippets(self, locale: Locale) -> dict:
        if locale.pk not in self._by_locale:
            self._by_locale[locale.pk] = {name: aligned(items, locale) for name, items in self.sources.items()}
        return self._by_locale[locale.pk]

    def challenge(self, number: int, locale: Locale) -> ChallengePage:
        writer = Writer(f"challenge:{number}", locale.language_code)
        random = writer.random
        snippets = self.snippets(locale)
        status = STATUS_CYCLE[(number - 1) % len(STATUS_CYCLE)]
        division = snippets["divisions"][random.randrange(len(snippets["divisions"]))]
        amount = random.randrange(25, 151, 5) * 1000
        writer.slots = {"problem": writer.pick(PROBLEMS), "division": division.name, "amount": writer.money(amount)}
        title = writer.pick(TITLES).format(**writer.slots)
        page = ChallengePage(
            title=title,
            slug=slug_for(title, number),
            summary=writer.pick(SUMMARIES).format(**writer.slots),
            problem_statement=writer.paragraph(3),
            who_is_affected=f"<p>{escape(writer.say(AFFECTED).format(**writer.slots))}</p>",
            success_looks_like=f"<p>{escape(writer.say(SUCCESS))}</p>",
            division=division,
            eligibility=f"<p>{escape(writer.say(ELIGIBILITY))}</p>",
            evaluation_criteria=[
                ("criterion", {"name": writer.say(name), "weight": weight, "description": ""})
                for name, weight in CRITERIA
            ],
            award_value=writer.say(AWARD).format(**writer.slots),
            award_amount=amount,
            how_to_apply=writer.paragraph(2),
            partners=[("partner", {"name": "Bloomberg Philanthropies", "website": ""})],
        )
        for kind, days, hour in key_dates(status, random):
            ends = at(days, hour + 1) if kind in {KeyDateKind.INFO_SESSION, KeyDateKind.DEMO_DAY} else None
            location = writer.say(INFO_SESSION) if kind == KeyDateKind.INFO_SESSION else ""
            page.key_dates.add(
                page.key_dates.model(kind=kind, starts_at=at(days, hour), ends_at=ends, location=location)
            )
        for label, field_type, choices in writer.sample(QUESTIONS, random.randint(0, 3)):
            page.questions.add(
                page.questions.model(label=writer.say(label), field_type=field_type, choices=writer.say(choices))
            )
        if status == Status.COMPLETED:
            page.selected_teams = "\n".join(writer.sample(TEAMS, random.randint(1, 2)))
            page.outcome_summary = (
                f"<p>{escape(writer.say(OUTCOME).format(number=writer.number(random.randrange(50, 5000))))}</p>"
            )
            page.procurement_outcome = random.choice(["procured", "extended", "not-procured", "pending"])
        page.topics = writer.sample(snippets["topics"], random.randint(1, 3))
        page.refresh_milestones()  # what ChallengePage.save() does; insert_pages does not call save()
        # Announced two weeks before it opens, or two weeks ago for a call that opens later.
        page.first_published_at = min(page.opens_at, timezone.now()) - datetime.timedelta(days=14)
        return page
