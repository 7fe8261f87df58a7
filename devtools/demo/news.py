"""Demo newsroom: the 10 March 2017 launch release (from ../shared/seeds) and a few companions."""

from datetime import datetime, timedelta
from pathlib import Path

from django.utils import timezone
from wagtail.models import Locale

from devtools.demo.site import demo_image, translate_page
from devtools.demo.translation import demo_catalogue
from news.models import NewsIndexPage, NewsReleasePage, PartnerCityIndexPage, PartnerStoryPage, ReleaseType
from site_core.blocks import MediaLicence
from site_core.local_time import city_zone

# French for the newsroom, its releases and the partner stories (msgid: the English segment).
CATALOGUE = Path(__file__).with_name("news_fr.po")
LAUNCH_SLUG = "launch-of-the-civic-innovation-office"

LAUNCH_TITLE = "City of Toronto launches Civic Innovation Office to enhance service to the public"
LAUNCH_LEAD = (
    "The City of Toronto has created the Civic Innovation Office, which will help solve municipal service "
    "delivery challenges by creating a bridge between City divisions and Toronto's growing innovation and "
    "technology communities."
)
# (block type, value). Quotes are (text, attribution, role).
LAUNCH_BODY = [
    (
        "paragraph",
        "Mayor John Tory, joined by Councillor Paul Ainslie, Chair of the Government Management Committee; "
        "Councillor Michelle Holland, the Mayor's Advocate for the Innovation Economy; and City Manager Peter "
        "Wallace, announced the new office today at Normative Inc., an innovation company located in Toronto.",
    ),
    (
        "quote",
        (
            "Toronto is home to a large population of innovators, startups and tech companies who can help the "
            "City deliver better services to the public, while promoting a new approach to problem solving within "
            "government. I look forward to working with Bloomberg Philanthropies, City divisions and our civic "
            "technology community to launch this exciting new Civic Innovation Office.",
            "John Tory",
            "Mayor of Toronto",
        ),
    ),
    (
        "paragraph",
        "The Civic Innovation Office will be housed within the City Manager's Office and apply technology, data "
        "analysis and design thinking to develop and test solutions to challenges faced by Toronto residents. The "
        "office is fully funded through Bloomberg Philanthropies, which recently selected Toronto as the first "
        "Canadian city to join its global network of Innovation Teams.",
    ),
    (
        "quote",
        (
            "Innovation Teams bring 21st century problem-solving skills to City Hall. The teams implement creative "
            "solutions by breaking down silos within city halls, engaging residents to jointly understand citizen "
            "needs and testing ideas before taking them to scale.",
            "James Anderson",
            "Head of Government Innovation programs, Bloomberg Philanthropies",
        ),
    ),
    (
        "paragraph",
        "The Civic Innovation Office will work with City divisions and agencies to identify major challenges to be "
        "solved through partnerships with external teams, who will work through 16-week stints to deliver real "
        "solutions that can be procured by the City.",
    ),
    (
        "quote",
        (
            "Governments can learn so much from the innovation community when it comes to how they solve problems "
            "through data, design and agile development. I look forward to seeing the solutions developed through "
            "the Civic Innovation Office and the culture shift this will produce inside Toronto City Hall.",
            "Paul Ainslie",
            "Councillor and Chair of the Government Management Committee",
        ),
    ),
    (
        "paragraph",
        "The office will work closely with Bloomberg Philanthropies and collaborate with other Innovation Team "
        "cities, including Anchorage, Alaska; Durham, North Carolina; Austin, Texas; Baltimore, Maryland; Detroit, "
        "Michigan; and Be'er Sheva, Israel.",
    ),
    (
        "quote",
        (
            "Toronto is an emerging centre of innovation and technology and home to so much diverse talent. This "
            "is a city where people can have an impact and create new solutions, building their lives and their "
            "companies, while helping us build a great city.",
            "Michelle Holland",
            "Councillor and the Mayor's Advocate for the Innovation Economy",
        ),
    ),
    (
        "paragraph",
        "The City has begun a search for a Director, a Project Manager and a Design Strategist to lead the Civic "
        "Innovation Office. Technology-related work accounts for 400,000 jobs in Toronto, and the sector has been "
        "growing at twice the rate of overall employment.",
    ),
]

