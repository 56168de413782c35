"""System check: the OCR engine must run and have the Indonesian language data."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register


@register("ocr")
def tesseract_installed(app_configs: Any = None, **_: Any) -> list[CheckMessage]:
    from ocr_gpu.engine import tesseract_status

    required = settings.OCR_LANGUAGES.split("+")[0]
    ok, detail = tesseract_status(required)
    if ok:
        return []
    return [
        Error(
            f"OCR cannot run: {detail}.",
            hint=(
                "Install Tesseract with its Indonesian data (Debian: apt-get install "
                "tesseract-ocr tesseract-ocr-ind tesseract-ocr-eng), or point TESSERACT_CMD "
                "at the binary."
            ),
            id="ocr_gpu.E001",
        )
    ]
