"""File storage for what the public must never reach by URL (applicants' files)."""

from django.core.files.storage import FileSystemStorage


class PrivateFileSystemStorage(FileSystemStorage):
    """Files on disk outside MEDIA_ROOT with no URL at all: they are served only by views that check
    permissions. In production, swap for a private object-storage bucket the same way."""

    def url(self, name):
        raise ValueError("Private files are not accessible via a URL; serve them through a permission-checked view.")
