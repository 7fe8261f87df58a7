from django.core.management.base import BaseCommand

from home.events.reminders import queue_event_reminders
from site_core.services import dependencies
from site_core.services.outbox import send_due_emails


class Command(BaseCommand):
    help = (
        "Queue the reminder of each confirmed registrant of an event starting within 24 hours, and send "
        "them (run every few minutes, at least hourly; each registrant is reminded once)."
    )

    def handle(self, *args, **options):
        with dependencies.budget(database=30.0):
            queued = queue_event_reminders()
            counts = send_due_emails(ids=queued) if queued else {"sent": 0}
        self.stdout.write(f"queued {len(queued)} event reminder(s), sent {counts['sent']}")
