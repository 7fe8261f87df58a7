"""The shipped proxy's other edges, over HTTPS: what it tells about itself, the media it serves (and
what it does not), who may purge, parameters no page reads, the CSRF failure page, and staff sign-in
guessed at through it."""

import re
import uuid

import pytest
import redis
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from tests.factories import ChallengeIndexPageFactory, NewsReleasePageFactory, make_challenge
from tests.stack.admin import PASSWORD
from tests.stack.applicants import hidden
from tests.stack.conftest import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_plain_http_goes_to_https_and_nginx_names_no_version(live_stack):
    import urllib3

    plain = urllib3.HTTPConnectionPool("127.0.0.1", live_stack.ports.http, retries=False)
    answer = plain.request("GET", "/en/news/?x=1", headers={"Host": "localhost"}, redirect=False)
    assert answer.status == 301 and answer.headers["Location"] == "https://localhost/en/news/?x=1"
    assert answer.headers["Server"] == "nginx"  # no version (server_tokens off)
    assert b"nginx/" not in answer.data
    secure = live_stack.client().get("/en/")
    assert secure.headers["Server"] == "nginx"
    assert "max-age=31536000" in secure.headers["Strict-Transport-Security"]


def test_images_are_served_from_media_and_nothing_else_there(live_stack, site_tree, settings):
    settings.MEDIA_ROOT = str(live_stack.workdir / "media")  # the app servers' media folder
    image = get_image_model().objects.create(title="Pilot", file=get_test_image_file())
    NewsReleasePageFactory(parent=site_tree.news_index, title="With a picture", slug="picture", listing_image=image)
    visitor = live_stack.client()
    listing = visitor.get("/en/news/")
    rendition = re.search(r'src="(/media/images/[^"]+)"', listing.text)
    assert rendition, "the newsroom shows no rendition"
    answer = visitor.get(rendition.group(1))
    assert answer.status == 200 and answer.headers["Content-Type"].startswith("image/")
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert visitor.get("/media/" + image.file.name).status == 200  # the original image
    # Documents stay behind the app's /documents/ view (collection privacy); nothing else is served.
    documents = live_stack.workdir / "media" / "documents"
    documents.mkdir(parents=True, exist_ok=True)
    (documents / "briefing.pdf").write_bytes(b"%PDF-1.4 private")
    assert visitor.get("/media/documents/briefing.pdf").status == 404
    assert visitor.get("/media/../private-media/").status in (400, 404)


def test_only_trusted_addresses_may_purge(live_stack):
    visitor = live_stack.client()
    visitor.get("/en/")
    assert visitor.get("/en/").headers["X-Cache-Status"] == "HIT"
    outsider = live_stack.client(source="127.0.0.9")
    assert outsider.request("PURGE", "/en/").status == 403
    assert visitor.get("/en/").headers["X-Cache-Status"] == "HIT"


def test_parameters_no_page_reads_neither_render_nor_fill_the_cache(live_stack, site_tree):
    visitor = live_stack.client()
    assert visitor.get("/en/news/").status == 200
    assert visitor.get("/en/news/?utm_source=first").status == 200  # learns what the newsroom reads
    shared = redis.Redis(port=6379, db=live_stack.redis_db)
    keys_before = shared.dbsize()
    answers = [visitor.get(f"/en/news/?utm_x={uuid.uuid4().hex}") for _ in range(200)]
    assert {answer.status for answer in answers} == {200}
    assert {answer.headers["X-Page-Cache"] for answer in answers} == {"hit"}
    assert shared.dbsize() == keys_before


def test_an_expired_form_gets_our_page_with_the_answers_through_the_proxy(live_stack, site_tree, privacy_notice):
    challenge = make_challenge(ChallengeIndexPageFactory(parent=site_tree.home), slug="csrf", opens=-5, closes=20)
    visitor = live_stack.client()
    form = visitor.get(challenge.url + "apply/")
    fields = {
        "csrfmiddlewaretoken": hidden(form.text, "csrfmiddlewaretoken"),
        "form_token": hidden(form.text, "form_token"),
        "organisation_name": "Lost Cookie Ltd.",
    }
    visitor.cookies.clear()  # the browser lost the site's cookie meanwhile
    answer = visitor.post(challenge.url + "apply/", fields)
    assert answer.status == 403
    assert "Your application was NOT sent" in answer.text and 'value="Lost Cookie Ltd."' in answer.text
    assert "style-src 'self'" in answer.headers["Content-Security-Policy"]
    assert "<style" not in answer.text


def test_guessing_a_staff_password_through_the_proxy_pauses_the_account(live_stack, django_user_model, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    django_user_model.objects.create_user("publisher", "publisher@example.ca", PASSWORD, is_staff=True)

    def sign_in(source: str, password: str) -> int:
        visitor = live_stack.client(source=source)
        page = visitor.get("/admin/login/")
        fields = {"csrfmiddlewaretoken": hidden(page.text, "csrfmiddlewaretoken"), "username": "publisher"}
        return visitor.post("/admin/login/", {**fields, "password": password}).status

    statuses = [sign_in(f"127.0.0.{60 + attempt}", f"guess-{attempt}") for attempt in range(8)]
    assert statuses[:4] == [200] * 4 and set(statuses[4:]) == {429}
    assert sign_in("127.0.0.99", PASSWORD) == 429  # the right password, from elsewhere: still paused
    assert wait_for(lambda: "publisher@example.ca" in live_stack.sink.recipients(), 10), "the owner was not told"
