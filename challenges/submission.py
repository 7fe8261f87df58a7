"""Storing an application: everything in one transaction, before any email is attempted."""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from challenges.models import Application
from challenges.outbox import queue_application_emails
from challenges.rules import reference_for
from site_core.services.outbox import send_soon

logger = logging.getLogger(__name__)


class StorageUnavailable(Exception):
    """The application (or its file) could not be stored; nothing was kept."""


def store_application(challenge, form) -> tuple[Application, bool]:
    """Store a valid form's application with its file and queued emails. Returns the application and
    whether it is new: posting the same form again returns the application it already created."""
    data = form.cleaned_data
    upload = data["attachment"]
    spam_reason = form.spam_reason()
    application = Application(
        challenge=challenge,
        form_token=form.token.id,
        language=translation.get_language() or "en",
        organisation_name=data["organisation_name"],
        contact_name=data["contact_name"],
        email=data["email"],
        phone=data["phone"],
        website=data.get("website") or "",
        team_size=data["team_size"],
        proposal_summary=data["proposal_summary"],
        answers=form.answers(),
        attachment_name=upload.clean_name,
        attachment_size=upload.size,
        consent_at=timezone.now(),
        is_spam=bool(spam_reason),
        spam_reason=spam_reason,
    )
    existing = Application.objects.filter(form_token=form.token.id).first()
    if existing is not None:
        return existing, False
    try:
        application.attachment.save("proposal.pdf", upload, save=False)
    except OSError as error:
        logger.exception("Could not store an application's file")
        raise StorageUnavailable from error
    try:
        with transaction.atomic():
            application.save()
            application.reference = reference_for(application.pk, application.submitted_at.year)
            application.save(update_fields=["reference"])
            emails = [] if application.is_spam else queue_application_emails(application)
    except IntegrityError:
        application.attachment.delete(save=False)
        existing = Application.objects.filter(form_token=form.token.id).first()
        if existing is not None:  # the same form arrived twice at once: the other request stored it
            return existing, False
        raise
    except Exception:
        application.attachment.delete(save=False)
        raise
    if emails:
        send_soon(email.pk for email in emails)
    return application, True
