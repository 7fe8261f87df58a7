"""The emails of the application module, queued with what they are about (in its transaction) and
sent through the site's outbox (site_core/services/outbox.py), each once (a dedupe key per event).

To applicants: the confirmation, the link to a saved draft, lost links sent again, changes saved,
withdrawal, announcements on their challenge, the draft reminder before the deadline, and the
decision. To staff: a notification of each application.

No email to an applicant carries free text from the form (a name, an organisation, an answer):
only the reference, the challenge's title, dates, our own words and our own links. Anyone can type
anyone's address into the form, so an email is never a way to put someone else's words in front of
a victim under the City's name. Emails that anyone can cause from the public site are also limited
per recipient (APPLICANT_EMAILS_PER_ADDRESS a day): past it, they are not queued, and the page says so.
"""

import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from challenges.models import (
    AnnouncementMailing,
    ApplicantLink,
    Application,
    ApplicationDraft,
    ApplicationStatus,
    ChallengeAnnouncement,
)
from challenges.models.applications import DECIDED
from site_core.models import OutgoingEmail
from site_core.services import outbox
from site_core.text.plain import plain_text

APPLICANT_CONFIRMATION = "applicant-confirmation"
STAFF_NOTIFICATION = "staff-notification"
DRAFT_LINK = "applicant-draft-link"
LINKS_AGAIN = "applicant-links-again"
CHANGES_SAVED = "applicant-changes-saved"
WITHDRAWN = "applicant-withdrawn"
ANNOUNCEMENT = "applicant-announcement"
DRAFT_REMINDER = "applicant-draft-reminder"
DECISION = "applicant-decision"

# The emails anyone can cause from the public form, for any address: limited per recipient.
PUBLIC_KINDS = (APPLICANT_CONFIRMATION, DRAFT_LINK, LINKS_AGAIN, CHANGES_SAVED, WITHDRAWN)
RECIPIENT_WINDOW = datetime.timedelta(hours=24)

TEMPLATES = {
    APPLICANT_CONFIRMATION: "challenges/emails/applicant_confirmation",
    STAFF_NOTIFICATION: "challenges/emails/staff_notification",
    DRAFT_LINK: "challenges/emails/draft_link",
    LINKS_AGAIN: "challenges/emails/links_again",
    CHANGES_SAVED: "challenges/emails/changes_saved",
    WITHDRAWN: "challenges/emails/withdrawn",
    ANNOUNCEMENT: "challenges/emails/announcement",
    DRAFT_REMINDER: "challenges/emails/draft_reminder",
    DECISION: "challenges/emails/decision",
}


def staff_address(application: Application) -> str:
    from site_core.models import SiteSettings

    challenge = application.challenge
    if challenge.contact_email:
        return challenge.contact_email
    site = challenge.get_site()
    fallback = SiteSettings.for_site(site).contact_email if site else ""
    return fallback or settings.SERVER_EMAIL


def recipient_has_room(address: str, now=None) -> bool:
    """False once `address` has had APPLICANT_EMAILS_PER_ADDRESS public-form emails in a day."""
    now = now or timezone.now()
    recent = OutgoingEmail.objects.filter(
        to__iexact=address, kind__in=PUBLIC_KINDS, created_at__gte=now - RECIPIENT_WINDOW
    ).count()
    return recent < settings.APPLICANT_EMAILS_PER_ADDRESS


