"""The applicant's pages under a challenge: the form (`apply/`), its thanks page, a saved draft's page
and link, the applicant's own page (status, what was sent, change, withdraw) and the lost-link form.

No personal data in any address: the thanks page's receipt carries the reference only; the private
links carry a random token (only its hash is stored; challenges/models/applicant.py). Every page
here is `no-store` and `noindex`; those at a private link send only the site's origin as referrer."""

import logging
import re

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DatabaseError
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from challenges import abuse, submission
from challenges import outbox as emails
from challenges.forms import HONEYPOT_FIELD, ApplicationForm, issue_form_token
from challenges.models import ApplicantLink, Application
from challenges.models.applications import ApplicationStatus
from challenges.submission import StorageUnavailable
from site_core.models import OfficeDetails
from site_core.security.personal_pages import personal_page

logger = logging.getLogger(__name__)

REFERENCE_SALT = "challenges.application-reference"
THANKS_MAX_AGE = 7 * 24 * 3600
SAVE_ACTION = "save"
PRIVATE_PATHS = re.compile(r"/apply/(?:draft|application)/")


def _render(request, challenge, template: str, context: dict, status: int = 200):
    context = {"page": challenge, "self": challenge, **context}
    return personal_page(request, template, context, status=status, keyed=bool(PRIVATE_PATHS.search(request.path)))


def _office():
    return OfficeDetails.for_language(translation.get_language() or settings.LANGUAGE_CODE)


def _accepting(challenge, office) -> bool:
    return office.notice_complete and challenge.status.accepts_applications


def _form_context(office, form, **extra) -> dict:
    return {"office": office, "honeypot_field": HONEYPOT_FIELD, "form": form, **extra}


def _closed(request, challenge, office, **extra):
    context = {"office": office, **extra}
    if request.method == "POST":
        context["late_post"] = True
    status = 403 if request.method == "POST" else 200
    return _render(request, challenge, "challenges/apply_closed.html", context, status=status)


def _new_form(challenge, **kwargs) -> ApplicationForm:
    return ApplicationForm(
        initial={"form_token": issue_form_token()}, questions=list(challenge.questions.all()), **kwargs
    )


def _failed(request, challenge, office, form, template="challenges/apply.html", **extra):
    """The form again after a failed round: a valid new file is kept, an expired token replaced."""
    form.keep_upload()
    if form.token_expired():
        form.refresh_token()
    return _render(request, challenge, template, _form_context(office, form, **extra), status=400)


def _flooded(request, challenge, office, form, **extra):
    """The flood guard's answer (challenges/abuse.py): the form again, nothing stored, a 429."""
    form.is_valid()
    form.add_error(None, str(abuse.FLOOD_MESSAGE))
    return _render(request, challenge, "challenges/apply.html", _form_context(office, form, **extra), status=429)


def _stored_redirect(challenge, application):
    receipt = signing.dumps({"ref": application.reference}, salt=REFERENCE_SALT)
    return redirect(f"{challenge.url}apply/thanks/?receipt={receipt}")


def _not_stored(request, challenge, office, form, template="challenges/apply.html", **extra):
    logger.exception("Application to challenge %s could not be stored", challenge.pk)
    try:
        form.keep_upload()
    except Exception:  # the same fault (storage, database) may keep the file from being kept too
        logger.warning("Could not keep the file of an application that was not stored", exc_info=True)
    if form.kept is None:
        message = _(
            "We could not store your application because of a problem on our side. It was NOT "
            "received. Please try again in a few minutes; choose your PDF again."
        )
    else:
        message = _(
            "We could not store your application because of a problem on our side. It was NOT "
            "received. Please try again in a few minutes."
        )
    form.add_error(None, message)
    return _render(request, challenge, template, _form_context(office, form, **extra), status=503)


def apply(challenge, request, draft=None):
    """The form (GET), a sent application or a saved draft (POST). With `draft`, the form starts from
    that draft's answers and file, and sending it turns the draft into the application."""
    office = _office()
    if not _accepting(challenge, office):
        return _closed(request, challenge, office)
    extra = {"draft": draft}
    if request.method != "POST":
        form = _new_form(challenge, kept=draft.upload if draft else None)
        if draft is not None:
            form.start_from(draft.answers)
        return _render(request, challenge, "challenges/apply.html", _form_context(office, form, **extra))

    questions = list(challenge.questions.all())
    form = ApplicationForm(request.POST, request.FILES, questions=questions)
    if abuse.flooding(request):
        return _flooded(request, challenge, office, form, **extra)

    if request.POST.get("action") == SAVE_ACTION:
        return _save_draft(request, challenge, office, form, draft)

    if not form.is_valid():
        return _failed(request, challenge, office, form, **extra)
    # An application finished from a draft came through the emailed link: its speed proves nothing.
    reason = abuse.hold_reason(request, challenge, form, check_timing=draft is None)
    try:
        application, created = submission.store_application(challenge, form, hold_reason=reason, draft=draft)
    except (StorageUnavailable, DatabaseError):
        return _not_stored(request, challenge, office, form, **extra)
    if created:
        abuse.count_stored(request)
    return _stored_redirect(challenge, application)