OTHER_RELEASES = [
    {
        "slug": "media-advisory-mayor-to-announce-civic-innovation-office",
        "title": "Media advisory: Mayor Tory to announce new office for civic innovation",
        "type": ReleaseType.MEDIA_ADVISORY,
        "date": datetime(2017, 3, 9, 15, 0, tzinfo=city_zone()),
        "lead": (
            "Mayor John Tory will announce a new City office that will work with Toronto's innovation and "
            "technology communities to improve services to the public."
        ),
        "body": [
            "Date: Friday, March 10, 2017. Time: 10 a.m. Location: Normative Inc., Toronto. Media are "
            "asked to arrive 15 minutes early. The announcement will be followed by a media availability."
        ],
        "topics": ["partnerships"],
    },
    {
        "slug": "backgrounder-how-the-civic-innovation-office-works",
        "title": "Backgrounder: how the Civic Innovation Office works with City divisions",
        "type": ReleaseType.BACKGROUNDER,
        "date": datetime(2017, 3, 10, 10, 5, tzinfo=city_zone()),
        "lead": (
            "The Civic Innovation Office helps City divisions turn a service problem into a challenge that "
            "outside teams can solve in a 16-week stint."
        ),
        "body": [
            "Each challenge starts with a City division and the residents affected by a service problem. The "
            "office and the division define the problem, what success looks like and how a solution could be "
            "procured afterwards.",
            "Startups, non-profits and other innovators then apply through an open call. Selected teams work "
            "with City staff for 16 weeks to build and test a solution with real users.",
        ],
        "topics": ["digital-services", "partnerships"],
    },
    {
        "slug": "statement-on-the-first-innovation-team-hires",
        "title": "Statement from the City Manager on the Civic Innovation Office team",
        "type": ReleaseType.STATEMENT,
        "date": datetime(2017, 6, 1, 14, 0, tzinfo=city_zone()),
        "lead": (
            "The City Manager welcomed the team that will lead the Civic Innovation Office and thanked the "
            "many applicants from Toronto's technology and design communities."
        ),
        "body": [
            "The Director, Project Manager and Design Strategist join from the public, private and non-profit "
            "sectors. They will start by meeting City divisions to find the service problems residents feel most."
        ],
        "topics": ["partnerships"],
    },
    {
        "slug": "first-challenge-results-shared-with-council",
        "title": "Civic Innovation Office shares the results of its first challenges",
        "type": ReleaseType.NEWS_RELEASE,
        "date": datetime(2018, 1, 18, 10, 0, tzinfo=city_zone()),
        "lead": (
            "The office reported to the Government Management Committee on what its first challenges piloted, "
            "what worked, and what the City will procure."
        ),
        "body": [
            "Each challenge paired a City division with an outside team for a 16-week stint. The report lists the "
            "measures agreed before each stint and the results, including the pilots that did not go further."
        ],
        "topics": ["digital-services", "open-data"],
    },
    {
        "slug": "civic-innovation-office-invites-innovators-to-next-challenge",
        "title": "Civic Innovation Office invites innovators to its next challenge",
        "type": ReleaseType.NEWS_RELEASE,
        "date_offset_days": -5,
        "lead": (
            "The Civic Innovation Office is inviting startups, researchers and community organisations to "
            "help the City improve how residents find and use its services."
        ),
        "body": [
            "Teams can read the challenge calls on this site, attend an online information session and "
            "apply through the web form before the deadline. Every application receives a reference number "
            "and a confirmation by email."
        ],
        "topics": ["digital-services"],
        "challenges": ["track-your-311-service-request"],
    },
]


def _body(blocks):
    stream = []
    for kind, value in blocks:
        if kind == "paragraph":
            stream.append(("paragraph", f"<p>{value}</p>"))
        else:
            text, attribution, role = value
            stream.append(("quote", {"text": text, "attribution": attribution, "role": role}))
    return stream


