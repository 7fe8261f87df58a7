"""Stop every email alert to addresses reported as bouncing or complaining (an operator's command: the
mail server's bounce report, one address per line, or addresses as arguments)."""

import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from home.alerts.models import Subscriber


class Command(BaseCommand):
    help = "Suppress email alert addresses (bounces, complaints): nothing more is sent to them."

    def add_arguments(self, parser):
        parser.add_argument("addresses", nargs="*", help="Addresses; with none, read them from standard input.")
        parser.add_argument("--reason", default="bounced", help="Why (kept with the address; default: bounced).")

    def handle(self, *args, addresses, reason, **options):
        given = addresses or [line.strip() for line in sys.stdin if line.strip()]
        if not given:
            raise CommandError("Give the addresses to suppress, as arguments or one per line on standard input.")
        suppressed = 0
        for raw in given:
            email = raw.strip().lower()
            try:
                validate_email(email)
            except ValidationError:
                self.stderr.write(f"Not an email address, skipped: {raw!r}")
                continue
            subscriber, _created = Subscriber.objects.get_or_create(email=email, defaults={"language": "en"})
            subscriber.suppress(reason)
            suppressed += 1
        self.stdout.write(f"Suppressed {suppressed} address(es).")
