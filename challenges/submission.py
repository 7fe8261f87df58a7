"""What the applicant's forms do to the database: store an application (everything in one
transaction, before any email is attempted), save a draft, change or withdraw an application, send
lost links again. Each queues its emails in its own transaction (challenges/outbox.py) and hands
them to the sender once that commits."""

import logging

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from wagtail.log_actions import log

from challenges import outbox as emails
from challenges import uploads
from challenges.models import Application, ApplicationDraft, ApplicationStatus, ApplicationVersion
from challenges.models.applications import CORE_ANSWER_FIELDS
from challenges.rules import reference_for
from site_core.services.outbox import send_soon

logger = logging.getLogger(__name__)

APPLICANT_EDIT_ACTION = "cio.application.applicant-edit"
APPLICANT_WITHDRAW_ACTION = "cio.application.applicant-withdraw"


class StorageUnavailable(Exception):
    """The application (or its file) could not be stored; nothing was kept."""


def _save_file(field_file, form) -> tuple[str, int]:
    """Save the form's new upload, or else its kept file, into `field_file`: (name as sent, size)."""
    upload = form.cleaned_data.get("attachment")
    try:
        if upload:
            upload.seek(0)
            field_file.save("proposal.pdf", upload, save=False)
            return upload.clean_name, upload.size
        with form.kept.file.open("rb") as kept:
            field_file.save("proposal.pdf", ContentFile(kept.read()), save=False)
        return form.kept.name, form.kept.size
    except OSError as error:
        logger.exception("Could not store an application's file")
        raise StorageUnavailable from error


def store_application(challenge, form, hold_reason: str = "", draft=None) -> tuple[Application, bool]:
    """Store a valid form's application with its file and queued emails. Returns the application and
    whether it is new: posting the same form again returns the application it already created. A
    non-empty `hold_reason` holds it for a check (challenges/abuse.py). The draft it came from, if
    any, and its kept file, go once it is stored."""
    data = form.cleaned_data
    existing = Application.objects.filter(form_token=form.token.id).first()
    if existing is not None:
        return existing, False
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
        consent_at=timezone.now(),
        publish_consent=bool(data.get("name_consent")),
        is_spam=bool(hold_reason),
        spam_reason=hold_reason[:200],
    )
    application.attachment_name, application.attachment_size = _save_file(application.attachment, form)
    try:
        with transaction.atomic():
            application.save()
            application.reference = reference_for(application.pk, application.submitted_at.year)
            application.save(update_fields=["reference"])
            queued = emails.queue_application_emails(application)
            if draft is not None:
                draft.delete()
    except IntegrityError:
        application.attachment.delete(save=False)
        existing = Application.objects.filter(form_token=form.token.id).first()
        if existing is not None:  # the same form arrived twice at once: the other request stored it
            return existing, False
        raise
    except Exception:
        application.attachment.delete(save=False)
        raise
    uploads.discard(form.kept)
    send_soon(email.pk for email in queued)
    return application, True


def save_draft(challenge, form, draft=None) -> tuple[ApplicationDraft, bool]:
    """Save the posted answers (and a new valid file) as a draft. A new draft's link is emailed
    (unless its address has had its day's share of emails: then the second value is False)."""
    upload = form.cleaned_data.get("attachment")
    with transaction.atomic():
        if draft is None:
            draft = ApplicationDraft(challenge=challenge, language=translation.get_language() or "en")
        draft.email = form.cleaned_data["email"]
        draft.answers = form.posted_answers()
        draft.updated_at = timezone.now()
        old_upload = None
        if upload:
            old_upload, draft.upload = draft.upload, uploads.keep(upload, expires_at=challenge.closes_at)
        elif form.kept is not None and draft.upload_id != form.kept.pk:
            old_upload, draft.upload = draft.upload, form.kept
            form.kept.expires_at = challenge.closes_at
            form.kept.save(update_fields=["expires_at"])
        is_new = draft.pk is None
        draft.save()
        queued = None
        if is_new:
            queued = emails.queue_public(
                emails.DRAFT_LINK,
                draft.email,
                language=draft.language,
                about=draft,
                dedupe_key=f"{emails.DRAFT_LINK}:{draft.pk}",
            )
    if old_upload is not None and old_upload.pk != (draft.upload_id or 0):
        uploads.discard(old_upload)
    if queued is not None:
        send_soon([queued.pk])
    return draft, (queued is not None) or not is_new


