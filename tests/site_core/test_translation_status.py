"""Which translations are missing, partly translated, out of date or in sync: the admin report, the
public notice on a lagging translation, and the switcher's fallback to the home page."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from devtools.demo.translation import translate_with_localize
from site_core.i18n.status import Progress, TranslationState, translation_state
from tests.conftest import count_queries
from tests.factories import NewsReleasePageFactory

REPORT = "/admin/reports/translation-status/"
NOW = timezone.now()
HOUR = datetime.timedelta(hours=1)


@pytest.mark.parametrize(
    ("source", "live", "target", "expected"),
    [
        (NOW, None, None, TranslationState.MISSING),  # no translation at all
        (NOW, False, None, TranslationState.MISSING),  # a draft translation is not yet readable
        (NOW, True, NOW + HOUR, TranslationState.IN_SYNC),
        (NOW, True, NOW, TranslationState.IN_SYNC),
        (NOW + HOUR, True, NOW, TranslationState.OUT_OF_DATE),
    ],
)
def test_translation_state(source, live, target, expected):
    assert translation_state(source, live, target) == expected


@pytest.mark.parametrize(
    ("source", "progress", "expected"),
    [
        (NOW, Progress(4, 4), TranslationState.IN_SYNC),
        (NOW, Progress(4, 1), TranslationState.PARTLY_TRANSLATED),
        (NOW + HOUR, Progress(4, 1), TranslationState.PARTLY_TRANSLATED),  # what to do first: translate
        (NOW + HOUR, Progress(4, 4), TranslationState.OUT_OF_DATE),
    ],
)
def test_a_translation_is_in_sync_only_when_every_segment_is_translated(source, progress, expected):
    assert translation_state(source, True, NOW, progress) == expected
    assert translation_state(source, False, None, progress) == TranslationState.MISSING


def every_segment(instance, locale, strings: dict[str, str]) -> dict[str, str]:
    """`strings`, plus a French stand-in for every other segment wagtail-localize extracts."""
    from wagtail_localize.models import TranslationSource

    source, created = TranslationSource.get_or_create_from_instance(instance)
    if not created:
        source.update_from_db()
    segments = {segment.string.data for segment in source.stringsegment_set.select_related("string")}
    return {text: strings.get(text, f"(fr) {text}") for text in segments}


def translate_fully(instance, locale, strings: dict[str, str] | None = None, publish: bool = True):
    return translate_with_localize(instance, locale, every_segment(instance, locale, strings or {}), publish=publish)


def translated_release(site_tree, title="Pilot results published"):
    """An English release and its French translation made through wagtail-localize, every segment
    translated."""
    news_fr = translate_fully(site_tree.news_index, site_tree.french, {"news": "nouvelles"})
    release = NewsReleasePageFactory(parent=site_tree.news_index, title=title, slug="pilot-results")
    release.save_revision().publish()
    translate_fully(release, site_tree.french, {title: "Résultats du projet pilote", "pilot-results": "resultats"})
    return release, news_fr


def report_cells(client, query: str = "") -> dict[str, str]:
    """Page title -> French state, as the report shows them."""
    html = client.get(REPORT + query).content.decode()
    rows = re.findall(r'<th scope="row" class="title"><a [^>]*>([^<]+)</a>.*?data-state="([a-z-]+)"', html, re.S)
    return dict(rows)


def test_report_lists_every_page_with_its_state_and_the_link_that_fixes_it(superuser_client, site_tree):
    release, _news_fr = translated_release(site_tree)
    untranslated = NewsReleasePageFactory(parent=site_tree.news_index, title="Only in English", slug="only-english")
    untranslated.save_revision().publish()

    assert report_cells(superuser_client) == {
        site_tree.home.title: "in-sync",
        site_tree.news_index.title: "in-sync",
        "Pilot results published": "in-sync",
        "Only in English": "missing",
    }
    html = superuser_client.get(REPORT).content.decode()
    assert f'href="/admin/localize/submit/page/{untranslated.pk}/"' in html

    release.save_revision().publish()  # the source changes after the translation
    assert report_cells(superuser_client)["Pilot results published"] == "out-of-date"
    html = superuser_client.get(REPORT).content.decode()
    assert re.search(r'href="/admin/localize/update/\d+/">Sync', html)

    assert report_cells(superuser_client, "?state=out-of-date") == {"Pilot results published": "out-of-date"}
    assert report_cells(superuser_client, "?state=missing") == {"Only in English": "missing"}
    assert set(report_cells(superuser_client, "?state=in-sync")) == {site_tree.home.title, site_tree.news_index.title}

    # Syncing the translation (wagtail-localize re-publishes it) brings it back in sync.
    translate_with_localize(release, site_tree.french, {})
    assert report_cells(superuser_client)["Pilot results published"] == "in-sync"


def test_a_half_translated_page_is_partly_translated_not_in_sync(superuser_client, client, site_tree):
    """The finding: "Publish in French" on a page whose title alone was translated, and the report
    called it in sync. It is "partly translated (N of M segments)", on the report and to readers,
    until every segment is translated and the page published again."""
    translate_fully(site_tree.news_index, site_tree.french, {"news": "nouvelles"})
    release = NewsReleasePageFactory(parent=site_tree.news_index, title="Pilot results", slug="pilot-results")
    release.save_revision().publish()
    segments = every_segment(release, site_tree.french, {})
    assert len(segments) == 4  # title, slug, lead, body paragraph
    french = translate_with_localize(release, site_tree.french, {"Pilot results": "Résultats du projet pilote"})
    assert french.live  # published half-translated, as the Publisher did

    assert report_cells(superuser_client)["Pilot results"] == "partly-translated"
    html = superuser_client.get(REPORT).content.decode()
    assert "Partly translated (1 of 4 segments)" in html
    assert f'href="/admin/pages/{french.pk}/edit/">Finish the translation' in html
    assert report_cells(superuser_client, "?state=partly-translated") == {"Pilot results": "partly-translated"}
    assert "Pilot results" not in report_cells(superuser_client, "?state=in-sync")
    assert "Pilot results" not in report_cells(superuser_client, "?state=out-of-date")
    export = b"".join(superuser_client.get(REPORT + "?export=csv").streaming_content).decode()
    assert any(line.endswith(",Partly translated (1 of 4 segments)") for line in export.splitlines())

    public = client.get(french.url).content.decode()
    assert "translation-notice" in public and "Une partie de cette page n'est pas encore traduite" in public
    assert f'<a href="{release.url}" hreflang="en">' in public

    # Translating the rest without publishing changes nothing readers see: still partly translated.
    translate_fully(release, site_tree.french, {"Pilot results": "Résultats du projet pilote"}, publish=False)
    assert report_cells(superuser_client)["Pilot results"] == "partly-translated"
    french.get_latest_revision().publish()
    assert report_cells(superuser_client)["Pilot results"] == "in-sync"
    assert "translation-notice" not in client.get(french.url).content.decode()


def test_a_page_translated_by_hand_is_judged_by_its_dates_alone(superuser_client, site_tree):
    """A translation whose sync was stopped (edited as an ordinary page) has no segments to count."""
    from wagtail_localize.models import Translation

    release, _news_fr = translated_release(site_tree)
    Translation.objects.filter(source__object_id=release.translation_key).update(enabled=False)
    release.save_revision().publish()
    assert report_cells(superuser_client)["Pilot results published"] == "out-of-date"
    french = release.get_translation(site_tree.french)
    french.save_revision().publish()
    assert report_cells(superuser_client)["Pilot results published"] == "in-sync"


def test_report_exports_a_spreadsheet(superuser_client, site_tree):
    translated_release(site_tree)
    response = superuser_client.get(REPORT + "?export=csv")
    body = b"".join(response.streaming_content).decode()
    assert body.splitlines()[0] == "Page,Path,Type,Source last published,French"
    assert any(line.startswith("Pilot results published,") and line.endswith(",In sync") for line in body.splitlines())


def test_report_costs_the_same_queries_however_many_pages(superuser_client, site_tree):
    made = []

    def add(count):
        for number in range(len(made), len(made) + count):
            made.append(number)
            page = NewsReleasePageFactory(parent=site_tree.news_index, title=f"Release {number}", slug=f"r-{number}")
            page.save_revision().publish()

    add(3)
    superuser_client.get(REPORT)
    small, _response = count_queries(superuser_client, REPORT)
    add(60)  # past one page of the report
    large, response = count_queries(superuser_client, REPORT)
    assert response.status_code == 200
    assert small == large


def test_only_people_who_edit_pages_see_the_report(client, site_tree, django_user_model):
    assert client.get(REPORT).status_code == 302  # to the login page
    call_command("setup_groups", stdout=open("/dev/null", "w"))  # noqa: SIM115
    reviewer = django_user_model.objects.create_user("reviewer", "r@example.ca", "x")
    reviewer.groups.add(Group.objects.get(name="Challenge reviewers"))
    client.force_login(reviewer)
    response = client.get(REPORT)
    assert response.status_code in {302, 403}
    assert "Translation status" not in client.get("/admin/").content.decode()


def test_a_lagging_translation_tells_readers_and_links_to_the_english_page(client, site_tree):
    release, _news_fr = translated_release(site_tree)
    french_url = release.get_translation(site_tree.french).url
    assert "translation-notice" not in client.get(french_url).content.decode()
    in_sync_queries, _response = count_queries(client, french_url)

    release.save_revision().publish()
    client.get(french_url)  # the publish made the shared caches stale: refilled, as by any visitor
    lagging_queries, response = count_queries(client, french_url)
    html = response.content.decode()
    assert "translation-notice" in html
    assert f'<a href="{release.url}" hreflang="en">' in html
    assert lagging_queries == in_sync_queries  # the notice reuses the header's translations query
    assert "translation-notice" not in client.get(release.url).content.decode()  # never on the original

    translate_with_localize(release, site_tree.french, {})
    assert "translation-notice" not in client.get(french_url).content.decode()


def test_the_notice_costs_one_query_on_a_translated_page_however_many_segments(client, site_tree):
    release, _news_fr = translated_release(site_tree)
    french_url = release.get_translation(site_tree.french).url
    client.get(french_url)
    few, _response = count_queries(client, french_url)
    release.body = [("paragraph", f"<p>Paragraph {number}</p>") for number in range(40)]
    release.save_revision().publish()
    translate_fully(release, site_tree.french, {"pilot-results": "resultats"})
    client.get(french_url)
    many, response = count_queries(client, french_url)
    assert "translation-notice" not in response.content.decode()
    assert few == many


def test_the_switcher_explains_when_it_falls_back_to_the_home_page(client, site_tree):
    release = NewsReleasePageFactory(parent=site_tree.news_index, title="Only in English", slug="only-english")
    release.save_revision().publish()
    html = client.get(release.url).content.decode()
    assert 'href="/fr/?untranslated=1" hreflang="fr"' in html
    assert 'hreflang="fr" href=' not in html  # no alternate link to a page that does not exist
    landing = client.get("/fr/?untranslated=1").content.decode()
    assert "translation-notice" in landing
    assert "translation-notice" not in client.get("/fr/").content.decode()
