from django.apps import AppConfig

from filot.metrics import DATABASE, register_state


class DocumentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "documents"

    def ready(self) -> None:
        from documents import metrics

        register_state(metrics.state_metrics, source=DATABASE)
