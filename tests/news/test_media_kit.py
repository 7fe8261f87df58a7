"""A release's media kit (issue 23): photos journalists may download as originals, each shown as a
rendition with its size, caption, credit and licence, in both languages, in a fixed number of queries."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.test.utils.form_data import streamfield

from news.models import NewsReleasePage
from site_core.blocks import MEDIA_KIT_PREVIEW, MediaKitPhotoBlock, MediaLicence
from tests.conftest import assert_constant_queries
from tests.factories import NewsReleasePageFactory, release_form

pytestmark = pytest.mark.django_db


def photo(title="Launch", size=(1600, 1200)):
    image = get_image_model()(title=title, file=get_test_image_file(f"{title}.png", size=size))
    image._set_image_file_metadata()  # the size the admin's upload form records
    image.save()
    return image


def kit_item(image, licence=MediaLicence.NEWS_USE, caption="The mayor announces the office."):
    return (
        "photo",
        {
            "image": image,
            "alt_text": "The mayor at a lectern",
            "caption": caption,
            "credit": "City of Toronto",
            "licence": licence.value,
        },
    )


@pytest.fixture
def release(site_tree, root_collection):
    page = NewsReleasePageFactory(parent=site_tree.news_index, slug="launch", title="Launch")
    page.media_kit = [kit_item(photo()), kit_item(photo("Team"), licence=MediaLicence.CC_BY, caption="The team.")]
    page.save_revision().publish()
    return NewsReleasePage.objects.get(pk=page.pk)


def media_kit_html(client, url: str) -> str:
    html = client.get(url).content.decode()
    assert 'aria-labelledby="media-kit"' in html, "no media kit on the page"
    return html.split('<section class="media-kit"')[1].split("</section>")[0]


def test_each_photo_shows_a_rendition_with_its_size_and_alt_text(client, release):
    html = media_kit_html(client, release.url)
    images = re.findall(r"<img [^>]+>", html)
    assert len(images) == 2
    rendition = release.media_kit[0].value["image"].get_rendition(MEDIA_KIT_PREVIEW)
    assert (rendition.width, rendition.height) == (640, 480)
    assert f'src="{rendition.url}" width="640" height="480" alt="The mayor at a lectern"' in images[0]


def test_each_photo_links_its_original_with_format_dimensions_and_file_size(client, release):
    original = release.media_kit[0].value["image"]
    html = media_kit_html(client, release.url)
    assert f'<a href="{original.file.url}" download>Download the original' in html
    assert original.file.url.startswith("/media/original_images/")
    assert "(PNG, 1600 \u00d7 1200 pixels, " in html
    assert original.file_size and f"{original.file_size / 1024:.1f}\u00a0KB" in html


def test_caption_credit_and_licence_are_shown_and_creative_commons_links_its_deed(client, release):
    html = media_kit_html(client, release.url)
    assert '<p class="media-kit__caption">The mayor announces the office.</p>' in html
    assert '<p class="media-kit__credit">Photo: City of Toronto</p>' in html
    assert "Free to use in news coverage, with the credit shown" in html
    assert (
        '<a href="https://creativecommons.org/licenses/by/4.0/deed.en" rel="license">'
        "Creative Commons Attribution 4.0 (CC BY 4.0)</a>"
    ) in html


def test_a_french_release_shows_its_media_kit_in_french(client, site_tree, root_collection):
    from news.models import NewsIndexPage

    news_fr = site_tree.news_index.copy_for_translation(site_tree.french)
    news_fr.title, news_fr.slug = "Nouvelles", "nouvelles"
    news_fr.save_revision().publish()
    page = NewsReleasePageFactory(
        parent=NewsIndexPage.objects.get(pk=news_fr.pk), locale=site_tree.french, slug="lancement", title="Lancement"
    )
    page.media_kit = [kit_item(photo(), licence=MediaLicence.CC_BY, caption="Le maire annonce le bureau.")]
    page.save_revision().publish()
    html = media_kit_html(client, "/fr/nouvelles/lancement/")
    with translation.override("fr"):
        assert translation.gettext("Media kit") in html
        assert translation.gettext("Media kit") != "Media kit"
        assert translation.gettext("Download the original") in html
    assert "https://creativecommons.org/licenses/by/4.0/deed.fr" in html
    assert '<p class="media-kit__credit">Photo\u00a0: City of Toronto</p>' in html


def test_a_release_without_photos_has_no_media_kit_section(client, site_tree):
    NewsReleasePageFactory(parent=site_tree.news_index, slug="plain")
    assert "media-kit" not in client.get("/en/news/plain/").content.decode()


@pytest.mark.parametrize("missing", ["alt_text", "caption", "credit"])
def test_a_photo_needs_its_alt_text_caption_and_credit(root_collection, missing):
    block = MediaKitPhotoBlock()
    value = {"image": photo().pk, "alt_text": "Alt", "caption": "Caption", "credit": "City", "licence": "news-use"}
    value[missing] = ""
    with pytest.raises(ValidationError):
        block.clean(block.to_python(value))


def test_the_editor_adds_a_photo_in_the_admin_and_a_missing_credit_is_refused(superuser_client, site_tree, release):
    image = release.media_kit[0].value["image"]

    def post(credit: str):
        data = release_form(
            release,
            media_kit=streamfield(
                [
                    (
                        "photo",
                        {
                            "image": image.pk,
                            "alt_text": "A lectern",
                            "caption": "The lectern.",
                            "credit": credit,
                            "licence": "cc0-1.0",
                        },
                    )
                ]
            ),
            **{"action-publish": "publish"},
        )
        return superuser_client.post(f"/admin/pages/{release.pk}/edit/", data)

    refused = post("")
    assert refused.status_code == 200
    assert "The page could not be saved due to validation errors" in refused.content.decode()
    assert post("Jane Doe / City of Toronto").status_code == 302
    html = media_kit_html(superuser_client, release.url)
    assert "Photo: Jane Doe / City of Toronto" in html
    assert "https://creativecommons.org/publicdomain/zero/1.0/deed.en" in html


def test_the_api_gives_each_photo_as_the_rendition_the_page_shows(client, release):
    body = client.get(f"/api/v2/pages/{release.pk}/").json()
    photos = body["media_kit"]
    assert [item["value"]["credit"] for item in photos] == ["City of Toronto", "City of Toronto"]
    assert photos[0]["value"]["image"]["width"] == 640
    assert photos[0]["value"]["licence"] == "news-use"


def test_the_release_page_takes_the_same_queries_with_1_or_6_photos(client, site_tree, root_collection):
    page = NewsReleasePageFactory(parent=site_tree.news_index, slug="launch")
    images = []

    def add_photos(count):
        images.extend(photo(f"Photo {len(images) + n}", size=(320, 240)) for n in range(count))
        page.media_kit = [kit_item(image) for image in images]
        page.save_revision().publish()

    assert_constant_queries(client, "/en/news/launch/", add_photos, small=1, large=6)


def test_an_admin_post_without_a_streamfield_is_refused_with_a_message_and_changes_nothing(
    superuser_client, site_tree, release
):
    """The browser builds each StreamField's fields; a post without one (a script, a form cut short)
    used to be a server error in Wagtail's block. It is a refused form now, and the page keeps its
    photos and its title."""
    data = release_form(release, title="Renamed by a partial post", **{"action-publish": "publish"})
    del data["media_kit-count"]
    refused = superuser_client.post(f"/admin/pages/{release.pk}/edit/", data)
    assert refused.status_code == 200
    assert "This form arrived incomplete, so nothing was saved." in refused.content.decode()
    release.refresh_from_db()
    assert release.title == "Launch" and len(release.media_kit) == 2
