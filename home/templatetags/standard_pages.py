"""The standard pages the header menu and the footer link to (home/standard.py), in the visitor's
language, from the shared cache."""

from django import template
from django.conf import settings
from django.utils import translation
from wagtail.models import Site

from home.standard import linked_pages

register = template.Library()


@register.simple_tag(takes_context=True)
def standard_page_links(context, where: str, besides=()) -> list[dict]:
    """The links to standard pages marked for `where` ("menu" or "footer"), leaving out those already
    in `besides` (the menu's own links from the site settings), each with `current` when the visitor
    is on that page or below it."""
    request = context.get("request")
    if request is None:
        return []
    site = Site.find_for_request(request)
    if site is None:
        return []
    language = translation.get_language() or settings.LANGUAGE_CODE
    taken = {link["url"] for link in besides or ()}
    return [
        {**link, "current": request.path.startswith(link["url"])}
        for link in linked_pages(request, site, language)[where]
        if link["url"] not in taken
    ]
