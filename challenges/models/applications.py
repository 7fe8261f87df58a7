"""What innovators send: applications and editor-defined questions."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.files.storage import storages
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable, TranslatableMixin


def private_storage():
    """Storage outside the public media URL; files are served only through a permission check."""
    return storages["private"]


def attachment_path(instance, filename: str) -> str:
    # A random name: the applicant's file name is kept (cleaned) in `attachment_name` for display only.
    return f"applications/{timezone.now():%Y}/{uuid.uuid4().hex}.pdf"


class QuestionType(models.TextChoices):
    TEXT = "text", _("Short text")
    LONG_TEXT = "long-text", _("Long text")
    CHOICE = "choice", _("One choice")
    CHECKBOXES = "checkboxes", _("Several choices")
    NUMBER = "number", _("Number")
    DATE = "date", _("Date")
    URL = "url", _("Web address")
    YES_NO = "yes-no", _("Yes or no")


class ApplicationQuestion(TranslatableMixin, Orderable):
    """A question editors add to one challenge's application form, after the core questions.

    Translatable (like the other inline objects of pages) so wagtail-localize offers its label, hint
    and choices to translators instead of copying them in English."""

    page = ParentalKey("challenges.ChallengePage", on_delete=models.CASCADE, related_name="questions")
    label = models.CharField(_("question"), max_length=255)
    help_text = models.CharField(
        _("hint"), max_length=400, blank=True, help_text=_("Shown under the question, e.g. what a good answer covers.")
    )
    field_type = models.CharField(_("answer type"), max_length=20, choices=QuestionType.choices, default="text")
    required = models.BooleanField(_("required"), default=True)
    choices = models.TextField(
        _("choices"), blank=True, help_text=_("For 'One choice' and 'Several choices': one choice per line.")
    )
    uid = models.UUIDField(default=uuid.uuid4, editable=False, help_text="Stable key for answers and exports.")

    panels = [
        FieldPanel("label"),
        FieldPanel("help_text"),
        FieldRowPanel([FieldPanel("field_type"), FieldPanel("required")]),
        FieldPanel("choices"),
    ]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("application question")
        verbose_name_plural = _("application questions")

    def __str__(self) -> str:
        return self.label

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class ApplicationStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    UNDER_REVIEW = "under-review", _("Under review")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    SELECTED = "selected", _("Selected")
    DECLINED = "declined", _("Not selected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


DECIDED = {ApplicationStatus.SELECTED, ApplicationStatus.DECLINED}

# The standard questions every application form asks, in the order the form, the reviewers' view and
# the exports show them.
CORE_ANSWER_FIELDS = (
    "organisation_name",
    "contact_name",
    "email",
    "phone",
    "website",
    "team_size",
    "proposal_summary",
)


class Application(models.Model):
    """One application to one challenge. Stored before anything else happens. Until the deadline its
    applicant may change it (each earlier version is kept: ApplicationVersion) or withdraw it, through
    the private link of their confirmation email. Only the Challenge reviewers group (and
    superusers) can see it."""

    challenge = models.ForeignKey(
        "challenges.ChallengePage",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("challenge"),
    )
    # NULL until the row has its id (the reference is built from it); unique allows many NULLs.
    reference = models.CharField(_("reference"), max_length=20, unique=True, null=True, editable=False)  # noqa: DJ001
    form_token = models.UUIDField(
        _("form token"),
        unique=True,
        editable=False,
        help_text="The single-use token of the form that sent it: a second post of the same form is refused.",
    )
    language = models.CharField(_("language"), max_length=10, default="en", editable=False)
    submitted_at = models.DateTimeField(_("received"), default=timezone.now, editable=False, db_index=True)

    organisation_name = models.CharField(_("organisation"), max_length=200)
    contact_name = models.CharField(_("contact name"), max_length=200)
    email = models.EmailField(_("email"), max_length=254)
    phone = models.CharField(_("phone"), max_length=40)
    website = models.URLField(_("website"), max_length=300, blank=True)
    team_size = models.PositiveSmallIntegerField(_("team size"))
    proposal_summary = models.TextField(_("proposal summary"), max_length=5000)
    answers = models.JSONField(_("answers to the challenge's questions"), default=list, blank=True, editable=False)
    attachment = models.FileField(
        _("proposal (PDF)"),
        storage=private_storage,
        upload_to=attachment_path,
        max_length=200,
        editable=False,
    )
    attachment_name = models.CharField(_("file name as sent"), max_length=150, editable=False)
    attachment_size = models.PositiveIntegerField(_("file size (bytes)"), editable=False)
    consent_at = models.DateTimeField(_("agreed to the notice of collection"), editable=False)

    is_spam = models.BooleanField(
        _("held for a check"),
        default=False,
        db_index=True,
        help_text=_(
            "Held: its applicant has not been sent a confirmation yet. Check it; clearing this box sends the "
            "confirmation (once)."
        ),
    )
    spam_reason = models.CharField(_("why it is held"), max_length=200, blank=True, editable=False)

    status = models.CharField(
        _("review status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.RECEIVED,
        db_index=True,
    )
    notes = models.TextField(_("reviewer notes"), blank=True, help_text=_("Visible to reviewers only."))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_reason = models.TextField(
        _("reason for the decision"), blank=True, editable=False, help_text=_("Recorded by the panel's chair.")
    )
    publish_consent = models.BooleanField(
        _("agreed to be named if selected"),
        default=False,
        editable=False,
        help_text=_(
            "The applicant agreed that the City may name their organisation on the challenge page if selected."
        ),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True, editable=False)
    changed_at = models.DateTimeField(_("last changed by the applicant"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Its emails in the site's outbox (challenges/outbox.py), deleted with it.
    emails = GenericRelation("site_core.OutgoingEmail", related_query_name="application")

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self) -> str:
        reference = self.reference or _("(no reference yet)")  # outside the f-string, where makemessages finds it
        return f"{reference}: {self.organisation_name}"

    def save(self, *args, **kwargs):
        if self.status in DECIDED and self.decided_at is None:
            self.decided_at = timezone.now()
        elif self.status not in DECIDED:
            self.decided_at = None
        loaded = getattr(self, "_loaded", None)
        if loaded is None or not self.pk:
            super().save(*args, **kwargs)
            return
        from challenges.outbox import emails_for_review_change

        with transaction.atomic():
            super().save(*args, **kwargs)
            emails = emails_for_review_change(self, loaded)
        self._loaded = {"status": self.status, "is_spam": self.is_spam}
        if emails:
            from site_core.services.outbox import send_soon

            send_soon(email.pk for email in emails)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # As loaded: saving a change of status or of the hold tells the applicant (challenges/outbox.py).
        instance._loaded = {name: getattr(instance, name) for name in ("status", "is_spam") if name in field_names}
        return instance

    @property
    def is_withdrawn(self) -> bool:
        return self.status == ApplicationStatus.WITHDRAWN

    def answers_text(self) -> str:
        """The answers to the challenge's own questions, one "question: answer" per line."""
        return "\n".join(f"{answer['label']}: {answer['display']}" for answer in self.answers)

    answers_text.short_description = _("answers")
