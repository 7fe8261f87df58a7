"""Demo challenge calls drawn from the service problems the office was created to tackle.

Dates are relative to the day the demo is built, so the demo always has an open, a closing-soon, an
upcoming, an in-progress and a completed challenge."""

import datetime
from pathlib import Path

from django.utils import timezone

from challenges.models import ChallengeIndexPage, ChallengePage, KeyDateKind
from devtools.demo.site import translate_page
from devtools.demo.translation import demo_catalogue
from site_core.local_time import city_zone

# French for the challenge list and every demo call (msgid: the English segment).
CATALOGUE = Path(__file__).with_name("challenges_fr.po")


def at(days: int, hour: int = 17, minute: int = 0) -> datetime.datetime:
    """Toronto wall-clock time `days` from today."""
    day = timezone.now().astimezone(city_zone()).date() + datetime.timedelta(days=days)
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=city_zone())


CRITERIA = [
    (
        "criterion",
        {
            "name": "Impact on residents",
            "weight": 35,
            "description": "How much the solution could improve the service for the people affected.",
        },
    ),
    (
        "criterion",
        {
            "name": "Feasibility in 16 weeks",
            "weight": 25,
            "description": "Whether the team can build and test a working pilot within the stint.",
        },
    ),
    (
        "criterion",
        {
            "name": "Team",
            "weight": 20,
            "description": "Relevant experience, and the skills to work with City staff and residents.",
        },
    ),
    (
        "criterion",
        {
            "name": "Path to procurement",
            "weight": 20,
            "description": "A realistic cost and route for the City to adopt the solution after the pilot.",
        },
    ),
]
FAQ = [
    (
        "faq_item",
        {
            "question": "Who owns the intellectual property?",
            "answer": "<p>Teams keep ownership of what they bring and build. The City receives a licence to "
            "use the pilot during the stint; any later purchase is negotiated separately.</p>",
        },
    ),
    (
        "faq_item",
        {
            "question": "Can teams from outside Toronto apply?",
            "answer": "<p>Yes. Teams must be able to work with City staff in Toronto during the stint, "
            "in person or online.</p>",
        },
    ),
    (
        "faq_item",
        {"question": "Is there a cost to apply?", "answer": "<p>No. Applying is free and takes about two hours.</p>"},
    ),
]
ELIGIBILITY = (
    "<p>Startups, small and medium businesses, non-profit organisations and academic teams may apply. "
    "Teams must be legally able to contract with the City of Toronto and must name one contact person.</p>"
)
PROCUREMENT = (
    "<p>If the pilot meets its success measures, the division may procure the solution through the City's "
    "non-competitive procurement for innovation pilots, up to the limit set by City Council, or through a "
    "follow-on competitive call.</p>"
)
HOW_TO_APPLY = (
    "<ul><li>Read the whole call and the frequently asked questions.</li>"
    "<li>Prepare a short proposal: the problem as you understand it, your approach, your team and a budget.</li>"
    "<li>Apply before the deadline. You will receive a reference number and a confirmation by email.</li></ul>"
)

