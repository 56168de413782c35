from django.apps import AppConfig


class OcrGpuConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ocr_gpu"
