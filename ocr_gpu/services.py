"""Running OCR for a stored document: claim, read, OCR, record, hand over to verification.

Also what this stage owns beyond one run: erasing a document's OCR output and canonical cards
(``ocr_erase``), and recovering documents whose worker vanished or whose hand-over to
verification was lost (``ocr_sweep``). ``workflows`` calls both in order with the other apps'.
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef

from documents import storage
from documents.models import Document
from documents.services import document_enqueue, document_transition
from documents.status import DocumentStatus
from filot import pipeline
from ocr_gpu.loading import ImageUnreadable
from ocr_gpu.metrics import observe_run
from ocr_gpu.models import OcrRun
from ocr_gpu.pipeline import run_ocr
from ocr_gpu.tesseract import OcrEngineError, OcrTimeout

logger = logging.getLogger(__name__)
S = DocumentStatus
SWEEPER = "system:ocr"
RECOVERY = "system:sweeper"


class TransientOcrError(Exception):
    """Worth another attempt later: storage unreachable, a hung Tesseract, a broker hiccup."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class PermanentOcrError(Exception):
    """No attempt will ever succeed (an unreadable image): the document fails at once."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Claim:
    document_id: uuid.UUID
    attempt: int  # within this round (reset by reprocessing), compared with OCR_MAX_ATTEMPTS
    seq: int  # across all rounds: the key of this attempt's OcrRun and VerificationResult
    storage_key: str
    doc_type: str


def ocr_claim(*, document_id: uuid.UUID | str) -> Claim | None:
    """Move a queued document to processing and count the attempt (in PostgreSQL).

    Returns None when there is nothing to do: the document is gone, erased, already taken by
    another worker, or done. When attempts are spent, the document fails instead.
    """
    document = Document.objects.filter(pk=document_id).first()
    if document is None or document.status != S.QUEUED or document.erased_at is not None:
        return None
    if document.attempts >= settings.OCR_MAX_ATTEMPTS:
        document_transition(
            document_id=document.pk,
            source=S.QUEUED,
            target=S.FAILED,
            actor_label=SWEEPER,
            reason="attempts exhausted",
            last_error_code=document.last_error_code or "attempts_exhausted",
        )
        return None
    moved = document_transition(
        document_id=document.pk,
        source=S.QUEUED,
        target=S.PROCESSING,
        actor_label=SWEEPER,
        reason="ocr started",
        attempts=F("attempts") + 1,
        attempt_seq=F("attempt_seq") + 1,
    )
    if not moved:
        return None
    return Claim(
        document_id=document.pk,
        attempt=document.attempts + 1,
        seq=document.attempt_seq + 1,
        storage_key=document.storage_key,
        doc_type=document.doc_type,
    )


def ocr_release(*, claim: Claim, code: str) -> bool:
    """After a transient failure: back to queued for another attempt, or failed when spent.

    Returns True when another attempt should be scheduled.
    """
    if claim.attempt >= settings.OCR_MAX_ATTEMPTS:
        document_transition(
            document_id=claim.document_id,
            source=S.PROCESSING,
            target=S.FAILED,
            actor_label=SWEEPER,
            reason=f"attempts exhausted ({code})",
            last_error_code=code,
        )
        return False
    return document_transition(
        document_id=claim.document_id,
        source=S.PROCESSING,
        target=S.QUEUED,
        actor_label=SWEEPER,
        reason=f"retry after {code}",
        last_error_code=code,
    )


def ocr_fail(*, claim: Claim, code: str, detail: str = "") -> None:
    """Fail the document for good with ``code``; ``detail`` (an error's class, never its
    message) goes into the transition's reason beside it."""
    document_transition(
        document_id=claim.document_id,
        source=S.PROCESSING,
        target=S.FAILED,
        actor_label=SWEEPER,
        reason=f"{code} ({detail})" if detail else code,
        last_error_code=code,
    )


def ocr_execute(*, claim: Claim) -> OcrRun:
    """Read the file and run the OCR pipeline.

    Raises ``TransientOcrError`` for the named errors another attempt may get past (the file
    store unreachable or throttling, a hung or crashing Tesseract), ``PermanentOcrError`` for
    an unreadable or missing file, and lets anything else (a bug) through unchanged.
    """
    started = time.perf_counter()
    try:
        data = storage.read_file(claim.storage_key)
    except FileNotFoundError as exc:
        raise PermanentOcrError("file_missing") from exc
    except Exception as exc:
        if storage.storage_error_is_transient(exc):
            raise TransientOcrError("storage_unavailable") from exc
        raise  # not the store being away: the task fails the document at once
    try:
        result = run_ocr(
            data,
            claim.doc_type.lower(),
            gpu_enabled=settings.OCR_GPU_ENABLED,
            languages=settings.OCR_LANGUAGES,
            timeout_s=settings.OCR_SOFT_TIME_LIMIT * 0.8,
            keep_card=True,
            engine=settings.OCR_ENGINE,
        )
    except ImageUnreadable as exc:
        raise PermanentOcrError(getattr(exc, "code", "image_unreadable")) from exc
    except OcrTimeout as exc:
        raise TransientOcrError("ocr_timeout") from exc
    except OcrEngineError as exc:
        # Tesseract missing or crashing is the worker's fault, not the document's.
        raise TransientOcrError("ocr_engine_error") from exc
    observe_run(
        backend=result.backend,
        requested="cuda" if settings.OCR_GPU_ENABLED else "cpu",
        timings_ms=result.timings_ms,
        engine=result.engine,
        provider=result.provider,
        fallback=result.engine_fallback,
    )
    card_key = store_card(claim=claim, image=result.card_image)
    duration_ms = int((time.perf_counter() - started) * 1000)
    return OcrRun(
        document_id=claim.document_id,
        attempt=claim.seq,
        backend=result.backend,
        engine=result.engine,
        result=result.to_dict(),
        duration_ms=duration_ms,
        card_key=card_key,
    )


