"""The application limits behind the shipped proxy, counted per visitor (nginx's X-Real-IP, not the
proxy's own address) in the Redis the app servers share: the flood guard counts every post (past
it, 429: the only refusal), the address limit counts stored applications (past it, an application
is stored and held for a check, never refused). Two visitors behind the proxy are counted apart,
and a visitor cannot escape either count with headers of their own."""

import pytest

from challenges.abuse import REASON_ADDRESS
from challenges.models import Application
from site_core.models import OutgoingEmail
from tests.challenges.application_helpers import PDF_BYTES
from tests.factories import ChallengeIndexPageFactory, make_challenge
from tests.stack.applicants import Applicant, hidden
from tests.test_scale_out import address_well_inside_its_window

pytestmark = pytest.mark.django_db(transaction=True)

POSTS = 6  # APPLICATION_POST_RATE_LIMIT here: every post, with errors or not
STORED = 2  # APPLICATION_RATE_LIMIT here: stored applications
LIMITS = {"APPLICATION_POST_RATE_LIMIT": f"{POSTS}/10m", "APPLICATION_RATE_LIMIT": f"{STORED}/10m"}
FORGED = (
    {"X-Real-IP": "203.0.113.7"},
    {"X-Forwarded-For": "203.0.113.8"},
    {"X-Real-IP": "203.0.113.9", "X-Forwarded-For": "198.51.100.1, 203.0.113.9"},
)


@pytest.fixture
def limited_stack(stack, request):
    """The stack whose app servers count with low limits (production's are 300 posts and 60 stored
    applications per 10 minutes), started afresh by `live_stack`."""
    before = dict(stack.extra_env)
    stack.extra_env.update(LIMITS)
    try:
        yield request.getfixturevalue("live_stack")
    finally:
        stack.extra_env.clear()
        stack.extra_env.update(before)  # the next test's live_stack starts app servers without them


@pytest.fixture
def challenge(limited_stack, site_tree, privacy_notice):
    return make_challenge(ChallengeIndexPageFactory(parent=site_tree.home), slug="buses", opens=-5, closes=20)


def post_incomplete(visitor, path: str, headers: dict | None = None) -> int:
    """An application missing most answers: 400, unless the flood guard refuses it (429)."""
    form = visitor.get(path)
    fields = {"csrfmiddlewaretoken": hidden(form.text, "csrfmiddlewaretoken"), "organisation_name": "Bus Co."}
    return visitor.post(path, fields, headers=headers).status


def apply(stack, visitor, challenge, number: int, headers: dict | None = None):
    """A complete application (its own email) from `visitor`: the POST's answer."""
    person = Applicant(stack, number)
    person.visitor = visitor
    person.open_form(challenge)
    files = {"attachment": ("proposal.pdf", PDF_BYTES, "application/pdf")}
    return visitor.post(person.path, person.fields, files=files, headers=headers)


def held(number: int) -> tuple[bool, str]:
    application = Application.objects.get(email=f"applicant{number:03d}@example.ca")
    assert application.reference
    return application.is_spam, application.spam_reason


def test_each_visitor_is_counted_apart_and_forged_headers_escape_neither_count(limited_stack, challenge):
    path = challenge.url + "apply/"
    busy_address = address_well_inside_its_window(LIMITS["APPLICATION_RATE_LIMIT"])
    busy = limited_stack.client(source=busy_address)
    other = limited_stack.client(
        source=address_well_inside_its_window(LIMITS["APPLICATION_RATE_LIMIT"], first=int(busy_address[8:]) + 1)
    )

    # The address limit: the first STORED applications go through as usual...
    for number in range(STORED):
        answer = apply(limited_stack, busy, challenge, number)
        assert answer.status == 302, answer.text[:2000]
        assert held(number) == (False, "")
    # ...the next is stored and held, although it claims to come from elsewhere (nginx replaces
    # these headers with the address it saw).
    answer = apply(limited_stack, busy, challenge, STORED, headers=FORGED[2])
    assert answer.status == 302 and "/apply/thanks/?receipt=" in answer.headers["Location"]
    assert held(STORED) == (True, REASON_ADDRESS)
    thanks = busy.get(answer.headers["Location"])
    assert "a member of staff checks it" in thanks.text
    assert not OutgoingEmail.objects.filter(to=f"applicant{STORED:03d}@example.ca").exists()  # no confirmation
    # Someone else behind the same proxy: their applications are their own count.
    assert apply(limited_stack, other, challenge, 50).status == 302
    assert held(50) == (False, "")

    # The flood guard: every post counts, with errors or not (STORED + 1 so far).
    statuses = [post_incomplete(busy, path) for _ in range(POSTS - STORED)]
    assert statuses == [400] * (POSTS - STORED - 1) + [429]
    for forged in FORGED:
        assert post_incomplete(busy, path, headers=forged) == 429, forged
    answer = apply(limited_stack, busy, challenge, 60, headers=FORGED[0])
    assert answer.status == 429 and "Nothing was stored" in answer.text
    assert not Application.objects.filter(email="applicant060@example.ca").exists()
    # ...while the other visitor's posts are counted apart.
    assert post_incomplete(other, path) == 400
    assert Application.objects.count() == STORED + 2
