from django.apps import AppConfig


class OcrGpuConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ocr_gpu"
    verbose_name = "OCR"

    def ready(self) -> None:
        import pytesseract
        from django.conf import settings

        from ocr_gpu import checks  # noqa: F401  (registers the system check)

        pytesseract.pytesseract.tesseract_cmd = settings.OCR_TESSERACT_CMD
