"""The demo's panel review (issue 20): a call closed and under review, its panel's score sheets and
shortlist, and the licence-renewal call's decisions released to its applicants.

- `load_call`: the apartment-repair call, closed 12 days before the demo's build day, its stint not
  started yet, with the demo calls' published evaluation criteria and their weights
  (devtools/demo/challenges.py); `translate_call` makes its French version. Its applications come from
  devtools/demo/applicants.py, its panel and their declarations of conflicts from devtools/demo/panels.py.
- `load`: each reviewer's sheets on that call (a score from 0 to 5 and a comment on every criterion,
  and an overall note; the total weighted by challenges.scoring), none from a reviewer on the
  application they declared a conflict with, one sheet still a draft, and one application on which
  the reviewers disagree by more than settings.SCORE_SPREAD_THRESHOLD points; the chair as the one who
  decided the shortlist; and the release of the licence-renewal call's decisions, so its applicants'
  pages show them. No release yet on the call under review, and no email queued.

Each row is found again by a stable key (the call's slug, the application and the reviewer, the
challenge), so running the demo twice creates nothing twice, and a row a person changed in the admin
(a sheet returned, rescored or deleted by its reviewer, a decision taken again) is left as they saved it.
"""

import uuid
from pathlib import Path

from django.contrib.auth import get_user_model

from challenges import scoring
from challenges.models import Application, ApplicationStatus, ChallengePage, DecisionRelease, KeyDateKind, ScoreSheet
from devtools.demo import challenges as challenges_demo
from devtools.demo.applicants import DECIDED_CALL, NAMESPACE, REVIEW_CALL
from devtools.demo.challenges import at
from devtools.demo.site import translate_page
from devtools.demo.translation import demo_catalogue

# French for the call under review (msgid: the English segment); the segments it shares with the
# other demo calls (criteria, FAQ, eligibility...) are in challenges_fr.po.
CATALOGUE = Path(__file__).with_name("reviews_fr.po")

# In the shape of devtools/demo/challenges.py's CHALLENGES (days relative to the demo's build day).
CALL = {
    "slug": REVIEW_CALL,
    "title": "Faster follow-up on apartment repair complaints",
    "division": "municipal-licensing-standards",
    "topics": ["housing", "digital-services"],
    "summary": (
        "Tenants who report a broken heater or a leak wait weeks to hear what happens next. Help bylaw "
        "officers follow up sooner."
    ),
    "problem": (
        "<p>The City receives thousands of repair complaints from apartment tenants every year. Officers book "
        "each inspection by hand, and tenants are rarely told when it will happen or what was found.</p>"
    ),
    "affected": "<p>Tenants of apartment buildings, their landlords, and the bylaw officers who inspect repairs.</p>",
    "success": (
        "<p>Tenants told within two business days when their complaint will be inspected, and fewer complaints "
        "filed twice.</p>"
    ),
    "award_value": "Up to $70,000 for the 16-week stint",
    "award_amount": 70000,
    "dates": [
        (KeyDateKind.OPENS, -50, 9),
        (KeyDateKind.CLOSES, -12, 17),
        (KeyDateKind.SELECTION, 9, 12),
        (KeyDateKind.STINT_START, 23, 9),
    ],
}

# The applications the chair shortlisted (their keys in devtools/demo/applicants.py).
SHORTLIST = ("repairs-shortlisted", "repairs-second")

