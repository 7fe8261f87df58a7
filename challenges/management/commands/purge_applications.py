import logging

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from challenges import uploads
from challenges.admin_views import PURGE_ACTION
from challenges.models import Application
from challenges.reminders import forget_closed_drafts
from challenges.rules import retention_expired

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Delete applications (and their files) whose retention period, set per challenge and counted from the "
        "decision, has passed, with their earlier versions; then unsent drafts of calls closed a week ago and "
        "expired kept files. Run daily. --dry-run lists the applications that would go."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, dry_run=False, **options):
        now = timezone.now()
        expired = [
            application
            for application in Application.objects.select_related("challenge").iterator(chunk_size=500)
            if retention_expired(application.retention_starts_at(), application.challenge.retention_months, now)
        ]
        for application in expired:
            if dry_run:
                self.stdout.write(f"would delete {application.reference}")
                continue
            with transaction.atomic():
                log(
                    instance=application,
                    action=PURGE_ACTION,
                    user=None,
                    data={"reference": application.reference, "challenge": application.challenge_id},
                )
                for version in application.versions.exclude(attachment=""):
                    version.attachment.delete(save=False)
                application.attachment.delete(save=False)
                application.delete()
            logger.info("Deleted application %s at the end of its retention period", application.reference)
        verb = "would delete" if dry_run else "deleted"
        self.stdout.write(f"{verb} {len(expired)} application(s)")
        if not dry_run:
            drafts = forget_closed_drafts(now)
            kept = uploads.purge_expired(now)
            self.stdout.write(f"deleted {drafts} unsent draft(s) of closed calls and {kept} expired kept file(s)")
