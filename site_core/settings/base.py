"""Settings shared by every environment. Everything that differs between machines comes from
the environment; DEBUG is off unless a dev module turns it on."""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PROJECT_DIR = BASE_DIR / "site_core"


def env_list(name: str, default: str = "") -> list[str]:
    """A comma-separated environment variable as a list, blanks dropped."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "home",
    "news",
    "challenges",
    "jobs",
    "site_core",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.typed_table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_ratelimit",
    "axes",
]

# Staff sign-in (site_core/security/accounts.py): django-axes counts failures per account and per address and
# pauses signing in after AXES_FAILURE_LIMIT of them, for AXES_COOLOFF_TIME.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]  # each on its own: an account, and an address
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "site_core.security.accounts.lockout_response"
AXES_CLIENT_IP_CALLABLE = "site_core.security.accounts.axes_client_address"
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
# Wrong passwords of a restricted page or document, per address and restriction; password reset
# requests, per address and per email typed.
PAGE_PASSWORD_RATE_LIMIT = os.environ.get("PAGE_PASSWORD_RATE_LIMIT", "10/10m")
PASSWORD_RESET_RATE_LIMIT = os.environ.get("PASSWORD_RESET_RATE_LIMIT", "5/h")
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "site_core.security.accounts.OutboxPasswordResetForm"  # noqa: S105 - a class path

MIDDLEWARE = [
    # First: every request waits on PostgreSQL and Redis within its budget (site_core/services/dependencies/).
    "site_core.services.dependencies.RequestBudgetMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise and the page cache, which answer early: static files and cached pages get
    # the Content-Security-Policy and Permissions-Policy headers too (docs/security.md).
    "site_core.security.headers.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions and the database: a cached page for an anonymous visitor costs one cache read.
    "site_core.caching.page_cache.PageCacheMiddleware",
    "site_core.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last: turns a paused sign-in into site_core.security.accounts.lockout_response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "site_core.urls"
CSRF_FAILURE_VIEW = "site_core.views.csrf_failure"
WSGI_APPLICATION = "site_core.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: SQLite by default (zero setup); DATABASE_URL switches to PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "").strip() or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database server that stops answering over a dead network path: the connection is given up
    # once sent data goes unacknowledged for 10 s (TCP keepalives and tcp_user_timeout), so nothing,
    # not even a command outside a request's budget (site_core/services/dependencies/), waits for ever.
    DATABASES["default"]["OPTIONS"] = {
        "keepalives": 1,
        "keepalives_idle": 30,
        "keepalives_interval": 5,
        "keepalives_count": 3,
        "tcp_user_timeout": 10_000,
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


# Cache: Redis when REDIS_URL is set (shared by every app server), local memory otherwise.
# django-redis rather than Django's own backend: it keeps one Redis client per server (Django's makes
# one per operation: docs/performance.md) and, with IGNORE_EXCEPTIONS, a Redis outage turns reads into misses
# and writes into no-ops instead of errors: Wagtail reads the cache without guarding it (site root
# paths for every page URL), so an outage would otherwise be a 500 on every page. Its connections are
# site_core.services.dependencies.GuardedConnection: no wait longer than the request's cache budget, and a
# circuit breaker that skips Redis for a while after a timeout (a Redis that accepts connections and
# never answers would otherwise cost every cache call its full timeout).
def redis_caches(url: str) -> dict:
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "cio",
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,  # seconds, per call; the request's budget is smaller still
                "SOCKET_TIMEOUT": 0.5,
                "CONNECTION_POOL_CLASS": "site_core.services.dependencies.GuardedConnectionPool",
            },
        }
    }


# Each failure is logged once by the circuit breaker (logger site_core.services.dependencies) rather than once
# per skipped cache call.
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = False
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = redis_caches(REDIS_URL)
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# How long one request may wait on each service, in seconds and in total (site_core/services/dependencies/,
# docs/security.md "Faults"): (PostgreSQL, Redis). A visitor's page answers within a few seconds
# whatever the services do (rendered, from the cache, or the 503 page); a form sent (an application)
# and the admin may wait longer.
DEPENDENCY_BUDGETS = {
    "public": (float(os.environ.get("DB_BUDGET_SECONDS", "2")), float(os.environ.get("CACHE_BUDGET_SECONDS", "0.5"))),
    "public-form": (float(os.environ.get("FORM_DB_BUDGET_SECONDS", "10")), 0.5),
    "admin": (float(os.environ.get("ADMIN_DB_BUDGET_SECONDS", "20")), 1.0),
}
# After a timeout a service is skipped (calls fail at once) this long, then tried again.
DEPENDENCY_BREAKER_COOLDOWN_SECONDS = float(os.environ.get("DEPENDENCY_BREAKER_COOLDOWN_SECONDS", "5"))
# A Redis answer slower than this (normal: well under a millisecond) counts as a failure.
CACHE_SLOW_SECONDS = 0.25

# Full-page cache for anonymous visitors (site_core/caching/page_cache.py, docs/performance.md "Page cache"):
# entries live PAGE_CACHE_TIMEOUT seconds at most (time-dependent content such as a challenge's status
# lags the clock by no more, plus the minute a page part may be kept: site_core/templatetags/fragments.py);
# a caching proxy may keep a page PAGE_CACHE_PROXY_MAX_AGE seconds.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", True)
PAGE_CACHE_TIMEOUT = int(os.environ.get("PAGE_CACHE_TIMEOUT", "300"))
PAGE_CACHE_PROXY_MAX_AGE = int(os.environ.get("PAGE_CACHE_PROXY_MAX_AGE", "60"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: English is the source locale, French the first translation. A third
# locale is one more entry in LANGUAGES (see docs/architecture.md).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Toronto"
# The admin shows every time in Toronto time, as the public site and the emails do: no account can
# choose another zone (a reviewer filtering "received" by UTC days while the list shows Toronto's).
WAGTAIL_USER_TIME_ZONES = ["America/Toronto"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Applicants' files live outside MEDIA_ROOT and have no public URL: staff download them through a
# view that checks permissions.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "site_core.services.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT)},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


# Object storage (S3 or an S3-compatible service, through django-storages) instead of local folders,
# so that several app servers share the files: public media (images, documents, renditions) in
# MEDIA_BUCKET, applicants' files in PRIVATE_MEDIA_BUCKET, which must be another, private bucket.
# Credentials come from boto3's usual sources (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or the
# machine's role); S3_ENDPOINT_URL points at a non-AWS service, S3_REGION names the region, and
# MEDIA_DOMAIN serves public media from a CDN or custom domain.
def object_storages(environ) -> dict:
    """The STORAGES entries the environment asks for: none without buckets, both buckets or none."""
    media = environ.get("MEDIA_BUCKET", "").strip()
    private = environ.get("PRIVATE_MEDIA_BUCKET", "").strip()
    if not media and not private:
        return {}
    if not (media and private) or media == private:
        raise ImproperlyConfigured(
            "Object storage needs both MEDIA_BUCKET and PRIVATE_MEDIA_BUCKET, and they must differ: "
            "applicants' files never go in the public media bucket."
        )
    common = {
        "endpoint_url": environ.get("S3_ENDPOINT_URL", "").strip() or None,
        "region_name": environ.get("S3_REGION", "").strip() or None,
        "file_overwrite": False,  # an upload never replaces another file of the same name
    }
    return {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **common,
                "bucket_name": media,
                "querystring_auth": False,  # public media: plain, cacheable URLs
                "custom_domain": environ.get("MEDIA_DOMAIN", "").strip() or None,
            },
        },
        "private": {
            "BACKEND": "site_core.services.storage.PrivateS3Storage",
            "OPTIONS": {**common, "bucket_name": private},
        },
    }


STORAGES.update(object_storages(os.environ))

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Civic Innovation Office <innovation@example.ca>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Every SMTP call (connect, each command) waits at most this many seconds; no request ever waits on
# SMTP (site_core/services/outbox.py sends from the background and from `send_queued_emails`).
EMAIL_TIMEOUT = float(os.environ.get("EMAIL_TIMEOUT", "10"))
# After the SMTP server refused or did not answer, immediate sends leave emails queued this long.
SMTP_BREAKER_COOLDOWN_SECONDS = float(os.environ.get("SMTP_BREAKER_COOLDOWN_SECONDS", "30"))
# Work that follows a request (emails, proxy purges; site_core/services/background.py): "thread" runs it on
# a background thread of the process, after the response; "inline" in the committing thread (tests).
BACKGROUND_TASKS = os.environ.get("BACKGROUND_TASKS", "thread")

# Background work: Wagtail 8 ships django-tasks; immediate until a worker is deployed.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Applications: anti-abuse and limits (challenges/abuse.py, docs/security.md "Applications"). None
# refuses a person: past a limit, an application is stored and held for a check, except past the
# flood guard on all posts.
# A form sent sooner than this after it was served is held for a check (a person rarely is that quick;
# autofill can be: holding costs them nothing but a later confirmation).
APPLICATION_MIN_FILL_SECONDS = int(os.environ.get("APPLICATION_MIN_FILL_SECONDS", "8"))
APPLICATION_FORM_MAX_AGE_HOURS = int(os.environ.get("APPLICATION_FORM_MAX_AGE_HOURS", "48"))
# Stored applications per client address (only stored ones count): past it, held. 60 per 10 minutes
# lets an incubator's thirty founders apply on deadline day from one shared address.
APPLICATION_RATE_LIMIT = os.environ.get("APPLICATION_RATE_LIMIT", "60/10m")
# Stored applications per applicant email and challenge in a day: past it, held.
APPLICATION_EMAIL_LIMIT = int(os.environ.get("APPLICATION_EMAIL_LIMIT", "3"))
# Every post to the application pages per client address, valid or not: the flood guard (429).
APPLICATION_POST_RATE_LIMIT = os.environ.get("APPLICATION_POST_RATE_LIMIT", "300/10m")
# The SMTP rate: emails `send_queued_emails` (run every minute) sends at most per run, so per minute.
# Set it to what the SMTP relay accepts (docs/operations.md, "Email alerts").
OUTBOX_SEND_PER_RUN = int(os.environ.get("OUTBOX_SEND_PER_RUN", "200"))
# Every post of the email alerts form per client address: the flood guard (429; home/alerts/views.py).
# The double opt-in already stops one person subscribing another; this stops scripted floods.
ALERTS_POST_RATE_LIMIT = os.environ.get("ALERTS_POST_RATE_LIMIT", "60/10m")
# Where each topic of the contact form goes, and accessibility feedback (home/messages/routing.py):
# CONTACT_EMAIL_GENERAL, _CHALLENGE, _MEDIA, _PARTNERSHIPS, _ACCESSIBILITY; an empty one goes to the
# site settings' contact email (docs/operations.md, "Messages from visitors").
CONTACT_TOPIC_ADDRESSES = {
    topic: os.environ.get(f"CONTACT_EMAIL_{topic.upper()}", "")
    for topic in ("general", "challenge", "media", "partnerships", "accessibility")
}
# Emails the public form can cause to one address in 24 hours (challenges/outbox.py).
APPLICANT_EMAILS_PER_ADDRESS = int(os.environ.get("APPLICANT_EMAILS_PER_ADDRESS", "10"))
# Drafts: the reminder goes this many hours before the deadline (manage.py send_draft_reminders).
DRAFT_REMINDER_HOURS = int(os.environ.get("DRAFT_REMINDER_HOURS", "48"))
# Retention of applications no one decided on (manage.py purge_applications, challenges/rules.py
# application_retention; docs/operations.md, "Retention"). Decided and withdrawn ones are kept for their
# challenge's own period. Held for a check and never cleared: deleted this many days after the call's
# deadline (the review has long ended; no decision was made on it). Never decided: this many months after
# the deadline (the challenges' default period; at least 12, MFIPPA's year after use). The purge refuses
# to run below 30 days or 12 months.
APPLICATION_HELD_RETENTION_DAYS = int(os.environ.get("APPLICATION_HELD_RETENTION_DAYS", "90"))
APPLICATION_UNDECIDED_RETENTION_MONTHS = int(os.environ.get("APPLICATION_UNDECIDED_RETENTION_MONTHS", "24"))
APPLICATION_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# The panel's table flags a disagreement when the reviewers' totals (out of 100) of one application are
# further apart than this many points (challenges/scoring.py; docs/editors.md, "Score applications").
SCORE_SPREAD_THRESHOLD = int(os.environ.get("SCORE_SPREAD_THRESHOLD", "20"))
RATELIMIT_USE_CACHE = "default"
# With the cache unreachable the limit cannot count: posts go through (fail open) rather than every
# applicant being refused during the outage. The form's single-use token and honeypot still apply
# (docs/security.md, "Faults").
RATELIMIT_FAIL_OPEN = True
# The visitor's address behind the proxy (site_core/security/client_address.py): the header the shipped nginx
# sets (X-Real-IP, overwriting any client-sent value), believed only from these proxy addresses.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "127.0.0.1,::1")
CLIENT_ADDRESS_HEADER = "HTTP_X_REAL_IP"

# Wagtail
WAGTAIL_SITE_NAME = "Civic Innovation Office"
BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = BASE_URL
# Site search (/<lang>/search/). On PostgreSQL each language has its text-search configuration
# (French pages are indexed and searched with "french", the rest with SEARCH_CONFIG), named here
# rather than left to the server's default_text_search_config; changing one needs an update_index
# (docs/operations.md). SQLite has no stemming: see site_core/search_backend.py.
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "site_core.search_backend",  # Wagtail's database backend, per language
        "SEARCH_CONFIG": "english",
        "LANGUAGE_CONFIGS": {"fr": "french"},
    }
}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_ALLOW_UNICODE_SLUGS = False
# Draftail, refusing with a 400 a post whose rich text is not the editor's JSON (site_core/text/editor.py).
WAGTAILADMIN_RICH_TEXT_EDITORS = {"default": {"WIDGET": "site_core.text.editor.ContentstateRichTextArea"}}
# Wagtail's responsive wrapper sizes an embed with an inline style attribute, which the public
# Content-Security-Policy refuses; static/css/main.css gives embedded players their 16:9 shape instead.
WAGTAILEMBEDS_RESPONSIVE_HTML = False
WAGTAILADMIN_COMMENTS_ENABLED = True
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILLOCALIZE_MACHINE_TRANSLATOR = None
# Submitting a page for translation makes a French draft, never a live page: wagtail-localize would
# otherwise publish the new translation at once (in English, as nothing is translated yet) when its
# source is live. A French page goes live when a Publisher publishes it (docs/editors.md).
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False

# --- Security headers (docs/security.md, "Headers and CSP") -------------------------------------
# In every environment, so that development and the tests see what production sends; HTTPS-only
# settings (HSTS, secure cookies) are in production.py.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Wagtail's live preview shows the page in a same-origin iframe, hence SAMEORIGIN rather than DENY.
X_FRAME_OPTIONS = "SAMEORIGIN"

# Players that editors' embed blocks may frame (Wagtail's oEmbed finders): YouTube and Vimeo, as the
# block's help text says. Another provider is one more origin here.
CSP_EMBED_FRAME_SOURCES = env_list(
    "CSP_EMBED_FRAME_SOURCES", "https://www.youtube.com,https://www.youtube-nocookie.com,https://player.vimeo.com"
)
# Public pages (shared through the page cache and the proxy): no nonce, no inline script or style,
# so a cached page is valid for every visitor. site_core/security/headers.py adds the media origin to
# img-src when media is served from elsewhere (object storage, MEDIA_DOMAIN).
CSP_PUBLIC_DIRECTIVES = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "frame-src": ["'self'", *CSP_EMBED_FRAME_SOURCES],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "frame-ancestors": ["'self'"],
    "form-action": ["'self'"],
}
CONTENT_SECURITY_POLICY = {"DIRECTIVES": CSP_PUBLIC_DIRECTIVES}
# The Wagtail admin (and wagtail-localize's editor) under its own policy, laxer only where Wagtail 8
# needs it (docs/security.md): its widgets and panels start with inline <script> elements, some
# written by Python code without the request (so a nonce cannot reach them all), Draftail and
# wagtail-localize insert <style> elements, and image uploads preview as blob: images. Inline event
# handlers (onclick=...), the usual injected payload, stay refused: Wagtail uses none.
CSP_ADMIN_PATH_PREFIXES = ["/admin/"]
CONTENT_SECURITY_POLICY_ADMIN = {
    **CSP_PUBLIC_DIRECTIVES,
    "script-src": ["'self'", "'unsafe-inline'"],
    "script-src-attr": ["'none'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
}
# Powerful browser features no page of this site uses, refused to the site and to anything it frames.
# (Fullscreen and autoplay stay available to embedded video players.)
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "ambient-light-sensor",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "interest-cohort",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
    )
}
# Cookies: no script of the site or of the admin reads any of them (Wagtail and wagtail-localize take
# the CSRF token from the page), so all are HttpOnly; SameSite=Lax keeps them off cross-site POSTs
# while a link from an e-mail to the admin still arrives logged in. Secure is set in production.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Editors' avatars are not fetched from Gravatar: the admin would leak staff e-mail hashes to a third
# party, and its policy would have to allow that image host.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "wagtail": {"level": os.environ.get("WAGTAIL_LOG_LEVEL", "WARNING")},
    },
}


def require_env(*names: str) -> None:
    """Refuse to start when a setting production cannot guess is missing."""
    missing = [name for name in names if not os.environ.get(name, "").strip()]
    if missing:
        raise ImproperlyConfigured(
            "Set these environment variables before starting in production: " + ", ".join(missing)
        )