# The sheets: (application key in devtools/demo/applicants.py, reviewer, day and hour submitted (None:
# a draft), [(score, comment) per criterion in the call's order: impact, feasibility, team,
# procurement], overall note).
SHEETS = [
    (
        "repairs-shortlisted",
        "reviewer.amara",
        (-9, 11),
        [
            (5, "Every tenant who complains would hear what happens next; most repeat calls would stop."),
            (4, "Text messages are simple to build; the link to the complaints system is the risk."),
            (4, "Two organisers with years of work with tenant associations, and a developer."),
            (4, "Low running cost; text messages are already bought under a City contract."),
        ],
        "The strongest proposal: tenants helped design it.",
    ),
    (
        "repairs-shortlisted",
        "reviewer.ben",
        (-8, 10),
        [
            (4, "A clear benefit for tenants; less for the officers themselves."),
            (4, "A realistic plan, with email as a fallback."),
            (5, "The best team of the call: tenants, and a developer who has built for a city before."),
            (3, "It does not say who pays for the text messages after the pilot."),
        ],
        "Fund it if the cost of the messages after the pilot is settled.",
    ),
    (
        "repairs-shortlisted",
        "reviewer.chloe",
        (-8, 15),
        [
            (5, "Reaches the tenants who never use the City's website."),
            (5, "Already tried with the associations of two buildings."),
            (4, "Strong on tenants, thinner on data."),
            (4, "Within the limit of the pilot procurement."),
        ],
        "Shortlist, and ask to see the messages in French and in other languages.",
    ),
    (
        "repairs-second",
        "reviewer.amara",
        (-7, 9),
        [
            (4, "Fewer wasted visits: officers would see every open complaint of a building at once."),
            (4, "Their scheduler already runs for a property manager."),
            (4, "Experienced, though new to working with a city."),
            (3, "The licence price after the pilot is per officer and could grow quickly."),
        ],
        "Solid, and complements the tenants' side of the first proposal.",
    ),
    (
        "repairs-second",
        "reviewer.ben",
        (-6, 14),
        [
            (4, "Tenants told the day before is what they ask for most."),
            (3, "Connecting it to the officers' calendars may take longer than 16 weeks."),
            (4, "A small team that has shipped this kind of product."),
            (4, "A fixed price for the City after the pilot."),
        ],
        "Worth a presentation: ask how the calendars would be connected.",
    ),
    (
        "repairs-second",
        "reviewer.chloe",
        (-5, 16),
        [
            (4, "Helps officers and tenants alike."),
            (4, "A short, credible plan."),
            (3, "Nobody on the team has worked with tenants."),
            (4, "Clear costs, and the data stays with the City."),
        ],
        "Shortlist. It says nothing of tenants without a phone.",
    ),
    (
        "repairs-conflict",
        "reviewer.amara",
        (-6, 10),
        [
            (3, "Routing complaints faster helps, but tenants still hear nothing."),
            (2, "The plan skips the officers' current system entirely."),
            (3, "Capable, but a team of two for the whole pilot."),
            (2, "No cost given for after the pilot."),
        ],
        "A useful idea for the office, less so for tenants.",
    ),
    (
        "repairs-conflict",
        "reviewer.chloe",
        (-4, 11),
        [
            (2, "The change is inside the City; tenants would not notice it."),
            (3, "Simple enough to build in the stint."),
            (3, "Knows bylaw enforcement well."),
            (2, "It would duplicate a tool the City already pays for."),
        ],
        "Not for this call.",
    ),
    (
        "repairs-split",
        "reviewer.amara",
        (-5, 9),
        [
            (4, "Preventing complaints beats answering them faster."),
            (4, "Their model already runs for another city's housing inspections."),
            (3, "Strong on data; nobody who has worked with tenants."),
            (4, "The model would belong to the City after the pilot."),
        ],
        "Bold, and could change how inspections are planned. Worth discussing.",
    ),
    (
        "repairs-split",
        "reviewer.ben",
        (-3, 16),
        [
            (2, "Tenants who complain today would wait as long as now."),
            (2, "The model needs complaint histories the City does not share; no plan to get them in 16 weeks."),
            (2, "No one on the team has worked with a city's data."),
            (1, "No cost given for running the model after the pilot."),
        ],
        "Interesting research, but not a 16-week pilot.",
    ),
    (
        "repairs-split",
        "reviewer.chloe",
        None,  # still a draft: scored in part
        [
            (3, "Promising; I want to read the data section again before I score the rest."),
            (None, ""),
            (None, ""),
            (None, ""),
        ],
        "",
    ),
]


def review_call(challenge_index) -> ChallengePage | None:
    return ChallengePage.objects.child_of(challenge_index).filter(slug=REVIEW_CALL).first()


def load_call(challenge_index, snippets) -> ChallengePage:
    """The call under review, in English (built as devtools/demo/challenges.py builds the others)."""
    existing = review_call(challenge_index)
    if existing is not None:
        return existing
    challenge = ChallengePage(
        title=CALL["title"],
        slug=CALL["slug"],
        summary=CALL["summary"],
        problem_statement=CALL["problem"],
        who_is_affected=CALL["affected"],
        success_looks_like=CALL["success"],
        division=snippets["divisions"][CALL["division"]],
        eligibility=challenges_demo.ELIGIBILITY,
        evaluation_criteria=challenges_demo.CRITERIA,
        award_value=CALL["award_value"],
        award_amount=CALL["award_amount"],
        procurement_path=challenges_demo.PROCUREMENT,
        how_to_apply=challenges_demo.HOW_TO_APPLY,
        faq=challenges_demo.FAQ,
        partners=[("partner", {"name": "Bloomberg Philanthropies", "website": ""})],
    )
    for kind, days, hour in CALL["dates"]:
        challenge.key_dates.add(challenge.key_dates.model(kind=kind, starts_at=at(days, hour)))
    challenge_index.add_child(instance=challenge)
    challenge.topics.set([snippets["topics"][slug] for slug in CALL["topics"]])
    challenge.save_revision().publish()
    return challenge