# The launch release's media kit: (image title, colours, alt text, caption, credit, licence).
LAUNCH_MEDIA_KIT = [
    (
        "Launch of the Civic Innovation Office",
        ("#0b3d6e", "#f2b705"),
        "Mayor John Tory at a lectern, with Councillors Paul Ainslie and Michelle Holland behind him",
        "Mayor John Tory announces the Civic Innovation Office at Normative Inc. in Toronto on March 10, 2017.",
        "City of Toronto",
        MediaLicence.NEWS_USE,
    ),
    (
        "Civic Innovation Office team at work",
        ("#1d5e3a", "#ffffff"),
        "Four members of the Civic Innovation Office around a table covered in sticky notes",
        "The Civic Innovation Office team maps a City service with staff from the division that runs it.",
        "City of Toronto",
        MediaLicence.CC_BY,
    ),
]


def launch_media_kit() -> list:
    """The photos journalists may download with the launch release (generated images, 2400 by 1600)."""
    return [
        (
            "photo",
            {
                "image": demo_image(title, colours, size=(2400, 1600)),
                "alt_text": alt_text,
                "caption": caption,
                "credit": credit,
                "licence": licence.value,
            },
        )
        for title, colours, alt_text, caption, credit, licence in LAUNCH_MEDIA_KIT
    ]


def load(home, snippets, challenge_index=None) -> NewsIndexPage:
    """The English newsroom under `home`, with the seed release and its companions."""
    index = NewsIndexPage.objects.child_of(home).first()
    if index is None:
        index = NewsIndexPage(
            title="News",
            slug="news",
            intro="News releases, media advisories, backgrounders and statements from the Civic Innovation Office.",
            search_description="News releases and media advisories from the City of Toronto's Civic Innovation Office.",
        )
        home.add_child(instance=index)
        index.save_revision().publish()

    if not NewsReleasePage.objects.child_of(index).filter(slug=LAUNCH_SLUG).exists():
        release = NewsReleasePage(
            title=LAUNCH_TITLE,
            slug=LAUNCH_SLUG,
            release_type=ReleaseType.NEWS_RELEASE,
            release_date=datetime(2017, 3, 10, 10, 0, tzinfo=city_zone()),
            lead=LAUNCH_LEAD,
            body=_body(LAUNCH_BODY),
            media_kit=launch_media_kit(),
            search_description=(
                "Toronto's new Civic Innovation Office connects City divisions with innovators "
                "to solve service challenges."
            ),
        )
        index.add_child(instance=release)
        release.topics.set([snippets["topics"]["partnerships"], snippets["topics"]["digital-services"]])
        for order, boilerplate in enumerate(snippets["boilerplates"].values()):
            release.boilerplate_links.create(boilerplate=boilerplate, sort_order=order)
        for order, contact in enumerate(snippets["contacts"].values()):
            release.media_contact_links.create(media_contact=contact, sort_order=order)
        release.save_revision().publish()

    for spec in OTHER_RELEASES:
        if NewsReleasePage.objects.child_of(index).filter(slug=spec["slug"]).exists():
            continue
        date = spec.get("date") or timezone.now() + timedelta(days=spec["date_offset_days"])
        release = NewsReleasePage(
            title=spec["title"],
            slug=spec["slug"],
            release_type=spec["type"],
            release_date=date,
            lead=spec["lead"],
            body=[("paragraph", f"<p>{text}</p>") for text in spec["body"]],
        )
        index.add_child(instance=release)
        release.topics.set([snippets["topics"][slug] for slug in spec["topics"]])
        release.media_contact_links.create(media_contact=snippets["contacts"]["Strategic Communications"], sort_order=0)
        if challenge_index is not None:
            for order, slug in enumerate(spec.get("challenges", [])):
                challenge = challenge_index.get_children().filter(slug=slug).first()
                if challenge:
                    release.related_challenge_links.create(challenge_id=challenge.pk, sort_order=order)
        release.save_revision().publish()
    return index


def launch_release(index: NewsIndexPage) -> NewsReleasePage:
    """The 10 March 2017 release that announced the office, pinned on the home page."""
    return NewsReleasePage.objects.child_of(index).get(slug=LAUNCH_SLUG)


def translate(index: NewsIndexPage, french: Locale) -> NewsIndexPage:
    """The French newsroom, then each demo release in French (translate the challenges first, so
    the French releases link to the French challenges)."""
    strings = demo_catalogue(CATALOGUE)
    translated_index = translate_page(index, french, strings)
    slugs = [LAUNCH_SLUG, *(spec["slug"] for spec in OTHER_RELEASES)]
    for release in NewsReleasePage.objects.child_of(index).filter(slug__in=slugs).order_by("path"):
        translate_page(release, french, strings)
    return translated_index


