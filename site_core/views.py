"""Site-wide views that sit outside the page tree: health check, robots, error pages."""

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.template import loader
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from site_core.services import dependencies


@never_cache
@require_GET
def healthz(request):
    """The state of each service the site needs, within 2 seconds whatever they do: "ok", "slow"
    (no answer in time, or far slower than normal) or "down" (refused). 503 when the database is
    not "ok" (nothing works without it: take this server out of rotation); 200 with "degraded" when
    only the cache is not (pages still render, more slowly), so that a sick Redis shared by every
    server does not take them all out. Never says why: no host names, no error text."""
    database = dependencies.database_health(timeout=1.0)
    cache = dependencies.cache_health(timeout=0.5)
    if database != "ok":
        status, code = "unavailable", 503
    elif cache in ("slow", "down"):
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    headers = {"Retry-After": "30"} if code == 503 else None
    return JsonResponse({"status": status, "database": database, "cache": cache}, status=code, headers=headers)


@require_GET
def robots_txt(request):
    """Crawlers keep out of the admin, the health check and embargo previews, and find the sitemap index."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /healthz",
        "Disallow: /preview/",  # embargo preview links (news/urls.py): never for search engines
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def render_static_error(template_name: str, status: int, headers: dict | None = None) -> HttpResponse:
    """Render an error page from a template that needs no database and no request context."""
    html = loader.get_template(template_name).render({"STATIC_URL": settings.STATIC_URL})
    return HttpResponse(html, status=status, headers=headers)


def page_not_found(request, exception=None):
    return render_static_error("404.html", 404)


def server_error(request):
    return render_static_error("500.html", 500)


def service_unavailable(request=None):
    return render_static_error("503.html", 503, headers={"Retry-After": "60"})


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form came back without its security token (it expired, or the browser
    did not send the site's cookie). A page that can show its form again with what was typed does so
    (`csrf_failure_response`, the application form); elsewhere our own page, in the visitor's
    language, says what happened and what to do. Never Django's page: English only, with an inline
    style the Content-Security-Policy blocks."""
    page_response = _page_form_again(request)
    if page_response is not None:
        return page_response
    response = TemplateResponse(request, "csrf_failure.html", {}, status=403)
    add_never_cache_headers(response)
    return response


def _page_form_again(request):
    """The page's own answer to a form that failed the CSRF check, if the page has one."""
    from django.urls import Resolver404, resolve
    from wagtail.models import Site

    if request.method != "POST":
        return None
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    path = match.kwargs.get("path", match.args[0] if match.args else None)
    site = Site.find_for_request(request)
    if path is None or site is None:
        return None
    root = site.root_page.localized.specific
    try:
        page, args, _kwargs = root.route(request, [part for part in path.split("/") if part])
    except Http404:
        return None
    view = args[0] if args else None
    handler = getattr(page, "csrf_failure_response", None)
    if handler is None or not page.live:
        return None
    return handler(request, getattr(view, "__name__", ""))
