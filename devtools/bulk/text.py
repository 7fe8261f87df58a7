"""Plausible civic text in English and French for generated content, without Faker.

Every bank holds (English, French) pairs. A `Writer` draws from a random generator seeded by the
page's kind and number, and always consumes the same random numbers whatever the language, so page n
in French says what page n says in English: a translation, not another text. Production-like machines
install only requirements.txt, and domain sentences read more like the office's pages than lorem ipsum.
"""

import functools
import random
import string

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.translation import override

LANGUAGES = ("en", "fr")

HEADINGS = [
    ("Background", "Contexte"),
    ("What residents told us", "Ce que les résidents nous ont dit"),
    ("What changes", "Ce qui change"),
    ("Results so far", "Premiers résultats"),
    ("How it works", "Fonctionnement"),
    ("Next steps", "Prochaines étapes"),
    ("How to take part", "Comment participer"),
    ("Quick facts", "En bref"),
    ("What we learned", "Ce que nous avons appris"),
]

# Sentences with slots: {division} {topic} {city} {number} {percent} {year}.
SENTENCES = [
    (
        "The work began with interviews with {number} residents and front-line staff.",
        "Le travail a commencé par des entretiens avec {number} résidents et membres du personnel de première ligne.",
    ),
    (
        "Residents told the team that the current process takes too long and is hard to follow.",
        "Les résidents ont dit à l'équipe que le processus actuel est trop long et difficile à suivre.",
    ),
    (
        "During the pilot, the average waiting time fell by {percent} per cent.",
        "Pendant le projet pilote, le temps d'attente moyen a baissé de {percent} pour cent.",
    ),
    (
        "The team tested early prototypes with people who use the service every week.",
        "L'équipe a testé les premiers prototypes avec des personnes qui utilisent le service chaque semaine.",
    ),
    (
        "Staff from {division} worked alongside the team from the first day.",
        "Le personnel de la division {division} a travaillé avec l'équipe dès le premier jour.",
    ),
    (
        "The results will be published as open data so that anyone can check them.",
        "Les résultats seront publiés en données ouvertes pour que chacun puisse les vérifier.",
    ),
    (
        "The project is part of the City's work on {topic}.",
        "Le projet s'inscrit dans le travail de la Ville sur le thème « {topic} ».",
    ),
    (
        "{city}'s innovation team shared what it learned from a similar project.",
        "L'équipe d'innovation de {city} a partagé ce qu'elle a appris d'un projet semblable.",
    ),
    (
        "More than {number} people have already used the new service.",
        "Plus de {number} personnes ont déjà utilisé le nouveau service.",
    ),
    (
        "The City will decide in {year} whether to make the change permanent.",
        "La Ville décidera en {year} s'il faut rendre le changement permanent.",
    ),
    (
        "Feedback can be sent to 311 at any time, by phone or online.",
        "Les commentaires peuvent être transmis au 311 en tout temps, par téléphone ou en ligne.",
    ),
    (
        "According to the evaluation, the pilot cost less than the service it replaces.",
        "Selon l'évaluation, le projet pilote a coûté moins cher que le service qu'il remplace.",
    ),
    (
        "Every page and form was checked for accessibility before the launch.",
        "Chaque page et chaque formulaire ont été vérifiés pour l'accessibilité avant le lancement.",
    ),
    (
        "City Council will receive a report on the results next spring.",
        "Le conseil municipal recevra un rapport sur les résultats au printemps prochain.",
    ),
    (
        "The team measured the results against goals agreed before the work began.",
        "L'équipe a mesuré les résultats par rapport à des objectifs fixés avant le début des travaux.",
    ),
    (
        "Local startups, non-profits and researchers took part in the design workshops.",
        "Des jeunes pousses, des organismes sans but lucratif et des chercheurs locaux ont participé aux ateliers "
        "de conception.",
    ),
    (
        "Data collected during the pilot is stored in Canada and protected under Ontario privacy law.",
        "Les données recueillies pendant le projet pilote sont conservées au Canada et protégées par la loi "
        "ontarienne sur la protection de la vie privée.",
    ),
    (
        "The service now answers {percent} per cent of requests on the first contact.",
        "Le service répond maintenant à {percent} pour cent des demandes dès le premier contact.",
    ),
    (
        "Calls to 311 about the issue dropped by {percent} per cent in six months.",
        "Les appels au 311 à ce sujet ont diminué de {percent} pour cent en six mois.",
    ),
    (
        "The approach will be shared with other divisions through the City's service design community.",
        "L'approche sera partagée avec les autres divisions par l'entremise de la communauté de design de "
        "services de la Ville.",
    ),
    (
        "Residents without internet access can get the same help in person at any civic centre.",
        "Les résidents sans accès à Internet peuvent obtenir la même aide en personne dans tout centre civique.",
    ),
    (
        "The next phase will start in {year}, once the budget is approved.",
        "La prochaine phase commencera en {year}, une fois le budget approuvé.",
    ),
]

