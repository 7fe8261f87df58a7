"""Shareable preview links for embargoed releases: a journalist with the link reads the release's
latest draft before it goes live; the link dies at go-live (or earlier, when revoked)."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from site_core.security.tokens import new_token

TOKEN_MAX_LENGTH = 64


def preview_link_is_valid(
    *,
    revoked_at: datetime.datetime | None,
    expires_at: datetime.datetime,
    go_live_at: datetime.datetime | None,
    live: bool,
    now: datetime.datetime,
) -> bool:
    """The rule of an embargo preview link, given the link's dates and the page's current state.

    Valid iff the link is not revoked, it has not expired, and the page is not yet live past its
    go-live time. A link dies at the page's *current* go-live time too (when an editor moved it
    earlier than the link's expiry), and a page without a go-live time is no longer under embargo,
    so its links are dead."""
    if revoked_at is not None or go_live_at is None:
        return False
    if now >= expires_at or now >= go_live_at:
        return False
    return not (live and now >= go_live_at)


def embargo_is_in_future(page, now: datetime.datetime | None = None) -> bool:
    """Whether a release is under embargo (go-live time in the future), so links can be made."""
    now = now or timezone.now()
    return page.go_live_at is not None and page.go_live_at > now


class EmbargoPreviewLinkQuerySet(models.QuerySet):
    def for_token(self, token: str):
        """The link with this token and its page (specific), or None."""
        if not token or len(token) > TOKEN_MAX_LENGTH:
            return None
        return self.select_related("page", "page__locale").filter(token=token).first()


class EmbargoPreviewLink(models.Model):
    page = models.ForeignKey(
        "news.NewsReleasePage",
        on_delete=models.CASCADE,
        related_name="embargo_preview_links",
        verbose_name=_("news release"),
    )
    label = models.CharField(
        _("sent to"),
        max_length=120,
        help_text=_(
            "Who the link is for: the outlet or journalist you send it to, e.g. “Toronto Star, city desk”. "
            "Only editors see it, to know which link to revoke."
        ),
    )
    token = models.CharField(_("token"), max_length=TOKEN_MAX_LENGTH, unique=True, db_index=True, default=new_token)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = EmbargoPreviewLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("embargo preview link")
        verbose_name_plural = _("embargo preview links")
        ordering = ["-created_at", "-pk"]
        default_permissions = ()
        permissions = [("share_embargo_preview", "Can create embargo preview links")]

    def __str__(self) -> str:
        return f"Embargo preview link {self.pk} for page {self.page_id}"

    @classmethod
    def create_for(cls, page, label: str, user=None) -> "EmbargoPreviewLink":
        """A new link to `page` for the outlet `label`, expiring at its go-live time. The caller checks
        the embargo."""
        return cls.objects.create(page=page, label=label, created_by=user, expires_at=page.go_live_at)

    def ends_at(self) -> datetime.datetime | None:
        """When the link stops working: its expiry, or the page's go-live time if earlier."""
        go_live_at = self.page.go_live_at
        return min(self.expires_at, go_live_at) if go_live_at else None

    def is_valid(self, now: datetime.datetime | None = None) -> bool:
        return preview_link_is_valid(
            revoked_at=self.revoked_at,
            expires_at=self.expires_at,
            go_live_at=self.page.go_live_at,
            live=self.page.live,
            now=now or timezone.now(),
        )

    def status(self, now: datetime.datetime | None = None) -> str:
        """ "active", "revoked" or "expired", for the admin listing."""
        if self.revoked_at is not None:
            return "revoked"
        return "active" if self.is_valid(now) else "expired"

    def revoke(self, now: datetime.datetime | None = None) -> None:
        if self.revoked_at is None:
            self.revoked_at = now or timezone.now()
            self.save(update_fields=["revoked_at"])
