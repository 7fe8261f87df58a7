from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Home"

    def ready(self):
        from wagtail.signals import page_published

        import home.alerts.confirmation  # noqa: F401 -- registers the double opt-in email with the outbox
        from home.alerts.emails import register_emails
        from home.alerts.sending import on_page_published

        register_emails()  # the alert email's builder, with the outbox
        page_published.connect(on_page_published, dispatch_uid="cio_email_alerts")
