from django.core.management.base import BaseCommand

from challenges.reminders import queue_draft_reminders
from site_core.services import dependencies
from site_core.services.outbox import send_due_emails


class Command(BaseCommand):
    help = (
        "Queue the one reminder of each unsent draft whose challenge closes within DRAFT_REMINDER_HOURS, "
        "and send them (run every hour; each draft is reminded once)."
    )

    def handle(self, *args, **options):
        with dependencies.budget(database=30.0):
            queued = queue_draft_reminders()
            counts = send_due_emails(ids=queued) if queued else {"sent": 0}
        self.stdout.write(f"queued {len(queued)} draft reminder(s), sent {counts['sent']}")