def store_card(*, claim: Claim, image: bytes | None) -> str:
    """Store the canonical card beside the upload; returns its key, or "" without one.

    The card only lets the console draw word boxes on any photo, so a storage failure is
    logged and the OCR goes on without it.
    """
    if not image:
        return ""
    key = storage.card_key(storage_key=claim.storage_key, attempt=claim.seq)
    try:
        storage.put_file(key, image)
    except Exception as exc:  # noqa: BLE001 - the card is optional
        logger.warning(
            "canonical card not stored",
            extra={"document_id": str(claim.document_id), "error": type(exc).__name__},
        )
        return ""
    return key


def ocr_record(*, claim: Claim, run: OcrRun) -> OcrRun | None:
    """Store the OCR output and hand over to verification after commit.

    The document stays ``processing`` until verification decides. Returns None if the
    document moved on meanwhile (erased, or recovered by the sweeper for another attempt).
    """
    with transaction.atomic():
        still_ours = (
            Document.objects.select_for_update()
            .filter(
                pk=claim.document_id,
                status=S.PROCESSING,
                attempt_seq=claim.seq,
                erased_at__isnull=True,
            )
            .exists()
        )
        if not still_ours:
            if run.card_key:  # erased or moved on meanwhile: the card must not outlive it
                storage.delete_file(run.card_key)
            return None
        run, _ = OcrRun.objects.get_or_create(
            document_id=claim.document_id,
            attempt=claim.seq,
            defaults={
                "backend": run.backend,
                "engine": run.engine,
                "result": run.result,
                "duration_ms": run.duration_ms,
                "card_key": run.card_key,
            },
        )
        transaction.on_commit(partial(pipeline.ocr_recorded, claim.document_id), robust=True)
    logger.info(
        "ocr finished",
        extra={
            "document_id": str(claim.document_id),
            "attempt": claim.attempt,
            "backend": run.backend,
            "duration_ms": run.duration_ms,
        },
    )
    return run


def ocr_erase(*, document_id: uuid.UUID, storage_key: str, attempts: int) -> None:
    """Erasure (inside the caller's transaction): every OCR run's text goes, and every
    attempt's canonical card is deleted on commit: the recorded keys, and the key each of the
    document's ``attempts`` would have used (a card written by a run that was never recorded).
    ``storage_key`` is the upload's key as it was before erasure."""
    runs = OcrRun.objects.filter(document_id=document_id)
    card_keys = {k for k in runs.values_list("card_key", flat=True) if k}
    if storage_key:
        card_keys.update(
            storage.card_key(storage_key=storage_key, attempt=attempt)
            for attempt in range(1, attempts + 1)
        )
    runs.update(result={}, card_key="")
    for gone in sorted(card_keys):
        transaction.on_commit(partial(storage.delete_file, gone))


def ocr_sweep(*, queued_cutoff: datetime, processing_cutoff: datetime) -> dict[str, int]:
    """Documents this stage left behind, found from PostgreSQL:

    - ``processing`` with this attempt's OCR output stored before ``queued_cutoff`` but no
      decision: the verification message was lost; publish it again (it is idempotent).
    - ``processing`` since before ``processing_cutoff`` (past the hard time limit) without OCR
      output: the worker is gone. Back to ``queued`` and published, or ``failed`` when the
      attempts are spent.
    """
    counts = {"recovered": 0, "failed": 0, "reverified": 0}
    read = OcrRun.objects.filter(document_id=OuterRef("pk"), attempt=OuterRef("attempt_seq"))
    awaiting = Document.objects.filter(
        Exists(read.filter(created_at__lt=queued_cutoff)),
        status=S.PROCESSING,
        erased_at__isnull=True,
    )
    for document_id in awaiting.values_list("pk", flat=True)[:500]:
        pipeline.ocr_recorded(document_id)
        counts["reverified"] += 1

    stuck = Document.objects.filter(
        status=S.PROCESSING, status_changed_at__lt=processing_cutoff
    ).exclude(Exists(read))
    for document_id, attempts in stuck.values_list("pk", "attempts")[:500]:
        if attempts >= settings.OCR_MAX_ATTEMPTS:
            if document_transition(
                document_id=document_id,
                source=S.PROCESSING,
                target=S.FAILED,
                actor_label=RECOVERY,
                reason="attempts exhausted; the worker stopped answering",
                last_error_code="attempts_exhausted",
            ):
                counts["failed"] += 1
            continue
        with transaction.atomic():
            moved = document_transition(
                document_id=document_id,
                source=S.PROCESSING,
                target=S.QUEUED,
                actor_label=RECOVERY,
                reason="worker stopped answering",
                last_error_code="worker_lost",
            )
            if moved:
                transaction.on_commit(partial(document_enqueue, document_id), robust=True)
                counts["recovered"] += 1
    return counts
