"""Files kept between rounds of the form: a valid PDF sent with a post that failed on another answer,
or attached to a saved draft. Kept privately (PendingUpload, private storage), named in the form by a
signed reference to a random key (a visitor cannot point at someone else's file), and deleted once
used or expired (`manage.py purge_applications`)."""

import datetime

from django.conf import settings
from django.core import signing
from django.core.files.base import File
from django.utils import timezone

from challenges.models import PendingUpload

KEPT_SALT = "challenges.kept-upload"


def keep(upload, expires_at: datetime.datetime | None = None) -> PendingUpload:
    """Store a checked upload (challenges.forms.ApplicationForm.clean_attachment) for a later round."""
    expires_at = expires_at or timezone.now() + datetime.timedelta(hours=settings.APPLICATION_FORM_MAX_AGE_HOURS)
    pending = PendingUpload(name=upload.clean_name, size=upload.size, expires_at=expires_at)
    upload.seek(0)
    pending.file.save("proposal.pdf", upload, save=False)
    pending.save()
    return pending


def reference(pending: PendingUpload) -> str:
    return signing.dumps(pending.key.hex, salt=KEPT_SALT)


def find(raw: str | None) -> PendingUpload | None:
    """The kept file a form's reference names, if it is genuine and has not expired."""
    if not raw:
        return None
    try:
        key = signing.loads(raw, salt=KEPT_SALT)
    except signing.BadSignature:
        return None
    return PendingUpload.objects.filter(key=key, expires_at__gt=timezone.now()).first()


def as_file(pending: PendingUpload) -> File:
    return File(pending.file.open("rb"), name=pending.name)


def discard(pending: PendingUpload | None) -> None:
    if pending is None:
        return
    pending.file.delete(save=False)
    pending.delete()


def purge_expired(now=None) -> int:
    """Delete the kept files whose time is over (with their stored file)."""
    now = now or timezone.now()
    count = 0
    for pending in PendingUpload.objects.filter(expires_at__lte=now).iterator():
        discard(pending)
        count += 1
    return count
