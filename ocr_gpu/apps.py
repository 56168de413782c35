from django.apps import AppConfig

from filot.checks import register_service_probe


class OcrGpuConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ocr_gpu"
    verbose_name = "OCR"

    def ready(self) -> None:
        import pytesseract
        from django.conf import settings

        from ocr_gpu import checks  # registers the system checks

        pytesseract.pytesseract.tesseract_cmd = settings.OCR_TESSERACT_CMD
        register_service_probe("tesseract", checks.tesseract_probe)
