"""Demo standard pages, all linked from the footer: About the office (from ../shared/seeds), Privacy
(MFIPPA, with what each form collects), Accessibility, Terms of use and Contact. The office's
address and email, and the privacy officer's, are blocks that read Settings (site.py fills them)."""

import json
from pathlib import Path

from wagtail_localize.models import OverridableSegment, SegmentOverride, Translation, TranslationSource

from devtools.demo.site import translate_page
from devtools.demo.translation import demo_catalogue
from home.models import HomePage
from home.standard import StandardPage

# French for the standard pages (msgid: the English segment).
CATALOGUE = Path(__file__).with_name("standard_pages_fr.po")


def heading(text: str) -> tuple:
    return ("heading", {"text": text, "level": "h2"})


def paragraph(*lines: str) -> tuple:
    return ("paragraph", "".join(lines))


PAGES = [
    {
        "slug": "about",
        "title": "About the office",
        "intro": (
            "The Civic Innovation Office helps City divisions fix service problems that residents feel, by "
            "working with the people who build new technology."
        ),
        "search_description": (
            "Who we are: the City of Toronto's Civic Innovation Office, its 16-week challenges and the "
            "Innovation Teams cities it works with."
        ),
        "body": [
            heading("Where the office comes from"),
            paragraph(
                "<p>The City opened the office in March 2017, inside the City Manager's Office. Bloomberg "
                "Philanthropies funds it through its Innovation Teams program, which chose Toronto as its "
                "first Canadian city.</p>"
            ),
            heading("How a challenge works"),
            paragraph(
                "<p>With a City division, we choose a problem that matters to residents and publish it as an "
                "open challenge. Startups, companies, non-profits and researchers apply.</p>",
                "<p>The teams selected spend 16 weeks building and testing a solution with City staff. When a "
                "solution works, the City can buy it through its usual procurement rules.</p>",
            ),
            heading("Partner cities"),
            paragraph(
                "<p>We share methods and results with other cities in the Innovation Teams network:</p>",
                "<ul><li>Anchorage, Alaska</li><li>Durham, North Carolina</li><li>Austin, Texas</li>"
                "<li>Baltimore, Maryland</li><li>Detroit, Michigan</li><li>Be’er Sheva, Israel</li></ul>",  # noqa: RUF001 - the city's own spelling
            ),
        ],
    },
    {
        "slug": "privacy",
        "title": "Privacy",
        "intro": (
            "What personal information this site collects, why, and how long it is kept, under Ontario's "
            "Municipal Freedom of Information and Protection of Privacy Act (MFIPPA)."
        ),
        "search_description": (
            "How the Civic Innovation Office collects, uses and keeps personal information from its forms, "
            "under MFIPPA."
        ),
        "body": [
            heading("When you visit"),
            paragraph(
                "<p>The site has no advertising or analytics trackers. It sets a cookie only when you use a "
                "form, to protect it against forgery. Our servers record technical details of each request, "
                "such as the address it came from, to keep the site running and secure.</p>"
            ),
            heading("Applications to a challenge"),
            paragraph(
                "<p>When you apply, we collect your organisation's name, a contact name, email address and "
                "phone number, your website, the size of your team, your proposal with its PDF and your "
                "answers to the challenge's questions.</p>",
                "<p>We use them to assess your application, to contact you about it and, if your team is "
                "selected, to arrange the stint. Only the City staff who review applications see them. They "
                "are deleted once the period the challenge states has passed after a decision or a "
                "withdrawal, or 24 months after the deadline when nothing was decided.</p>",
            ),
            heading("Email alerts"),
            paragraph(
                "<p>When you sign up for email alerts, we collect your email address, the lists or challenges "
                "you follow and your language, only to send you what you asked for. A sign-up never "
                "confirmed is deleted after 30 days. Every alert has a link to change your choices or to "
                "unsubscribe at once.</p>"
            ),
            heading("Event registration"),
            paragraph(
                "<p>When you register for an information session or another event, we collect your name, "
                "email address, organisation and any accessibility needs you tell us about. We use them to "
                "hold your seat, to email you about the event and to arrange what you need to take part. "
                "Only the City staff who run the event see them.</p>"
            ),
            heading("Messages to the office"),
            paragraph(
                "<p>When you write to us with the contact form or the accessibility feedback form, we collect "
                "your name, email address, your message and, for accessibility feedback, what it is about, the "
                "format you would like our reply in and, for a phone reply, your phone number. We use them "
                "only to answer you and to improve our services. Only the City staff who answer messages see "
                "them, and they are deleted 24 months after they arrive.</p>"
            ),
            heading("Notice of collection"),
            paragraph(
                "<p>Personal information is collected through this site's forms under the authority of the "
                "City of Toronto Act, 2006, S.O. 2006, c. 11, Schedule A, s. 136(c), and used only for the "
                "purposes each form states.</p>",
            ),
            # The privacy officer as the Office details in Settings hold them, as every form's notice shows.
            ("privacy_contact", None),
            paragraph("<p>You may also ask to see or correct the personal information the City holds about you.</p>"),
        ],
    },
    {
        "slug": "accessibility",
        "title": "Accessibility",
        "intro": (
            "We want everyone to be able to use this site, as the Accessibility for Ontarians with "
            "Disabilities Act (AODA) requires."
        ),
        "search_description": (
            "The Civic Innovation Office's accessibility statement: our WCAG 2.2 AA target and how to ask for "
            "another format or give feedback."
        ),
        "body": [
            heading("Our target"),
            paragraph(
                "<p>Every page, in English and in French, aims to meet the Web Content Accessibility "
                "Guidelines (WCAG) 2.2 at level AA. We check pages with automated tests and with a keyboard "
                "alone, and the site works without JavaScript.</p>"
            ),
            heading("Another format, or feedback"),
            paragraph(
                "<p>If part of this site is hard to use, or you need a page or document in another format "
                "(large print, plain text or audio, for example), please tell us. Say which page or document "
                "it is and the format that works for you, and we will answer as soon as we can.</p>",
                '<p><a href="/en/accessibility/feedback/">Send us your feedback with our form</a>, and choose '
                "how you would like our reply: by email, by phone, in large print, in braille or another format. "
                "You can also call, email or write to the office:</p>",
            ),
            ("office_contact", None),
            heading("Events"),
            paragraph(
                "<p>When you register for an event, you can tell us what you need to take part, such as "
                "sign language interpretation or captions.</p>"
            ),
        ],
    },
    {
        "slug": "terms-of-use",
        "title": "Terms of use",
        "intro": "The terms that apply when you use this site and its content.",
        "search_description": "The terms of use of the Civic Innovation Office's site.",
        "body": [
            heading("Information on this site"),
            paragraph(
                "<p>We keep the information here accurate and up to date, but it may change without notice. "
                "The official versions of by-laws, Council decisions and procurement documents are the ones "
                "the City publishes on toronto.ca.</p>"
            ),
            heading("Reusing our content"),
            paragraph(
                "<p>Open data from this site, such as the list of challenges, may be reused under the "
                "licence named with each download. Other text and images belong to the City, or to the "
                "people credited with them.</p>"
            ),
            heading("Challenges and procurement"),
            paragraph(
                "<p>Applying to a challenge creates no contract. The City buys a solution only through its "
                "own procurement process.</p>"
            ),
            heading("Links to other sites"),
            paragraph(
                "<p>Links to other sites are given for convenience; the City is not responsible for their "
                "content or how they handle your information.</p>"
            ),
        ],
    },
    {
        "slug": "contact",
        "title": "Contact us",
        "intro": "How to reach the Civic Innovation Office.",
        "search_description": (
            "The Civic Innovation Office's phone number, email address, mailing address and contact form."
        ),
        "body": [
            heading("Write to us"),
            paragraph(
                '<p><a href="/en/contact/form/">Write to us with our contact form</a>: choose a topic and your '
                "message goes to the person who deals with it. For accessibility feedback, use "
                '<a href="/en/accessibility/feedback/">the accessibility feedback form</a>.</p>'
            ),
            heading("Phone, email and mailing address"),
            # Read from Settings when the page is shown (the footer gives 311 for City services).
            ("office_contact", None),
        ],
    },
]


