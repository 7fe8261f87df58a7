import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Development only: create the superuser 'admin' with a random password, printed once."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        if not settings.DEBUG:
            raise CommandError("ensure_admin is for development; create production users with createsuperuser.")
        user_model = get_user_model()
        if user_model.objects.filter(username=username).exists():
            self.stdout.write(f"Admin user '{username}' already exists (password printed when it was created).")
            return
        password = secrets.token_urlsafe(12)
        user_model.objects.create_superuser(username=username, email=f"{username}@example.ca", password=password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created admin user: username '{username}', password '{password}' (shown once; log in at /admin/)"
            )
        )
