"""Test doubles for what is outside the machine (only the SMTP server)."""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend


class UnreachableSMTPBackend(BaseEmailBackend):
    """Behaves like an SMTP server that is down: every send raises."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
