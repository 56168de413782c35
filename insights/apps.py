from django.apps import AppConfig


class InsightsConfig(AppConfig):
    """Decision quality for the people who run FiLot: the threshold what-if, correction rates,
    blind QA and second-review agreement, and the decisions export. Reads every app below it
    (documents, verification, reviews) and owns no table."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "insights"
    verbose_name = "Decision quality"