CHALLENGES = [
    {
        "slug": "track-your-311-service-request",
        "title": "Let residents track their 311 service requests from start to finish",
        "division": "311-toronto",
        "topics": ["digital-services", "open-data"],
        "summary": (
            "Residents who report a pothole or a missed pickup cannot see what happens next. Help 311 "
            "show every request's progress, in plain language, on any device."
        ),
        "problem": (
            "<p>311 Toronto receives more than a million requests a year. Once a request is passed to a "
            "division, residents often hear nothing until the work is done, so many call again to ask. "
            "Repeat calls take agents away from new requests.</p>"
        ),
        "affected": (
            "<p>Residents and businesses who report issues, 311 agents who answer follow-up calls, and the "
            "divisions whose crews do the work.</p>"
        ),
        "success": (
            "<p>Fewer follow-up calls, residents who can see the status of a request without calling, and "
            "divisions that update requests without extra data entry.</p>"
        ),
        "award_value": "Up to $75,000 for the 16-week stint",
        "award_amount": 75000,
        "dates": [
            (KeyDateKind.OPENS, -10, 9),
            (KeyDateKind.INFO_SESSION, 5, 12),
            (KeyDateKind.CLOSES, 21, 17),
            (KeyDateKind.SELECTION, 35, 12),
            (KeyDateKind.STINT_START, 49, 9),
        ],
        "info_session_location": "Online: the link is emailed to everyone who registers",
        # The session takes registrations (home/events/): its link goes to registrants only.
        "info_session_registration": {
            "registration_required": True,
            "capacity": 40,
            "online_url": "https://meet.example.ca/cio-311-information-session",
        },
        "questions": [
            {
                "label": "Which 311 service request types would your pilot cover first?",
                "field_type": "long-text",
                "help_text": "For example potholes, missed collections or graffiti.",
            },
            {"label": "Has your team worked with a government before?", "field_type": "yes-no"},
            {
                "label": "Which stage is your product at?",
                "field_type": "choice",
                "choices": "Idea\nPrototype\nIn use by customers",
            },
            {"label": "Link to a demo or prototype", "field_type": "url", "required": False},
        ],
        "announcement": (
            "Information session added",
            "<p>An online information session has been added. See the key dates to join.</p>",
        ),
    },
    {
        "slug": "safer-school-zones-with-traffic-data",
        "title": "Safer school zones with real-time traffic data",
        "division": "transportation-services",
        "topics": ["mobility", "open-data"],
        "summary": (
            "Drivers still speed near schools. Help Transportation Services find the school zones where "
            "changes to streets would protect children the most."
        ),
        "problem": (
            "<p>The City installs speed humps, signs and cameras near schools, but decides where mostly from "
            "complaints. Traffic data exists, yet it is not combined to rank the riskiest school zones.</p>"
        ),
        "affected": "<p>Children walking and cycling to school, their families, and school crossing guards.</p>",
        "success": "<p>A ranked, explainable list of school zones that traffic engineers trust and use.</p>",
        "award_value": "Up to $60,000 for the 16-week stint",
        "award_amount": 60000,
        "dates": [
            (KeyDateKind.OPENS, -30, 9),
            (KeyDateKind.CLOSES, 4, 17),
            (KeyDateKind.SELECTION, 20, 12),
            (KeyDateKind.STINT_START, 34, 9),
        ],
    },
    {
        "slug": "fewer-missed-curbside-collections",
        "title": "Fewer missed curbside collections",
        "division": "solid-waste-management",
        "topics": ["climate", "digital-services"],
        "summary": (
            "Missed garbage, recycling and green bin pickups are among the most common 311 requests. Help "
            "predict and prevent them."
        ),
        "problem": (
            "<p>Bins are missed when they are set out late, blocked by parked cars or on routes that change. "
            "Each missed pickup means a second truck visit and a frustrated household.</p>"
        ),
        "affected": "<p>Households on curbside collection, collection crews, and 311 agents.</p>",
        "success": "<p>A measurable drop in missed-collection requests on the pilot routes.</p>",
        "award_value": "Up to $50,000 for the 16-week stint",
        "award_amount": 50000,
        "dates": [
            (KeyDateKind.OPENS, 14, 9),
            (KeyDateKind.INFO_SESSION, 21, 12),
            (KeyDateKind.CLOSES, 45, 17),
            (KeyDateKind.STINT_START, 75, 9),
        ],
    },
    {
        "slug": "simpler-business-licence-renewals",
        "title": "Simpler business licence renewals",
        "division": "municipal-licensing-standards",
        "topics": ["digital-services"],
        "summary": "Renewing a business licence takes paperwork and a visit. Pilot a renewal residents finish online.",
        "problem": (
            "<p>Most business licences are renewed every year with the same information. Owners still fill "
            "in forms by hand and many visit a counter to pay.</p>"
        ),
        "affected": "<p>Small business owners and licensing counter staff.</p>",
        "success": "<p>Most pilot renewals completed online in one sitting.</p>",
        "award_value": "Up to $65,000 for the 16-week stint",
        "award_amount": 65000,
        "dates": [
            (KeyDateKind.OPENS, -90, 9),
            (KeyDateKind.CLOSES, -60, 17),
            (KeyDateKind.SELECTION, -45, 12),
            (KeyDateKind.STINT_START, -28, 9),
        ],
        "selected_teams": "Counterless Inc.",
    },
    {
        "slug": "connecting-newcomers-to-employment-services",
        "title": "Connecting newcomers to employment services",
        "division": "employment-social-services",
        "topics": ["partnerships"],
        "summary": (
            "Many newcomers do not know which employment services they are eligible for. Help them find the "
            "right one in their language."
        ),
        "problem": (
            "<p>Toronto offers dozens of employment programmes run by the City and its partners. Newcomers "
            "are referred from one to another and often give up before finding the right fit.</p>"
        ),
        "affected": "<p>Newcomers looking for work, and the caseworkers who refer them.</p>",
        "success": "<p>More newcomers enrolled in a suitable programme within a month of first contact.</p>",
        "award_value": "Up to $75,000 for the 16-week stint",
        "award_amount": 75000,
        "dates": [
            (KeyDateKind.OPENS, -420, 9),
            (KeyDateKind.CLOSES, -390, 17),
            (KeyDateKind.SELECTION, -370, 12),
            (KeyDateKind.STINT_START, -350, 9),
            (KeyDateKind.DEMO_DAY, -238, 14),
        ],
        "selected_teams": "Pathfinder Labs\nNouveaux Départs Co-op",
        "outcome": (
            "<p>The teams piloted a multilingual, plain-language guide that asks five questions and "
            "suggests up to three programmes. During the pilot, 1,240 residents used it and referrals that "
            "led to enrolment rose from 31% to 48%.</p>"
        ),
        "procurement_outcome": "procured",
        "council_reports": [
            {
                "title": "Results of the newcomer employment services pilot and its procurement",
                "reference": "EC8.4",
                "days": -200,
                "url": "https://secure.toronto.ca/council/agenda-item.do?item=2026.EC8.4",
            }
        ],
    },
]


