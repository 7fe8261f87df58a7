from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Home"

    def ready(self):
        from wagtail.signals import page_published

        import home.alerts.confirmation  # noqa: F401 -- registers the double opt-in email with the outbox
        from home.alerts.emails import register_emails
        from home.alerts.sending import on_page_published
        from home.events.emails import register_emails as register_event_emails
        from home.messages.emails import register_emails as register_message_emails

        register_emails()  # the alert email's builder, with the outbox
        register_event_emails()  # the event registrants' emails (home/events/emails.py)
        register_message_emails()  # the contact and accessibility feedback forms' (home/messages/emails.py)
        page_published.connect(on_page_published, dispatch_uid="cio_email_alerts")
