from django.conf import settings
from django.core.management.base import BaseCommand

from site_core.services import dependencies
from site_core.services.outbox import forget_old_emails, send_due_emails


class Command(BaseCommand):
    help = (
        "Send queued emails whose time has come; failures are retried later (run every minute). "
        "Stops at the first SMTP server failure; every SMTP wait is bounded by EMAIL_TIMEOUT."
    )

    def handle(self, *args, **options):
        with dependencies.budget(database=30.0):  # a silent database cannot hold the scheduler for ever
            counts = send_due_emails(limit=settings.OUTBOX_SEND_PER_RUN)
            forgotten = forget_old_emails()
        self.stdout.write(
            f"sent {counts['sent']}, will retry {counts['retrying']}, gave up {counts['failed']}, "
            f"nothing to send {counts['dropped']}, left for the next run {counts['left']}; "
            f"{forgotten} old staff email(s) deleted"
        )
