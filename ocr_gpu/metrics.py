"""Prometheus metrics of the OCR worker.

Worker processes are not scraped through Django's ``/metrics``: the worker serves its own
registry on ``WORKER_METRICS_PORT`` (see ``filot/celery.py``). With ``PROMETHEUS_MULTIPROC_DIR``
set, every pool process writes to that folder and the exporter sums them.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

OCR_STAGE_SECONDS = Histogram(
    "filot_ocr_stage_seconds",
    "Duration of one OCR stage (load, preprocess, ocr, numbers, second, quality, total) by the "
    "primary engine and the preprocessing backend.",
    ["stage", "backend", "engine"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0),
)
OCR_ACTIVE_JOBS = Gauge(
    "filot_ocr_active_jobs",
    "OCR jobs running right now.",
    multiprocess_mode="livesum",
)
OCR_FAILURES = Counter(
    "filot_ocr_failures_total",
    "OCR attempts that failed, by error code and whether another attempt follows.",
    ["code", "outcome"],
)
OCR_RUNS = Counter(
    "filot_ocr_runs_total",
    "Finished OCR runs by the backend used and the backend asked for (cuda asked, cpu used = "
    "fallback).",
    ["backend", "requested"],
)


OCR_ENGINE_RUNS = Counter(
    "filot_ocr_engine_runs_total",
    "Finished OCR runs by the engine that read the card and where it ran (ONNX Runtime provider: "
    "cpu or cuda; Tesseract always cpu).",
    ["engine", "provider"],
)
OCR_ENGINE_FALLBACKS = Counter(
    "filot_ocr_engine_fallbacks_total",
    "OCR runs read by Tesseract because PP-OCR could not (reason: ppocr_unavailable = it did not "
    "load, ppocr_error = it failed on the image).",
    ["reason"],
)


def observe_run(
    *,
    backend: str,
    requested: str,
    timings_ms: dict[str, float],
    engine: str = "tesseract",
    provider: str = "cpu",
    fallback: str = "",
) -> None:
    OCR_RUNS.labels(backend=backend, requested=requested).inc()
    OCR_ENGINE_RUNS.labels(engine=engine, provider=provider).inc()
    if fallback:
        OCR_ENGINE_FALLBACKS.labels(reason=fallback).inc()
    for stage, milliseconds in timings_ms.items():
        OCR_STAGE_SECONDS.labels(stage=stage, backend=backend, engine=engine).observe(
            milliseconds / 1000
        )
