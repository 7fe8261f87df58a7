from django.core.management.base import BaseCommand

from home.messages.models import RETENTION_MONTHS
from home.messages.retention import purge_messages
from site_core.services import dependencies


class Command(BaseCommand):
    help = (
        f"Delete the messages from visitors (contact and accessibility feedback forms) received more than "
        f"{RETENTION_MONTHS} months ago, with their emails (run daily)."
    )

    def handle(self, *args, **options):
        with dependencies.budget(database=60.0):
            deleted = purge_messages()
        self.stdout.write(f"deleted {deleted} message(s) from visitors past their retention")
