"""Production: refuses to start without a secret key and allowed hosts; HTTPS everywhere."""

import os

from .base import *
from .base import env_bool, require_env

require_env("SECRET_KEY", "ALLOWED_HOSTS")

DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
# Cookies travel over HTTPS only (docs/security.md, "Cookies"); HttpOnly and SameSite are in base.py.
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
# Mixed content (an http:// image address pasted into a page) is fetched over HTTPS instead.
CONTENT_SECURITY_POLICY = {"DIRECTIVES": {**CSP_PUBLIC_DIRECTIVES, "upgrade-insecure-requests": True}}
CONTENT_SECURITY_POLICY_ADMIN = {**CONTENT_SECURITY_POLICY_ADMIN, "upgrade-insecure-requests": True}
# Wagtail's live preview shows the page in a same-origin iframe, so frames stay allowed from our own
# origin (X_FRAME_OPTIONS = SAMEORIGIN, set in base.py) instead of the checklist's DENY.
SILENCED_SYSTEM_CHECKS = ["security.W019"]

# The caching proxy in front of the app (deploy/nginx/): when a page is published, unpublished,
# deleted, moved or restricted, site_core/caching/proxy_cache.py sends it `PURGE <page URL>` (and the URLs of
# the listings showing the page) at FRONTEND_CACHE_PURGE_URL, with the site's host in the Host header.
FRONTEND_CACHE_PURGE_URL = os.environ.get("FRONTEND_CACHE_PURGE_URL", "").strip()
if FRONTEND_CACHE_PURGE_URL:
    WAGTAILFRONTENDCACHE = {
        "proxy": {
            "BACKEND": "site_core.caching.proxy_cache.PurgeBackend",
            "LOCATION": FRONTEND_CACHE_PURGE_URL,
        }
    }
