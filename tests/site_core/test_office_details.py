"""The office's name, address and privacy wording are kept once per language and shown in the
visitor's language, falling back to English until a translation exists."""

from wagtail.models import Locale

from devtools.demo.translation import translate_with_localize
from site_core.models import OfficeDetails


def english_details(site_tree) -> OfficeDetails:
    return OfficeDetails.objects.create(
        locale=site_tree.english,
        office_name="Civic Innovation Office",
        street_address="Toronto City Hall\n100 Queen Street West",
    )


def test_french_pages_fall_back_to_the_english_details_until_they_are_translated(client, site_tree):
    english_details(site_tree)
    assert "<title>" in client.get("/fr/").content.decode()
    assert "<title>Civic Innovation Office</title>" in client.get("/fr/").content.decode()


def test_translated_details_appear_on_french_pages_at_once(client, site_tree):
    details = english_details(site_tree)
    client.get("/fr/")  # fills the cache with the English fallback
    translate_with_localize(
        details,
        site_tree.french,
        {
            "Civic Innovation Office": "Bureau de l'innovation civique",
            "Toronto City Hall<br/>100 Queen Street West": "Hôtel de ville de Toronto<br/>100, rue Queen Ouest",
        },
    )
    french = client.get("/fr/").content.decode()
    assert "<title>Bureau de l&#x27;innovation civique</title>" in french
    assert "Hôtel de ville de Toronto<br>100, rue Queen Ouest" in french
    english = client.get("/en/").content.decode()
    assert "<title>Civic Innovation Office</title>" in english
    assert "Toronto City Hall<br>100 Queen Street West" in english


def test_an_edit_in_the_admin_shows_on_the_next_page_view(superuser_client, client, site_tree):
    details = english_details(site_tree)
    client.get("/en/")
    response = superuser_client.post(
        f"/admin/snippets/site_core/officedetails/edit/{details.pk}/",
        {
            "office_name": "Office of Civic Innovation",
            "parent_organisation": "",
            "street_address": "",
            "privacy_legal_authority": "City of Toronto Act, 2006",
            "privacy_officer_title": "",
            "privacy_officer_address": "",
            "privacy_officer_phone": "",
            "open_data_licence_name": "Open Government Licence – Toronto",  # noqa: RUF001
            "open_data_licence_url": "https://open.toronto.ca/open-data-licence/",
        },
    )
    assert response.status_code == 302
    assert "<title>Office of Civic Innovation</title>" in client.get("/en/").content.decode()


def test_a_second_set_of_details_in_one_language_is_refused_with_a_message(superuser_client, site_tree):
    english_details(site_tree)
    response = superuser_client.post(
        "/admin/snippets/site_core/officedetails/add/?locale=en",
        {"office_name": "Another office", "privacy_legal_authority": "x"},
    )
    assert response.status_code == 200
    assert "already exist in this language" in response.content.decode()
    assert OfficeDetails.objects.filter(locale=Locale.objects.get(language_code="en")).count() == 1


def test_without_any_details_the_built_in_name_is_shown(client, site_tree):
    assert "<title>Civic Innovation Office</title>" in client.get("/en/").content.decode()
