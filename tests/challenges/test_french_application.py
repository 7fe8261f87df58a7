"""Applying in French: the form, its notice, its errors, the confirmation and the applicant's email
are in French, the application records that it was made in French, and staff still get English."""

import pytest
from django.core import mail

from challenges.models import Application, QuestionType
from devtools.demo.translation import translate_with_localize
from tests.challenges.application_helpers import application_data
from tests.factories import make_challenge

pytestmark = pytest.mark.django_db

FRENCH_NOTICE = {
    "Director, Civic Innovation Office": "Directrice, Bureau de l'innovation civique",
    "100 Queen Street West, Toronto, ON  M5H 2N2": "100, rue Queen Ouest, Toronto (Ontario)  M5H 2N2",
    "City of Toronto Act, 2006, S.O. 2006, c. 11, Schedule A, s. 136(c)": "Loi de 2006 sur la cité de Toronto",
}


@pytest.fixture
def french_challenge(challenge_index, privacy_notice, site_tree):
    translate_with_localize(privacy_notice, site_tree.french, FRENCH_NOTICE)
    translate_with_localize(challenge_index, site_tree.french, {challenge_index.title: "Défis"})
    challenge = make_challenge(
        challenge_index,
        title="Track 311 requests",
        slug="track-311",
        opens=-5,
        closes=20,
        publish=False,
        contact_email="311-challenge@example.ca",
    )
    challenge.questions.add(challenge.questions.model(label="Worked with government?", field_type=QuestionType.YES_NO))
    challenge.save_revision().publish()
    return translate_with_localize(
        challenge,
        site_tree.french,
        {
            "Track 311 requests": "Suivre les demandes au 311",
            "track-311": "suivi-311",
            "Worked with government?": "Avez-vous déjà travaillé avec une administration publique?",
        },
    )


def test_the_french_form_and_its_notice_are_in_french(client, french_challenge):
    response = client.get(french_challenge.url + "apply/")
    html = response.content.decode()
    assert french_challenge.url.startswith("/fr/")
    assert '<html lang="fr"' in html
    assert "Avis de collecte" in html
    assert "Directrice, Bureau de l&#x27;innovation civique" in html
    assert "Loi de 2006 sur la cité de Toronto" in html
    assert "Nom de l&#x27;organisation" in html
    assert "Avez-vous déjà travaillé avec une administration publique?" in html


def test_errors_on_the_french_form_are_in_french(client, french_challenge):
    response = client.post(french_challenge.url + "apply/", application_data(french_challenge, organisation_name=""))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Un problème a été relevé dans 1 réponse" in html  # the error summary
    assert "Erreur\N{NO-BREAK SPACE}: </span>Entrez le nom de votre organisation." in html
    assert not Application.objects.exists()


def test_a_french_application_is_recorded_in_french_and_confirmed_in_french(
    client, french_challenge, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(french_challenge.url + "apply/", application_data(french_challenge))
    assert response.status_code == 302
    assert response["Location"].startswith(french_challenge.url + "apply/thanks/")
    application = Application.objects.get()
    assert application.language == "fr"
    assert application.challenge_id == french_challenge.pk

    thanks = client.get(response["Location"]).content.decode()
    assert application.reference in thanks
    assert '<html lang="fr"' in thanks

    applicant = next(message for message in mail.outbox if message.to == ["alex@example.ca"])
    assert applicant.subject == f"Candidature reçue : {application.reference} (Suivre les demandes au 311)"
    assert "Numéro de référence\N{NO-BREAK SPACE}:" in applicant.body
    assert "Reference number:" not in applicant.body
    staff = next(message for message in mail.outbox if message.to == ["311-challenge@example.ca"])
    assert "Reference" in staff.body or application.reference in staff.subject
    assert "Candidature reçue" not in staff.subject  # staff read the English interface
