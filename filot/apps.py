from django.apps import AppConfig


class FilotConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "filot"
    verbose_name = "FiLot accounts"

    def ready(self) -> None:
        # Registers the system checks and the OpenAPI extensions.
        from filot import checks, schema  # noqa: F401
