"""Issue 21, item 3: the editors' pickers of topics, divisions, partner cities, media contacts and
boilerplates offer the page's own language only and refuse another's, and a translation made with
wagtail-localize carries its source's topics across in its own language."""

import importlib

import pytest
from django.apps import apps
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, rich_text
from wagtail_localize.models import Translation, TranslationSource

from challenges.models import ChallengePage
from devtools.demo.translation import translate_with_localize
from site_core.admin_forms import LocalisedSnippetChooser
from tests.challenges.test_admin import challenge_form as admin_challenge_form
from tests.factories import (
    BoilerplateFactory,
    ChallengeIndexPageFactory,
    DivisionFactory,
    JobIndexPageFactory,
    JobPostingPageFactory,
    MediaContactFactory,
    NewsReleasePageFactory,
    PartnerCityFactory,
    PartnerCityIndexPageFactory,
    PartnerStoryPageFactory,
    TopicFactory,
    make_challenge,
    release_form,
)

pytestmark = pytest.mark.django_db


def twin(snippet, locale, **french):
    """`snippet`'s translation into `locale`, with its French text."""
    translated = snippet.copy_for_translation(locale)
    for name, value in french.items():
        setattr(translated, name, value)
    translated.save()
    return translated


@pytest.fixture
def snippets(site_tree):
    """Each snippet in English and in French (names that appear nowhere else in the admin)."""
    french = site_tree.french
    road = TopicFactory(name="Road safety", slug="road-safety")
    parks = TopicFactory(name="Parkland", slug="parkland")
    division = DivisionFactory(name="Transportation Services", slug="transportation")
    city = PartnerCityFactory(name="Bloomington", slug="bloomington")
    contact = MediaContactFactory(office="Strategic Communications")
    boilerplate = BoilerplateFactory(title="About the Innovation Team")
    return {
        "topic": (road, twin(road, french, name="Sécurité routière")),
        "other_topic": (parks, twin(parks, french, name="Parcs et espaces verts")),
        "division": (division, twin(division, french, name="Services des transports")),
        "city": (city, twin(city, french, name="Bloomington (Indiana)")),
        "contact": (contact, twin(contact, french, office="Communications stratégiques")),
        "boilerplate": (boilerplate, twin(boilerplate, french, title="À propos de l'équipe d'innovation")),
    }


def french_copy(index, locale, title):
    """A French index, made directly in the French tree (not a wagtail-localize translation, whose edit
    view is wagtail-localize's own editor)."""
    french = index.copy_for_translation(locale)
    french.title = title
    french.save_revision().publish()
    return french.specific


@pytest.fixture
def french_pages(site_tree, snippets):
    """One page of each type with snippet pickers, in the French tree, using French snippets."""
    french = site_tree.french
    topic, division, city = snippets["topic"][1], snippets["division"][1], snippets["city"][1]
    challenges = french_copy(ChallengeIndexPageFactory(parent=site_tree.home), french, "Défis")
    challenge = make_challenge(challenges, title="Moins d'attente aux comptoirs", division=division)
    challenge.topics.set([topic])
    challenge.save()
    newsroom = french_copy(site_tree.news_index, french, "Nouvelles")
    release = NewsReleasePageFactory(parent=newsroom, title="La Ville annonce un projet")
    release.boilerplate_links.add(release.boilerplate_links.model(boilerplate=snippets["boilerplate"][1]))
    release.media_contact_links.add(release.media_contact_links.model(media_contact=snippets["contact"][1]))
    release.save()
    cities = french_copy(PartnerCityIndexPageFactory(parent=site_tree.home), french, "Villes partenaires")
    story = PartnerStoryPageFactory(parent=cities, title="Ce que Bloomington a appris", partner_city=city)
    jobs = french_copy(JobIndexPageFactory(parent=site_tree.home), french, "Emplois")
    job = JobPostingPageFactory(parent=jobs, title="Analyste", division=division)
    return {"challenge": challenge, "release": release, "story": story, "job": job}


def edit_form(page, user):
    """The admin edit form of `page` as the edit view builds it."""
    page = page.specific
    form_class = page.get_edit_handler().get_form_class()
    return form_class(instance=page, for_user=user, parent_page=page.get_parent())


def names(queryset) -> set[str]:
    return {str(item) for item in queryset}


# --- what the pickers offer ------------------------------------------------------------------------


def test_a_french_challenge_form_lists_french_topics_and_divisions_only(superuser_client, french_pages):
    html = superuser_client.get(f"/admin/pages/{french_pages['challenge'].pk}/edit/").content.decode()
    assert "Sécurité routière" in html and "Parcs et espaces verts" in html
    assert "Road safety" not in html and "Parkland" not in html
    assert "Services des transports" in html  # the chosen division
    assert "/admin/snippets/choose/site_core/division/?locale=fr" in html  # its chooser opens on French


