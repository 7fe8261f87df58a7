from django.apps import AppConfig


class SiteCoreConfig(AppConfig):
    name = "site_core"
    verbose_name = "Site core"

    def ready(self):
        from site_core.caching import generation, proxy_cache
        from site_core.security import accounts
        from site_core.seo.share_image import connect_signals
        from site_core.services.dependencies import install_database_waits

        connect_signals()
        generation.connect_signals()
        proxy_cache.connect_signals()
        accounts.register_emails()
        accounts.connect_signals()
        install_database_waits()
