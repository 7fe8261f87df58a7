"""Which applications a member of staff may see: those of the challenges whose review panel they are
on (PanelMember), in every language version of the challenge. Superusers see all; nobody else sees
any. Every path to an application goes through `visible_applications` or `can_see`: the admin's
list, search, export, inspect, edit, delete and history views, the file downloads, the dashboard
panel and the "Applications" button of a challenge.

Conflicts of interest (ConflictDeclaration, Conflict): an application a reviewer declared a conflict
with is not visible to them at all; and before reading an application (inspect, edit, download,
export) a reviewer declares their conflicts for its challenge, once, covering the applications
received until then (`readable_applications`). The list shows the references and organisations
they need to declare."""

from django.db.models import Exists, OuterRef, QuerySet

from challenges.models import Application, Conflict, ConflictDeclaration, PanelMember

VIEW_PERMISSION = "challenges.view_application"


def panel_challenge_keys(user) -> QuerySet:
    """The translation keys of the challenges `user` reviews (a subquery)."""
    return PanelMember.objects.filter(user=user).values("challenge__translation_key")


def visible_applications(user, queryset: QuerySet | None = None) -> QuerySet:
    applications = Application.objects.all() if queryset is None else queryset
    if user is None or not user.is_authenticated or not user.is_active:
        return applications.none()
    if user.is_superuser:
        return applications
    if not user.has_perm(VIEW_PERMISSION):
        return applications.none()
    return applications.filter(challenge__translation_key__in=panel_challenge_keys(user)).exclude(
        Exists(Conflict.objects.filter(user=user, application=OuterRef("pk")))
    )


def readable_applications(user, queryset: QuerySet | None = None) -> QuerySet:
    """The visible applications whose challenge's conflicts `user` has declared since they arrived."""
    applications = visible_applications(user, queryset)
    if user is None or not user.is_authenticated or user.is_superuser:
        return applications
    declared = ConflictDeclaration.objects.filter(
        user=user,
        challenge__translation_key=OuterRef("challenge__translation_key"),
        covers_until__gte=OuterRef("submitted_at"),
    )
    return applications.filter(Exists(declared))


def needs_declaration(user, application: Application) -> bool:
    """Visible, but its challenge's conflicts are not declared (or not since it arrived)."""
    return not readable_applications(user).filter(pk=application.pk).exists()


def can_see(user, application: Application) -> bool:
    return visible_applications(user).filter(pk=application.pk).exists()


def reviews_challenge(user, challenge) -> bool:
    """Whether `user` sees this challenge's applications (its "Applications" button)."""
    if user.is_superuser:
        return True
    if not user.is_active or not user.has_perm(VIEW_PERMISSION):
        return False
    return PanelMember.objects.filter(user=user, challenge__translation_key=challenge.translation_key).exists()