def test_a_french_pages_form_fields_hold_french_snippets_only(french_pages, admin_user, snippets):
    french_names = {str(pair[1]) for pair in snippets.values()}
    english_names = {str(pair[0]) for pair in snippets.values()}
    challenge, release, story, job = (
        edit_form(french_pages[name], admin_user) for name in ["challenge", "release", "story", "job"]
    )
    querysets = [
        challenge.fields["topics"].queryset,
        challenge.fields["division"].queryset,
        release.fields["topics"].queryset,
        release.formsets["boilerplate_links"].forms[0].fields["boilerplate"].queryset,
        release.formsets["boilerplate_links"].empty_form.fields["boilerplate"].queryset,
        release.formsets["media_contact_links"].forms[0].fields["media_contact"].queryset,
        release.formsets["media_contact_links"].empty_form.fields["media_contact"].queryset,
        story.fields["topics"].queryset,
        story.fields["partner_city"].queryset,
        job.fields["division"].queryset,
    ]
    offered = set().union(*(names(queryset) for queryset in querysets))
    assert offered <= french_names and not offered & english_names
    assert isinstance(job.fields["division"].widget, LocalisedSnippetChooser)


def test_the_inline_pickers_of_a_french_release_open_on_french(superuser_client, french_pages):
    html = superuser_client.get(f"/admin/pages/{french_pages['release'].pk}/edit/").content.decode()
    assert "Communications stratégiques" in html and "Strategic Communications" not in html
    assert "/admin/snippets/choose/site_core/boilerplate/?locale=fr" in html
    assert "/admin/snippets/choose/site_core/mediacontact/?locale=fr" in html


def test_a_french_partner_story_and_job_offer_french_cities_and_divisions(superuser_client, french_pages):
    story = superuser_client.get(f"/admin/pages/{french_pages['story'].pk}/edit/").content.decode()
    assert "Sécurité routière" in story and "Road safety" not in story
    assert "/admin/snippets/choose/site_core/partnercity/?locale=fr" in story
    job = superuser_client.get(f"/admin/pages/{french_pages['job'].pk}/edit/").content.decode()
    assert "/admin/snippets/choose/site_core/division/?locale=fr" in job


def test_an_english_pages_form_lists_english_topics_only(site_tree, snippets, admin_user):
    challenges = ChallengeIndexPageFactory(parent=site_tree.home)
    challenge = make_challenge(challenges)
    assert names(edit_form(challenge, admin_user).fields["topics"].queryset) == {"Road safety", "Parkland"}


# --- what the forms refuse -------------------------------------------------------------------------


def challenge_form(topics=(), **overrides) -> dict:
    """The add form of a French challenge with `topics` (ids), saved as a draft."""
    data = admin_challenge_form(
        [{"kind": "closes", "starts_at": "2030-02-01 17:00"}],
        title="Moins d'attente aux comptoirs",
        slug="moins-d-attente",
        summary="Aidez les comptoirs à servir plus vite.",
        problem_statement=rich_text("<p>Les résidents attendent une heure.</p>"),
        **overrides,
    )
    data.pop("action-publish")
    return {**data, "topics": [str(pk) for pk in topics]}


@pytest.fixture
def french_challenges(site_tree):
    return french_copy(ChallengeIndexPageFactory(parent=site_tree.home), site_tree.french, "Défis")


def test_a_new_french_challenge_with_an_english_topic_is_refused(superuser_client, french_challenges, snippets):
    english_topic = snippets["topic"][0]
    url = f"/admin/pages/add/challenges/challengepage/{french_challenges.pk}/"
    response = superuser_client.post(url, challenge_form(topics=[english_topic.pk]))
    assert response.status_code == 200
    refusal = f"Select a valid choice. {english_topic.pk} is not one of the available choices."
    assert refusal in response.content.decode()
    assert not ChallengePage.objects.exists()


def test_a_new_french_challenge_with_its_french_topic_and_division_is_saved(
    superuser_client, french_challenges, snippets
):
    french_topic, french_division = snippets["topic"][1], snippets["division"][1]
    url = f"/admin/pages/add/challenges/challengepage/{french_challenges.pk}/"
    response = superuser_client.post(url, challenge_form(topics=[french_topic.pk], division=str(french_division.pk)))
    assert response.status_code == 302, response.content.decode()[:2000]
    challenge = ChallengePage.objects.get()
    assert list(challenge.topics.all()) == [french_topic] and challenge.division == french_division


def test_an_english_division_on_a_french_challenge_is_refused(superuser_client, french_challenges, snippets):
    url = f"/admin/pages/add/challenges/challengepage/{french_challenges.pk}/"
    response = superuser_client.post(url, challenge_form(division=str(snippets["division"][0].pk)))
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not ChallengePage.objects.exists()


