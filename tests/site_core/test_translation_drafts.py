"""Issue 21, item 1: no English page goes live under /fr/. A Translator who submits a live English
challenge for translation gets a French draft, never a live page; the draft stays invisible on every
public path (page, listing, feed, sitemap, API, search, the .ics, hreflang) and the Translator
cannot publish it."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from challenges.models import ChallengePage
from devtools.demo.home import index_pages_for_search
from devtools.demo.translation import translate_with_localize
from tests.factories import ChallengeIndexPageFactory, make_challenge

pytestmark = pytest.mark.django_db

TITLE = "Shorter waits at permit counters"


@pytest.fixture
def submitted(client, site_tree, django_user_model, django_capture_on_commit_callbacks):
    """A live English challenge (with a live French challenge list) that a Translator submitted for
    translation into French through wagtail-localize's own form."""
    call_command("setup_groups", stdout=io.StringIO())
    index = ChallengeIndexPageFactory(parent=site_tree.home)
    translate_with_localize(index, site_tree.french, {"Challenges": "Défis"})
    challenge = make_challenge(index, title=TITLE, slug="shorter-waits")
    translator = django_user_model.objects.create_user("traductrice", password="x-long-password-1")
    translator.groups.add(Group.objects.get(name="Translators"))
    client.force_login(translator)
    with django_capture_on_commit_callbacks(execute=True):  # wagtail-localize acts after the commit
        response = client.post(f"/admin/localize/submit/page/{challenge.pk}/", {"locales": [site_tree.french.pk]})
    assert response.status_code == 302, response.content.decode()[:3000]
    french = challenge.get_translation(site_tree.french)
    return {"challenge": challenge, "french": ChallengePage.objects.get(pk=french.pk), "client": client}


def test_submitting_for_translation_makes_a_french_draft_never_a_live_page(submitted):
    french = submitted["french"]
    assert not french.live
    assert french.has_unpublished_changes


def test_the_french_draft_is_invisible_on_every_public_path(submitted, client):
    client.logout()
    french, english = submitted["french"], submitted["challenge"]
    path = french.get_url_parts()[2]  # the address it would have: /fr/.../shorter-waits/
    assert path.startswith("/fr/")
    assert client.get(path).status_code == 404
    assert client.get(f"{path}calendar.ics").status_code == 404
    listing = client.get(french.get_parent().get_url_parts()[2]).content.decode()
    assert TITLE not in listing
    assert TITLE not in client.get(f"{french.get_parent().get_url_parts()[2]}feed/").content.decode()
    assert path not in client.get("/sitemap-fr.xml").content.decode()
    api = client.get("/api/v2/pages/", {"locale": "fr", "type": "challenges.ChallengePage"}).json()
    assert api["meta"]["total_count"] == 0
    assert client.get(f"/api/v2/pages/{french.pk}/").status_code == 404
    index_pages_for_search()
    assert TITLE in client.get("/en/search/", {"q": "permit"}).content.decode()  # the index has it
    french_search = client.get("/fr/search/", {"q": "permit"})
    assert french_search.status_code == 200 and TITLE not in french_search.content.decode()
    english_html = client.get(english.url).content.decode()
    assert 'rel="alternate" hreflang="fr"' not in english_html


def test_a_translator_cannot_publish_the_french_page(submitted, site_tree):
    client, french = submitted["client"], submitted["french"]
    client.post(f"/admin/pages/{french.pk}/edit/", {"action": "publish"})
    client.post(f"/admin/pages/{french.pk}/edit/", {"action-publish": "action-publish", "title": "X", "slug": "x"})
    assert not ChallengePage.objects.get(pk=french.pk).live


def test_the_translator_submits_for_review_and_a_publishers_approval_publishes_it(
    submitted, site_tree, django_user_model, django_capture_on_commit_callbacks
):
    from wagtail.models import WorkflowState

    client, french = submitted["client"], submitted["french"]
    explorer = client.get(f"/admin/pages/{french.get_parent().pk}/").content.decode()
    url = f"/admin/translations/{french.pk}/submit-for-review/"
    assert url in explorer  # among the page's actions
    page = client.get(url).content.decode()
    assert "segments are not translated yet" in page  # the title and summary are still English
    assert client.post(url).status_code == 302
    state = WorkflowState.objects.get()
    assert state.status == "in_progress" and state.requested_by.username == "traductrice"
    assert not ChallengePage.objects.get(pk=french.pk).live
    assert client.get(url, follow=True).status_code == 404  # in review already: nothing to submit

    publisher = django_user_model.objects.create_user("publisher", password="x-long-password-1")
    publisher.groups.add(Group.objects.get(name="Publishers"))
    client.force_login(publisher)
    task_state = state.current_task_state
    action = reverse("wagtailadmin_pages:workflow_action", args=[french.pk, "approve", task_state.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(action, {"comment": ""})
    assert response.status_code in (200, 302), response.content.decode()[:2000]
    assert ChallengePage.objects.get(pk=french.pk).live, (response.status_code, response.content.decode()[:1500])


def test_the_translator_finds_submit_for_review_in_the_translation_editor(submitted):
    """The French page's edit view is wagtail-localize's translation editor; a message above it says
    what is left to translate and carries the button, so the translator submits from where they
    translate."""
    client, french = submitted["client"], submitted["french"]
    editor = client.get(f"/admin/pages/{french.pk}/edit/")
    html = editor.content.decode()
    assert editor.status_code == 200 and "js-translation-editor" in html  # wagtail-localize's editor
    assert f'href="/admin/translations/{french.pk}/submit-for-review/"' in html
    assert "segments are not translated yet" in html
    client.post(f"/admin/translations/{french.pk}/submit-for-review/")
    in_review = client.get(f"/admin/pages/{french.pk}/edit/").content.decode()
    assert "submit-for-review" not in in_review  # already in review: nothing to submit
