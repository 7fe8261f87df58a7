from django.core.management.base import BaseCommand

from home.alerts.digest import queue_summaries
from home.alerts.models import forget_unconfirmed
from home.alerts.sending import fan_out_pending, queue_reminders
from site_core.services import dependencies


class Command(BaseCommand):
    help = (
        "Queue the emails of every alert not fanned out yet (a page that went live while the app "
        "server's background work stopped), the deadline reminders due to a challenge's followers and, "
        "from Monday 9 a.m., the weekly summaries; send_queued_emails sends them (run every minute). Also "
        "forgets subscribe requests nobody confirmed within 30 days, and expired link keys."
    )

    def handle(self, *args, **options):
        with dependencies.budget(database=60.0):  # a silent database cannot hold the scheduler for ever
            reminders = queue_reminders()
            broadcasts, queued = fan_out_pending()
            summaries = queue_summaries()
            deleted, cleared = forget_unconfirmed()
        self.stdout.write(
            f"{reminders} deadline reminder(s) due; {broadcasts} alert(s) waiting, {queued} email(s) queued; "
            f"{summaries} weekly summary(ies) queued; "
            f"{deleted} unconfirmed address(es) and {cleared} unused request(s) forgotten"
        )
