from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0010_release_events"),
    ]

    operations = [
        migrations.AddField(
            model_name="embargopreviewlink",
            name="label",
            # Links made before the label existed keep an empty one (shown as "—" in the admin).
            field=models.CharField(
                default="",
                help_text=(
                    "Who the link is for: the outlet or journalist you send it to, e.g. “Toronto Star, city desk”. "
                    "Only editors see it, to know which link to revoke."
                ),
                max_length=120,
                verbose_name="sent to",
            ),
            preserve_default=False,
        ),
    ]
