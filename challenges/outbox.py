"""The application's two emails (a confirmation to the applicant, a notification to staff), queued
with the application in its transaction and sent through the site's outbox (site_core/services/outbox.py)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from challenges.models import Application
from site_core.models import OutgoingEmail
from site_core.services import outbox

APPLICANT_CONFIRMATION = "applicant-confirmation"
STAFF_NOTIFICATION = "staff-notification"
TEMPLATES = {
    APPLICANT_CONFIRMATION: "challenges/emails/applicant_confirmation",
    STAFF_NOTIFICATION: "challenges/emails/staff_notification",
}


def staff_address(application: Application) -> str:
    from site_core.models import SiteSettings

    challenge = application.challenge
    if challenge.contact_email:
        return challenge.contact_email
    site = challenge.get_site()
    fallback = SiteSettings.for_site(site).contact_email if site else ""
    return fallback or settings.SERVER_EMAIL


def queue_application_emails(application: Application) -> list[OutgoingEmail]:
    """Queue the applicant's confirmation and the staff notification (call inside the transaction
    that stores the application, so both exist or neither does)."""
    recipients = [
        (APPLICANT_CONFIRMATION, application.email, application.language),
        (STAFF_NOTIFICATION, staff_address(application), settings.LANGUAGE_CODE),
    ]
    return [
        outbox.queue(kind, to, language=language, about=application, dedupe_key=f"{kind}:{application.pk}")
        for kind, to, language in recipients
    ]


def build_message(email: OutgoingEmail) -> list[EmailMessage]:
    application = Application.objects.select_related("challenge").filter(pk=email.object_id).first()
    if application is None:  # deleted since (its emails go with it; a sender may hold one already)
        return []
    context = {
        "application": application,
        "challenge": application.challenge,
        "base_url": settings.BASE_URL,
        "admin_url": settings.BASE_URL + reverse("applications:inspect", args=[application.pk]),
    }
    template = TEMPLATES[email.kind]
    with translation.override(email.language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
    return [EmailMessage(subject=subject, body=body, to=[email.to])]


outbox.register(APPLICANT_CONFIRMATION, _("Confirmation to the applicant"), build_message)
outbox.register(STAFF_NOTIFICATION, _("Notification to staff"), build_message)