# Sentences about any city's team (no Toronto division or topic), for partner stories.
GENERAL_SENTENCES = [pair for pair in SENTENCES if "{division}" not in pair[0] and "{topic}" not in pair[0]]

QUOTES = [
    (
        "Residents expect City services to be as simple as the best services they use every day. This work "
        "brings us closer to that.",
        "Les résidents s'attendent à ce que les services municipaux soient aussi simples que les meilleurs "
        "services qu'ils utilisent chaque jour. Ce travail nous en rapproche.",
    ),
    (
        "We tested the idea with the people who rely on the service before spending a dollar on it at scale.",
        "Nous avons testé l'idée avec les personnes qui dépendent du service avant d'y investir à grande échelle.",
    ),
    (
        "Working with innovators from outside City Hall helps us see old problems with new eyes.",
        "Travailler avec des innovateurs de l'extérieur de l'hôtel de ville nous aide à voir les vieux problèmes "
        "d'un œil neuf.",
    ),
    (
        "Publishing the results, including what did not work, is how we earn residents' trust.",
        "Publier les résultats, y compris ce qui n'a pas fonctionné, c'est ainsi que nous gagnons la confiance "
        "des résidents.",
    ),
]
SPEAKERS = ["Alex Morgan", "Priya Raman", "Jordan Lee", "Sam Okafor", "Élise Tremblay", "Chris Nakamura"]
ROLES = [
    ("Mayor of Toronto", "Maire de Toronto"),
    ("City Manager", "Directeur municipal"),
    ("Director, Civic Innovation Office", "Directrice, Bureau de l'innovation civique"),
    ("Chair of the Government Management Committee", "Président du Comité de gestion gouvernementale"),
]


@functools.cache
def _slots(template: str) -> frozenset:
    return frozenset(name for _text, name, _spec, _conversion in string.Formatter().parse(template) if name)


class Writer:
    """Draws text for one page in one language: the same draws in every language."""

    def __init__(self, seed: str, language: str):
        if language not in LANGUAGES:
            raise ValueError(f"no bulk text in {language!r}")
        self.random = random.Random(seed)  # noqa: S311 - reproducible text, nothing secret
        self.language = language
        self.slots: dict[str, str] = {}

    def pick(self, bank: list):
        """One entry of `bank`; pairs come back in this writer's language."""
        return self.say(bank[self.random.randrange(len(bank))])

    def sample(self, bank: list, count: int) -> list:
        """`count` distinct entries of `bank` (objects as they are, pairs in this writer's language)."""
        return [self.say(item) for item in self.random.sample(bank, min(count, len(bank)))]

    def say(self, item):
        if isinstance(item, tuple) and len(item) == 2 and all(isinstance(part, str) for part in item):
            return item[LANGUAGES.index(self.language)]
        return item

    def number(self, value) -> str:
        """A number as this language writes it (1,240 or 1 240)."""
        with override(self.language):
            return number_format(value, force_grouping=True)

    def money(self, amount: int) -> str:
        return f"${self.number(amount)}" if self.language == "en" else f"{self.number(amount)} $"

    def sentence(self, bank=SENTENCES) -> str:
        """A sentence from `bank` with its slots filled (numbers drawn here, names from `slots`); only
        sentences whose every slot has a value are drawn."""
        values = {
            "number": self.number(self.random.randrange(40, 4000)),
            "percent": self.random.randrange(8, 46),
            "year": "2026",
            **self.slots,
        }
        usable = [pair for pair in bank if _slots(pair[0]) <= values.keys()]
        return self.pick(usable).format(**values)

    def paragraph(self, sentences: int = 3, bank=SENTENCES) -> str:
        """Rich text: one <p> of `sentences` sentences, escaped."""
        return f"<p>{escape(' '.join(self.sentence(bank) for _ in range(sentences)))}</p>"

    def body(self, opening: list[str] | None = None, sections: int | None = None, bank=SENTENCES) -> list:
        """A StreamField body: optional opening paragraphs (rich text), then sections of a heading and
        one or two paragraphs, and now and then a quote."""
        stream = [("paragraph", html) for html in opening or []]
        for heading in self.sample(HEADINGS, sections or self.random.randint(2, 4)):
            stream.append(("heading", {"text": heading, "level": "h2"}))
            for _ in range(self.random.randint(1, 2)):
                stream.append(("paragraph", self.paragraph(self.random.randint(2, 4), bank)))
            if self.random.random() < 0.25:
                stream.append(
                    (
                        "quote",
                        {"text": self.pick(QUOTES), "attribution": self.pick(SPEAKERS), "role": self.pick(ROLES)},
                    )
                )
        return stream
