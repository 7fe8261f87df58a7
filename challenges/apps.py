from django.apps import AppConfig


class ChallengesConfig(AppConfig):
    name = "challenges"
    verbose_name = "Challenges"

    def ready(self):
        from wagtail.permissions import register_permission_policy

        import challenges.outbox  # noqa: F401 -- registers the application's emails with the outbox
        from challenges.admin_views import application_permission_policy
        from challenges.models import Application

        register_permission_policy(Application, application_permission_policy)

        from wagtail.signals import page_published

        from challenges.models import ChallengePage
        from challenges.outbox import on_challenge_published

        page_published.connect(on_challenge_published, sender=ChallengePage, dispatch_uid="cio_announcement_emails")