def _save_draft(request, challenge, office, form, draft):
    if not form.only_email_checked():
        return _render(
            request, challenge, "challenges/apply.html", _form_context(office, form, draft=draft), status=400
        )
    try:
        draft, emailed = submission.save_draft(challenge, form, draft)
    except (StorageUnavailable, DatabaseError, OSError):
        logger.exception("Draft for challenge %s could not be saved", challenge.pk)
        form.add_error(
            None, _("We could not save your draft because of a problem on our side. Nothing was saved. Try again.")
        )
        return _render(
            request, challenge, "challenges/apply.html", _form_context(office, form, draft=draft), status=503
        )
    state = "updated" if request.POST.get("draft_link") else ("emailed" if emailed else "not-emailed")
    return redirect(f"{challenge.url}apply/saved/?state={state}")


def draft_saved(challenge, request):
    state = request.GET.get("state")
    if state not in {"emailed", "not-emailed", "updated"}:
        state = "emailed"
    context = {"state": state, "reminder_hours": settings.DRAFT_REMINDER_HOURS}
    return _render(request, challenge, "challenges/apply_saved.html", context)


def apply_again(challenge, request):
    """The form as it was sent, when the CSRF check refused it: nothing stored, the answers kept
    (a valid file too), a fresh security token."""
    office = _office()
    if not _accepting(challenge, office):
        return None
    form = ApplicationForm(request.POST, request.FILES, questions=list(challenge.questions.all()))
    form.is_valid()
    form.keep_upload()
    form.refresh_token()
    form.add_error(
        None,
        _(
            "Your application was NOT sent: for your security, the form had expired, or your browser did "
            "not send this site's cookie. Your answers are below: send the form again. "
            "If this happens again, allow cookies for this site."
        ),
    )
    return _render(request, challenge, "challenges/apply.html", _form_context(office, form), status=403)


def thanks(challenge, request):
    try:
        receipt = signing.loads(request.GET.get("receipt", ""), salt=REFERENCE_SALT, max_age=THANKS_MAX_AGE)
    except signing.BadSignature:
        receipt = None
    application = None
    if receipt:
        application = (
            Application.objects.filter(
                reference=receipt.get("ref"), challenge__translation_key=challenge.translation_key
            )
            .only("pk", "reference", "is_spam", "email")
            .first()
        )
    context = {"application": application}
    if application is not None:
        context["held"] = application.is_spam
        context["confirmation_queued"] = not application.is_spam and emails.confirmation_queued(application)
    return _render(request, challenge, "challenges/apply_thanks.html", context, status=200 if application else 400)


# --- private links -----------------------------------------------------------------------------


def _link_problem(request, challenge, kind: str, status: int):
    return _render(request, challenge, "challenges/apply_link_problem.html", {"problem": kind}, status=status)


def _find_link(challenge, token: str, target: str):
    link = ApplicantLink.find(token, with_target=target)
    if link is None:
        return None, None
    obj = link.application if target == "application" else link.draft
    if obj is None:
        return None, None
    if obj.challenge_id != challenge.pk and obj.challenge.translation_key != challenge.translation_key:
        return None, None
    ApplicantLink.objects.filter(pk=link.pk).update(last_used_at=timezone.now())
    return link, obj


def draft_page(challenge, request, token: str):
    _link, draft = _find_link(challenge, token, "draft")
    if draft is None:
        return _link_problem(request, challenge, "draft-unknown", status=404)
    if draft.challenge_id != challenge.pk:
        return redirect(f"{draft.challenge.url}apply/draft/{token}/")
    if not draft.is_open():
        return _link_problem(request, challenge, "draft-closed", status=410)
    return apply(challenge, request, draft=draft)