def queue_public(kind: str, to: str, *, language: str, about=None, params=None, dedupe_key=None):
    """Queue an email the public form caused, unless its recipient has had their day's share (None)."""
    if dedupe_key:
        existing = OutgoingEmail.objects.filter(dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing
    if not recipient_has_room(to):
        return None
    return outbox.queue(kind, to, language=language, about=about, params=params, dedupe_key=dedupe_key)


def queue_application_emails(application: Application) -> list[OutgoingEmail]:
    """Queue the staff notification and the applicant's confirmation (call inside the transaction
    that stores the application). An application held for a check queues neither: the reviewers'
    dashboard shows it, and clearing it sends the confirmation (emails_for_review_change), so a flood
    of held posts floods no inbox."""
    if application.is_spam:
        return []
    emails = [
        outbox.queue(
            STAFF_NOTIFICATION,
            staff_address(application),
            language=settings.LANGUAGE_CODE,
            about=application,
            dedupe_key=f"{STAFF_NOTIFICATION}:{application.pk}",
        )
    ]
    confirmation = queue_public(
        APPLICANT_CONFIRMATION,
        application.email,
        language=application.language,
        about=application,
        dedupe_key=f"{APPLICANT_CONFIRMATION}:{application.pk}",
    )
    if confirmation is not None:
        emails.append(confirmation)
    return emails


def confirmation_queued(application: Application) -> bool:
    return OutgoingEmail.objects.filter(dedupe_key=f"{APPLICANT_CONFIRMATION}:{application.pk}").exists()


def emails_for_review_change(application: Application, loaded: dict) -> list[OutgoingEmail]:
    """The emails a reviewer's change causes (inside the transaction that saves it): clearing the
    hold sends the confirmation the applicant was promised, once whatever the number of saves.
    Decisions are emailed when the chair releases them (`queue_decision_emails`)."""
    if loaded.get("is_spam") and not application.is_spam:
        return [
            outbox.queue(
                APPLICANT_CONFIRMATION,
                application.email,
                language=application.language,
                about=application,
                dedupe_key=f"{APPLICANT_CONFIRMATION}:{application.pk}",
            )
        ]
    return []


def queue_decision_emails(applications) -> list[OutgoingEmail]:
    """The decision (selected, not selected) to each of these applicants, once per application and
    decision (challenges/decisions.py: when the chair releases a challenge's decisions, all at once,
    or for a decision recorded after that). Three queries whatever their number."""
    wanted = {
        f"{DECISION}:{application.pk}:{application.status}": application
        for application in applications
        if application.status in DECIDED and not application.is_spam
    }
    if not wanted:
        return []
    queued = set(OutgoingEmail.objects.filter(dedupe_key__in=list(wanted)).values_list("dedupe_key", flat=True))
    emails = []
    for key, application in wanted.items():
        if key in queued:
            continue
        email = OutgoingEmail(
            kind=DECISION,
            to=application.email,
            language=application.language,
            params={"status": application.status},
            dedupe_key=key,
        )
        email.about = application
        emails.append(email)
    return OutgoingEmail.objects.bulk_create(emails)


def queue_announcement_emails(page) -> list[OutgoingEmail]:
    """On publishing a challenge: one email per new announcement to each applicant (not withdrawn,
    not held) and each draft holder of this page. An announcement is emailed once, whatever the
    number of times the page is published (AnnouncementMailing). The recipients are read once,
    whatever the number of new announcements."""
    new_mailings = []
    for announcement in page.announcements.all():
        mailing, created = AnnouncementMailing.objects.get_or_create(
            page=page, translation_key=announcement.translation_key
        )
        if created:
            new_mailings.append(mailing)
    if not new_mailings:
        return []
    applications = (
        Application.objects.filter(challenge=page, is_spam=False)
        .exclude(status=ApplicationStatus.WITHDRAWN)
        .only("pk", "email", "language")
    )
    drafts = ApplicationDraft.objects.filter(challenge=page).only("pk", "email", "language")
    recipients = [("a", application) for application in applications] + [("d", draft) for draft in drafts]
    return [
        outbox.queue(
            ANNOUNCEMENT,
            recipient.email,
            language=recipient.language,
            about=recipient,
            params={"mailing": mailing.pk},
            dedupe_key=f"{ANNOUNCEMENT}:{mailing.pk}:{kind}{recipient.pk}",
        )
        for mailing in new_mailings
        for kind, recipient in recipients
    ]


# --- writing them (at send time) -----------------------------------------------------------------


def page_url(challenge) -> str:
    return settings.BASE_URL + challenge.url


def application_link(application: Application) -> str:
    token = ApplicantLink.create_for(application=application)
    return f"{page_url(application.challenge)}apply/application/{token}/"


def draft_link(draft: ApplicationDraft) -> str:
    token = ApplicantLink.create_for(draft=draft)
    return f"{page_url(draft.challenge)}apply/draft/{token}/"


def render_message(kind: str, email: OutgoingEmail, context: dict) -> list[EmailMessage]:
    template = TEMPLATES[kind]
    context = {"base_url": settings.BASE_URL, **context}
    with translation.override(email.language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
    return [EmailMessage(subject=subject, body=body, to=[email.to])]


def about_application(email: OutgoingEmail) -> Application | None:
    if email.content_type_id is None or email.content_type.model_class() is not Application:
        return None
    return Application.objects.select_related("challenge").filter(pk=email.object_id).first()


def about_draft(email: OutgoingEmail) -> ApplicationDraft | None:
    if email.content_type_id is None or email.content_type.model_class() is not ApplicationDraft:
        return None
    return ApplicationDraft.objects.select_related("challenge").filter(pk=email.object_id).first()


def build_application_email(email: OutgoingEmail) -> list[EmailMessage]:
    application = about_application(email)
    if application is None:  # deleted since (its emails go with it; a sender may hold one already)
        return []
    context = {"application": application, "challenge": application.challenge}
    if email.kind == STAFF_NOTIFICATION:
        context["admin_url"] = settings.BASE_URL + reverse("applications:inspect", args=[application.pk])
    else:
        context["link"] = application_link(application)
    if email.kind == DECISION:
        context["selected"] = email.params.get("status") == ApplicationStatus.SELECTED
    return render_message(email.kind, email, context)


def build_draft_email(email: OutgoingEmail) -> list[EmailMessage]:
    draft = about_draft(email)
    if draft is None or not draft.is_open():  # sent, deleted, or the call closed meanwhile
        return []
    return render_message(email.kind, email, {"challenge": draft.challenge, "link": draft_link(draft)})


def build_links_again(email: OutgoingEmail) -> list[EmailMessage]:
    """Every application and open draft of one address on one challenge, each with a new link."""
    applications = Application.objects.select_related("challenge").filter(pk__in=email.params.get("applications", []))
    drafts = ApplicationDraft.objects.select_related("challenge").filter(pk__in=email.params.get("drafts", []))
    items = [{"reference": a.reference, "link": application_link(a)} for a in applications]
    open_drafts = [d for d in drafts if d.is_open()]
    draft_links = [draft_link(d) for d in open_drafts]
    if not items and not draft_links:
        return []
    challenge = (applications[0] if items else open_drafts[0]).challenge
    context = {"challenge": challenge, "applications": items, "drafts": draft_links}
    return render_message(LINKS_AGAIN, email, context)


def build_announcement(email: OutgoingEmail) -> list[EmailMessage]:
    mailing = AnnouncementMailing.objects.filter(pk=email.params.get("mailing")).first()
    target = about_application(email) or about_draft(email)
    if mailing is None or target is None:
        return []
    announcement = ChallengeAnnouncement.objects.filter(
        page_id=mailing.page_id, translation_key=mailing.translation_key
    ).first()
    if announcement is None:  # removed from the page before it was sent
        return []
    context = {
        "challenge": target.challenge,
        "announcement": announcement,
        "announcement_text": plain_text(announcement.body),
    }
    if isinstance(target, Application):
        if target.is_withdrawn:
            return []
        context.update(application=target, link=application_link(target))
    else:
        if not target.is_open():
            return []
        context["link"] = draft_link(target)
    return render_message(ANNOUNCEMENT, email, context)


outbox.register(APPLICANT_CONFIRMATION, _("Confirmation to the applicant"), build_application_email)
outbox.register(STAFF_NOTIFICATION, _("Notification to staff"), build_application_email)
outbox.register(DRAFT_LINK, _("Link to a saved draft"), build_draft_email)
outbox.register(LINKS_AGAIN, _("Lost links sent again"), build_links_again, keep_days=30)
outbox.register(CHANGES_SAVED, _("Changes saved, to the applicant"), build_application_email)
outbox.register(WITHDRAWN, _("Withdrawal, to the applicant"), build_application_email)
outbox.register(ANNOUNCEMENT, _("Announcement, to applicants"), build_announcement)
outbox.register(DRAFT_REMINDER, _("Draft reminder before the deadline"), build_draft_email)
outbox.register(DECISION, _("Decision, to the applicant"), build_application_email)


def on_challenge_published(sender, instance, **kwargs) -> None:
    """`page_published` of a challenge: tell its applicants and draft holders about new announcements."""
    from django.db import transaction

    with transaction.atomic():
        queued = queue_announcement_emails(instance)
    if queued:
        outbox.send_soon(email.pk for email in queued)
