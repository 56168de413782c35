from django.apps import AppConfig

from filot import health_details


class PartnerConfig(AppConfig):
    """The BULI2 partner integration: outbox delivery, circuit breaker, signed callbacks."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "reviews.partner"
    label = "partner"
    verbose_name = "Partner (BULI2)"

    def ready(self) -> None:
        from reviews.partner import breaker, checks

        health_details.register("partner", breaker.health_detail)
        breaker.register_metrics()
        del checks  # imported for its @register side effect
