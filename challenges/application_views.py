"""The apply/ and apply/thanks/ routes of a challenge page."""

import logging

from django.conf import settings
from django.core import signing
from django.db import DatabaseError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited
from redis.exceptions import RedisError

from challenges.forms import HONEYPOT_FIELD, ApplicationForm, issue_form_token
from challenges.submission import StorageUnavailable, store_application
from site_core.models import OfficeDetails
from site_core.security.client_address import ratelimit_key

logger = logging.getLogger(__name__)

REFERENCE_SALT = "challenges.application-reference"
THANKS_MAX_AGE = 7 * 24 * 3600


def _render(request, challenge, template: str, context: dict, status: int = 200):
    response = TemplateResponse(request, template, {"page": challenge, "self": challenge, **context}, status=status)
    add_never_cache_headers(response)  # forms carry a CSRF token and a single-use form token
    return response


def _rate_limited(request) -> bool:
    try:
        return is_ratelimited(
            request,
            group="challenge-applications",
            key=ratelimit_key,
            rate=settings.APPLICATION_RATE_LIMIT,
            method="POST",
            increment=True,
        )
    except (RedisError, OSError):  # a cache backend without django-redis's IGNORE_EXCEPTIONS
        logger.warning("Rate limit check skipped: cache unavailable", exc_info=True)
        return False


def apply(challenge, request):
    office = OfficeDetails.for_language(translation.get_language() or settings.LANGUAGE_CODE)
    status = challenge.status
    questions = list(challenge.questions.all())
    context = {"office": office, "honeypot_field": HONEYPOT_FIELD}

    if not office.notice_complete or not status.accepts_applications:
        if request.method == "POST":
            context["late_post"] = True
        return _render(
            request, challenge, "challenges/apply_closed.html", context, status=403 if request.method == "POST" else 200
        )

    if request.method != "POST":
        form = ApplicationForm(initial={"form_token": issue_form_token()}, questions=questions)
        return _render(request, challenge, "challenges/apply.html", {**context, "form": form})

    form = ApplicationForm(request.POST, request.FILES, questions=questions)
    if _rate_limited(request):
        form.is_valid()
        form.add_error(
            None,
            _(
                "Too many applications were sent from your connection in the last few minutes. "
                "Nothing was stored. Wait 10 minutes, then send your application again."
            ),
        )
        return _render(request, challenge, "challenges/apply.html", {**context, "form": form}, status=429)

    if not form.is_valid():
        if form.has_error("form_token"):
            form.data = form.data.copy()
            form.data["form_token"] = issue_form_token()
        return _render(request, challenge, "challenges/apply.html", {**context, "form": form}, status=400)

    try:
        application, _created = store_application(challenge, form)
    except (StorageUnavailable, DatabaseError):
        logger.exception("Application to challenge %s could not be stored", challenge.pk)
        form.add_error(
            None,
            _(
                "We could not store your application because of a problem on our side. It was NOT "
                "received. Please try again in a few minutes; choose your PDF again."
            ),
        )
        return _render(request, challenge, "challenges/apply.html", {**context, "form": form}, status=503)

    receipt = signing.dumps({"ref": application.reference, "email": application.email}, salt=REFERENCE_SALT)
    return redirect(f"{challenge.url}apply/thanks/?receipt={receipt}")


def apply_again(challenge, request):
    """The form as it was sent, when the CSRF check refused it: nothing stored, the answers kept
    (the file must be chosen again: a browser never sends it back), a fresh security token."""
    office = OfficeDetails.for_language(translation.get_language() or settings.LANGUAGE_CODE)
    if not office.notice_complete or not challenge.status.accepts_applications:
        return None
    form = ApplicationForm(request.POST, questions=list(challenge.questions.all()))
    form.is_valid()
    if form.has_error("form_token"):
        form.data = form.data.copy()
        form.data["form_token"] = issue_form_token()
    form.add_error(
        None,
        _(
            "Your application was NOT sent: for your security, the form had expired, or your browser did "
            "not send this site's cookie. Your answers are below. Choose your PDF again and send the form. "
            "If this happens again, allow cookies for this site."
        ),
    )
    context = {"office": office, "honeypot_field": HONEYPOT_FIELD, "form": form}
    return _render(request, challenge, "challenges/apply.html", context, status=403)


def thanks(challenge, request):
    try:
        receipt = signing.loads(request.GET.get("receipt", ""), salt=REFERENCE_SALT, max_age=THANKS_MAX_AGE)
    except signing.BadSignature:
        receipt = None
    return _render(
        request, challenge, "challenges/apply_thanks.html", {"receipt": receipt}, status=200 if receipt else 400
    )
