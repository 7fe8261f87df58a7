"""Demo applicants: applications in every state a reviewer meets, and a saved draft.

On the open 311 challenge: an application just received, one sent in French from the French page,
one held for a check, one its applicant changed (its earlier version kept), one withdrawn, and a
draft saved to finish later. On the closing-soon school-zones challenge: one under review and one
shortlisted. On the apartment-repair challenge, closed and under review by its panel
(devtools/demo/reviews.py): two shortlisted, with the chair's reasons, and two still under review. On
the licence-renewal challenge, whose teams are chosen and told: one selected and one not, each with
the reason recorded for it. Some applicants agreed to be named if selected (publish_consent).

Rows are created with their final state (a status changed on a saved row would queue a decision
email), and every announcement of these challenges is marked as already told to applicants, so the
demo queues no email to anyone, however often it runs. Each row is found again by a stable key (the
application's form token, the draft's address), so running the demo twice creates nothing twice.
Addresses are at example.com, a domain reserved for examples: nothing is ever delivered there.
"""

import uuid

from django.core.files.base import ContentFile
from django.utils import translation
from wagtail.models import Locale

from challenges.models import (
    AnnouncementMailing,
    Application,
    ApplicationDraft,
    ApplicationStatus,
    ApplicationVersion,
    ChallengePage,
)
from challenges.models.applications import CORE_ANSWER_FIELDS
from challenges.rules import reference_for
from devtools.demo.challenges import at

# Form tokens of the demo applications: uuid5 of this namespace and the application's key.
NAMESPACE = uuid.UUID("6c1f4a52-3d0e-4b8e-9a57-0c2b1f7e9d31")

OPEN_CALL = "track-your-311-service-request"
CLOSING_CALL = "safer-school-zones-with-traffic-data"
DECIDED_CALL = "simpler-business-licence-renewals"
# Closed, its panel at work: the call is created by devtools/demo/reviews.py, not challenges.py.
REVIEW_CALL = "faster-follow-up-on-apartment-repair-complaints"

# Answers to the 311 call's own questions, in the order the call asks them (devtools/demo/challenges.py).
ANSWERS_311 = {
    "received": [
        "Missed garbage and recycling collections, then potholes.",
        "yes",
        "Prototype",
        "https://northbound.example.com/demo",
    ],
    "french": [
        "Les collectes manquées, puis les nids-de-poule.",
        "no",
        "Idée",  # the French page's choices are the translated ones
        "",
    ],
    "held": ["Potholes.", "no", "Idea", ""],
    "changed": [
        "Graffiti removal and streetlight outages.",
        "yes",
        "In use by customers",
        "https://openledger.example.com/",
    ],
    "withdrawn": ["Missed green bin collections.", "no", "Prototype", ""],
}

