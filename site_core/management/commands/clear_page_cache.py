"""Make every page in the full-page cache stale (after a bulk load or a direct database edit)."""

from django.core.management.base import BaseCommand

from site_core.caching.generation import bump_generation


class Command(BaseCommand):
    help = "Empty the full-page cache for anonymous visitors (every app server, through the shared cache)."

    def handle(self, *args, **options):
        bump_generation()
        self.stdout.write("Page cache cleared.")
