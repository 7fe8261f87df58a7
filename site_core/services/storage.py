"""File storage for what the public must never reach by URL (applicants' files), on disk or in a
private object-storage bucket."""

import contextlib
import os

from django.core.files.storage import FileSystemStorage
from storages.backends.s3 import S3Storage

NO_URL = "Private files are not accessible via a URL; serve them through a permission-checked view."


class PrivateFileSystemStorage(FileSystemStorage):
    """Files on disk outside MEDIA_ROOT with no URL at all: they are served only by views that check
    permissions.

    A write that fails part-way (a full disk, an I/O error) leaves nothing behind: Django's storage
    keeps the partial file, which would be an applicant's document cut short with no application
    pointing at it."""

    def url(self, name):
        raise ValueError(NO_URL)

    def _save(self, name, content):
        path = self.path(name)
        ours = not os.path.lexists(path)  # names are random (attachment_path): this one is new
        try:
            return super()._save(name, content)
        except OSError:
            if ours:
                with contextlib.suppress(OSError):
                    os.remove(path)
            raise


class PrivateS3Storage(S3Storage):
    """Files in a private bucket (S3 or S3-compatible, `PRIVATE_MEDIA_BUCKET`): stored without a
    public ACL and, as on disk, with no URL, not even a signed one; the permission-checked views read
    them through the app."""

    default_acl = "private"
    querystring_auth = True

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise ValueError(NO_URL)
