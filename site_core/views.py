"""Site-wide views that sit outside the page tree: health check, robots, error pages."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from site_core import dependencies


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
