"""Admin registration of the shared snippets, grouped under one menu item."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets.button import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from site_core.i18n.report import TranslationStatusMenuItem, TranslationStatusReportView
from site_core.i18n.review import SubmitTranslationForReviewView, can_submit_for_review, remind_in_the_editor
from site_core.models import Boilerplate, Division, MediaContact, OfficeDetails, PartnerCity, Topic
from site_core.text import links as rich_text_links


class DivisionViewSet(SnippetViewSet):
    model = Division
    icon = "group"
    list_display = ["name", "slug", "website"]
    list_filter = ["locale"]


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    list_display = ["name", "slug"]
    list_filter = ["locale"]


class PartnerCityViewSet(SnippetViewSet):
    model = PartnerCity
    icon = "globe"
    list_display = ["name", "region", "country", "program"]
    list_filter = ["locale", "country"]


class MediaContactViewSet(SnippetViewSet):
    model = MediaContact
    icon = "mail"
    list_display = ["office", "organisation", "phone", "email"]
    list_filter = ["locale"]


class BoilerplateViewSet(SnippetViewSet):
    model = Boilerplate
    icon = "doc-full"
    list_display = ["title"]
    list_filter = ["locale"]


class OfficeDetailsViewSet(SnippetViewSet):
    model = OfficeDetails
    icon = "site"
    list_display = ["office_name", "locale"]
    list_filter = ["locale"]


class SharedContentGroup(SnippetViewSetGroup):
    menu_label = _("Shared content")
    menu_icon = "folder-open-inverse"
    menu_order = 300
    items = (
        OfficeDetailsViewSet,
        DivisionViewSet,
        TopicViewSet,
        PartnerCityViewSet,
        MediaContactViewSet,
        BoilerplateViewSet,
    )


register_snippet(SharedContentGroup)


@hooks.register("register_admin_urls")
def register_translation_status_urls():
    return [
        path("reports/translation-status/", TranslationStatusReportView.as_view(), name="translation_status"),
        path(
            "reports/translation-status/results/",
            TranslationStatusReportView.as_view(results_only=True),
            name="translation_status_results",
        ),
    ]


@hooks.register("register_admin_urls")
def register_translation_review_url():
    return [
        path(
            "translations/<int:page_id>/submit-for-review/",
            SubmitTranslationForReviewView.as_view(),
            name="submit_translation_for_review",
        )
    ]


@hooks.register("register_page_listing_more_buttons")
def submit_translation_for_review_listing_button(page, user, next_url=None):
    if can_submit_for_review(user, page):
        url = reverse("submit_translation_for_review", args=[page.pk])
        yield Button(_("Submit for review"), url, icon_name="globe", priority=15)


@hooks.register("register_page_header_buttons")
def submit_translation_for_review_header_button(page, user, view_name=None, next_url=None):
    if can_submit_for_review(user, page):
        url = reverse("submit_translation_for_review", args=[page.pk])
        yield Button(_("Submit for review"), url, icon_name="globe", priority=15)


@hooks.register("before_edit_page", order=-10)  # before wagtail-localize's hook renders its editor
def submit_translation_for_review_reminder(request, page):
    remind_in_the_editor(request, page)


@hooks.register("register_reports_menu_item")
def register_translation_status_menu_item():
    return TranslationStatusMenuItem(
        _("Translation status"), reverse("translation_status"), name="translation-status", icon_name="globe", order=650
    )


@hooks.register("register_rich_text_features", order=1)  # after Wagtail's own rules, which these replace
def register_checked_link_conversion(features):
    features.register_converter_rule("contentstate", "link", rich_text_links.LINK_RULE)
    features.register_converter_rule("contentstate", "document-link", rich_text_links.DOCUMENT_LINK_RULE)