def snapshot(application: Application) -> dict:
    core = {name: getattr(application, name) for name in CORE_ANSWER_FIELDS}
    return {**core, "answers": application.answers}


def change_application(application: Application, form) -> list[str]:
    """Apply an applicant's changes: the version before is kept (ApplicationVersion, with its file
    when a new one replaces it), the change is in the audit log, and the applicant is emailed.
    Returns the labels of what changed ([] when nothing did: nothing is recorded) and whether the
    applicant is emailed (not past their address's day of emails)."""
    data = form.cleaned_data
    before = snapshot(application)
    after_core = {name: data.get(name) if data.get(name) is not None else "" for name in CORE_ANSWER_FIELDS}
    after_core["website"] = after_core["website"] or ""
    new_answers = form.answers()
    changed = [
        str(Application._meta.get_field(name).verbose_name)
        for name in CORE_ANSWER_FIELDS
        if str(before[name]) != str(after_core[name])
    ]
    old_by_uid = {answer["uid"]: answer.get("display") for answer in application.answers}
    changed += [answer["label"] for answer in new_answers if old_by_uid.get(answer["uid"]) != answer["display"]]
    new_file = bool(data.get("attachment"))
    if new_file:
        changed.append(str(Application._meta.get_field("attachment").verbose_name))
    if not changed:
        return [], False
    number = application.versions.count() + 1
    version = ApplicationVersion(
        application=application,
        number=number,
        saved_at=application.changed_at or application.submitted_at,
        answers=before,
        attachment_name=application.attachment_name,
        attachment_size=application.attachment_size,
        changed=changed,
    )
    old_file_name = application.attachment.name
    if new_file:
        version.attachment.name = old_file_name  # the earlier file stays, with its version
        application.attachment_name, application.attachment_size = _save_file(application.attachment, form)
    for name, value in after_core.items():
        setattr(application, name, value)
    application.answers = new_answers
    application.changed_at = timezone.now()
    try:
        with transaction.atomic():
            version.save()
            application.save()
            log(instance=application, action=APPLICANT_EDIT_ACTION, user=None, data={"changed": changed})
            queued = emails.queue_public(
                emails.CHANGES_SAVED,
                application.email,
                language=application.language,
                about=application,
                dedupe_key=f"{emails.CHANGES_SAVED}:{application.pk}:{number}",
            )
    except Exception:
        if new_file:
            application.attachment.delete(save=False)
        raise
    if queued is not None:
        send_soon([queued.pk])
    return changed, queued is not None


def withdraw_application(application: Application) -> bool:
    """Withdraw it; True when its applicant is emailed a note of it."""
    with transaction.atomic():
        application.status = ApplicationStatus.WITHDRAWN
        application.withdrawn_at = timezone.now()
        application.save()
        log(instance=application, action=APPLICANT_WITHDRAW_ACTION, user=None)
        queued = emails.queue_public(
            emails.WITHDRAWN,
            application.email,
            language=application.language,
            about=application,
            dedupe_key=f"{emails.WITHDRAWN}:{application.pk}",
        )
    if queued is not None:
        send_soon([queued.pk])
    return queued is not None


def send_links_again(challenge, address: str) -> None:
    """Email new links to this address's applications and open drafts on this challenge (in any of its
    languages). Says nothing back: the page is the same whether the address applied or not. A held
    application's link goes out once it is cleared (with its confirmation), not before."""
    applications = list(
        Application.objects.filter(
            challenge__translation_key=challenge.translation_key, email__iexact=address, is_spam=False
        )
        .exclude(status=ApplicationStatus.WITHDRAWN)
        .values_list("pk", "email")
    )
    drafts = list(
        ApplicationDraft.objects.filter(
            challenge__translation_key=challenge.translation_key, email__iexact=address
        ).values_list("pk", "email")
    )
    if not applications and not drafts:
        return
    to = (applications or drafts)[0][1]
    with transaction.atomic():
        queued = emails.queue_public(
            emails.LINKS_AGAIN,
            to,
            language=translation.get_language() or "en",
            params={"applications": [pk for pk, _ in applications], "drafts": [pk for pk, _ in drafts]},
        )
    if queued is not None:
        send_soon([queued.pk])
