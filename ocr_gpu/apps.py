from django.apps import AppConfig

from filot.checks import register_service_probe


class OcrGpuConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ocr_gpu"
    verbose_name = "OCR"

    def ready(self) -> None:
        from django.conf import settings

        from ocr_gpu import (
            checks,  # registers the system checks
            tesseract,
        )

        tesseract.configure(
            binding=settings.OCR_TESSERACT_BINDING,
            command=settings.OCR_TESSERACT_CMD,
            tessdata=settings.OCR_TESSDATA_DIR,
        )
        register_service_probe("tesseract", checks.tesseract_probe)
