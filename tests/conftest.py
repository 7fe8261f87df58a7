"""Shared fixtures: a minimal bilingual site tree, the demo site, an admin user, and query counting."""

import logging
import os
from dataclasses import dataclass, field

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Collection, Locale, Page, Site

from devtools.demo.site import tree_root
from site_core.models import SiteSettings
from site_core.services import dependencies
from tests import demo_snapshot
from tests.factories import HomePageFactory, NewsIndexPageFactory


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_keepdb,
    django_db_createdb,
    django_db_modify_db_settings,
):
    """The test database, always. pytest-django's own fixture only creates it when a collected test
    carries the `django_db` mark; the browser modules reach the database through their `demo_server`
    fixture instead, so `pytest tests/browser` alone would have loaded (and, at teardown, flushed)
    the developer's own database."""
    from django.test.utils import setup_databases, teardown_databases

    keepdb = django_db_keepdb and not django_db_createdb
    with django_db_blocker.unblock():
        config = setup_databases(
            verbosity=request.config.option.verbose, interactive=False, aliases={"default"}, keepdb=keepdb
        )
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            end_leftover_sessions()
            teardown_databases(config, verbosity=request.config.option.verbose)


def end_leftover_sessions() -> None:
    """On PostgreSQL, end this run's other sessions on the test database before it is dropped: a
    live server's request thread still finishing (a browser download, say) when its module ends
    keeps a connection open, and DROP DATABASE refuses while any session is connected."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(scope="module", autouse=True)
def fresh_content_type_ids():
    """Each module starts and ends with an empty content type cache: a flush (browser modules,
    transactional tests) recreates content types, and the demo's copy (tests/demo_snapshot.py) puts
    back and rolls back its own, so the same model may have another id from one module to the next.
    A cache kept across would give a new page the id of another model."""
    demo_snapshot.forget_ids()
    yield
    demo_snapshot.forget_ids()


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the site's default language. A request to /fr/ leaves French active on the
    worker's thread (LocaleMiddleware activates a language and nothing deactivates it), so a later test
    that renders without a request (an error page, an email) would otherwise depend on which tests
    ran before it on the same worker."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty shared cache, as a rolled-back database sends no signals, and
    with every service's circuit breaker closed (site_core/services/dependencies/: per process)."""
    dependencies.reset()
    cache.clear()


@pytest.fixture
def clock_stands_still(time_machine):
    """The clock stops at the test's start (time-machine's fixture, returned, moves it on). The per-client
    limits count in django-ratelimit's windows, which follow the clock (the cache key names the
    window): requests straddling a window's end would be counted apart."""
    time_machine.move_to(timezone.now(), tick=False)
    return time_machine


@dataclass
class SiteTree:
    site: Site
    english: Locale
    french: Locale
    home: Page
    home_fr: Page
    news_index: Page


def build_site_tree() -> SiteTree:
    """English home as the default site's root, its French translation, and an English newsroom."""
    english, _ = Locale.objects.get_or_create(language_code="en")
    french, _ = Locale.objects.get_or_create(language_code="fr")
    root = tree_root()  # recreated if a transactional test flushed the tables migrations fill
    Collection.get_first_root_node() or Collection.add_root(name="Root")  # images and documents need it
    for placeholder in root.get_children():
        Site.objects.filter(root_page=placeholder).delete()
        placeholder.delete()
    home = HomePageFactory(parent=root, locale=english)
    Site.objects.all().delete()
    site = Site.objects.create(
        hostname="testserver", port=80, root_page=home, is_default_site=True, site_name="Civic Innovation Office"
    )
    home_fr = home.copy_for_translation(french)
    home_fr.title = "Accueil"
    home_fr.hero_heading = "Résoudre les problèmes de services municipaux"
    home_fr.save_revision().publish()
    news_index = NewsIndexPageFactory(parent=home, locale=english)
    # A running site has its settings row (the first visit creates it, and that save invalidates the
    # shared caches): created here, a test's first request is not a special one.
    SiteSettings.for_site(site)
    return SiteTree(
        site=site, english=english, french=french, home=home, home_fr=home_fr.specific, news_index=news_index
    )


