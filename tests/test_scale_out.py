"""Two app servers behind one PostgreSQL and one Redis, as in production (docs/operations.md): two
gunicorn instances with the production settings on different loopback ports, on the test database.
A change published through one is seen at once through the other (the page cache is shared and
invalidated for both), a session opened on one holds on the other, and the application limits
count the requests of both (the flood guard every post, the address limit the stored applications).

PostgreSQL only: the SQLite test database lives in the test process's memory, which no other process
can open. Needs Redis on loopback (database 7, emptied before and after)."""

import http.cookies
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import redis
import urllib3
from django.db import connection
from django_ratelimit.core import _get_window, _split_rate

from challenges.abuse import REASON_ADDRESS
from challenges.models import Application
from tests.challenges.application_helpers import PDF_BYTES
from tests.challenges.conftest import privacy_notice  # noqa: F401 -- fixture
from tests.conftest import worker_redis_url
from tests.factories import ChallengeIndexPageFactory, NewsReleasePageFactory, make_challenge

ROOT = Path(__file__).resolve().parents[1]
# This test process's own database: another process's servers on the same one would read this one's
# cached Site and site root paths (another test database's rows) and answer 500.
REDIS_URL = worker_redis_url()
HOST = "testserver"
PASSWORD = "correct horse battery staple"

pytestmark = [
    pytest.mark.django_db(transaction=True),  # the servers read what the test committed
    pytest.mark.skipif(connection.vendor != "postgresql", reason="two servers need a shared PostgreSQL database"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    db = connection.settings_dict
    user = urllib.parse.quote(db["USER"] or "postgres")
    password = f":{urllib.parse.quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    return f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def production_env(static_root: Path) -> dict:
    return {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "site_core.settings.production",
        "SECRET_KEY": "scale-out-test-secret-key-that-is-long-and-random-enough-0123456789",
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": database_url(),
        "REDIS_URL": REDIS_URL,
        "STATIC_ROOT": str(static_root),
        # Low, so that a few posts reach them: every post counts toward the flood guard (past it,
        # 429); only stored applications toward the address limit (past it, stored and held).
        "APPLICATION_POST_RATE_LIMIT": "5/h",
        "APPLICATION_RATE_LIMIT": "1/h",
        "APPLICATION_MIN_FILL_SECONDS": "0",  # a script fills the form at once: not held for that here
    }


@pytest.fixture(scope="module")
def static_root(tmp_path_factory) -> Path:
    """The production settings serve hashed static files (a manifest): collected once for the module."""
    root = tmp_path_factory.mktemp("static")
    env = production_env(root)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    return root


class Server:
    """One gunicorn instance, and a client for it that keeps its own cookies (as a browser would)."""

    def __init__(self, port: int, process: subprocess.Popen, log: Path):
        self.port, self.process, self.log = port, process, log
        self.cookies: dict[str, str] = {}

    def request(
        self,
        path: str,
        data: dict | None = None,
        cookies: dict | None = None,
        files: dict | None = None,
        headers: dict | None = None,
    ) -> tuple[int, dict, str]:
        """GET `path`, or POST `data` (multipart with `files`: name -> (filename, bytes, type))."""
        headers = {
            "Host": HOST,
            "X-Forwarded-Proto": "https",  # as the proxy in front says (SECURE_PROXY_SSL_HEADER)
            "Referer": f"https://{HOST}{path}",  # Django checks it on HTTPS posts
            "Accept-Language": "en",
            **(headers or {}),
        }
        jar = cookies if cookies is not None else self.cookies
        if jar:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in jar.items())
        body = None
        if files:
            body, headers["Content-Type"] = urllib3.encode_multipart_formdata({**(data or {}), **files})
        elif data is not None:
            body = urllib.parse.urlencode(data, doseq=True).encode()
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=body, headers=headers)
        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(request, timeout=30) as response:
                status, response_headers, content = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, response_headers, content = error.code, error.headers, error.read()
        for header in response_headers.get_all("Set-Cookie") or []:
            for name, morsel in http.cookies.SimpleCookie(header).items():
                jar[name] = morsel.value
        return status, dict(response_headers), content.decode()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def csrf_token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def hidden_value(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]+)"', html).group(1)


def address_well_inside_its_window(rate: str, margin: float = 120, first: int = 100) -> str:
    """A visitor address (127.0.0.`first` and up) whose rate-limit window for `rate` has `margin`
    seconds left at least. django-ratelimit's windows follow the clock, each key's shifted by a hash
    of it (the app servers count with the same clock): posts straddling a window's end would be
    counted in two windows, and a test of a limit would pass or fail by the time of day."""
    period = _split_rate(rate)[1]
    for last in range(first, 250):
        address = f"127.0.0.{last}"
        if _get_window(address, period) - time.time() >= margin:
            return address
    raise AssertionError("no address with a window that far from its end")


