from django.core.management.base import BaseCommand

from devtools.demo.home import load_demo_content


class Command(BaseCommand):
    help = "Build the demo site from ../shared/seeds content (idempotent: run it as often as you like)."

    def handle(self, *args, **options):
        pages = load_demo_content()
        self.stdout.write(self.style.SUCCESS(f"Demo content ready: {pages['home'].full_url or '/en/'}"))