@pytest.fixture
def site_tree(db) -> SiteTree:
    return build_site_tree()


def load_demo() -> None:
    """`manage.py load_demo_content`, its report discarded."""
    with open(os.devnull, "w") as devnull:
        call_command("load_demo_content", stdout=devnull)


@dataclass
class LoadedDemo:
    """What loading the demo content sent and logged."""

    emails: list = field(default_factory=list)  # the messages the locmem email backend received
    warnings: list[str] = field(default_factory=list)  # the site's warnings ("site_core" loggers)


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(f"{record.name}: {record.getMessage()}")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> LoadedDemo:
    """The demo content, loaded once for the module inside a transaction rolled back at its end (each
    test runs in a savepoint within it), with what loading it emailed and logged."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            yield load_demo_or_its_copy("rolled back")
            transaction.set_rollback(True)
        # The rollback takes back the copy's rows, content types included (their ids may differ from
        # the database's own since a flush): the process must not keep the copy's ids.
        demo_snapshot.forget_ids()


def load_demo_or_its_copy(kind: str) -> LoadedDemo:
    """The demo content: loaded for real the first time in this process, then put back from the
    copy taken then (tests/demo_snapshot.py), with what the real load emailed and logged."""
    copy = demo_snapshot.restore(kind)
    if copy is not None:
        mail.outbox = list(copy.emails)
        return LoadedDemo(emails=list(copy.emails), warnings=list(copy.warnings))
    collect = _Collect()
    logger = logging.getLogger("site_core")
    mail.outbox = []
    logger.addHandler(collect)
    try:
        load_demo()
    finally:
        logger.removeHandler(collect)
    loaded = LoadedDemo(emails=list(mail.outbox), warnings=collect.messages)
    demo_snapshot.take(loaded.emails, loaded.warnings, kind)
    return loaded


@pytest.fixture
def root_collection(db):
    """The root collection images and documents need. A migration makes it, but a transactional test
    run earlier on the same worker flushes it, so a test that makes an image without the site tree
    asks for it here rather than depending on the order the tests run in."""
    return Collection.get_first_root_node() or Collection.add_root(name="Root")


@pytest.fixture
def superuser_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.ca", "correct horse battery staple")
    client.force_login(user)
    return client


def worker_redis_url() -> str:
    """A Redis database of this test process's own for the tests that use the machine's Redis: two
    processes on one database flush and renew each other's keys (the page cache's generation token
    among them). tests/stack/conftest.py's stacks take 10 + n; these take 13 + n (n: the xdist worker's
    number; one module at a time per process, so the modules of one process share theirs)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    number = int("".join(ch for ch in worker if ch.isdigit()) or 0)
    return f"redis://127.0.0.1:6379/{13 + number % 3}"


def count_queries(client, url: str, **extra) -> tuple[int, object]:
    """Number of SQL queries a GET of `url` makes, and the response."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **extra)
    return len(captured.captured_queries), response


def assert_constant_queries(client, url: str | list[str], add_items, small: int = 10, large: int = 500):
    """Add `small` items, count the queries of a GET of `url` (or of each of a list of URLs, which
    share the items: creating 500 pages is the slow part); grow to `large` items and count again.
    Each count is of a second request, as on a running server: the first after a change refills the
    per-process and shared caches. Fails unless the counts are equal (no query per item); returns the
    count (a dict for a list)."""
    urls = [url] if isinstance(url, str) else url
    add_items(small)
    small_counts = {}
    for each in urls:
        # Warm the per-process caches (content types, locales) and the shared one as a running server
        # has them; twice, as the first visit creates the site's settings row, which invalidates.
        client.get(each)
        client.get(each)
        small_counts[each], response = count_queries(client, each)
        assert response.status_code == 200, (each, response.status_code)
    add_items(large - small)
    large_counts = {}
    for each in urls:
        client.get(each)  # refill what the new items' publishing made stale (site_core/caching/content_cache.py)
        large_counts[each], response = count_queries(client, each)
        assert response.status_code == 200, (each, response.status_code)
    assert small_counts == large_counts, f"queries with {small} items: {small_counts}; with {large}: {large_counts}"
    return large_counts[url] if isinstance(url, str) else large_counts
