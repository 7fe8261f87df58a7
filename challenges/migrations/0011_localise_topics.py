"""Pages translated before topics followed their translations still point at the source's topics (a
French page at English topics): each becomes its translation in the page's language, or goes when
the topic has none. Since then `BasePage.localise_snippet_links` keeps every save in step."""

from django.db import migrations

APP = "challenges"
MODELS = ["ChallengePage"]


def localise_topics(apps, schema_editor):
    """Each topic of a page of another language than the page's becomes its translation in the page's
    language, or is removed when there is none."""
    topic_model = apps.get_model("site_core", "Topic")
    rows = topic_model.objects.values_list("pk", "locale_id", "translation_key")
    topics = {pk: (locale_id, key) for pk, locale_id, key in rows}
    twins = {(key, locale_id): pk for pk, (locale_id, key) in topics.items()}
    for name in MODELS:
        model = apps.get_model(APP, name)
        field = model._meta.get_field("topics")
        through = field.remote_field.through
        page_column, topic_column = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
        page_locales = dict(model.objects.values_list("pk", "locale_id"))
        rows = list(through.objects.values_list("pk", page_column, topic_column))
        linked = {(page_id, topic_id) for _pk, page_id, topic_id in rows}
        for row_pk, page_id, topic_id in rows:
            locale_id, key = topics[topic_id]
            page_locale = page_locales[page_id]
            if locale_id == page_locale:
                continue
            twin = twins.get((key, page_locale))
            if twin is None or (page_id, twin) in linked:
                through.objects.filter(pk=row_pk).delete()
            else:
                through.objects.filter(pk=row_pk).update(**{topic_column: twin})
                linked.add((page_id, twin))


class Migration(migrations.Migration):
    dependencies = [
        ("challenges", "0010_key_date_online"),
        ("site_core", "0001_initial"),
    ]

    operations = [migrations.RunPython(localise_topics, migrations.RunPython.noop)]
