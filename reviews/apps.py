from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reviews"

    def ready(self) -> None:
        from filot.metrics import register_state
        from reviews import corrections

        # Field correction rates, read at scrape time like the other state metrics.
        register_state(corrections.state_metrics)
