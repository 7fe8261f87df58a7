"""Issue 21: a French email comes from the office under its French name (Settings > office details
in French), an English one under its English name, always from DEFAULT_FROM_EMAIL's address."""

import pytest
from django.core import mail

from site_core.models import OfficeDetails, OutgoingEmail
from site_core.services import outbox

pytestmark = pytest.mark.django_db

KIND = "test-sender-kind"


@pytest.fixture
def test_kind():
    from django.core.mail import EmailMessage

    outbox.register(KIND, "test", lambda email: [EmailMessage(subject="s", body="b", to=[email.to])])
    yield KIND
    outbox.KINDS.pop(KIND, None)


def test_each_email_names_the_office_in_its_own_language(site_tree, test_kind, settings):
    settings.DEFAULT_FROM_EMAIL = "Civic Innovation Office <innovation@example.ca>"
    OfficeDetails.objects.create(locale=site_tree.english, office_name="Civic Innovation Office")
    OfficeDetails.objects.create(locale=site_tree.french, office_name="Bureau de l'innovation\r\ncivique")
    outbox.queue(test_kind, "fr@example.ca", language="fr")
    outbox.queue(test_kind, "en@example.ca", language="en")
    outbox.send_due_emails()
    senders = {message.to[0]: message.from_email for message in mail.outbox}
    assert senders == {
        "fr@example.ca": "Bureau de l'innovation civique <innovation@example.ca>",
        "en@example.ca": "Civic Innovation Office <innovation@example.ca>",
    }
    assert OutgoingEmail.objects.filter(state="sent").count() == 2
