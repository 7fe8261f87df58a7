"""Which applications a member of staff may see: those of the challenges whose review panel they are
on (PanelMember), in every language version of the challenge. Superusers see all; nobody else sees
any. Every path to an application goes through `visible_applications` or `can_see`: the admin's
list, search, export, inspect, edit, delete and history views, the file downloads, the dashboard
panel and the "Applications" button of a challenge."""

from django.db.models import QuerySet

from challenges.models import Application, PanelMember

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
    return applications.filter(challenge__translation_key__in=panel_challenge_keys(user))


def can_see(user, application: Application) -> bool:
    return visible_applications(user).filter(pk=application.pk).exists()


def reviews_challenge(user, challenge) -> bool:
    """Whether `user` sees this challenge's applications (its "Applications" button)."""
    if user.is_superuser:
        return True
    if not user.is_active or not user.has_perm(VIEW_PERMISSION):
        return False
    return PanelMember.objects.filter(user=user, challenge__translation_key=challenge.translation_key).exists()
