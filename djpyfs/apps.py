"""Django application configuration for djpyfs."""

from django.apps import AppConfig


class DjpyfsConfig(AppConfig):
    name = "djpyfs"
    verbose_name = "Django PyFilesystem"
    default_auto_field = "django.db.models.AutoField"

    def ready(self) -> None:
        # Importing registers the system checks and the settings-reset hook.
        from djpyfs import checks, conf  # noqa: F401
