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
import logging

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import get_usage, is_ratelimited
from redis.exceptions import RedisError

from challenges.models import Application
from site_core.security.client_address import ratelimit_key

logger = logging.getLogger(__name__)

POSTS_GROUP = "challenge-application-posts"
STORED_GROUP = "challenge-applications-stored"

# Why an application is held, for the reviewers (stored in Application.spam_reason).
REASON_ADDRESS = "many applications from the same connection"
REASON_EMAIL = "several applications from the same email address to this challenge today"

FLOOD_MESSAGE = _(
    "Too many forms were sent from your connection in the last few minutes. Nothing was stored. "
    "Wait 10 minutes, then try again."
)


def _limited(request, group: str, rate: str, increment: bool) -> bool:
    try:
        return is_ratelimited(request, group=group, key=ratelimit_key, rate=rate, method="POST", increment=increment)
    except (RedisError, OSError):  # a cache backend without django-redis's IGNORE_EXCEPTIONS
        logger.warning("Rate limit check skipped: cache unavailable", exc_info=True)
        return False


def _reached(request, group: str, rate: str) -> bool:
    """True when the address has used up `rate` already (counting nothing): the next one is past it.
    Unknown (the cache is down): False, like the limits themselves (RATELIMIT_FAIL_OPEN)."""
    try:
        usage = get_usage(request, group=group, key=ratelimit_key, rate=rate, method="POST", increment=False)
    except (RedisError, OSError):
        logger.warning("Rate limit check skipped: cache unavailable", exc_info=True)
        return False
    return usage is not None and usage["count"] >= usage["limit"]


def flooding(request) -> bool:
    """Count this post; True once the address has sent more posts than any group of people would."""
    return _limited(request, POSTS_GROUP, settings.APPLICATION_POST_RATE_LIMIT, increment=True)


def hold_reason(request, challenge, form, check_timing: bool = True) -> str:
    """Why this valid application should be held for a check ('' when it should not)."""
    reason = form.spam_reason(check_timing=check_timing)
    if reason:
        return reason
    if _reached(request, STORED_GROUP, settings.APPLICATION_RATE_LIMIT):
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
    _limited(request, STORED_GROUP, settings.APPLICATION_RATE_LIMIT, increment=True)
