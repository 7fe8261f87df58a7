import logging
from collections import Counter

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from challenges import uploads
from challenges.admin_views import PURGE_ACTION
from challenges.models import Application
from challenges.reminders import forget_closed_drafts
from challenges.rules import (
    MIN_HELD_RETENTION_DAYS,
    MIN_UNDECIDED_RETENTION_MONTHS,
    Retention,
    application_retention,
)

logger = logging.getLogger(__name__)

# What the rule needs of each application (after its id and reference), read a chunk at a time: never whole
# rows, never all of them at once.
SCAN_FIELDS = (
    "pk",
    "reference",
    "status",
    "is_spam",
    "submitted_at",
    "decided_at",
    "withdrawn_at",
    "challenge__closes_at",
    "challenge__retention_months",
)
CHUNK_SIZE = 500


class Command(BaseCommand):
    help = (
        "Delete the applications whose retention has passed (challenges/rules.application_retention: decided and "
        "withdrawn ones the challenge's period after the decision or withdrawal; held for a check and never cleared "
        "APPLICATION_HELD_RETENTION_DAYS after the deadline; never decided APPLICATION_UNDECIDED_RETENTION_MONTHS "
        "after the deadline), each with its files, earlier versions and everything attached to it, each in its own "
        "transaction and in the audit log with its rule; then unsent drafts of calls closed a week ago and expired "
        "kept files. Run daily. --dry-run lists the applications that would go."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, dry_run=False, **options):
        self.prepare()
        deleted = Counter()
        for pk, reference, kept in self.expired():
            if dry_run:
                self.stdout.write(f"would delete {reference} ({kept.rule}, kept until {kept.kept_until:%Y-%m-%d})")
                deleted[kept.rule] += 1
                continue
            try:
                rule = self.delete(pk)
            except Exception:  # one that cannot go must not keep the others past their retention
                logger.exception("Could not delete application %s at the end of its retention period", reference)
                self.failed.append(reference)
                continue
            if rule:
                deleted[rule] += 1
        verb = "would delete" if dry_run else "deleted"
        rules = ", ".join(f"{count} {rule}" for rule, count in sorted(deleted.items()))
        self.stdout.write(f"{verb} {deleted.total()} application(s)" + (f": {rules}" if rules else ""))
        if dry_run:
            return
        drafts = forget_closed_drafts(self.now)
        kept_files = uploads.purge_expired(self.now)
        self.stdout.write(f"deleted {drafts} unsent draft(s) of closed calls and {kept_files} expired kept file(s)")
        if self.failed:
            raise CommandError(
                f"{len(self.failed)} application(s) or their files could not be deleted ({', '.join(self.failed)}): "
                "see the log."
            )

    def prepare(self, now=None):
        """Read the settings (refusing periods short enough to delete applications nobody has reviewed
        yet) and fix the run's moment."""
        self.held_days = settings.APPLICATION_HELD_RETENTION_DAYS
        self.undecided_months = settings.APPLICATION_UNDECIDED_RETENTION_MONTHS
        if self.held_days < MIN_HELD_RETENTION_DAYS or self.undecided_months < MIN_UNDECIDED_RETENTION_MONTHS:
            raise CommandError(
                f"APPLICATION_HELD_RETENTION_DAYS must be at least {MIN_HELD_RETENTION_DAYS} and "
                f"APPLICATION_UNDECIDED_RETENTION_MONTHS at least {MIN_UNDECIDED_RETENTION_MONTHS}: nothing deleted."
            )
        self.now = now or timezone.now()
        self.failed = []

    def retention(self, status, is_spam, submitted_at, decided_at, withdrawn_at, closes_at, retention_months):
        return application_retention(
            status=status,
            held=is_spam,
            submitted_at=submitted_at,
            decided_at=decided_at,
            withdrawn_at=withdrawn_at,
            closes_at=closes_at,
            retention_months=retention_months,
            held_days=self.held_days,
            undecided_months=self.undecided_months,
        )

    def expired(self):
        """(pk, reference, Retention) of each application past its retention, read in chunks by id, so a
        run's memory does not grow with the table (and deleting as it goes does not shift the chunks)."""
        last = 0
        while True:
            chunk = list(Application.objects.filter(pk__gt=last).order_by("pk").values_list(*SCAN_FIELDS)[:CHUNK_SIZE])
            if not chunk:
                return
            for pk, reference, *fields in chunk:
                kept = self.retention(*fields)
                if kept.expired(self.now):
                    yield pk, reference or f"#{pk}", kept
            last = chunk[-1][0]

    def delete(self, pk) -> str | None:
        """Delete one application in its own transaction, with what hangs from it (earlier versions,
        links, emails and any other row with a CASCADE to it), after checking its rule again on the
        locked row: a reviewer may have decided on it or cleared its hold since it was read. Its files
        go once the deletion is committed. The rule that deleted it, or None if it stays."""
        with transaction.atomic():
            application = (
                Application.objects.select_for_update(of=("self",)).select_related("challenge").filter(pk=pk).first()
            )
            if application is None:
                return None
            kept: Retention = self.retention(
                application.status,
                application.is_spam,
                application.submitted_at,
                application.decided_at,
                application.withdrawn_at,
                application.challenge.closes_at,
                application.challenge.retention_months,
            )
            if not kept.expired(self.now):
                return None
            reference = application.reference or f"#{pk}"
            log(
                instance=application,
                action=PURGE_ACTION,
                user=None,
                title=reference,  # the reference only: the entry outlives the application and its data
                data={
                    "reference": application.reference,
                    "challenge": application.challenge_id,
                    "rule": kept.rule,
                    "counted_from": kept.starts_at.isoformat(),
                    "kept_until": kept.kept_until.isoformat(),
                },
            )
            files = [version.attachment for version in application.versions.exclude(attachment="")]
            files.append(application.attachment)
            application.delete()
        for file in files:
            if not file:
                continue
            name = file.name
            try:
                file.delete(save=False)
            except Exception:
                logger.exception("Application %s was deleted but not its file %s: delete it by hand", reference, name)
                self.failed.append(f"{reference} (file {name})")
        logger.info("Deleted application %s at the end of its retention period (%s)", reference, kept.rule)
        return kept.rule
