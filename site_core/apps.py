from django.apps import AppConfig


class SiteCoreConfig(AppConfig):
    name = "site_core"
    verbose_name = "Site core"

    def ready(self):
        from site_core import accounts, page_cache, proxy_cache
        from site_core.dependencies import install_database_waits
        from site_core.share_image import connect_signals

        connect_signals()
        page_cache.connect_signals()
        proxy_cache.connect_signals()
        accounts.register_emails()
        accounts.connect_signals()
        install_database_waits()
