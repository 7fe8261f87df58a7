"""Site-wide views that sit outside the page tree: health check, robots, error pages."""

from django.conf import settings
from django.db import DatabaseError, connections
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def healthz(request):
    """200 when the database answers a query, 503 otherwise; never says why to the public."""
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable"}, status=503, headers={"Retry-After": "30"})
    return JsonResponse({"status": "ok"})


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
