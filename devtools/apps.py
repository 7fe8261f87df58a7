from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Installed by the dev and test settings only: its commands are not available in production."""

    name = "devtools"
    label = "devtools"