def _application_for(challenge, request, token):
    _link, application = _find_link(challenge, token, "application")
    if application is None:
        return None, _link_problem(request, challenge, "application-unknown", status=404)
    if application.challenge_id != challenge.pk:  # the link opened on the challenge in another language
        return None, redirect(f"{application.challenge.url}apply/application/{token}/")
    return application, None


def _can_change(challenge, application) -> bool:
    """Until the deadline, unless withdrawn. A decision the panel recorded meanwhile changes nothing
    here: the applicant learns of it only when it is released (challenges/decisions.py), and the
    panel sees every change (each earlier version is kept)."""
    return challenge.status.accepts_applications and application.status != ApplicationStatus.WITHDRAWN


def application_page(challenge, request, token: str):
    application, problem = _application_for(challenge, request, token)
    if problem is not None:
        return problem
    from challenges import decisions

    released = decisions.release_of(challenge) is not None
    deadline_passed = not challenge.status.accepts_applications and challenge.status.value != "upcoming"
    status_code, status_words = decisions.public_status(application, released, deadline_passed)
    context = {
        "application": application,
        "status_code": status_code,
        "status_words": status_words,
        "token": token,
        "can_change": _can_change(challenge, application),
        "earlier_versions": list(application.versions.order_by("-number")),
        "questions_answers": application.answers,
        "changed": request.GET.get("done"),
    }
    return _render(request, challenge, "challenges/applicant_page.html", context)


def _application_form(challenge, application, data=None, files=None):
    return ApplicationForm(
        data,
        files,
        questions=list(challenge.questions.all()),
        current_file_name=application.attachment_name,
        changing=True,
    )


def application_edit(challenge, request, token: str):
    application, problem = _application_for(challenge, request, token)
    if problem is not None:
        return problem
    office = _office()
    extra = {"application": application, "token": token, "editing": True}
    if not _can_change(challenge, application):
        return _render(request, challenge, "challenges/applicant_locked.html", extra, status=403)
    if request.method != "POST":
        form = _application_form(challenge, application)
        form.initial["form_token"] = issue_form_token()
        form.start_from(
            {
                **{name: getattr(application, name) for name in submission.snapshot(application) if name != "answers"},
                **{f"q_{answer['uid']}": answer.get("value") or "" for answer in application.answers},
            }
        )
        return _render(request, challenge, "challenges/apply.html", _form_context(office, form, **extra))
    form = _application_form(challenge, application, request.POST, request.FILES)
    if abuse.flooding(request):
        return _flooded(request, challenge, office, form, **extra)
    if not form.is_valid():
        return _failed(request, challenge, office, form, **extra)
    try:
        changed, emailed = submission.change_application(application, form)
    except (StorageUnavailable, DatabaseError):
        logger.exception("Changes to application %s could not be saved", application.pk)
        form.add_error(None, _("We could not save your changes because of a problem on our side. Nothing changed."))
        return _render(request, challenge, "challenges/apply.html", _form_context(office, form, **extra), status=503)
    done = ("changed" if emailed else "changed-unmailed") if changed else "unchanged"
    return redirect(f"{challenge.url}apply/application/{token}/?done={done}")


def application_withdraw(challenge, request, token: str):
    application, problem = _application_for(challenge, request, token)
    if problem is not None:
        return problem
    extra = {"application": application, "token": token}
    if not _can_change(challenge, application):
        return _render(request, challenge, "challenges/applicant_locked.html", extra, status=403)
    if request.method == "POST":
        emailed = submission.withdraw_application(application)
        done = "withdrawn" if emailed else "withdrawn-unmailed"
        return redirect(f"{challenge.url}apply/application/{token}/?done={done}")
    return _render(request, challenge, "challenges/applicant_withdraw.html", extra)


def lost_link(challenge, request):
    """The lost-link form: the same answer whether or not the address applied."""
    error = ""
    address = (request.POST.get("email") or "").strip() if request.method == "POST" else ""
    if request.method == "POST":
        if abuse.flooding(request):
            return _render(
                request, challenge, "challenges/apply_lost_link.html", {"error": str(abuse.FLOOD_MESSAGE)}, status=429
            )
        try:
            validate_email(address)
        except ValidationError:
            error = _("Enter the email address you applied or saved a draft with, like name@example.ca.")
        else:
            submission.send_links_again(challenge, address)
            return redirect(f"{challenge.url}apply/link/?sent=1")
    context = {"error": error, "email": address, "sent": request.GET.get("sent") == "1"}
    return _render(request, challenge, "challenges/apply_lost_link.html", context, status=400 if error else 200)