def load(home, snippets) -> ChallengeIndexPage:
    """The English challenge list and its demo calls."""
    index = ChallengeIndexPage.objects.child_of(home).first()
    if index is None:
        index = ChallengeIndexPage(
            title="Challenges",
            slug="challenges",
            intro=(
                "Calls for startups and innovators to solve a City service problem in a 16-week stint the City "
                "can procure. Open calls come first."
            ),
            empty_message=(
                "New calls are announced in our news releases. Follow the challenges feed to hear about the next one."
            ),
            search_description=(
                "Open, upcoming and past challenge calls from the City of Toronto's Civic Innovation Office."
            ),
        )
        home.add_child(instance=index)
        index.save_revision().publish()

    pages = {}
    for spec in CHALLENGES:
        existing = ChallengePage.objects.child_of(index).filter(slug=spec["slug"]).first()
        if existing:
            pages[spec["slug"]] = existing
            continue
        challenge = ChallengePage(
            title=spec["title"],
            slug=spec["slug"],
            summary=spec["summary"],
            problem_statement=spec["problem"],
            who_is_affected=spec["affected"],
            success_looks_like=spec["success"],
            division=snippets["divisions"][spec["division"]],
            eligibility=ELIGIBILITY,
            evaluation_criteria=CRITERIA,
            award_value=spec["award_value"],
            award_amount=spec["award_amount"],
            procurement_path=PROCUREMENT,
            how_to_apply=HOW_TO_APPLY,
            faq=FAQ,
            partners=[("partner", {"name": "Bloomberg Philanthropies", "website": ""})],
            selected_teams=spec.get("selected_teams", ""),
            outcome_summary=spec.get("outcome", ""),
            procurement_outcome=spec.get("procurement_outcome", ""),
            council_reports=[
                (
                    "report",
                    {
                        "title": report["title"],
                        "url": report["url"],
                        "reference": report["reference"],
                        "date": at(report["days"]).date(),
                    },
                )
                for report in spec.get("council_reports", [])
            ],
        )
        for kind, days, hour in spec["dates"]:
            location = spec.get("info_session_location", "") if kind == KeyDateKind.INFO_SESSION else ""
            ends = at(days, hour + 1) if kind in {KeyDateKind.INFO_SESSION, KeyDateKind.DEMO_DAY} else None
            online = location.startswith("Online")  # the demo's online-only session says so
            registration = spec.get("info_session_registration", {}) if kind == KeyDateKind.INFO_SESSION else {}
            challenge.key_dates.add(
                challenge.key_dates.model(
                    kind=kind, starts_at=at(days, hour), ends_at=ends, location=location, online=online, **registration
                )
            )
        for order, question in enumerate(spec.get("questions", [])):
            challenge.questions.add(challenge.questions.model(sort_order=order, **question))
        if "announcement" in spec:
            title, body = spec["announcement"]
            challenge.announcements.add(challenge.announcements.model(published_at=at(-3, 10), title=title, body=body))
        index.add_child(instance=challenge)
        challenge.topics.set([snippets["topics"][slug] for slug in spec["topics"]])
        challenge.save_revision().publish()
        pages[spec["slug"]] = challenge
    return index


def translate(index: ChallengeIndexPage, french) -> ChallengeIndexPage:
    """The French challenge list, then each demo call in French (the list first: it is their parent)."""
    strings = demo_catalogue(CATALOGUE)
    translated_index = translate_page(index, french, strings)
    slugs = [spec["slug"] for spec in CHALLENGES]
    for challenge in ChallengePage.objects.child_of(index).filter(slug__in=slugs).order_by("path"):
        translate_page(challenge, french, strings)
    return translated_index
