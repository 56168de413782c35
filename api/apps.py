from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The client API: documents with their verification result (upload, list, read, file,
    reprocess) and the caller's profile and KYC status. Above ``verification``, whose results
    it shows; erasure (``DELETE``) is added by the ``erasure`` app."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
    verbose_name = "Client API"
