"""The outbox becomes the site's (site_core.OutgoingEmail, for every kind of email): queued and
failed application emails move there, tied to their application, then the old table goes."""

from django.db import migrations


def move_emails(apps, schema_editor):
    OldEmail = apps.get_model("challenges", "OutgoingEmail")
    NewEmail = apps.get_model("site_core", "OutgoingEmail")
    ContentType = apps.get_model("contenttypes", "ContentType")
    application_type, _ = ContentType.objects.get_or_create(app_label="challenges", model="application")
    NewEmail.objects.bulk_create(
        [
            NewEmail(
                kind=old.kind,
                to=old.to,
                language=old.language,
                content_type_id=application_type.pk,
                object_id=old.application_id,
                dedupe_key=f"{old.kind}:{old.application_id}",
                state=old.state,
                attempts=old.attempts,
                last_error=old.last_error,
                next_attempt_at=old.next_attempt_at,
                created_at=old.created_at,
                sent_at=old.sent_at,
            )
            for old in OldEmail.objects.order_by("pk").iterator()
        ],
        batch_size=500,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("challenges", "0003_translatable_inline_objects"),
        ("site_core", "0005_outbox"),
    ]

    operations = [
        migrations.RunPython(move_emails, migrations.RunPython.noop),
        migrations.DeleteModel(name="OutgoingEmail"),
    ]
