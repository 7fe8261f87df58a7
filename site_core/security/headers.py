"""Content-Security-Policy for every response (django-csp), with one policy for the public site and
a separate one for the Wagtail admin. See docs/security.md, "Headers and CSP".

The public policy carries no nonce and allows no inline script or style: public pages are stored
whole by the page cache (site_core/caching/page_cache.py) and by the caching proxy and then shared between
visitors, so a per-request nonce baked into their HTML would be replayed to everyone. The middleware
sits before the page cache in MIDDLEWARE, so a page answered from the cache gets its headers here,
just as a freshly rendered one does.
"""

from functools import lru_cache
from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver

from site_core.compat import django_csp


@lru_cache(maxsize=1)
def media_origin() -> str | None:
    """The origin public media is served from when it is not this site (object storage, a CDN's
    MEDIA_DOMAIN, an absolute MEDIA_URL), asked of the storage itself so that every way of
    configuring it is covered; None when media is served by this site."""
    url = storages["default"].url("csp-probe.jpg")
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return None


# The header each policy builds to, by (admin?, media origin): building it is a noticeable part of
# serving a page from the page cache (docs/performance.md), and it is the same for every response
# without a view's own policy or a nonce.
_built_headers: dict[tuple, str] = {}


@receiver(setting_changed)
def forget_media_origin(setting, **kwargs):
    if setting in ("STORAGES", "MEDIA_URL"):
        media_origin.cache_clear()
    _built_headers.clear()


def is_admin_path(path: str) -> bool:
    return path.startswith(tuple(settings.CSP_ADMIN_PATH_PREFIXES))


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, choosing the admin's policy under CSP_ADMIN_PATH_PREFIXES and adding
    the media origin to the public and admin policies alike. The common case (no per-view policy, no
    nonce, no report-only policy) reuses the header already built for the same policy."""

    def process_response(self, request, response):
        plain = (
            not django_csp.nonce_was_used(request)
            and not django_csp.response_sets_own_policy(response)
            and not getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            and django_csp.HEADER not in response
            and not (settings.DEBUG and response.status_code in (404, 500))  # django-csp leaves Django's debug pages
        )
        if not plain:
            return super().process_response(request, response)
        key = (is_admin_path(request.path_info), media_origin())
        header = _built_headers.get(key)
        if header is None:
            header = _built_headers[key] = django_csp.policy_header(self.get_policy_parts(request, response))
        response[django_csp.HEADER] = header
        # As django-csp does: a nonce asked for after the header is written is an error, not a silent
        # script refusal.
        django_csp.forbid_nonce_after_header(self, request)
        return response

    def get_policy_parts(self, request, response, report_only=False) -> django_csp.PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only:
            return parts
        if parts.config is None:  # no view chose its own policy (csp_override): the site's
            directives = (
                settings.CONTENT_SECURITY_POLICY_ADMIN if is_admin_path(request.path_info) else None
            ) or settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
            parts.config = django_csp.directives_config(directives)
        origin = media_origin()
        if origin:  # images and their renditions; documents are links, which CSP does not govern
            update = dict(parts.update or {})
            update["img-src"] = [*update.get("img-src", ()), origin]
            parts.update = update
        return parts
