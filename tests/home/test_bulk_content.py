"""`generate_bulk_content` adds realistic, valid volume on top of the demo content, and tops up on a
second run instead of duplicating."""

import datetime
import io
import json
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.html import escape
from treebeard.exceptions import PathOverflow
from wagtail.fields import StreamField
from wagtail.models import Locale, Page, ReferenceIndex, Site
from wagtail.search.backends import get_search_backend

from challenges.models import ChallengePage
from challenges.status import Status
from devtools.bulk.challenges import ChallengeBuilder
from devtools.bulk.jobs import JobBuilder
from devtools.bulk.news import NewsroomBuilder
from devtools.bulk.pages import bulk_key, child_path, insert_pages, slug_for, step_of, translated_numbers
from devtools.bulk.text import Writer
from devtools.demo.translation import translate_with_localize
from jobs.models import JobPostingPage
from news.models import NewsReleasePage, PartnerStoryPage, ReleaseType
from site_core.models import MediaContact, PartnerCity
from tests.home.test_demo_content import object_counts

SMALL = {"news": 30, "challenges": 12, "jobs": 6, "stories": 8, "french": 25}
KINDS = {
    NewsReleasePage: ("news-release", SMALL["news"]),
    ChallengePage: ("challenge", SMALL["challenges"]),
    JobPostingPage: ("job-posting", SMALL["jobs"]),
    PartnerStoryPage: ("partner-story", SMALL["stories"]),
}


def generated(model, language="en", count=None):
    kind, default = KINDS[model]
    keys = [bulk_key(kind, number) for number in range(1, (count or default) + 1)]
    return model.objects.filter(translation_key__in=keys, locale__language_code=language)


