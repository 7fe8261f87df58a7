"""Circuit breakers, one per service per process: after a timeout (or a call slower than the service
should ever be), calls fail at once for a cool-down, so the other threads do not queue behind a dead
service. Then one call is let through as a trial; its success closes the breaker."""

import logging
import threading
import time

from django.conf import settings

logger = logging.getLogger(__name__)


class Breaker:
    """closed (calls go through) -> open after a failure (calls refused for `cooldown` seconds)
    -> half-open (one thread's trial at a time) -> closed again after a success. Thread-safe; one
    per service per process. `kind` says how the service last failed: "slow" (no answer in time,
    or an answer far slower than it should be) or "down" (refused, reset)."""

    def __init__(self, name: str, cooldown_setting: str = "DEPENDENCY_BREAKER_COOLDOWN_SECONDS"):
        self.name = name
        self.cooldown_setting = cooldown_setting
        self._lock = threading.Lock()
        self._opened_at: float | None = None
        self._trial: tuple[int, float] | None = None  # (thread, started)
        self.last_failure = ""
        self.kind = ""

    def cooldown(self) -> float:
        return float(getattr(settings, self.cooldown_setting, 5.0))

    @property
    def is_open(self) -> bool:
        return self._opened_at is not None

    def opened_since(self, moment: float) -> bool:
        """Opened (by any thread) after `moment` (a time.monotonic() value)."""
        opened = self._opened_at
        return opened is not None and opened > moment

    def allow(self) -> bool:
        if self._opened_at is None:
            return True
        now, me = time.monotonic(), threading.get_ident()
        with self._lock:
            if self._opened_at is None:
                return True
            if now - self._opened_at < self.cooldown():
                return False
            # Half-open: one thread tries; a trial that never reported back frees its place.
            if self._trial is not None and self._trial[0] != me and now - self._trial[1] < self.cooldown():
                return False
            if self._trial is None or self._trial[0] != me:
                self._trial = (me, now)
            return True

    def succeeded(self) -> None:
        if self._opened_at is None:
            return
        with self._lock:
            if self._opened_at is not None:
                logger.warning("%s answers again: circuit closed", self.name)
            self._opened_at = self._trial = None

    def failed(self, reason: str, kind: str = "slow") -> None:
        with self._lock:
            was_open = self._opened_at is not None
            self._opened_at = time.monotonic()
            self._trial = None
            self.last_failure, self.kind = reason, kind
        if not was_open:
            logger.error("%s: %s; calls skipped for %.0f s (circuit open)", self.name, reason, self.cooldown())

    def reset(self) -> None:
        with self._lock:
            self._opened_at = self._trial = None
            self.last_failure = self.kind = ""


database_breaker = Breaker("PostgreSQL")
cache_breaker = Breaker("Redis")
# The outbox's immediate sends skip SMTP this long after a server that refused or did not answer; the
# emails wait in the queue for `send_queued_emails` (site_core/services/outbox.py).
smtp_breaker = Breaker("SMTP", cooldown_setting="SMTP_BREAKER_COOLDOWN_SECONDS")
