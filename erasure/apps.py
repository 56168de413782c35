from django.apps import AppConfig


class ErasureConfig(AppConfig):
    """Erasure on request across the apps: the document's file and personal data
    (``documents``), its open manual review (``reviews``) and the partner's copy (BULI2)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "erasure"
