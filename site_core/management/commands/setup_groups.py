from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from site_core.roles import ROLES


class Command(BaseCommand):
    help = "Create or update the staff groups with exactly the permissions in site_core/roles.py (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        for name, permission_names in ROLES.items():
            group, created = Group.objects.get_or_create(name=name)
            permissions = []
            for dotted in permission_names:
                app_label, codename = dotted.split(".", 1)
                permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
                if permission is None:
                    raise CommandError(f"Unknown permission {dotted}: run migrate first.")
                permissions.append(permission)
            group.permissions.set(permissions)
            self.stdout.write(f"{'Created' if created else 'Updated'} group '{name}' ({len(permissions)} permissions)")
