import argparse
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Locale, Site
from wagtail.search.backends import get_search_backends

from challenges.models import ChallengeIndexPage
from devtools.bulk.challenges import ChallengeBuilder
from devtools.bulk.jobs import JobBuilder
from devtools.bulk.news import NewsroomBuilder
from devtools.bulk.pages import top_up
from home.models import HomePage
from jobs.models import JobIndexPage
from news.models import NewsIndexPage, PartnerCityIndexPage
from site_core.caching.generation import bump_generation
from site_core.models import Division, MediaContact, PartnerCity, Topic

# The volume the performance work is measured with (the figures).
DEFAULTS = {"news": 10_000, "challenges": 500, "jobs": 300, "stories": 600}


def _count(value: str) -> int:
    if not value.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number, 0 or more, got {value!r}")
    return int(value)


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number, 1 or more, got {value!r}")
    return int(value)


def _percent(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = -1
    if not 0 <= number <= 100:
        raise argparse.ArgumentTypeError(f"expected a percentage between 0 and 100, got {value!r}")
    return number


class Command(BaseCommand):
    help = (
        "Add realistic volume on top of the demo content for performance work: news releases, challenges, job "
        "postings and partner stories, live, in English with a share translated into French. Counts are totals: "
        "a second run tops up to them and never duplicates (see docs/performance.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--news", type=_count, default=DEFAULTS["news"], help="News releases (total).")
        parser.add_argument("--challenges", type=_count, default=DEFAULTS["challenges"], help="Challenges (total).")
        parser.add_argument("--jobs", type=_count, default=DEFAULTS["jobs"], help="Job postings (total).")
        parser.add_argument("--stories", type=_count, default=DEFAULTS["stories"], help="Partner stories (total).")
        parser.add_argument(
            "--french",
            type=_percent,
            default=10.0,
            metavar="PERCENT",
            help="Share of the generated pages that also get a French translation (default 10).",
        )
        parser.add_argument("--batch-size", type=_positive, default=500, help="Pages per transaction (default 500).")

    def handle(self, *args, news, challenges, jobs, stories, french, batch_size, **options):
        started = time.monotonic()
        indexes = self.site_indexes()
        english = indexes["home"].locale
        french_locale = Locale.objects.filter(language_code="fr").first()
        share = french / 100

        def translation_of(index):
            if not share or french_locale is None:
                return None
            translated = index.get_translation_or_none(french_locale)
            if translated is None:
                self.stdout.write(
                    self.style.WARNING(f"No French “{index.title}” page: its pages stay in English only.")
                )
            return translated

        # Challenges first: releases link to some of them. Each builder reads the snippets when it starts.
        steps = [
            ("challenge", "Challenges", challenges, "challenges", lambda: ChallengeBuilder(english).challenge),
            ("news-release", "News releases", news, "news", lambda: NewsroomBuilder(english).release),
            ("partner-story", "Partner stories", stories, "partners", lambda: NewsroomBuilder(english).story),
            ("job-posting", "Job postings", jobs, "jobs", lambda: JobBuilder(english).posting),
        ]
        for kind, label, count, section, builder in steps:
            if not count:
                continue
            index = indexes[section]
            report = top_up(
                kind,
                label,
                count,
                index,
                builder(),
                translation_parent=translation_of(index),
                share=share,
                batch_size=batch_size,
                progress=self.progress,
            )
            self.stdout.write(
                f"{label}: {count} wanted, {report.existing} already there, {report.created} created; "
                f"{report.translated} French translations created ({report.seconds:.1f} s)"
            )

        # The pages were inserted without Wagtail's signals: cached pages and the values derived from
        # content (period menus, counts) are made stale here, in the shared cache.
        bump_generation()
        if not any(get_search_backends(with_auto_update=True)):
            self.stdout.write(
                "Search indexing is off in these settings: run `manage.py update_index` if search matters."
            )
        self.stdout.write(self.style.SUCCESS(f"Bulk content ready in {time.monotonic() - started:.1f} s."))

    def progress(self, report):
        self.stdout.write(
            f"  {report.label}: {report.created} created, {report.translated} translated ({report.seconds:.1f} s)"
        )

    def site_indexes(self) -> dict:
        """The English home page of the default site and its four section pages, loading the demo content
        first when any of them (or the snippets) is missing: load_demo_content is idempotent and only
        completes the site."""
        indexes = self._find_indexes()
        if indexes is None:
            self.stdout.write("The site tree is incomplete: loading the demo content first (load_demo_content).")
            call_command("load_demo_content", stdout=self.stdout)
            indexes = self._find_indexes()
        if indexes is None:
            raise CommandError(
                "No home page with its challenges, news, partner cities and jobs sections (and the divisions, "
                "topics, partner cities and media contacts they use) was found, even after load_demo_content."
            )
        return indexes

    @staticmethod
    def _find_indexes() -> dict | None:
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if site is None or not isinstance(site.root_page.specific, HomePage):
            return None
        home = site.root_page.specific
        found = {
            "home": home,
            "challenges": ChallengeIndexPage.objects.child_of(home).first(),
            "news": NewsIndexPage.objects.child_of(home).first(),
            "partners": PartnerCityIndexPage.objects.child_of(home).first(),
            "jobs": JobIndexPage.objects.child_of(home).first(),
        }
        # Generated pages draw on the demo's shared snippets (divisions, topics, cities, contacts).
        snippets = [Division, Topic, PartnerCity, MediaContact]
        complete = all(found.values()) and all(model.objects.filter(locale=home.locale).exists() for model in snippets)
        return found if complete else None