def test_an_english_boilerplate_in_a_french_releases_inline_panel_is_refused(superuser_client, french_pages, snippets):
    release = french_pages["release"]
    data = release_form(
        release,
        release_date="2018-05-01 10:00",
        boilerplate_links=inline_formset([{"boilerplate": str(snippets["boilerplate"][0].pk)}]),
    )
    response = superuser_client.post(f"/admin/pages/{release.pk}/edit/", data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert [link.boilerplate for link in release.boilerplate_links.all()] == [snippets["boilerplate"][1]]


# --- translations carry topics across ----------------------------------------------------------------


@pytest.fixture
def english_challenge(site_tree, snippets):
    """A live English challenge about road safety, its list translated into French."""
    index = ChallengeIndexPageFactory(parent=site_tree.home)
    translate_with_localize(index, site_tree.french, {"Challenges": "Défis"})
    challenge = make_challenge(index, title="Safer school streets", slug="safer-school-streets")
    challenge.topics.set([snippets["topic"][0]])
    challenge.save_revision().publish()
    return ChallengePage.objects.get(pk=challenge.pk)


def submit_for_translation(client, page, locale, capture):
    with capture(execute=True):  # wagtail-localize acts after the commit
        response = client.post(f"/admin/localize/submit/page/{page.pk}/", {"locales": [locale.pk]})
    assert response.status_code == 302, response.content.decode()[:3000]
    return ChallengePage.objects.get(pk=page.get_translation(locale).pk)


def test_a_page_submitted_for_translation_gets_the_french_topics(
    superuser_client, site_tree, snippets, english_challenge, django_capture_on_commit_callbacks
):
    french = submit_for_translation(
        superuser_client, english_challenge, site_tree.french, django_capture_on_commit_callbacks
    )
    french_topic = snippets["topic"][1]
    assert list(french.topics.all()) == [french_topic]
    assert french.get_latest_revision().content["topics"] == [french_topic.pk]
    assert superuser_client.get(f"/admin/pages/{french.pk}/edit/").status_code == 200  # the translation editor


def test_the_published_translation_is_found_by_the_french_topic_filter(
    superuser_client, client, site_tree, snippets, english_challenge, django_capture_on_commit_callbacks
):
    french = submit_for_translation(
        superuser_client, english_challenge, site_tree.french, django_capture_on_commit_callbacks
    )
    french.get_latest_revision().publish()
    french = ChallengePage.objects.get(pk=french.pk)
    assert french.live and list(french.topics.all()) == [snippets["topic"][1]]
    listing = french.get_parent().get_url_parts()[2]
    assert "Safer school streets" in client.get(listing, {"topic": "road-safety"}).content.decode()
    assert "Safer school streets" not in client.get(listing, {"topic": "parkland"}).content.decode()


def test_syncing_a_translation_brings_the_sources_new_topics_in_french_and_drops_untranslated_ones(
    superuser_client, site_tree, snippets, english_challenge, django_capture_on_commit_callbacks
):
    french = submit_for_translation(
        superuser_client, english_challenge, site_tree.french, django_capture_on_commit_callbacks
    )
    untranslated = TopicFactory(name="Heritage", slug="heritage")
    english_challenge.topics.set([snippets["topic"][0], snippets["other_topic"][0], untranslated])
    english_challenge.save_revision().publish()

    source = TranslationSource.objects.get(object_id=english_challenge.translation_key)
    source.update_from_db()  # what "Sync translated pages" does
    with django_capture_on_commit_callbacks(execute=True):
        Translation.objects.get(source=source, target_locale=site_tree.french).save_target(publish=True)

    french = ChallengePage.objects.get(pk=french.pk)
    assert french.live
    assert set(french.topics.all()) == {snippets["topic"][1], snippets["other_topic"][1]}


def test_publishing_a_french_revision_that_names_an_english_topic_publishes_the_french_one(
    site_tree, snippets, french_pages
):
    """Revisions saved before this change name English topics; publishing one re-points them."""
    challenge = french_pages["challenge"]
    challenge.topics.set([snippets["topic"][0]])  # in memory, as a revision of the old kind holds it
    revision = Page.save_revision(challenge)
    revision.publish()
    assert list(ChallengePage.objects.get(pk=challenge.pk).topics.all()) == [snippets["topic"][1]]


# --- existing data -----------------------------------------------------------------------------------


def test_the_data_migrations_point_french_pages_at_french_topics(site_tree, snippets, french_pages):
    english, french = snippets["topic"][0], snippets["topic"][1]
    untranslated = TopicFactory(name="Heritage", slug="heritage")
    pages = [french_pages["challenge"], french_pages["release"], french_pages["story"]]
    for page in pages:  # as pages translated before this change hold them, bypassing save()
        page.topics.through.objects.filter(**{f"{page._meta.model_name}_id": page.pk}).delete()
        page.topics.through.objects.create(**{f"{page._meta.model_name}_id": page.pk, "topic_id": english.pk})
        page.topics.through.objects.create(**{f"{page._meta.model_name}_id": page.pk, "topic_id": french.pk})
        page.topics.through.objects.create(**{f"{page._meta.model_name}_id": page.pk, "topic_id": untranslated.pk})

    importlib.import_module("challenges.migrations.0011_localise_topics").localise_topics(apps, None)
    importlib.import_module("news.migrations.0009_localise_topics").localise_topics(apps, None)

    for page in pages:
        assert list(type(page).objects.get(pk=page.pk).topics.all()) == [french], type(page).__name__
