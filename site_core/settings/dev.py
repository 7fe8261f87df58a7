"""Local development: DEBUG on, a throwaway key, emails printed to the console."""

import os

from .base import *
from .base import env_bool, env_list

# Development tooling (bulk content for performance work): never in production.
INSTALLED_APPS = [*INSTALLED_APPS, "devtools"]
DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Template and code changes send no signal, so the page cache would show stale pages while developing;
# PAGE_CACHE_ENABLED=1 turns it on to try it.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", False)
# One process serves development, so the per-process cache is enough for rate limits here.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
