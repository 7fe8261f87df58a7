"""The pages of one person's own business: a form holding their answers, a page reached by the key in
an email's link (an application, an alerts subscription, an event registration). The one rule for
them: never stored by a cache (the proxy's, the page cache's, the browser's; a form also carries its
CSRF token), never indexed, and, for a page reached by a key, only the site's origin ever sent as
the Referer, so the key never leaves in one. (Not "no-referrer": under it Chromium posts the page's
own forms with `Origin: null`, which Django's CSRF check refuses.)"""

from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers


def personal_page(request, template: str, context: dict, status: int = 200, keyed: bool = False) -> TemplateResponse:
    response = TemplateResponse(request, template, context, status=status)
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    if keyed:
        response["Referrer-Policy"] = "strict-origin"
    return response
