from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.views.account import PasswordResetView
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.documents.views import serve as document_views

from home.search import search_view
from site_core import routing, views
from site_core.api.endpoints import api_router
from site_core.security import accounts
from site_core.seo import sitemaps

handler404 = "site_core.views.page_not_found"
handler500 = "site_core.views.server_error"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemaps.sitemap_section, name="sitemap_section"),
    # Wagtail's own views, limited against guessing (site_core/security/accounts.py), before Wagtail's patterns.
    path(
        "admin/password_reset/",
        accounts.limited_password_reset(PasswordResetView.as_view()),
        name="wagtailadmin_password_reset",
    ),
    path(
        "documents/authenticate_with_password/<int:restriction_id>/",
        accounts.limited_password_view(document_views.authenticate_with_password, "document"),
        name="wagtaildocs_authenticate_with_password",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    path("", include("news.urls")),  # /preview/<token>/: embargo preview links, outside the language prefixes
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Every public page lives under a language prefix: /en/…, /fr/…; "/" redirects by Accept-Language.
urlpatterns += i18n_patterns(
    # Page routes that end in a file name (a challenge's calendar.ics, the challenges' open data as
    # challenges.csv and challenges.json) reach Wagtail's router too; its own pattern only accepts
    # paths ending in a slash.
    re_path(r"^((?:[\w\-]+/)*[\w\-]+\.(?:ics|csv|json))$", routing.serve, name="wagtail_serve_file"),
    path("search/", search_view, name="search"),
    path("alerts/", include("home.alerts.urls")),
    path("events/", include("home.events.urls")),
    path("", include("home.messages.urls")),  # contact/form/, accessibility/feedback/
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        accounts.limited_password_view(wagtail_views.authenticate_with_password, "page"),
        name="wagtailcore_authenticate_with_password",
    ),
    # Wagtail's serve view, the page found in two queries (site_core/routing.py), before Wagtail's own
    # pattern (the same one), which stays for its other views.
    re_path(wagtail_urls.serve_pattern, routing.serve, name="wagtail_serve"),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