def translate_call(challenge_index, french) -> ChallengePage | None:
    """The call under review in French (after the French challenge list, its parent)."""
    challenge = review_call(challenge_index)
    if challenge is None:
        return None
    strings = {**demo_catalogue(challenges_demo.CATALOGUE), **demo_catalogue(CATALOGUE)}
    return translate_page(challenge, french, strings)


def demo_application(key: str) -> Application | None:
    """A demo application by its stable key (devtools/demo/applicants.py: the uuid5 of its form token)."""
    return Application.objects.filter(form_token=uuid.uuid5(NAMESPACE, key)).first()


def load_sheet(application: Application, reviewer, criteria, submitted, entries, note: str) -> ScoreSheet:
    """One reviewer's sheet, created once; its total weighted as the score form weighs it."""
    existing = ScoreSheet.objects.filter(application=application, reviewer=reviewer).first()
    if existing is not None:
        return existing
    scores = {
        criterion.key: {"score": score, "comment": comment}
        for criterion, (score, comment) in zip(criteria, entries, strict=True)
    }
    sheet = ScoreSheet(application=application, reviewer=reviewer, scores=scores, overall_note=note)
    if submitted is not None:
        days, hour = submitted
        sheet.total = scoring.weighted_total(criteria, scores)
        sheet.submitted_at = at(days, hour)
    sheet.save()
    return sheet


def load_sheets(challenge: ChallengePage) -> list[ScoreSheet]:
    """The panel's sheets, while the call still publishes the demo's four criteria (an editor who
    changed them gets no sheet scored on criteria the call no longer has)."""
    criteria = scoring.criteria_of(challenge)
    if [criterion.name for criterion in criteria] != [value["name"] for _type, value in challenges_demo.CRITERIA]:
        return []
    usernames = {username for _key, username, *_rest in SHEETS}
    users = {user.username: user for user in get_user_model().objects.filter(username__in=usernames)}
    sheets = []
    for key, username, submitted, entries, note in SHEETS:
        application = demo_application(key)
        reviewer = users.get(username)
        if application is None or reviewer is None or application.conflicts.filter(user=reviewer).exists():
            continue
        sheets.append(load_sheet(application, reviewer, criteria, submitted, entries, note))
    return sheets


def load_shortlist(challenge: ChallengePage, chair) -> int:
    """The chair as the one who shortlisted the call's shortlisted demo applications (created with
    their status and reason by devtools/demo/applicants.py, before the reviewers' accounts exist).
    An update, not a save: it emails nobody. Returns the number of rows changed."""
    return Application.objects.filter(
        challenge__translation_key=challenge.translation_key,
        status=ApplicationStatus.SHORTLISTED,
        decided_by__isnull=True,
        form_token__in=[uuid.uuid5(NAMESPACE, key) for key in SHORTLIST],
    ).update(decided_by=chair)


def load_release(challenge_index) -> DecisionRelease | None:
    """The licence-renewal call's decisions, released the afternoon they were taken (as the release
    page would, but without queuing the emails: the demo's applicants were told long ago)."""
    challenge = ChallengePage.objects.child_of(challenge_index).filter(slug=DECIDED_CALL).first()
    if challenge is None:
        return None
    release, _created = DecisionRelease.objects.get_or_create(
        challenge=challenge, defaults={"released_at": at(-45, 15)}
    )
    return release


def load(challenge_index, panel: dict) -> dict:
    """The panel's sheets and shortlist on the call under review (after devtools/demo/panels.py), and
    the release of the decided call's decisions."""
    release = load_release(challenge_index)
    challenge = panel.get("challenge")
    if challenge is None:
        return {"release": release, "sheets": []}
    chair = next((member.user for member in panel["members"] if member.is_chair), None)
    sheets = load_sheets(challenge)
    if chair is not None:
        load_shortlist(challenge, chair)
    return {"release": release, "sheets": sheets}
