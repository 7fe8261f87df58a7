from django.core.management.base import BaseCommand

from challenges.outbox import send_due_emails


class Command(BaseCommand):
    help = "Send queued application emails whose time has come; failures are retried later (run every minute)."

    def handle(self, *args, **options):
        counts = send_due_emails()
        self.stdout.write(f"sent {counts['sent']}, will retry {counts['retrying']}, gave up {counts['failed']}")