APPLICATIONS = [
    {
        "key": "received",
        "call": OPEN_CALL,
        "days": -1,
        "organisation_name": "Northbound Civic Tech",
        "contact_name": "Priya Natarajan",
        "email": "priya.natarajan@example.com",
        "phone": "416-555-0142",
        "website": "https://northbound.example.com",
        "team_size": 4,
        "proposal_summary": (
            "A status page for every 311 request, updated from the divisions' work-order systems, with text "
            "message updates for residents who ask for them."
        ),
    },
    {
        "key": "french",
        "call": OPEN_CALL,
        "language": "fr",
        "days": -2,
        "organisation_name": "Suivi Citoyen inc.",
        "contact_name": "Mathieu Lavoie",
        "email": "mathieu.lavoie@example.com",
        "phone": "514-555-0177",
        "team_size": 3,
        "proposal_summary": (
            "Un suivi des demandes au 311 en langage clair, en français et en anglais, avec un avis quand "
            "l'équipe de la Ville termine le travail."
        ),
    },
    {
        "key": "held",
        "call": OPEN_CALL,
        "days": -3,
        "is_spam": True,
        "spam_reason": "sent 3.1 s after the form was served",
        "organisation_name": "Quickfill Analytics",
        "contact_name": "Sam Okafor",
        "email": "sam.okafor@example.com",
        "phone": "647-555-0119",
        "team_size": 1,
        "proposal_summary": "A dashboard of 311 requests by ward, refreshed every night from the open data.",
    },
    {
        "key": "changed",
        "call": OPEN_CALL,
        "days": -8,
        "changed_days": -4,
        "organisation_name": "Open Ledger Co-operative",
        "contact_name": "Hannah Cho",
        "email": "hannah.cho@example.com",
        "phone": "416-555-0163",
        "website": "https://openledger.example.com",
        "team_size": 6,
        "proposal_summary": (
            "An open-source request tracker already used by two Ontario towns, adapted to 311 Toronto and "
            "tested with residents in three wards."
        ),
        # What the applicant first sent: the version their change replaced.
        "before": {
            "team_size": 5,
            "proposal_summary": "An open-source request tracker already used by two Ontario towns.",
            "answers": {2: "Prototype"},  # the question's position in ANSWERS_311
        },
    },
    {
        "key": "withdrawn",
        "call": OPEN_CALL,
        "days": -6,
        "withdrawn_days": -2,
        "status": ApplicationStatus.WITHDRAWN,
        "organisation_name": "Lakeshore Labs",
        "contact_name": "Diego Ramírez",
        "email": "diego.ramirez@example.com",
        "phone": "416-555-0188",
        "team_size": 2,
        "proposal_summary": "Automatic follow-up calls that tell residents when their request is closed.",
    },
    {
        "key": "under-review",
        "call": CLOSING_CALL,
        "days": -12,
        "status": ApplicationStatus.UNDER_REVIEW,
        "organisation_name": "Crosswalk Analytics",
        "contact_name": "Amara Mensah",
        "email": "amara.mensah@example.com",
        "phone": "416-555-0135",
        "website": "https://crosswalk.example.com",
        "team_size": 5,
        "proposal_summary": (
            "A ranking of school zones that combines collision records, speed counts and walking routes, with "
            "the reasons for each rank in plain language."
        ),
        "notes": "Strong data team. Ask how they would get the speed counts from the division.",
    },
    {
        "key": "shortlisted",
        "call": CLOSING_CALL,
        "days": -20,
        "status": ApplicationStatus.SHORTLISTED,
        "organisation_name": "SafeRoutes Toronto",
        "contact_name": "Olivia Tremblay",
        "email": "olivia.tremblay@example.com",
        "phone": "647-555-0150",
        "team_size": 3,
        "proposal_summary": (
            "Anonymous speed measurements from parents' phones on the walk to school, mapped each week for "
            "traffic engineers."
        ),
        "notes": "Shortlisted: invite to present.",
    },
    {
        "key": "selected",
        "call": DECIDED_CALL,
        "days": -70,
        "decided_days": -45,
        "status": ApplicationStatus.SELECTED,
        "organisation_name": "Counterless Inc.",
        "contact_name": "Grace Whitford",
        "email": "grace.whitford@example.com",
        "phone": "416-555-0124",
        "website": "https://counterless.example.com",
        "team_size": 7,
        "proposal_summary": "Licence renewals pre-filled from last year's record, paid and finished online.",
        "publish_consent": True,
        "decision_reason": (
            "Highest mean score of the panel. A working renewal prototype, and a realistic plan to connect it "
            "to the licensing system within the stint."
        ),
    },
    {
        "key": "declined",
        "call": DECIDED_CALL,
        "days": -65,
        "decided_days": -45,
        "status": ApplicationStatus.DECLINED,
        "organisation_name": "Paperless Permits Ltd.",
        "contact_name": "Noah Singh",
        "email": "noah.singh@example.com",
        "phone": "905-555-0181",
        "team_size": 2,
        "proposal_summary": "A kiosk at each licensing counter that scans paper forms into the licensing system.",
        "decision_reason": (
            "Keeps owners coming to the counter, which the call set out to avoid. Thanked and encouraged to apply "
            "to a later call."
        ),
    },
    # The call under review: the panel's shortlist (devtools/demo/reviews.py records its chair as having
    # decided it) and two applications still under review.
    {
        "key": "repairs-shortlisted",
        "call": REVIEW_CALL,
        "days": -20,
        "status": ApplicationStatus.SHORTLISTED,
        "organisation_name": "Tenant Voice Co-operative",
        "contact_name": "Fatima Haddad",
        "email": "fatima.haddad@example.com",
        "phone": "416-555-0171",
        "website": "https://tenantvoice.example.com",
        "team_size": 5,
        "proposal_summary": (
            "Text-message updates for every repair complaint, from the booking of the inspection to its result, "
            "tested with the tenant associations of two buildings."
        ),
        "publish_consent": True,
        "decision_reason": (
            "Highest mean score. Tenant associations already on board; invite the team to present its pilot plan."
        ),
    },
    {
        "key": "repairs-second",
        "call": REVIEW_CALL,
        "days": -15,
        "status": ApplicationStatus.SHORTLISTED,
        "organisation_name": "RepairLoop Inc.",
        "contact_name": "Kenji Watanabe",
        "email": "kenji.watanabe@example.com",
        "phone": "647-555-0128",
        "website": "https://repairloop.example.com",
        "team_size": 4,
        "proposal_summary": (
            "An inspection scheduler that books officers' visits by building and tells tenants the day before."
        ),
        "publish_consent": True,
        "decision_reason": (
            "Scores close together and a feasible 16-week plan; invite to present, and ask how tenants without a "
            "phone are told."
        ),
    },
    {
        "key": "repairs-conflict",
        "call": REVIEW_CALL,
        "days": -14,
        "status": ApplicationStatus.UNDER_REVIEW,
        "organisation_name": "Bylaw Bridge Ltd.",
        "contact_name": "Marc Leblanc",
        "email": "marc.leblanc@example.com",
        "phone": "905-555-0166",
        "team_size": 2,
        "proposal_summary": "A shared inbox that routes each repair complaint to the officer of its ward.",
    },
    {
        "key": "repairs-split",
        "call": REVIEW_CALL,
        "days": -13,
        "status": ApplicationStatus.UNDER_REVIEW,
        "organisation_name": "Inspect Ahead Analytics",
        "contact_name": "Zoe Papadopoulos",
        "email": "zoe.papadopoulos@example.com",
        "phone": "416-555-0193",
        "website": "https://inspectahead.example.com",
        "team_size": 3,
        "proposal_summary": (
            "A model that predicts which buildings will draw repair complaints next winter, so officers inspect "
            "them before tenants call."
        ),
        "publish_consent": True,
    },
]