def run(**options) -> str:
    out = io.StringIO()
    call_command("generate_bulk_content", **{**SMALL, **options}, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def bulk_site(demo, django_db_blocker):
    """The demo content plus a small bulk volume, built once for the module inside the demo's transaction
    (rolled back at the module's end; each test runs in a savepoint within it)."""
    with django_db_blocker.unblock():
        return run()


# --- pure helpers --------------------------------------------------------------------------------


def test_the_translated_share_is_exact_evenly_spread_and_stable():
    assert translated_numbers(30, 0.25) == [4, 8, 12, 16, 20, 24, 28]
    assert translated_numbers(100, 0.1) == list(range(10, 101, 10))
    assert translated_numbers(10, 0) == []
    assert translated_numbers(5, 1) == [1, 2, 3, 4, 5]


def test_keys_are_stable_per_kind_and_number():
    assert bulk_key("news-release", 1) == bulk_key("news-release", 1)
    assert len({bulk_key(kind, number) for kind in ("news-release", "challenge") for number in range(50)}) == 100


def test_slugs_are_readable_bounded_and_numbered():
    slug = slug_for("City of Toronto launches a pilot: “smart” traffic signals & more " * 3, 10_000)
    assert slug.startswith("city-of-toronto-launches-a-pilot-smart-traffic-signals-more")
    assert slug.endswith("-10000")
    assert len(slug) <= 80
    assert "--" not in slug


def test_the_french_text_is_a_translation_of_the_english_one():
    english, french = Writer("story:7", "en"), Writer("story:7", "fr")
    english.slots = french.slots = {"city": "Austin", "division": "311 Toronto", "topic": "Mobility"}
    english_body, french_body = english.body(), french.body()
    assert [block for block, _value in english_body] == [block for block, _value in french_body]
    assert english_body != french_body
    assert Writer("x", "en").number(1240) == "1,240"
    assert Writer("x", "fr").number(1240) == "1\xa0240"  # French groups digits with a no-break space
    assert Writer("x", "fr").money(75000) == "75\xa0000 $"


def test_generated_rich_text_is_escaped():
    writer = Writer("escape", "en")
    writer.slots = {"division": "Licensing & <Standards>", "topic": "x", "city": "y"}
    html = "".join(writer.paragraph(30) for _ in range(5))
    assert "Licensing &amp; &lt;Standards&gt;" in html
    assert "<Standards>" not in html


# --- the command ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_creates_the_requested_numbers_and_a_share_in_french(bulk_site):
    for model, (_kind, count) in KINDS.items():
        assert generated(model).count() == count, model
        assert generated(model, "fr").count() == len(translated_numbers(count, SMALL["french"] / 100)), model
    assert "News releases: 30 wanted, 0 already there, 30 created; 7 French translations created" in bulk_site
    assert "Bulk content ready in" in bulk_site


@pytest.mark.django_db
def test_running_it_again_changes_nothing_and_larger_numbers_top_up(bulk_site):
    before = object_counts()
    output = run()
    assert object_counts() == before
    assert "News releases: 30 wanted, 30 already there, 0 created; 0 French translations created" in output

    run(news=33)
    assert generated(NewsReleasePage, count=33).count() == 33
    assert generated(NewsReleasePage, "fr", count=33).count() == len(translated_numbers(33, 0.25))
    assert NewsReleasePage.objects.count() == before["news.NewsReleasePage"] + 3 + 1  # and one more in French


@pytest.mark.django_db
def test_challenges_cover_every_status_with_dates_divisions_topics_and_questions(bulk_site):
    challenges = list(generated(ChallengePage).prefetch_related("key_dates", "questions", "topics"))
    assert {challenge.status for challenge in challenges} == set(Status)
    for challenge in challenges:
        kinds = [key_date.kind for key_date in challenge.key_dates.all()]
        assert {"opens", "closes", "stint-start"} <= set(kinds), challenge.title
        assert challenge.division is not None and challenge.topics.exists()
        assert challenge.award_amount >= 25_000 and "$" in challenge.award_value
    assert sum(challenge.questions.count() for challenge in challenges) >= 3
    assert len({challenge.division_id for challenge in challenges}) > 2
    completed = [challenge for challenge in challenges if challenge.status == Status.COMPLETED]
    assert all(challenge.selected_teams and challenge.outcome_summary for challenge in completed)


@pytest.mark.django_db
def test_releases_spread_over_the_years_with_every_type_topic_and_contact(bulk_site):
    releases = list(generated(NewsReleasePage).prefetch_related("topics", "media_contact_links", "boilerplate_links"))
    now = timezone.now()
    dates = [release.release_date for release in releases]
    assert max(dates) <= now  # nothing embargoed: every release is live and dated in the past
    assert any(date >= now - datetime.timedelta(days=30) for date in dates)
    assert max(dates) - min(dates) > datetime.timedelta(days=365 * 5)
    assert min(dates) >= now - datetime.timedelta(days=365 * 9 + 1)
    assert len({(date.year, date.month) for date in dates}) >= 15
    assert {release.release_type for release in releases} == set(ReleaseType)
    for release in releases:
        assert release.topics.exists() and release.media_contact_links.exists(), release.title
        if release.release_type in {ReleaseType.NEWS_RELEASE, ReleaseType.STATEMENT}:
            assert release.boilerplate_links.exists(), release.title
        assert {block.block_type for block in release.body} >= {"heading", "paragraph"}
    assert len({release.title for release in releases}) >= 0.8 * len(releases)


@pytest.mark.django_db
def test_jobs_are_open_and_closed_across_divisions_and_types(bulk_site):
    postings = list(generated(JobPostingPage))
    assert {posting.is_open for posting in postings} == {True, False}
    assert len({posting.division_id for posting in postings}) > 1
    assert len({posting.employment_type for posting in postings}) == 4
    assert all(posting.posting_date < posting.closes_at.date() for posting in postings)
    assert len({posting.job_id for posting in postings}) == len(postings)


@pytest.mark.django_db
def test_stories_cover_the_six_partner_cities_with_described_images(bulk_site):
    stories = list(generated(PartnerStoryPage))
    cities = PartnerCity.objects.filter(locale__language_code="en")
    assert {story.partner_city_id for story in stories} == {city.pk for city in cities}
    assert all(story.image_id and story.image_alt for story in stories)


@pytest.mark.django_db
def test_slugs_are_unique_and_the_tree_is_valid(bulk_site):
    assert all(problems == [] for problems in Page.find_problems())
    for index in Page.objects.filter(depth__lte=3):
        assert index.numchild == index.get_children().count(), index.url_path
    duplicates = Page.objects.values("url_path").annotate(n=Count("id")).filter(n__gt=1)
    assert not duplicates.exists()


def test_child_paths_are_base_36_steps_of_four_characters():
    assert child_path("0001", 1) == "00010001"
    assert child_path("0001", 36) == "00010010"
    assert child_path("00010002", 36**4 - 1) == "00010002ZZZZ"
    assert [step_of(child_path("0001", step)) for step in (1, 35, 36, 1297, 36**4 - 1)] == [1, 35, 36, 1297, 36**4 - 1]
    with pytest.raises(PathOverflow):
        child_path("0001", 36**4)


@pytest.mark.django_db
def test_computed_paths_are_the_ones_treebeard_gives_its_own_children(bulk_site):
    """child_path and step_of rebuild treebeard's materialised path from its public attributes: this
    fails if treebeard (or Wagtail's Page) changes how it numbers children."""
    parent = Page.get_first_root_node().add_child(instance=Page(title="Paths", slug="bulk-paths"))
    children = [parent.add_child(instance=Page(title=f"Child {n}", slug=f"child-{n}")) for n in range(1, 39)]
    assert [child.path for child in children] == [child_path(parent.path, n) for n in range(1, 39)]
    assert [step_of(child.path) for child in children] == list(range(1, 39))
    # The job list has the demo's postings (add_child) then the generated ones (insert_pages): one
    # numbering, which treebeard's add_child continues.
    jobs = generated(JobPostingPage).first().get_parent()
    paths = list(Page.objects.child_of(jobs).order_by("path").values_list("path", flat=True))
    assert paths == [child_path(jobs.path, n) for n in range(1, len(paths) + 1)]
    after = jobs.add_child(instance=Page(title="After", slug="after-the-generated-postings"))
    assert after.path == child_path(jobs.path, len(paths) + 1)
    assert all(problems == [] for problems in Page.find_problems())


def _own_row(page) -> dict:
    """The page's row in its type's own table, as stored, without the link to its wagtailcore_page row."""
    model = type(page)
    fields = [field for field in model._meta.local_concrete_fields if not field.primary_key]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    pk = connection.ops.quote_name(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table} WHERE {pk} = %s", [page.pk])  # noqa: S608
        row = dict(zip([field.column for field in fields], cursor.fetchone(), strict=True))
    for field in fields:  # StreamField blocks get a random id each time a page is built
        if isinstance(field, StreamField):
            value = row[field.column]
            blocks = json.loads(value) if isinstance(value, str) else value
            row[field.column] = [{key: item for key, item in block.items() if key != "id"} for block in blocks]
    return row


@pytest.mark.django_db
def test_the_page_types_own_rows_are_the_ones_wagtail_saves(bulk_site):
    """insert_own_rows (the one raw INSERT) writes what Wagtail's add_child writes for the same page."""
    english = Locale.objects.get(language_code="en")
    newsroom = NewsroomBuilder(english)
    builders = {
        ChallengePage: ChallengeBuilder(english).challenge,
        NewsReleasePage: newsroom.release,
        PartnerStoryPage: newsroom.story,
        JobPostingPage: JobBuilder(english).posting,
    }
    for model, build in builders.items():
        parent = generated(model).first().get_parent()
        saved = parent.add_child(instance=build(9001, english))
        with transaction.atomic():
            [inserted] = insert_pages(parent, [build(9001, english)])
        assert inserted.pk != saved.pk
        assert _own_row(inserted) == _own_row(saved), model.__name__


@pytest.mark.django_db
def test_every_generated_page_renders_and_a_sample_opens_in_the_editor(bulk_site, client, django_user_model):
    sample = [page for model in KINDS for language in ("en", "fr") for page in generated(model, language)[:4]]
    for page in sample:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
    admin = django_user_model.objects.create_superuser("bulk-editor", "e@example.ca", "x-long-password-1")
    client.force_login(admin)
    for model in KINDS:
        for language in ("en", "fr"):
            page = generated(model, language).first()
            assert client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200, page.url


@pytest.mark.django_db
def test_listings_paginate_and_archives_and_filters_have_content(bulk_site, client):
    first, second = client.get("/en/news/"), client.get("/en/news/?page=2")
    assert first.status_code == second.status_code == 200
    assert first.content != second.content
    recent = generated(NewsReleasePage).order_by("-release_date").first()
    assert escape(recent.title) in client.get("/en/news/recent/").content.decode()
    older = generated(NewsReleasePage).order_by("release_date").first()
    local = timezone.localtime(older.release_date)
    month = client.get(f"/en/news/{local:%Y}/{local:%m}/").content.decode()
    assert escape(older.title) in month
    for status in ("open", "closing-soon", "upcoming", "closed", "in-progress", "completed"):
        html = client.get(f"/en/challenges/?status={status}").content.decode()
        assert any(escape(challenge.title) in html for challenge in generated(ChallengePage)), status
    french = generated(NewsReleasePage, "fr").order_by("-release_date").first()
    assert escape(french.title) in client.get(french.get_parent().url).content.decode()


@pytest.mark.django_db
def test_french_pages_are_translations_of_the_english_ones_with_french_snippets(bulk_site, client):
    french_locale = Locale.objects.get(language_code="fr")
    for release in generated(NewsReleasePage, "fr"):
        english = release.get_translation(Locale.objects.get(language_code="en"))
        assert [block.block_type for block in english.body] == [block.block_type for block in release.body]
        assert english.release_date == release.release_date
        contacts = [link.media_contact for link in release.media_contact_links.all()]
        assert contacts and all(contact.locale_id == french_locale.pk for contact in contacts)
        assert release.url in client.get(english.url).content.decode()  # the language switcher links to it


@pytest.mark.django_db
def test_editors_can_translate_and_republish_a_generated_page(bulk_site, client):
    release = generated(NewsReleasePage).get(translation_key=bulk_key("news-release", 1))
    french = translate_with_localize(release, Locale.objects.get(language_code="fr"), {})
    assert french.live and client.get(french.url).status_code == 200
    release.title = "A corrected title"
    release.save_revision().publish()
    assert client.get(release.url).content.decode().count("A corrected title") >= 1


@pytest.mark.django_db
def test_snippet_usage_counts_the_generated_pages(bulk_site):
    contact = MediaContact.objects.get(locale__language_code="en", office="Strategic Communications")
    using = {reference.object_id for reference in ReferenceIndex.get_references_to(contact)}
    linked = {
        str(release.pk)
        for release in generated(NewsReleasePage)
        if release.media_contact_links.filter(media_contact=contact).exists()
    }
    assert linked and linked <= using


@pytest.mark.django_db
def test_the_batched_reference_index_rows_are_those_wagtail_writes_page_by_page(bulk_site):
    def rows(page):
        return set(
            ReferenceIndex.get_references_for_object(page).values_list(
                "content_type", "to_content_type", "to_object_id", "model_path", "content_path", "content_path_hash"
            )
        )

    pages = [generated(model).order_by("pk").first() for model in KINDS]
    pages += [release for release in generated(NewsReleasePage) if release.related_challenge_links.exists()][:1]
    for page in pages:
        before = rows(page)
        with transaction.atomic():
            ReferenceIndex.create_or_update_for_object(type(page).objects.get(pk=page.pk))
        assert rows(page) == before, page.title
    assert any(rows(page) for page in pages)


@pytest.mark.django_db
def test_generated_pages_are_indexed_when_the_search_index_updates_on_save(bulk_site, settings):
    settings.WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}  # AUTO_UPDATE on
    run(news=31)
    release = generated(NewsReleasePage, count=31).get(translation_key=bulk_key("news-release", 31))
    results = get_search_backend().search(release.title, NewsReleasePage.objects.live())
    assert release.pk in [result.pk for result in results]


@pytest.mark.django_db
def test_it_loads_the_demo_content_first_when_the_site_tree_is_incomplete(bulk_site):
    site = Site.objects.get(is_default_site=True)
    home = site.root_page
    site.root_page = Page.get_first_root_node()
    site.save()
    output = run(news=0, challenges=0, jobs=0, stories=0)
    assert "loading the demo content first" in output
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk


@pytest.mark.django_db
def test_bad_numbers_are_refused_with_a_clear_message(bulk_site):
    with pytest.raises(CommandError, match="expected a whole number, 0 or more, got '-5'"):
        call_command("generate_bulk_content", "--news", "-5")
    with pytest.raises(CommandError, match="percentage between 0 and 100"):
        call_command("generate_bulk_content", "--french", "150")


def test_release_types_and_statuses_are_spread_in_every_short_run():
    from devtools.bulk.challenges import STATUS_CYCLE
    from devtools.bulk.news import TYPE_CYCLE

    assert set(STATUS_CYCLE[:6]) == set(Status)
    assert set(TYPE_CYCLE[:4]) == set(ReleaseType)
    assert Counter(TYPE_CYCLE).most_common(1)[0][0] == ReleaseType.NEWS_RELEASE
