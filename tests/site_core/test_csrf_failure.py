"""A form that comes back without its CSRF token (it expired, cookies blocked): our own page in the
visitor's language, which the Content-Security-Policy allows (Django's has an inline style), and the
application form shown again with the answers kept and nothing stored."""

import pytest
from django.test import Client

from challenges.models import Application
from tests.challenges.application_helpers import application_data, pdf
from tests.challenges.conftest import challenge_index, privacy_notice  # noqa: F401 -- fixtures
from tests.factories import make_challenge

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict_client():
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def challenge(challenge_index):  # noqa: F811 -- the fixture imported above
    return make_challenge(challenge_index, title="Track 311 requests", opens=-5, closes=20)


def test_an_expired_application_form_comes_back_with_the_answers_and_nothing_is_stored(strict_client, challenge):
    strict_client.get(challenge.url + "apply/")  # the form, and its CSRF cookie...
    strict_client.cookies.clear()  # ...which the browser then lost
    data = application_data(challenge, organisation_name="Civic Widgets Inc.", proposal_summary="Track every request.")
    response = strict_client.post(challenge.url + "apply/", data)
    html = response.content.decode()
    assert response.status_code == 403
    assert "Your application was NOT sent" in html and 'class="error-summary' in html
    assert 'value="Civic Widgets Inc."' in html and "Track every request." in html
    assert 'name="csrfmiddlewaretoken"' in html and "csrftoken" in response.cookies  # a fresh token
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    assert Application.objects.count() == 0

    # Sent again from the page it got back (the file chosen again): received.
    token = response.cookies["csrftoken"].value
    strict_client.cookies["csrftoken"] = token
    again = dict(
        data, attachment=pdf(), csrfmiddlewaretoken=html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    )
    assert strict_client.post(challenge.url + "apply/", again).status_code == 302
    assert Application.objects.count() == 1


@pytest.mark.parametrize(
    ("path", "language", "text"),
    [
        ("/admin/login/", "en", "This form could not be sent"),
        ("/en/", "en", "This form could not be sent"),
        ("/fr/", "fr", "pas pu être envoyé"),
    ],
)
def test_any_other_form_gets_our_page_in_the_visitors_language(strict_client, site_tree, path, language, text):
    response = strict_client.post(path, {"anything": "x"}, HTTP_ACCEPT_LANGUAGE=language)
    html = response.content.decode()
    assert response.status_code == 403
    assert text in html
    assert "<style" not in html and " style=" not in html  # nothing the public CSP would refuse
    assert "CSRF" not in html  # no jargon
