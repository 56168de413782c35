from django.apps import AppConfig

from filot.metrics import DATABASE, register_state


class ReviewsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reviews"

    def ready(self) -> None:
        from reviews import corrections, metrics

        register_state(metrics.state_metrics, source=DATABASE)
        # Field correction rates, read at scrape time like the other state metrics.
        register_state(corrections.state_metrics)
