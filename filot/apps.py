from django.apps import AppConfig


class FilotConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "filot"
    verbose_name = "FiLot accounts"

    def ready(self) -> None:
        from filot import checks  # noqa: F401  (registers the system checks)
