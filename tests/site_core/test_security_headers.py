"""Security headers on every response: the public Content-Security-Policy (no inline script or style,
no nonce, so cached pages are the same for everyone), the admin's own policy, Permissions-Policy,
nosniff and the referrer policy; HSTS and secure cookies with the production settings."""

import json
import os
import subprocess
import sys

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from site_core.security import headers as security
from tests.site_core.test_healthz import UNREACHABLE
from tests.site_core.test_settings import PRODUCTION_ENV, ROOT

pytestmark = pytest.mark.django_db

# Every public page type of the demo site, and the machine-readable and error answers around them.
PUBLIC_PATHS = {
    "home": "/en/",
    "home-fr": "/fr/",
    "language-redirect": "/",
    "challenge-list": "/en/challenges/",
    "challenge-list-filtered": "/en/challenges/?status=open",
    "challenge": "/en/challenges/track-your-311-service-request/",
    "challenge-apply": "/en/challenges/track-your-311-service-request/apply/",
    "challenge-calendar": "/en/challenges/track-your-311-service-request/calendar.ics",
    "challenge-feed": "/en/challenges/feed/",
    "newsroom": "/en/news/",
    "news-recent": "/en/news/recent/",
    "news-year": "/en/news/2017/",
    "news-month": "/en/news/2017/03/",
    "news-feed": "/en/news/feed/",
    "release": "/en/news/launch-of-the-civic-innovation-office/",
    "release-fr": "/fr/nouvelles/lancement-du-bureau-de-linnovation-civique/",
    "jobs": "/en/jobs/",
    "jobs-feed": "/en/jobs/feed/",
    "job": "/en/jobs/director-civic-innovation-office/",
    "partner-cities": "/en/partner-cities/",
    "partner-city": "/en/partner-cities/austin/",
    "partner-feed": "/en/partner-cities/feed/",
    "partner-city-feed": "/en/partner-cities/austin/feed/",
    "partner-story": "/en/partner-cities/austin-co-designs-with-service-users/",
    "search": "/en/search/?q=innovation",
    "sitemap": "/sitemap.xml",
    "sitemap-en": "/sitemap-en.xml",
    "robots": "/robots.txt",
    "api": "/api/v2/pages/",
    "healthz": "/healthz",
    "not-found": "/en/no-such-page/",
}
EXPECTED_STATUS = {"language-redirect": 302, "not-found": 404}
REFUSED_FEATURES = ["camera", "microphone", "geolocation", "payment", "usb", "interest-cohort", "browsing-topics"]


def directives(header: str) -> dict[str, list[str]]:
    """A Content-Security-Policy header as {directive: [sources]}."""
    parsed = {}
    for part in header.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


def assert_public_policy(header: str) -> None:
    policy = directives(header)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"], "no inline script, no nonce, no other origin"
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert "nonce-" not in header


def assert_common_headers(response) -> None:
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    if not 300 <= response.status_code < 400:  # LocaleMiddleware's redirect of "/" is made after it
        assert response["X-Frame-Options"] == "SAMEORIGIN"  # frame-ancestors' elder, for old browsers
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    permissions = {item.split("=")[0]: item.split("=")[1] for item in response["Permissions-Policy"].split(", ")}
    for feature in REFUSED_FEATURES:
        assert permissions[feature] == "()", feature


@pytest.mark.parametrize("path", PUBLIC_PATHS.values(), ids=PUBLIC_PATHS.keys())
def test_every_public_answer_carries_the_public_policy_and_the_security_headers(demo, client, path):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    name = next(key for key, value in PUBLIC_PATHS.items() if value == path)
    assert response.status_code == EXPECTED_STATUS.get(name, 200)
    assert_public_policy(response["Content-Security-Policy"])
    assert_common_headers(response)
    assert "Strict-Transport-Security" not in response  # HTTPS only: production


def test_pages_served_from_the_page_cache_carry_the_same_headers(demo, client, settings):
    settings.PAGE_CACHE_ENABLED = True
    first = client.get("/en/news/")
    second = client.get("/en/news/")
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    for header in ("Content-Security-Policy", "Permissions-Policy", "X-Content-Type-Options", "Referrer-Policy"):
        assert second[header] == first[header], header
    assert_public_policy(second["Content-Security-Policy"])


def test_public_html_carries_no_nonce_and_no_inline_script_or_style(demo, client):
    """What the page cache and the proxy share between visitors holds nothing per request; the only
    inline <script> elements are JSON-LD data blocks, which browsers never execute."""
    for path in ("/en/", "/en/news/launch-of-the-civic-innovation-office/", "/en/challenges/"):
        html = client.get(path).content.decode()
        assert "nonce" not in html
        assert "style=" not in html and "<style" not in html
        assert html.count("<script") == html.count('<script type="application/ld+json">'), path


def test_a_public_view_asking_for_a_nonce_gets_none_in_its_policy():
    """Fail closed: public policies name no nonce source, so a template that reached for one would
    have its script refused (and the browser tests would see it) rather than bake a nonce into
    cached HTML."""

    def view(request):
        return HttpResponse(f'<script nonce="{request.csp_nonce}">alert(1)</script>')

    middleware = security.ContentSecurityPolicyMiddleware(view)
    response = middleware(RequestFactory().get("/en/"))
    assert "nonce-" not in response["Content-Security-Policy"]
    assert directives(response["Content-Security-Policy"])["script-src"] == ["'self'"]


