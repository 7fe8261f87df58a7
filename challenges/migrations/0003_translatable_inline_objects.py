"""Inline objects of pages become translatable, so wagtail-localize offers their text to translators
(and maps their links to snippets and pages to the translated ones) instead of copying them.

Existing rows take their page's locale and a translation key of their own."""

import uuid

import django.db.models.deletion
from django.db import migrations, models

MODELS = ["ApplicationQuestion", "ChallengeKeyDate", "ChallengeAnnouncement"]


def fill_locale_and_key(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("challenges", name)
        rows = list(model.objects.select_related("page"))
        for row in rows:
            row.locale_id = row.page.locale_id
            row.translation_key = uuid.uuid4()
        model.objects.bulk_update(rows, ["locale", "translation_key"], batch_size=500)


def operations_for(name):
    lower = name.lower()
    return [
        migrations.AddField(
            model_name=lower,
            name="translation_key",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name=lower,
            name="locale",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
    ]


def finish_for(name):
    lower = name.lower()
    return [
        migrations.AlterField(
            model_name=lower,
            name="translation_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AlterField(
            model_name=lower,
            name="locale",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
        migrations.AlterUniqueTogether(name=lower, unique_together={("translation_key", "locale")}),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("challenges", "0002_applications"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        *[operation for name in MODELS for operation in operations_for(name)],
        migrations.RunPython(fill_locale_and_key, migrations.RunPython.noop),
        *[operation for name in MODELS for operation in finish_for(name)],
    ]
