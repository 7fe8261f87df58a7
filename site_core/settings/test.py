"""Tests: fast hashing, emails kept in memory, a private media folder per run."""

import os
import tempfile

from .base import *
from .base import env_list

# Development tooling (bulk content for performance work): never in production.
INSTALLED_APPS = [*INSTALLED_APPS, "devtools"]
DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105 - never used outside the test run
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Emails and purges run as their transaction commits, so a test sees them when its request returns;
# the production-shaped stack (tests/stack/) runs them on the background thread, as production does.
BACKGROUND_TASKS = "inline"
PROXY_PURGE_REPEAT_SECONDS = 0  # no second purge from a timer thread after the test has ended
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", tempfile.mkdtemp(prefix="cio-test-media-")))
PRIVATE_MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="cio-test-private-"))
STORAGES = {
    **STORAGES,
    "private": {
        "BACKEND": "site_core.services.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT)},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The page cache would answer the second GET of a query-counting test from memory; tests measure
# rendering, and tests/site_core/test_page_cache.py turns the cache on with the settings fixture.
PAGE_CACHE_ENABLED = False
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

# Tests create thousands of pages to prove query counts do not grow; indexing each one for search
# is the slow part and no test searches yet. Search tests switch it back on with the settings fixture.
WAGTAILSEARCH_BACKENDS = {"default": {**WAGTAILSEARCH_BACKENDS["default"], "AUTO_UPDATE": False}}

# In-process tests check what a request does, not how fast: on a loaded CI machine (two workers and a
# browser on two cores) a request can be descheduled past production's 2 s and turn into a 503 now
# and then. The budgets' own tests set theirs (tests/site_core/test_dependencies.py), and the
# production-shaped stack (tests/stack/) runs with production's budgets.
DEPENDENCY_BUDGETS = {"public": (60.0, 5.0), "public-form": (60.0, 5.0), "admin": (120.0, 5.0)}