def start_gunicorn(env: dict, log: Path, *options: str) -> Server:
    """A gunicorn instance of the site on a free loopback port (`options`: workers, threads...)."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "site_core.wsgi:application", *options, "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    return Server(port, process, log)


def stop_all(started: list[Server]) -> None:
    for server in started:
        server.process.terminate()
    for server in started:
        server.process.wait(timeout=30)


@pytest.fixture
def servers(static_root, tmp_path):
    shared_redis = redis.Redis.from_url(REDIS_URL)
    shared_redis.flushdb()
    env = production_env(static_root)
    started = [start_gunicorn(env, tmp_path / f"gunicorn-{name}.log", "--workers", "1") for name in ("a", "b")]
    try:
        for server in started:
            wait_until_up(server)
        yield started
    finally:
        stop_all(started)
        shared_redis.flushdb()


def wait_until_up(server: Server, seconds: int = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.process.poll() is None, server.log.read_text()[-3000:]
        try:
            server.request("/healthz", cookies={})
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"gunicorn on {server.port} did not start:\n{server.log.read_text()[-3000:]}")


@pytest.fixture
def content(site_tree, django_user_model, privacy_notice, settings):  # noqa: F811 -- the fixture imported above
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher"
    ]  # production's, not the tests' fast one
    tree = site_tree
    release = NewsReleasePageFactory(parent=tree.news_index, title="Transit data goes public", slug="transit-data")
    challenges = ChallengeIndexPageFactory(parent=tree.home)
    challenge = make_challenge(challenges, slug="buses")
    django_user_model.objects.create_superuser("publisher", "publisher@example.ca", PASSWORD)
    return {"release": release, "challenge": challenge}


def test_a_change_published_through_one_server_shows_through_the_other(servers, content):
    one, other = servers
    release = content["release"]
    status, headers, html = one.request("/en/news/", cookies={})
    assert status == 200 and "Transit data goes public" in html
    assert headers["X-Page-Cache"] == "miss"
    status, headers, html = other.request("/en/news/", cookies={})
    assert headers["X-Page-Cache"] == "hit"  # stored by the first server in the shared Redis
    assert other.request("/en/news/transit-data/", cookies={})[0] == 200

    # A publisher signs in on the first server, and the session holds on the second.
    _status, _headers, html = one.request("/admin/login/")
    form = {"csrfmiddlewaretoken": csrf_token(html), "username": "publisher", "password": PASSWORD}
    status, headers, _html = one.request("/admin/login/", data=form)
    assert status == 302 and "sessionid" in one.cookies, re.findall(r"error[^<]{0,200}", _html)
    status, _headers, html = other.request("/admin/", cookies=one.cookies)
    assert status == 200  # signed in: an anonymous visitor is sent to the login page

    # Unpublished through the first server: gone at once from the second (no stale cached copy).
    path = f"/admin/pages/{release.pk}/unpublish/"
    _status, _headers, html = one.request(path)
    status, _headers, _html = one.request(path, data={"csrfmiddlewaretoken": csrf_token(html)})
    assert status == 302, one.log.read_text()[-2000:]
    status, headers, html = other.request("/en/news/", cookies={})
    assert status == 200 and headers["X-Page-Cache"] == "miss"
    assert "Transit data goes public" not in html
    assert other.request("/en/news/transit-data/", cookies={})[0] == 404


def application_fields(html: str, email: str) -> dict:
    return {
        "csrfmiddlewaretoken": csrf_token(html),
        "form_token": hidden_value(html, "form_token"),
        "organisation_name": "Bus Co.",
        "contact_name": "Alex Martin",
        "email": email,
        "phone": "416-555-0100",
        "team_size": "3",
        "proposal_summary": "Real-time arrivals at every stop.",
        "consent": "on",
        "fax_number": "",
    }


def test_the_application_limits_count_the_posts_of_both_servers(servers, content):
    """One visitor (the X-Real-IP the trusted proxy in front sets) alternating between the servers:
    the second stored application is held (1 an hour, counted in the shared Redis whichever server
    stored the first), and the sixth post is refused (5 an hour), posts with errors included."""
    one, other = servers
    path = content["challenge"].url + "apply/"
    address = address_well_inside_its_window("1/h")
    visitor = {"X-Real-IP": address}

    def post(server, email: str | None, headers: dict = visitor) -> int:
        """A complete application with its PDF (`email`), or one missing most answers (None)."""
        _status, _headers, html = server.request(path, headers=headers)
        if email is None:
            return server.request(path, data={"csrfmiddlewaretoken": csrf_token(html), "name": ""}, headers=headers)[0]
        files = {"attachment": ("proposal.pdf", PDF_BYTES, "application/pdf")}
        return server.request(path, data=application_fields(html, email), files=files, headers=headers)[0]

    statuses = [post(one, "first@example.ca"), post(other, "second@example.ca")]
    statuses += [post(server, None) for server in (one, other, one, other)]
    assert statuses == [302, 302, 400, 400, 400, 429]
    first, second = Application.objects.order_by("pk")
    assert (first.email, first.is_spam) == ("first@example.ca", False)
    assert (second.email, second.is_spam, second.spam_reason) == ("second@example.ca", True, REASON_ADDRESS)
    assert second.reference  # held, not refused

    # Another visitor behind the same proxy has limits of their own.
    elsewhere = {"X-Real-IP": address_well_inside_its_window("1/h", first=int(address.rsplit(".", 1)[1]) + 1)}
    assert post(other, "third@example.ca", headers=elsewhere) == 302
    assert not Application.objects.get(email="third@example.ca").is_spam
