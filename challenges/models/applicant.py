"""The applicant's side of an application, without accounts: private links sent by email, drafts
saved to finish later, files kept across a failed post, the versions an applicant's edits leave
behind, and which announcements applicants have been told about."""

import uuid

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from challenges.models.applications import private_storage
from site_core.security.tokens import new_token, token_hash


def pending_upload_path(instance, filename: str) -> str:
    return f"pending/{timezone.now():%Y}/{uuid.uuid4().hex}.pdf"


def version_file_path(instance, filename: str) -> str:
    return f"applications/{timezone.now():%Y}/versions/{uuid.uuid4().hex}.pdf"


class PendingUpload(models.Model):
    """A valid PDF sent with a form that failed on another answer, or attached to a draft: kept in
    private storage until `expires_at`, so the applicant does not choose it again. The form refers to
    it by `key` inside a signed value (challenges/uploads.py)."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(storage=private_storage, upload_to=pending_upload_path, max_length=200)
    name = models.CharField(max_length=150)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("kept file")
        verbose_name_plural = _("kept files")

    def __str__(self) -> str:
        return self.name


class ApplicationDraft(models.Model):
    """Answers saved with "Save and finish later", reopened by the link emailed to `email` until the
    challenge's deadline. Not an application: reviewers never see it, and no limit counts it."""

    challenge = models.ForeignKey("challenges.ChallengePage", on_delete=models.CASCADE, related_name="drafts")
    email = models.EmailField(max_length=254)
    language = models.CharField(max_length=10, default="en")
    # The answers as the form posted them: field name -> list of values (a text field has one).
    answers = models.JSONField(default=dict, blank=True)
    upload = models.ForeignKey(PendingUpload, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    reminded_at = models.DateTimeField(null=True, blank=True)
    # Its emails in the site's outbox, deleted with it.
    emails = GenericRelation("site_core.OutgoingEmail", related_query_name="draft")

    class Meta:
        verbose_name = _("application draft")
        verbose_name_plural = _("application drafts")
        indexes = [models.Index(fields=["challenge", "email"], name="draft_challenge_email")]

    def __str__(self) -> str:
        return f"draft {self.pk} for challenge {self.challenge_id}"

    def expires_at(self):
        return self.challenge.closes_at

    def is_open(self, now=None) -> bool:
        return self.challenge.live and self.challenge.status_at(now or timezone.now()).accepts_applications


class ApplicantLink(models.Model):
    """A private link emailed to an applicant: to their application's page, or to their draft. Only
    the hash of its token is stored; each email that carries a link makes a new one."""

    token_hash = models.CharField(max_length=64, unique=True)
    application = models.ForeignKey(
        "challenges.Application", null=True, blank=True, on_delete=models.CASCADE, related_name="links"
    )
    draft = models.ForeignKey(ApplicationDraft, null=True, blank=True, on_delete=models.CASCADE, related_name="links")
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("applicant link")
        verbose_name_plural = _("applicant links")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(application__isnull=False, draft__isnull=True)
                | models.Q(application__isnull=True, draft__isnull=False),
                name="applicant_link_one_target",
            )
        ]

    def __str__(self) -> str:
        return f"link {self.pk}"

    @classmethod
    def create_for(cls, *, application=None, draft=None) -> str:
        """A new link's token (to put in an email; it is not kept)."""
        token = new_token()
        cls.objects.create(token_hash=token_hash(token), application=application, draft=draft)
        return token

    @classmethod
    def find(cls, token: str, with_target: str | None = None):
        """The link of this token, with its application or draft (`with_target`) in the same query."""
        if not token or len(token) > 100:
            return None
        links = cls.objects.filter(token_hash=token_hash(token))
        if with_target in {"application", "draft"}:
            links = links.select_related(with_target)
        return links.first()


class ApplicationVersion(models.Model):
    """An application as it was before the applicant changed it: every earlier version is kept, and
    reviewers see which answers changed and when."""

    application = models.ForeignKey("challenges.Application", on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(help_text="1 for the application as first sent.")
    saved_at = models.DateTimeField(help_text="When this version was sent (replaced at `replaced_at`).")
    replaced_at = models.DateTimeField(default=timezone.now)
    answers = models.JSONField(default=dict, help_text="The core answers and the challenge's questions' answers.")
    attachment = models.FileField(storage=private_storage, upload_to=version_file_path, max_length=200, blank=True)
    attachment_name = models.CharField(max_length=150, blank=True)
    attachment_size = models.PositiveIntegerField(default=0)
    changed = models.JSONField(default=list, help_text="The labels of the answers the next version changed.")

    class Meta:
        ordering = ["application", "number"]
        verbose_name = _("earlier version")
        verbose_name_plural = _("earlier versions")
        constraints = [models.UniqueConstraint(fields=["application", "number"], name="application_version_unique")]

    def __str__(self) -> str:
        return f"{self.application_id} v{self.number}"


class AnnouncementMailing(models.Model):
    """An announcement applicants have been told about: one row per challenge page and announcement
    (by translation key, which survives editing and republishing), so that each is emailed once."""

    page = models.ForeignKey("challenges.ChallengePage", on_delete=models.CASCADE, related_name="+")
    translation_key = models.UUIDField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["page", "translation_key"], name="announcement_mailing_unique")]

    def __str__(self) -> str:
        return f"mailing {self.translation_key} on {self.page_id}"