DRAFT = {
    "call": OPEN_CALL,
    "email": "jordan.baptiste@example.com",
    "days": -2,
    "answers": {
        "organisation_name": "Ward Data Co-op",
        "contact_name": "Jordan Baptiste",
        "email": "jordan.baptiste@example.com",
        "team_size": "3",
        "proposal_summary": "Residents' own photos of a reported issue, shown with the request's progress.",
    },
    # The first two of the call's questions answered so far.
    "question_answers": ["Potholes and broken sidewalks.", "no"],
}


def proposal_pdf(title: str) -> bytes:
    """A one-page PDF that says what it is (a reviewer who downloads it sees the title)."""
    text = title.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    content = f"BT /F1 18 Tf 72 720 Td (Demo proposal: {text}) Tj ET".encode("cp1252", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(pdf)


def question_answers(challenge, values: list[str]) -> list[dict]:
    """The answers to `challenge`'s own questions as the form stores them (ApplicationForm.answers)."""
    return [
        {
            "uid": question.uid.hex,
            "label": question.label,
            "type": question.field_type,
            "value": value,
            "display": value,
        }
        for question, value in zip(challenge.questions.all(), values, strict=False)
    ]


def demo_calls(challenge_index) -> dict[str, ChallengePage]:
    """The demo calls the applicants applied to, by slug, and the French 311 call as "french"."""
    slugs = {OPEN_CALL, CLOSING_CALL, DECIDED_CALL, REVIEW_CALL}
    calls = {page.slug: page for page in ChallengePage.objects.child_of(challenge_index).filter(slug__in=slugs)}
    french = Locale.objects.filter(language_code="fr").first()
    if OPEN_CALL in calls and french is not None:
        translated = calls[OPEN_CALL].get_translation_or_none(french)
        if translated is not None:
            calls["french"] = translated.specific
    return calls


def mark_announcements_told(page) -> None:
    """The page's announcements count as already emailed: they predate the demo applicants, and
    publishing the page again (an editor trying the demo) must not email them."""
    for announcement in page.announcements.all():
        AnnouncementMailing.objects.get_or_create(page=page, translation_key=announcement.translation_key)


def load_application(spec: dict, challenge) -> Application:
    form_token = uuid.uuid5(NAMESPACE, spec["key"])
    existing = Application.objects.filter(form_token=form_token).first()
    if existing is not None:
        return existing
    submitted_at = at(spec["days"], 10, 30)
    application = Application(
        challenge=challenge,
        form_token=form_token,
        language=spec.get("language", "en"),
        submitted_at=submitted_at,
        consent_at=submitted_at,
        organisation_name=spec["organisation_name"],
        contact_name=spec["contact_name"],
        email=spec["email"],
        phone=spec["phone"],
        website=spec.get("website", ""),
        team_size=spec["team_size"],
        proposal_summary=spec["proposal_summary"],
        answers=question_answers(challenge, ANSWERS_311.get(spec["key"], [])),
        is_spam=spec.get("is_spam", False),
        spam_reason=spec.get("spam_reason", ""),
        # The final status from the start: a new row queues no email (Application.save).
        status=spec.get("status", ApplicationStatus.RECEIVED),
        notes=spec.get("notes", ""),
        decision_reason=spec.get("decision_reason", ""),
        publish_consent=spec.get("publish_consent", False),
    )
    if "decided_days" in spec:
        application.decided_at = at(spec["decided_days"], 12)
    if "withdrawn_days" in spec:
        application.withdrawn_at = at(spec["withdrawn_days"], 15)
    if "changed_days" in spec:
        application.changed_at = at(spec["changed_days"], 16)
    content = proposal_pdf(spec["organisation_name"])
    application.attachment.save("proposal.pdf", ContentFile(content), save=False)
    application.attachment_name = f"{spec['key']}-proposal.pdf"
    application.attachment_size = len(content)
    application.save()
    application.reference = reference_for(application.pk, submitted_at.year)
    application.save(update_fields=["reference"])
    if "before" in spec:
        load_earlier_version(application, spec["before"])
    return application


def load_earlier_version(application: Application, before: dict) -> ApplicationVersion:
    """The application as first sent, kept when its applicant changed it (challenges.submission.change_application)."""
    answers = [dict(answer) for answer in application.answers]
    for position, value in before.get("answers", {}).items():
        answers[position].update(value=value, display=value)
    core = {name: before.get(name, getattr(application, name)) for name in CORE_ANSWER_FIELDS}
    with translation.override("en"):
        changed = [str(Application._meta.get_field(name).verbose_name) for name in CORE_ANSWER_FIELDS if name in before]
    changed += [answers[position]["label"] for position in before.get("answers", {})]
    return ApplicationVersion.objects.create(
        application=application,
        number=1,
        saved_at=application.submitted_at,
        replaced_at=application.changed_at,
        answers={**core, "answers": answers},
        attachment_name=application.attachment_name,
        attachment_size=application.attachment_size,
        changed=changed,
    )


def load_draft(challenge) -> ApplicationDraft:
    existing = ApplicationDraft.objects.filter(challenge=challenge, email=DRAFT["email"]).first()
    if existing is not None:
        return existing
    answers = {name: [value] for name, value in DRAFT["answers"].items()}
    for question, value in zip(challenge.questions.all(), DRAFT["question_answers"], strict=False):
        answers[f"q_{question.uid.hex}"] = [value]
    saved = at(DRAFT["days"], 21, 15)
    return ApplicationDraft.objects.create(
        challenge=challenge, email=DRAFT["email"], language="en", answers=answers, created_at=saved, updated_at=saved
    )


def load(challenge_index) -> dict:
    """The demo applications and draft (after the challenges and their French versions exist)."""
    calls = demo_calls(challenge_index)
    for page in calls.values():
        mark_announcements_told(page)
    applications = {}
    for spec in APPLICATIONS:
        challenge = calls.get("french" if spec.get("language") == "fr" else spec["call"])
        if challenge is not None:
            applications[spec["key"]] = load_application(spec, challenge)
    draft = load_draft(calls[OPEN_CALL]) if OPEN_CALL in calls else None
    return {"applications": applications, "draft": draft}
