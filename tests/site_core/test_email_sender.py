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


def test_the_scheduled_run_sends_at_the_rate_the_settings_allow(test_kind, settings):
    """Issue 22: a large list (20,000 alerts) drains at OUTBOX_SEND_PER_RUN emails a run (a minute)."""
    import io

    from django.core.management import call_command

    settings.OUTBOX_SEND_PER_RUN = 3
    for number in range(5):
        outbox.queue(test_kind, f"person{number}@example.ca", language="en")
    out = io.StringIO()
    call_command("send_queued_emails", stdout=out)
    assert len(mail.outbox) == 3 and out.getvalue().startswith("sent 3,")
    call_command("send_queued_emails", stdout=io.StringIO())
    assert len(mail.outbox) == 5
    assert not OutgoingEmail.objects.exclude(state=OutgoingEmail.State.SENT).exists()