STORIES = [
    (
        "anchorage",
        "plain-language-letters-in-anchorage",
        "Plain-language letters, tested with residents",
        datetime(2017, 5, 18).date(),
        "Anchorage's innovation team rewrote a city notice with the people who receive it, and measured the calls "
        "that followed.",
        [
            "The team sat with residents as they read a notice, noted every question they asked, and rewrote the "
            "letter until the questions stopped.",
            "Their advice to other cities: test the words before the design.",
        ],
    ),
    (
        "durham",
        "durham-maps-the-way-to-city-services",
        "Mapping the way residents reach city services",
        datetime(2017, 7, 6).date(),
        "Durham's team drew every path a resident takes to get help, from the first search to the last phone call.",
        [
            "The map showed where people gave up, and those points became the team's first experiments.",
            "Staff from several departments now use the same map when they change a service.",
        ],
    ),
    (
        "austin",
        "austin-co-designs-with-service-users",
        "Designing a service with the people who use it",
        datetime(2017, 9, 14).date(),
        "Austin's team invited the people who rely on a service to design its next version alongside staff.",
        [
            "Every workshop ended with a prototype that could be tried the following week.",
            "The team learned that short, frequent tests taught them more than one large consultation.",
        ],
    ),
    (
        "baltimore",
        "baltimore-rapid-prototyping-lessons",
        "Lessons from a year of rapid prototyping",
        datetime(2017, 11, 2).date(),
        "Baltimore's innovation team looks back on a year of testing small ideas quickly before scaling them.",
        [
            "Most prototypes were dropped, and that was the point: each one was cheap and each taught something.",
            "The ideas that survived had data behind them when they reached the budget discussion.",
        ],
    ),
    (
        "detroit",
        "detroit-measuring-what-changed",
        "Measuring what changed",
        datetime(2018, 1, 25).date(),
        "Detroit's team explains how it agrees on success measures with a department before any work starts.",
        [
            "Agreeing on the measure first kept every experiment honest.",
            "The team publishes the results, including the experiments that did not work.",
        ],
    ),
    (
        "beer-sheva",
        "beer-sheva-working-with-startups",
        "Working with startups on city problems",
        datetime(2018, 3, 8).date(),
        "Be'er Sheva's team describes how it brings startups and city departments to the same table.",
        [
            "Startups get a real problem and access to the staff who live with it; the city gets solutions it can "
            "test before it buys.",
            "Short, well-defined stints made the partnership work for both sides.",
        ],
    ),
]


def load_partners(home, snippets) -> PartnerCityIndexPage:
    """The partner cities page and one story per partner city."""
    index = PartnerCityIndexPage.objects.child_of(home).first()
    if index is None:
        index = PartnerCityIndexPage(
            title="Partner cities",
            slug="partner-cities",
            intro=(
                "Toronto works with the other cities of Bloomberg Philanthropies' Innovation Teams network. "
                "Their teams share what they try and what they learn."
            ),
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    for city_slug, slug, title, date, summary, paragraphs in STORIES:
        if PartnerStoryPage.objects.child_of(index).filter(slug=slug).exists():
            continue
        story = PartnerStoryPage(
            title=title,
            slug=slug,
            story_date=date,
            summary=summary,
            partner_city=snippets["cities"][city_slug],
            body=[("paragraph", f"<p>{text}</p>") for text in paragraphs],
        )
        index.add_child(instance=story)
        story.topics.set([snippets["topics"]["partnerships"]])
        story.save_revision().publish()
    return index


def translate_partners(index: PartnerCityIndexPage, french: Locale) -> PartnerCityIndexPage:
    """The French partner cities page, then each partner story in French."""
    strings = demo_catalogue(CATALOGUE)
    translated_index = translate_page(index, french, strings)
    slugs = [slug for _city, slug, *_rest in STORIES]
    for story in PartnerStoryPage.objects.child_of(index).filter(slug__in=slugs).order_by("path"):
        translate_page(story, french, strings)
    return translated_index
