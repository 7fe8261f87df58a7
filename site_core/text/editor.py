"""The admin's rich-text editor widget (WAGTAILADMIN_RICH_TEXT_EDITORS): Wagtail's Draftail, except
that a post whose rich text is not Draftail's contentstate JSON is refused with a 400.

The editor always sends contentstate; raw HTML or other text in its place comes only from a forged
request (or a broken client), and Wagtail's converter raised on it (JSONDecodeError: a 500 on the
page, snippet or StreamField block being saved). Nothing of such a post is stored either way; the
difference is a clear 4xx instead of a server error (docs/security.md, "Rich text")."""

from django.core.exceptions import SuspiciousOperation
from wagtail.admin.rich_text import DraftailRichTextArea


class NotContentstate(SuspiciousOperation):
    """Django answers a SuspiciousOperation with a 400 and logs it to django.security."""


class ContentstateRichTextArea(DraftailRichTextArea):
    def value_from_datadict(self, data, files, name):
        try:
            return super().value_from_datadict(data, files, name)
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            raise NotContentstate(f"Rich text in {name!r} is not the editor's contentstate") from error
