"""Anti-abuse for the application form that never turns a person away by mistake.

- The flood guard counts every post to the application pages from one client address
  (APPLICATION_POST_RATE_LIMIT, far above what people send): past it, a 429 that says nothing was
  stored. It is the only refusal.
- Only stored applications count toward an address's limit (APPLICATION_RATE_LIMIT): a post with
  errors costs nothing. Past it, the application is stored and held for a check.
- The same applicant email on the same challenge more than APPLICATION_EMAIL_LIMIT times a day: held.
- A filled honeypot, or a form sent within APPLICATION_MIN_FILL_SECONDS of being served: held.

A held application has its reference, is on the reviewers' dashboard, and its applicant is told
it is being checked; clearing the hold sends the confirmation (challenges/outbox.py).
"""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from challenges.models import Application
from site_core.security.rate_limits import limit_reached, over_limit

POSTS_GROUP = "challenge-application-posts"
STORED_GROUP = "challenge-applications-stored"

# Why an application is held, for the reviewers (stored in Application.spam_reason).
REASON_ADDRESS = "many applications from the same connection"
REASON_EMAIL = "several applications from the same email address to this challenge today"

FLOOD_MESSAGE = _(
    "Too many forms were sent from your connection in the last few minutes. Nothing was stored. "
    "Wait 10 minutes, then try again."
)


def flooding(request) -> bool:
    """Count this post; True once the address has sent more posts than any group of people would."""
    return over_limit(request, POSTS_GROUP, settings.APPLICATION_POST_RATE_LIMIT)


def hold_reason(request, challenge, form, check_timing: bool = True) -> str:
    """Why this valid application should be held for a check ('' when it should not)."""
    reason = form.spam_reason(check_timing=check_timing)
    if reason:
        return reason
    if limit_reached(request, STORED_GROUP, settings.APPLICATION_RATE_LIMIT):
        return REASON_ADDRESS
    since = timezone.now() - datetime.timedelta(days=1)
    same_email = Application.objects.filter(
        challenge=challenge, email__iexact=form.cleaned_data["email"], submitted_at__gte=since
    ).count()
    if same_email >= settings.APPLICATION_EMAIL_LIMIT:
        return REASON_EMAIL
    return ""


def count_stored(request) -> None:
    """Count one stored application toward its address's limit."""
    over_limit(request, STORED_GROUP, settings.APPLICATION_RATE_LIMIT)
