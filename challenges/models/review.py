"""Who reviews which challenge: the panel of each challenge (issue 20). A reviewer sees, searches,
exports and downloads only the applications of the challenges whose panel they are on
(challenges/panels.py)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel

REVIEWERS_GROUP = "Challenge reviewers"  # site_core/security/roles.py


class PanelMember(models.Model):
    """A reviewer on a challenge's panel. The challenge is its page in any language: membership
    covers the applications sent to every language version of it (same translation key)."""

    challenge = models.ForeignKey(
        "challenges.ChallengePage",
        on_delete=models.CASCADE,
        related_name="panel_members",
        verbose_name=_("challenge"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_panels", verbose_name=_("reviewer")
    )
    is_chair = models.BooleanField(
        _("chairs the panel"), default=False, help_text=_("The chair compares the scores and records decisions.")
    )
    assigned_at = models.DateTimeField(_("assigned"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["challenge__title", "user__last_name", "user__username"]
        verbose_name = _("panel member")
        verbose_name_plural = _("panel members")
        constraints = [models.UniqueConstraint(fields=["challenge", "user"], name="panel_member_unique")]

    def __str__(self) -> str:
        name = self.user.get_full_name() or self.user.get_username()
        return f"{name}: {self.challenge.title}"


class PanelMemberForm(WagtailAdminModelForm):
    """Only members of the reviewers' role can sit on a panel; a challenge is chosen once, by its
    page in the site's default language (the panel covers its translations)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model
        from wagtail.models import Locale

        from challenges.models import ChallengePage

        if "user" in self.fields:
            self.fields["user"].queryset = (
                get_user_model()
                .objects.filter(is_active=True, groups__name=REVIEWERS_GROUP)
                .distinct()
                .order_by("last_name", "first_name", "username")
            )
            self.fields["user"].label_from_instance = lambda user: user.get_full_name() or user.get_username()
        if "challenge" in self.fields:
            default = Locale.get_default()
            self.fields["challenge"].queryset = ChallengePage.objects.filter(locale=default).order_by("title")


PanelMember.base_form_class = PanelMemberForm
PanelMember.panels = [FieldPanel("challenge"), FieldPanel("user"), FieldPanel("is_chair")]


class ConflictDeclaration(models.Model):
    """A reviewer's declaration of conflicts of interest for one challenge (by its page in the default
    language; it covers the translations), made before they may read its applications. It covers
    the applications received up to `covers_until`: one received later asks for a new declaration."""

    challenge = models.ForeignKey(
        "challenges.ChallengePage", on_delete=models.CASCADE, related_name="+", verbose_name=_("challenge")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="conflict_declarations",
        verbose_name=_("reviewer"),
    )
    declared_at = models.DateTimeField(_("declared"), default=timezone.now)
    covers_until = models.DateTimeField(_("covers the applications received until"), default=timezone.now)

    class Meta:
        verbose_name = _("conflict of interest declaration")
        verbose_name_plural = _("conflict of interest declarations")
        constraints = [models.UniqueConstraint(fields=["challenge", "user"], name="conflict_declaration_unique")]

    def __str__(self) -> str:
        return f"{self.user}: {self.challenge_id}"


class Conflict(models.Model):
    """A declared conflict: `user` does not see this application and takes no part in its review.
    Deleted with the application (and so purged with it)."""

    declaration = models.ForeignKey(ConflictDeclaration, on_delete=models.CASCADE, related_name="conflicts")
    application = models.ForeignKey("challenges.Application", on_delete=models.CASCADE, related_name="conflicts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "user"], name="conflict_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} / {self.application_id}"


class ScoreSheet(models.Model):
    """One reviewer's scores of one application (challenges/scoring.py): a score on the scale of
    `scoring.SCORES` and a comment per evaluation criterion of the challenge, and an overall note. A
    draft until submitted; submitted, it is final (the chair may return it to its reviewer as a draft)
    and its weighted total is kept. Deleted with its application (and so purged with it)."""

    application = models.ForeignKey(
        "challenges.Application", on_delete=models.CASCADE, related_name="score_sheets", verbose_name=_("application")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="score_sheets", verbose_name=_("reviewer")
    )
    # {criterion key: {"score": 0-5 or None, "comment": "..."}}; the key is the criterion block's id.
    scores = models.JSONField(_("scores"), default=dict, blank=True)
    overall_note = models.TextField(_("overall note"), blank=True, max_length=4000)
    total = models.DecimalField(_("weighted total (out of 100)"), max_digits=4, decimal_places=1, null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        constraints = [models.UniqueConstraint(fields=["application", "reviewer"], name="score_sheet_unique")]

    def __str__(self) -> str:
        return f"{self.application_id} / {self.reviewer_id}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class DecisionRelease(models.Model):
    """The chair released the decisions of a challenge (by its page in the default language): from then
    on its applicants see their decision and are emailed it, all at once."""

    challenge = models.OneToOneField(
        "challenges.ChallengePage", on_delete=models.CASCADE, related_name="+", verbose_name=_("challenge")
    )
    released_at = models.DateTimeField(_("released"), default=timezone.now)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("released by")
    )

    class Meta:
        verbose_name = _("release of decisions")
        verbose_name_plural = _("releases of decisions")

    def __str__(self) -> str:
        return f"{self.challenge_id}: {self.released_at:%Y-%m-%d}"
