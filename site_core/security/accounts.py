"""Guessing passwords, slowed to a stop (docs/security.md, "Brute force"):

- **Staff sign-in** (the admin): django-axes counts failed sign-ins per account and per address
  (site_core/security/client_address.py behind the proxy) and pauses signing in for AXES_COOLOFF_TIME after
  AXES_FAILURE_LIMIT of them. The person trying sees `lockout_response` (what happened, until when,
  what to do); the account's owner gets an email saying so (`tell_the_owner`), through the outbox.
- **Page and document passwords** (view restrictions): wrong passwords per address and restriction
  are limited (PAGE_PASSWORD_RATE_LIMIT); past it, `limited_password_view` answers a page that says so.
- **Password resets**: `OutboxPasswordResetForm` queues one outbox row whatever the address typed,
  so the request does the same work, in the same time, for an address with an account and one
  without; the email is written and sent from the background by the builder, which finds the
  accounts (Django's own rules) and writes Wagtail's email. An address without an account gets
  nothing. Requests are limited per address and per email typed (PASSWORD_RESET_RATE_LIMIT).
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import get_usage, is_ratelimited
from wagtail.admin.forms.auth import PasswordResetForm

from site_core.security.client_address import client_address
from site_core.services import outbox

logger = logging.getLogger(__name__)

PASSWORD_RESET = "staff-password-reset"  # noqa: S105 - an email kind, not a password
ACCOUNT_LOCKED = "staff-account-locked"
RESET_TEMPLATES = (
    "wagtailadmin/account/password_reset/email_subject.txt",
    "wagtailadmin/account/password_reset/email.txt",
)


def retry_at(minutes: float) -> datetime.datetime:
    return timezone.localtime(timezone.now() + datetime.timedelta(minutes=minutes))


def limited_response(request, *, title, message, minutes: float):
    response = TemplateResponse(
        request,
        "site_core/too_many_attempts.html",
        {"title": title, "message": message, "retry_at": retry_at(minutes)},
        status=429,
    )
    response["Retry-After"] = str(int(minutes * 60))
    response["Cache-Control"] = "private, no-store"
    return response.render()  # django-axes answers from a middleware, after responses are rendered


# --- Staff sign-in (django-axes) ---------------------------------------------------------------


def cooloff_minutes() -> float:
    return settings.AXES_COOLOFF_TIME.total_seconds() / 60


def lockout_response(request, credentials=None, *args, **kwargs):
    """AXES_LOCKOUT_CALLABLE: what someone trying to sign in sees once signing in is paused."""
    return limited_response(
        request,
        title=_("Signing in is paused"),
        message=_(
            "There were too many wrong passwords for this account, or from your connection. For the "
            "account's safety, signing in is paused. Nothing else has changed: try again after the time "
            "below, or reset your password. The account's owner has been told by email."
        ),
        minutes=cooloff_minutes(),
    )


def axes_client_address(request) -> str:
    """AXES_CLIENT_IP_CALLABLE: the visitor behind the proxy, as every other limit counts them."""
    return client_address(request)


def tell_the_owner(sender, request, username, ip_address, **kwargs):
    """django-axes' user_locked_out signal: email the account's owner (once per pause)."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username, is_active=True).exclude(email="").first()
    if user is None:  # an address locked out over names that are no account: nobody to tell
        return
    window = int(timezone.now().timestamp() // max(settings.AXES_COOLOFF_TIME.total_seconds(), 1))
    profile = getattr(user, "wagtail_userprofile", None)
    language = getattr(profile, "preferred_language", "") or settings.LANGUAGE_CODE
    with transaction.atomic():
        email = outbox.queue(
            ACCOUNT_LOCKED,
            user.email,
            language=language,
            about=user,
            params={"until": retry_at(cooloff_minutes()).isoformat()},
            dedupe_key=f"{ACCOUNT_LOCKED}:{user.pk}:{window}",
        )
    outbox.send_soon([email.pk])


def build_account_locked(email) -> list[EmailMessage]:
    until = datetime.datetime.fromisoformat(email.params["until"])
    with translation.override(email.language):
        context = {"until": timezone.localtime(until), "base_url": settings.BASE_URL}
        subject = " ".join(render_to_string("site_core/emails/account_locked_subject.txt", context).split())
        body = render_to_string("site_core/emails/account_locked.txt", context)
    return [EmailMessage(subject=subject, body=body, to=[email.to])]


# --- Page and document passwords ---------------------------------------------------------------


def limited_password_view(view, scope: str):
    """Wrap Wagtail's password form view (a page's or a document's): wrong passwords per address and
    restriction are counted, and past PAGE_PASSWORD_RATE_LIMIT the form is not even checked."""

    def wrapped(request, *args, **kwargs):
        if request.method != "POST":
            return view(request, *args, **kwargs)
        restriction = next(iter(kwargs.values()), "")
        key = f"{client_address(request)}:{scope}:{restriction}"
        options = {
            "group": "view-restriction-passwords",
            "key": lambda group, request: key,
            "rate": settings.PAGE_PASSWORD_RATE_LIMIT,
            "method": "POST",
        }
        usage = get_usage(request, increment=False, **options)
        if usage is not None and usage["count"] >= usage["limit"]:
            return limited_response(
                request,
                title=_("Too many wrong passwords"),
                message=_(
                    "Too many wrong passwords were tried for this page from your connection. Wait until "
                    "the time below, then try again. If you were given the password, check it with "
                    "whoever sent it to you."
                ),
                minutes=10,
            )
        response = view(request, *args, **kwargs)
        if response.status_code != 302:  # the form again: the password was wrong
            is_ratelimited(request, increment=True, **options)
        return response

    return wrapped


# --- Password resets --------------------------------------------------------------------------


class OutboxPasswordResetForm(PasswordResetForm):
    """WAGTAILADMIN_USER_PASSWORD_RESET_FORM: queue the reset instead of looking up accounts and
    sending in the request (see the module docstring)."""

    def save(self, *args, request=None, **kwargs):
        address = self.cleaned_data["email"]
        with transaction.atomic():
            email = outbox.queue(
                PASSWORD_RESET, address, language=translation.get_language() or "en", params={"email": address}
            )
        outbox.send_soon([email.pk])


class _WritingResetForm(PasswordResetForm):
    """Django's reset form, writing its emails instead of sending them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.messages = []

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        self.messages.append(EmailMessage(subject=subject, body=body, from_email=from_email, to=[to_email]))


def build_password_reset(email) -> list[EmailMessage]:
    """The reset link for each active account with a usable password at that address (none: [])."""
    form = _WritingResetForm({"email": email.params["email"]})
    if not form.is_valid():
        return []
    domain = settings.BASE_URL.split("://", 1)[-1]
    with translation.override(email.language):
        form.save(
            domain_override=domain,
            use_https=settings.BASE_URL.startswith("https://"),
            subject_template_name=RESET_TEMPLATES[0],
            email_template_name=RESET_TEMPLATES[1],
        )
    return form.messages


def reset_rate_limited(request) -> bool:
    """PASSWORD_RESET_RATE_LIMIT per address, and per email typed (the same for every address, so
    the answer tells nothing about accounts)."""
    if request.method != "POST":
        return False
    typed = request.POST.get("email", "").strip().lower()[:254]
    limited = False
    for key in (f"address:{client_address(request)}", f"email:{typed}"):
        limited |= is_ratelimited(
            request,
            group="password-resets",
            key=lambda group, request, key=key: key,
            rate=settings.PASSWORD_RESET_RATE_LIMIT,
            method="POST",
            increment=True,
        )
    return limited


def limited_password_reset(view):
    def wrapped(request, *args, **kwargs):
        if reset_rate_limited(request):
            return limited_response(
                request,
                title=_("Too many password reset requests"),
                message=_(
                    "Too many password resets were asked for from your connection or for this address. "
                    "Nothing was sent for this request. If an earlier request was for an account, its "
                    "email is on its way: check your inbox and spam folder. Otherwise, try again after "
                    "the time below."
                ),
                minutes=60,
            )
        return view(request, *args, **kwargs)

    return wrapped


def register_emails() -> None:
    outbox.register(PASSWORD_RESET, _("Password reset"), build_password_reset, keep_days=30)
    outbox.register(ACCOUNT_LOCKED, _("Signing in paused"), build_account_locked, keep_days=30)


def connect_signals() -> None:
    from axes.signals import user_locked_out

    user_locked_out.connect(tell_the_owner, dispatch_uid="cio_tell_locked_out_owner")
