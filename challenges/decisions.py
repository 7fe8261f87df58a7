"""The panel's decisions (issue 20): the chair records each one with a reason (audit logged), then
releases the decisions of the whole challenge at once. Until the release an applicant's page says
"under review" whatever was recorded, and nobody is emailed; the release emails every decision
(selected, not selected) in one go, and a decision recorded after it is emailed at once.

Who chairs: a Publisher (who assigns the panels), or a panel member marked as its chair. A chair on
the panel does not see, score or decide the applications they declared a conflict with: a Publisher
decides those."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log
from wagtail.models import Locale

from challenges.models import Application, ApplicationStatus, DecisionRelease, PanelMember
from challenges.models.applications import DECIDED

DECIDE_ACTION = "cio.review.decide"
RELEASE_ACTION = "cio.review.release"
TEAMS_ACTION = "cio.review.teams"
CHAIR_PERMISSION = "challenges.add_panelmember"  # Publishers (site_core/security/roles.py)

# What a chair can record, in the order of the review.
DECISION_CHOICES = [
    (ApplicationStatus.UNDER_REVIEW, _("Under review")),
    (ApplicationStatus.SHORTLISTED, _("Shortlisted")),
    (ApplicationStatus.SELECTED, _("Selected")),
    (ApplicationStatus.DECLINED, _("Not selected")),
]
# Still to decide: a release waits until none of these is left (withdrawn and held ones aside).
OPEN_STATUSES = (ApplicationStatus.RECEIVED, ApplicationStatus.UNDER_REVIEW, ApplicationStatus.SHORTLISTED)


class DecisionRefused(Exception):
    """Why a decision or a release cannot be recorded, in words for the chair."""


def panel_challenge(challenge):
    """The challenge's page in the site's default language: panels, declarations and releases name it."""
    if challenge.locale_id == Locale.get_default().pk:
        return challenge
    return (
        type(challenge).objects.filter(translation_key=challenge.translation_key, locale=Locale.get_default()).first()
        or challenge
    )


def is_publisher(user) -> bool:
    return user.is_active and (user.is_superuser or user.has_perm(CHAIR_PERMISSION))


def chairs(user, challenge) -> bool:
    """Whether `user` may open the panel's table of `challenge` and record its decisions."""
    if not user.is_authenticated or not user.is_active:
        return False
    if is_publisher(user):
        return True
    return PanelMember.objects.filter(
        user=user, is_chair=True, challenge__translation_key=challenge.translation_key
    ).exists()


def release_of(challenge) -> DecisionRelease | None:
    return DecisionRelease.objects.filter(challenge__translation_key=challenge.translation_key).first()


def challenge_applications(challenge):
    return Application.objects.filter(challenge__translation_key=challenge.translation_key)


def record_decision(application: Application, status: str, reason: str, user, released: bool) -> None:
    """The chair's decision on one application, with its reason; emailed at once if the challenge's
    decisions are already released."""
    from challenges.outbox import queue_decision_emails
    from site_core.services.outbox import send_soon

    if status not in dict(DECISION_CHOICES):
        raise DecisionRefused(_("Choose a decision."))
    if application.is_withdrawn:
        raise DecisionRefused(_("Its applicant withdrew this application: there is nothing to decide."))
    if application.is_spam:
        raise DecisionRefused(_("This application is held for a check: clear the hold (or delete it) first."))
    if released and application.status in DECIDED and application.decided_at is not None:
        raise DecisionRefused(
            _("This decision was released and emailed to the applicant: it can no longer be changed here.")
        )
    reason = reason.strip()
    if status != ApplicationStatus.UNDER_REVIEW and not reason:
        raise DecisionRefused(_("Give the reason for this decision: it is kept on the record."))
    with transaction.atomic():
        previous = application.status
        application.status = status
        application.decision_reason = reason
        application.decided_by = user
        application.save()
        log(
            instance=application,
            action=DECIDE_ACTION,
            user=user,
            data={"from": previous, "to": status, "reason": reason},
        )
        emails = queue_decision_emails([application]) if released else []
    send_soon(email.pk for email in emails)


