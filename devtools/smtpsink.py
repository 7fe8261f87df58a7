"""An SMTP server that keeps what it receives, for the production-shaped stack (devtools/stack.py)."""

from __future__ import annotations

import email
import email.policy
import threading

from devtools.faultproxy import free_port


class SmtpSink:
    """An SMTP server that keeps every message it accepts (aiosmtpd), on a loopback port."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self._lock = threading.Lock()
        self.port = free_port()
        self._controller = None

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def start(self) -> SmtpSink:
        from aiosmtpd.controller import Controller

        self._controller = Controller(self, hostname="127.0.0.1", port=self.port, ready_timeout=10)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()

    def recipients(self) -> list[str]:
        with self._lock:
            return [address for message in self.messages for address in message.get_all("To", [])]

    def clear(self) -> None:
        with self._lock:
            self.messages.clear()
