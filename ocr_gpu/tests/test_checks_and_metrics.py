"""The Tesseract system check and the OCR metrics an operator watches."""

from __future__ import annotations

import io

import pytesseract
import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from prometheus_client import REGISTRY

from documents.models import Document
from documents.status import DocumentStatus
from ocr_gpu import tesseract
from ocr_gpu.checks import tesseract_installed
from ocr_gpu.tasks import backoff_seconds, ocr_document
from ocr_gpu.testing.cards import make_card


def test_check_passes_with_tesseract_and_indonesian_data():
    assert tesseract_installed() == []


@pytest.fixture
def cli_binding():
    tesseract.configure(binding="cli")
    yield
    tesseract.configure(binding="api")


def test_check_fails_when_tesseract_is_missing(cli_binding, monkeypatch):
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    errors = tesseract_installed()
    assert [e.id for e in errors] == ["ocr_gpu.E001"]
    assert "not installed" in errors[0].msg
    with pytest.raises(SystemCheckError, match=r"ocr_gpu\.E001"):
        call_command("check")


def test_check_fails_when_the_in_process_binding_finds_no_language_data(tmp_path):
    tesseract.configure(tessdata=str(tmp_path))
    try:
        errors = tesseract_installed()
    finally:
        tesseract.configure(tessdata="")
    assert [e.id for e in errors] == ["ocr_gpu.E001"]
    assert "no 'ind' language data" in errors[0].msg and "TESSDATA_PREFIX" in errors[0].hint


def test_check_names_the_missing_language_data(settings):
    settings.OCR_LANGUAGES = "zzz+eng"  # a language pack that is not installed
    errors = tesseract_installed()
    assert len(errors) == 1
    assert "no 'zzz' language data" in errors[0].msg


@pytest.mark.parametrize("attempt", [1, 2, 3, 4])
def test_backoff_grows_exponentially_with_jitter_and_a_cap(settings, attempt):
    settings.OCR_RETRY_BACKOFF_SECONDS = 5
    settings.OCR_RETRY_BACKOFF_MAX_SECONDS = 12
    samples = [backoff_seconds(attempt) for _ in range(200)]
    ceiling = min(12, 5 * 2 ** (attempt - 1))
    assert all(0 <= s <= ceiling for s in samples)
    assert len({round(s, 6) for s in samples}) > 150  # jittered, not a fixed delay
    assert max(samples) > ceiling * 0.8


def _sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.mark.slow
def test_an_ocr_run_is_counted_and_timed_per_stage(auth_client, settings):
    data, _ = make_card("ktp", "clean", 3)
    before_runs = _sample("filot_ocr_runs_total", backend="cpu", requested="cpu")
    stage = {"stage": "ocr", "backend": "cpu", "engine": "ppocr"}
    before_ocr = _sample("filot_ocr_stage_seconds_count", **stage)
    before_engine = _sample("filot_ocr_engine_runs_total", engine="ppocr", provider="cpu")
    response = auth_client.post(
        "/api/v1/documents/", {"file": io.BytesIO(data), "doc_type": "KTP"}, format="multipart"
    )
    assert response.status_code == 202
    document_id = response.json()["id"]

    assert ocr_document.apply(args=(document_id,)).get() == "done"

    assert _sample("filot_ocr_runs_total", backend="cpu", requested="cpu") == before_runs + 1
    assert _sample("filot_ocr_stage_seconds_count", **stage) == before_ocr + 1
    assert _sample("filot_ocr_engine_runs_total", engine="ppocr", provider="cpu") == (
        before_engine + 1
    )
    assert _sample("filot_ocr_active_jobs") == 0


@pytest.mark.slow
def test_a_run_read_by_tesseract_because_ppocr_cannot_load_is_counted(
    auth_client, settings, monkeypatch
):
    import sys

    from ocr_gpu import ppocr

    monkeypatch.setitem(sys.modules, "rapidocr", None)  # a worker built without rapidocr
    ppocr._engine.cache_clear()
    data, _ = make_card("npwp", "clean", 5)
    before = _sample("filot_ocr_engine_fallbacks_total", reason="ppocr_unavailable")
    response = auth_client.post(
        "/api/v1/documents/", {"file": io.BytesIO(data), "doc_type": "NPWP"}, format="multipart"
    )
    try:
        assert ocr_document.apply(args=(response.json()["id"],)).get() == "done"
    finally:
        ppocr._engine.cache_clear()

    assert _sample("filot_ocr_engine_fallbacks_total", reason="ppocr_unavailable") == before + 1
    assert _sample("filot_ocr_engine_runs_total", engine="tesseract", provider="cpu") >= 1


def test_the_ppocr_check_errors_when_asked_for_and_warns_on_auto(settings, monkeypatch):
    import sys

    from ocr_gpu import ppocr
    from ocr_gpu.checks import ppocr_loads

    assert ppocr_loads() == []
    monkeypatch.setitem(sys.modules, "rapidocr", None)
    ppocr._engine.cache_clear()
    try:
        settings.OCR_ENGINE = "ppocr"
        assert [m.id for m in ppocr_loads()] == ["ocr_gpu.E002"]
        settings.OCR_ENGINE = "auto"
        assert [m.id for m in ppocr_loads()] == ["ocr_gpu.W002"]
        settings.OCR_ENGINE = "tesseract"
        assert ppocr_loads() == []
    finally:
        ppocr._engine.cache_clear()


@pytest.mark.parametrize("fault", ["not_installed", "not_the_pinned_file"])
def test_without_its_pinned_model_the_number_reader_is_left_out_with_a_warning(
    settings, monkeypatch, fault
):
    """PP-OCRv4's model is installed for its file alone and checked by its SHA-256: a missing
    or altered file is never loaded, the worker reads on without it, and the check says so."""
    from ocr_gpu import numberreader
    from ocr_gpu.checks import ppocr_loads

    settings.OCR_ENGINE = "auto"
    assert ppocr_loads() == []
    if fault == "not_installed":
        monkeypatch.setattr(numberreader, "MODEL_PACKAGE", "filot_no_such_model_package")
    else:
        monkeypatch.setattr(numberreader, "MODEL_SHA256", "0" * 64)
    numberreader._reader.cache_clear()
    try:
        with pytest.raises(numberreader.PpOcrUnavailable):
            numberreader.model_path()
        assert numberreader.get_reader(use_cuda=False) is None
        assert [m.id for m in ppocr_loads()] == ["ocr_gpu.W004"]
    finally:
        numberreader._reader.cache_clear()


def test_a_permanent_failure_is_counted_by_code(auth_client, settings, tmp_path):
    response = auth_client.post(
        "/api/v1/documents/",
        {"file": io.BytesIO(make_card("npwp", "clean", 4)[0]), "doc_type": "NPWP"},
        format="multipart",
    )
    document = Document.objects.get(pk=response.json()["id"])
    (settings.MEDIA_ROOT / document.storage_key).write_bytes(b"not an image any more")
    before = _sample("filot_ocr_failures_total", code="image_unreadable", outcome="failed")

    assert ocr_document.apply(args=(str(document.pk),)).get() == "image_unreadable"

    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert _sample("filot_ocr_failures_total", code="image_unreadable", outcome="failed") == (
        before + 1
    )
