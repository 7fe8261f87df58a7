"""Fifty applicants pressing "send" at the same moment all get stored, each with its own reference."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.test import Client

from challenges.models import Application, QuestionType
from site_core.models import OutgoingEmail
from tests.challenges.application_helpers import application_data
from tests.factories import make_challenge

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a database server with real concurrency"),
]

APPLICANTS = 50


def test_fifty_concurrent_applications_are_all_stored_with_distinct_references(challenge_index, settings):
    settings.APPLICATION_RATE_LIMIT = "1000/m"
    challenge = make_challenge(challenge_index, opens=-5, closes=20, publish=False)
    challenge.questions.add(challenge.questions.model(label="Worked with government?", field_type=QuestionType.YES_NO))
    challenge.save_revision().publish()
    url = challenge.url + "apply/"

    def apply(number: int) -> int:
        try:
            data = application_data(challenge, organisation_name=f"Team {number}", email=f"team{number}@example.ca")
            return Client().post(url, data).status_code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=APPLICANTS) as pool:
        statuses = list(pool.map(apply, range(APPLICANTS)))

    assert statuses == [302] * APPLICANTS
    assert Application.objects.count() == APPLICANTS
    references = set(Application.objects.values_list("reference", flat=True))
    assert len(references) == APPLICANTS
    assert None not in references
    assert OutgoingEmail.objects.filter(kind="applicant-confirmation").count() == APPLICANTS