def undecided(challenge):
    """The applications that stop a release: not yet selected or not selected (held and withdrawn
    ones aside)."""
    return challenge_applications(challenge).filter(status__in=OPEN_STATUSES, is_spam=False)


def release(challenge, user) -> int:
    """Release every decision of the challenge at once: the applicants' pages show them, each is
    emailed. Refused while an application is undecided. Returns the number of emails queued."""
    from challenges.outbox import queue_decision_emails
    from site_core.services.outbox import send_soon

    challenge = panel_challenge(challenge)
    left = undecided(challenge).count()
    if left:
        raise DecisionRefused(
            _("%(count)s application(s) still need a decision (selected or not selected) before the release.")
            % {"count": left}
        )
    with transaction.atomic():
        _record, created = DecisionRelease.objects.get_or_create(
            challenge=challenge, defaults={"released_by": user, "released_at": timezone.now()}
        )
        if not created:
            raise DecisionRefused(_("The decisions of this challenge were released already."))
        decided = list(challenge_applications(challenge).filter(status__in=DECIDED, is_spam=False))
        emails = queue_decision_emails(decided)
        log(
            instance=challenge,
            action=RELEASE_ACTION,
            user=user,
            data={
                "selected": sum(1 for a in decided if a.status == ApplicationStatus.SELECTED),
                "not_selected": sum(1 for a in decided if a.status == ApplicationStatus.DECLINED),
            },
        )
    send_soon(email.pk for email in emails)
    return len(emails)


def public_status(application: Application, released: bool, deadline_passed: bool) -> tuple[str, str]:
    """What the applicant's page says of their application: (code, words). A decision shows once
    released; before that, "received" until the deadline and "under review" after it, whatever the
    panel has recorded."""
    if application.is_withdrawn:
        return ApplicationStatus.WITHDRAWN, str(ApplicationStatus.WITHDRAWN.label)
    if application.is_spam:
        return "held", str(_("Received: being checked before we confirm it"))
    if released and application.status in DECIDED:
        return application.status, application.get_status_display()
    if deadline_passed:  # whatever the panel has recorded so far
        return ApplicationStatus.UNDER_REVIEW, str(ApplicationStatus.UNDER_REVIEW.label)
    return ApplicationStatus.RECEIVED, str(ApplicationStatus.RECEIVED.label)


def named_teams(challenge) -> list[str]:
    """The organisations selected that agreed to be named, as their applications spell them."""
    names = (
        challenge_applications(challenge)
        .filter(status=ApplicationStatus.SELECTED, publish_consent=True, is_spam=False)
        .order_by("organisation_name")
        .values_list("organisation_name", flat=True)
    )
    seen, teams = set(), []
    for name in names:
        if name.strip().casefold() not in seen:
            seen.add(name.strip().casefold())
            teams.append(name.strip())
    return teams


def fill_selected_teams(challenge, user) -> tuple[list[str], int]:
    """Write the selected teams that agreed to be named into a new draft of the challenge page (a
    Publisher reviews and publishes it). Returns the names and the number of selected teams left out
    for want of consent. Only after the release."""
    challenge = panel_challenge(challenge)
    if release_of(challenge) is None:
        raise DecisionRefused(_("Release the decisions first: the teams are named only after they are told."))
    teams = named_teams(challenge)
    unnamed = (
        challenge_applications(challenge)
        .filter(status=ApplicationStatus.SELECTED, publish_consent=False, is_spam=False)
        .count()
    )
    page = challenge.get_latest_revision_as_object()
    page.selected_teams = "\n".join(teams)
    with transaction.atomic():
        page.save_revision(user=user, log_action=True)
        log(instance=challenge, action=TEAMS_ACTION, user=user, data={"teams": len(teams), "unnamed": unnamed})
    return teams, unnamed