def test_the_admin_has_its_own_policy_that_keeps_the_other_protections(demo, superuser_client):
    response = superuser_client.get("/admin/")
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]  # Wagtail's inline scripts: docs/security.md
    assert policy["script-src-attr"] == ["'none'"]  # but no inline event handlers
    assert policy["img-src"] == ["'self'", "data:", "blob:"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert_common_headers(response)


def test_the_admin_login_page_is_under_the_admin_policy(client, db):
    response = client.get("/admin/login/")
    assert directives(response["Content-Security-Policy"])["script-src"] == ["'self'", "'unsafe-inline'"]


def test_the_admin_shows_no_gravatar(demo, superuser_client):
    """Staff e-mail hashes are not sent to a third party, and the admin policy needs no image host."""
    html = superuser_client.get("/admin/").content.decode()
    assert "gravatar" not in html


def test_media_on_a_cdn_domain_is_allowed_as_an_image_source(client, db, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": "cio-media", "custom_domain": "media.innovation.example.ca"},
        },
    }
    policy = directives(client.get("/robots.txt")["Content-Security-Policy"])
    assert policy["img-src"] == ["'self'", "data:", "https://media.innovation.example.ca"]
    assert policy["script-src"] == ["'self'"]  # media hosts images, never scripts


def test_media_served_by_the_site_adds_no_image_source(client, db, settings):
    settings.MEDIA_URL = "/media/"
    assert directives(client.get("/robots.txt")["Content-Security-Policy"])["img-src"] == ["'self'", "data:"]


def test_the_static_503_page_carries_the_headers_when_the_database_is_down():
    script = (
        "import django, json; django.setup()\n"
        "from django.test import Client\n"
        "r = Client().get('/en/', HTTP_ACCEPT_LANGUAGE='en')\n"
        "print(json.dumps({'status': r.status_code, **dict(r.items())}))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "site_core.settings.test", "DATABASE_URL": UNREACHABLE}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True
    )
    headers = json.loads(result.stdout.strip().splitlines()[-1])
    assert headers["status"] == 503
    assert_public_policy(headers["Content-Security-Policy"])
    assert "camera=()" in headers["Permissions-Policy"]


# --- Production settings ----------------------------------------------------------------------

PRODUCTION_SCRIPT = """
import json
from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.test import Client, RequestFactory, override_settings

host = settings.ALLOWED_HOSTS[0]
response = Client().get("/robots.txt", secure=True, HTTP_HOST=host)
insecure = Client().get("/robots.txt", HTTP_HOST=host)

def flags(morsel):
    return {"secure": bool(morsel["secure"]), "httponly": bool(morsel["httponly"]), "samesite": morsel["samesite"]}

def issue_csrf_cookie(request):
    get_token(request)
    return HttpResponse()

csrf = CsrfViewMiddleware(issue_csrf_cookie)(RequestFactory().get("/", secure=True, HTTP_HOST=host))

# The cookie's flags come from SESSION_COOKIE_*, whatever the store: signed cookies need no database.
with override_settings(SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies"):
    from django.contrib.sessions.middleware import SessionMiddleware

    def log_in(request):
        request.session["editor"] = 1
        return HttpResponse()

    session = SessionMiddleware(log_in)(RequestFactory().get("/", secure=True, HTTP_HOST=host))

print(json.dumps({
    "headers": dict(response.items()),
    "insecure": {"status": insecure.status_code, "location": insecure.get("Location")},
    "csrf": flags(csrf.cookies[settings.CSRF_COOKIE_NAME]),
    "session": flags(session.cookies[settings.SESSION_COOKIE_NAME]),
    "language": {
        "secure": settings.LANGUAGE_COOKIE_SECURE,
        "httponly": settings.LANGUAGE_COOKIE_HTTPONLY,
        "samesite": settings.LANGUAGE_COOKIE_SAMESITE,
    },
}))
"""


@pytest.fixture(scope="module")
def production():
    """One request and a few cookies made by a fresh interpreter on the production settings (the
    cache pointed nowhere: robots.txt needs neither it nor the database)."""
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"}}
    env = {**clean, **PRODUCTION_ENV, "REDIS_URL": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PRODUCTION_SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_sends_hsts_for_a_year_with_subdomains(production):
    hsts = production["headers"]["Strict-Transport-Security"]
    assert hsts == "max-age=31536000; includeSubDomains; preload"


def test_production_redirects_plain_http_to_https(production):
    assert production["insecure"]["status"] == 301
    assert production["insecure"]["location"].startswith("https://")


def test_production_sends_the_public_policy_and_upgrades_insecure_requests(production):
    headers = production["headers"]
    policy = directives(headers["Content-Security-Policy"])
    assert policy["upgrade-insecure-requests"] == []
    assert policy["script-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in headers["Permissions-Policy"]


@pytest.mark.parametrize("cookie", ["session", "csrf", "language"])
def test_production_cookies_are_secure_httponly_and_same_site(production, cookie):
    assert production[cookie] == {"secure": True, "httponly": True, "samesite": "Lax"}