def load(home: HomePage) -> list[StandardPage]:
    """The demo standard pages under the English home page, each in the footer (once, however
    often this runs)."""
    pages = []
    for spec in PAGES:
        page = StandardPage.objects.child_of(home).filter(slug=spec["slug"]).first()
        if page is None:
            page = StandardPage(show_in_footer=True, **spec)
            home.add_child(instance=page)
            page.save_revision().publish()
        pages.append(page)
    return pages


def translate(pages: list[StandardPage], french) -> list[StandardPage]:
    """Each demo standard page in French, its links to the site's own forms (/en/…) pointing at the
    French forms (/fr/…)."""
    strings = demo_catalogue(CATALOGUE)
    translated = [translate_page(page, french, strings) for page in pages]
    for page in pages:
        localise_form_links(page, french)
    return translated


def localise_form_links(page: StandardPage, locale) -> None:
    """wagtail-localize keeps a link's address as in the source unless a translator overrides it (the
    translation editor's link fields): override each /en/ address with the same path under the
    locale's prefix, as an editor would, and publish the translation again if any was new."""
    source, _created = TranslationSource.get_or_create_from_instance(page)
    prefix = f"/{locale.language_code}/"
    new = False
    for segment in OverridableSegment.objects.filter(source=source).select_related("context"):
        value = json.loads(segment.data_json)
        if isinstance(value, str) and value.startswith("/en/"):
            _override, created = SegmentOverride.objects.get_or_create(
                locale=locale, context=segment.context, defaults={"data_json": json.dumps(prefix + value[4:])}
            )
            new = new or created
    if new:
        Translation.objects.get(source=source, target_locale=locale).save_target(publish=False)
        page.get_translation(locale).get_latest_revision().publish()
