from django.apps import AppConfig


class PartnerConfig(AppConfig):
    """The BULI2 partner integration: outbox delivery, circuit breaker, signed callbacks."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "reviews.partner"
    label = "partner"
    verbose_name = "Partner (BULI2)"

    def ready(self) -> None:
        from filot import health_details
        from reviews.partner import breaker, checks, receivers

        receivers.connect()
        health_details.register("partner", breaker.health_detail)
        breaker.register_metrics()
        del checks  # imported for its @register side effect
