"""Writes for documents: submission, status transitions, reprocessing and erasure."""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from documents import storage
from documents.models import Document, DocumentTransition
from documents.sanitize import strip_metadata
from documents.status import STAFF_ONLY_TRANSITIONS, DocumentStatus, is_allowed
from documents.validation import UploadLimits, inspect_upload, too_large
from filot.errors import Conflict, FilotError
from filot.models import User

logger = logging.getLogger(__name__)
S = DocumentStatus


class IllegalTransition(FilotError):
    status_code = 409
    default_code = "illegal_transition"
    default_detail = "The document cannot move to that status from its current one."


def upload_limits() -> UploadLimits:
    return UploadLimits(
        max_bytes=settings.DOCUMENT_MAX_UPLOAD_BYTES,
        max_pixels=settings.DOCUMENT_MAX_PIXELS,
        min_long_side=settings.DOCUMENT_MIN_LONG_SIDE,
        min_short_side=settings.DOCUMENT_MIN_SHORT_SIDE,
        pdf_dpi=settings.DOCUMENT_PDF_RENDER_DPI,
        store_min_long_side=settings.DOCUMENT_STORE_MIN_LONG_SIDE,
        pdf_cpu_seconds=settings.DOCUMENT_PDF_RENDER_CPU_SECONDS,
        pdf_memory_bytes=settings.DOCUMENT_PDF_RENDER_MEMORY_MB * 1024 * 1024,
        pdf_timeout_seconds=settings.DOCUMENT_PDF_RENDER_TIMEOUT_SECONDS,
    )


def _actor_label(actor: User | None, label: str | None) -> str:
    if label:
        return label
    return f"user:{actor.pk}" if actor is not None else "system"


def document_transition(
    *,
    document_id: uuid.UUID | str,
    source: str | Iterable[str],
    target: str,
    actor: User | None = None,
    actor_label: str | None = None,
    reason: str = "",
    **updates: object,
) -> bool:
    """Move a document from ``source`` to ``target`` if it is still in ``source``.

    The move is a conditional UPDATE, so two workers racing for the same document cannot both
    win. Returns whether this call made the move; records it with actor and time when it did.
    Raises ``IllegalTransition`` (and writes nothing) when the table forbids the move.
    """
    sources = [source] if isinstance(source, str) else list(source)
    for src in sources:
        if not is_allowed(src, target):
            raise IllegalTransition(
                f"A document cannot move from {src} to {target}.",
                details={"from": src, "to": target},
            )
    now = timezone.now()
    with transaction.atomic():
        current = (
            Document.objects.select_for_update()
            .filter(pk=document_id, status__in=sources)
            .values_list("status", flat=True)
            .first()
        )
        if current is None:
            return False
        Document.objects.filter(pk=document_id).update(
            status=target, status_changed_at=now, updated_at=now, **updates
        )
        DocumentTransition.objects.create(
            document_id=document_id,
            from_status=current,
            to_status=target,
            actor=actor,
            actor_label=_actor_label(actor, actor_label),
            reason=reason[:255],
        )
    return True


def enqueue_ocr(document_id: uuid.UUID | str) -> None:
    """Publish the OCR task; a broker failure is logged and left to the stuck-document sweep."""
    from ocr_gpu.tasks import ocr_document

    try:
        ocr_document.apply_async(args=(str(document_id),))
    except Exception as exc:  # noqa: BLE001 - the row is the source of truth; the sweep republishes
        logger.warning(
            "ocr enqueue failed; the sweep will retry",
            extra={"document_id": str(document_id), "error": type(exc).__name__},
        )
        return
    Document.objects.filter(pk=document_id).update(last_enqueued_at=timezone.now())


def document_submit(
    *, owner: User, doc_type: str, upload: UploadedFile, idempotency_key: str | None = None
) -> tuple[Document, bool]:
    """Validate, store and record an uploaded document; returns ``(document, created)``.

    Order matters: validate, strip metadata and hash first, write the object, then create the
    row; the object is removed again if the row cannot be written. OCR is enqueued only after
    commit. The stored bytes carry no EXIF/XMP/comments; ``sha256`` and ``size_bytes`` describe
    them, so the hash matches the downloadable file.
    """
    limits = upload_limits()
    if upload.size is not None and upload.size > limits.max_bytes:
        raise too_large(limits.max_bytes)
    inspected = inspect_upload(upload.read(), limits)
    data = strip_metadata(inspected.data, inspected.content_type)
    sha256 = hashlib.sha256(data).hexdigest()

    if idempotency_key:
        existing = _replay(owner=owner, key=idempotency_key, doc_type=doc_type, sha256=sha256)
        if existing is not None:
            return existing, False

    document_id = uuid.uuid4()
    key = storage.document_key(
        owner_id=owner.pk, document_id=document_id, extension=inspected.extension
    )
    storage.put_file(key, data)
    try:
        with transaction.atomic():
            document = Document.objects.create(
                id=document_id,
                owner=owner,
                doc_type=doc_type,
                storage_key=key,
                content_type=inspected.content_type,
                size_bytes=len(data),
                sha256=sha256,
                image_phash=inspected.phash,
                image_width=inspected.width,
                image_height=inspected.height,
                status=S.QUEUED,
                idempotency_key=idempotency_key or None,
            )
            DocumentTransition.objects.create(
                document=document,
                from_status="",
                to_status=S.QUEUED,
                actor=owner,
                actor_label=_actor_label(owner, None),
                reason=(
                    "uploaded"
                    if inspected.source_content_type == inspected.content_type
                    else "uploaded as PDF; its first page is stored as an image"
                ),
            )
            transaction.on_commit(lambda: enqueue_ocr(document_id), robust=True)
    except IntegrityError:
        storage.delete_file(key)
        if idempotency_key:
            # A concurrent request with the same key won the race; answer as a replay.
            existing = _replay(owner=owner, key=idempotency_key, doc_type=doc_type, sha256=sha256)
            if existing is not None:
                return existing, False
        raise
    except BaseException:
        storage.delete_file(key)
        raise
    # Where tasks run in-process (development) OCR and verification ran on commit: answer with
    # the document as it is now, not as it was created.
    document.refresh_from_db()
    logger.info(
        "document submitted",
        extra={
            "document_id": str(document.pk),
            "doc_type": doc_type,
            "bytes": document.size_bytes,
            "source_content_type": inspected.source_content_type,
        },
    )
    return document, True


def _replay(*, owner: User, key: str, doc_type: str, sha256: str) -> Document | None:
    existing = Document.objects.filter(owner=owner, idempotency_key=key).first()
    if existing is None:
        return None
    if existing.sha256 != sha256 or existing.doc_type != doc_type:
        raise Conflict(
            "This Idempotency-Key was already used with a different file.",
            code="idempotency_key_reused",
            details={"document_id": str(existing.pk)},
        )
    return existing


def document_reprocess(*, document: Document, actor: User) -> Document:
    """Send a document back to the OCR queue: owners from ``failed`` only, staff from any
    settled status."""
    if document.erased_at is not None:
        raise IllegalTransition("An erased document cannot be reprocessed.", code="document_erased")
    source = document.status
    if (source, S.QUEUED) in STAFF_ONLY_TRANSITIONS and not actor.is_staff:
        raise IllegalTransition(
            "Only failed documents can be reprocessed.",
            code="reprocess_not_allowed",
            details={"status": source},
        )
    if source == S.PROCESSING or not is_allowed(source, S.QUEUED) or source == S.QUEUED:
        raise IllegalTransition(
            "The document is already queued or being processed.",
            code="reprocess_not_allowed",
            details={"status": source},
        )
    with transaction.atomic():
        moved = document_transition(
            document_id=document.pk,
            source=source,
            target=S.QUEUED,
            actor=actor,
            reason="reprocess requested",
            attempts=0,
            last_error_code="",
        )
        if not moved:
            raise Conflict("The document changed meanwhile; reload it.", code="status_changed")
        transaction.on_commit(lambda: enqueue_ocr(document.pk), robust=True)
    document.refresh_from_db()
    return document


def document_erase(
    *, document: Document, actor: User | None, reason: str = "erased on request"
) -> None:
    """Erasure on request: the file and personal fields go, the decision record stays."""
    from ocr_gpu.models import OcrRun
    from verification.models import IdentityFingerprint, VerificationResult

    key = document.storage_key
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if locked.erased_at is not None:
            return
        now = timezone.now()
        Document.objects.filter(pk=document.pk).update(
            storage_key="", erased_at=now, idempotency_key=None, updated_at=now
        )
        runs = OcrRun.objects.filter(document_id=document.pk)
        # Every attempt's canonical card: the recorded keys, and the key each claimed attempt
        # would have used (a card written by a run that was never recorded).
        card_keys = {k for k in runs.values_list("card_key", flat=True) if k}
        if key:
            card_keys.update(
                storage.card_key(storage_key=key, attempt=attempt)
                for attempt in range(1, locked.attempt_seq + 1)
            )
        runs.update(result={}, card_key="")
        Document.objects.filter(pk=document.pk).update(image_phash="")
        IdentityFingerprint.objects.filter(document_id=document.pk).delete()
        # Results are immutable evidence, but personal data must go: keep score, decision,
        # reason codes and check names; drop the text and the extracted values.
        VerificationResult.objects.filter(document_id=document.pk).update(
            ocr_text="", ocr_words=[], fields={}
        )
        DocumentTransition.objects.create(
            document_id=document.pk,
            from_status=locked.status,
            to_status=locked.status,
            actor=actor,
            actor_label=_actor_label(actor, None if actor else "system:retention"),
            reason=reason,
        )
        for gone in sorted(card_keys | ({key} if key else set())):
            transaction.on_commit(partial(storage.delete_file, gone))
    logger.info("document erased", extra={"document_id": str(document.pk)})


def sweep_stuck_documents(
    *,
    now: datetime | None = None,
    queued_after: float | None = None,
    processing_after: float | None = None,
) -> dict[str, int]:
    """Re-enqueue documents whose OCR message was lost, and recover vanished workers' jobs.

    - ``queued`` and not (re)published for ``STUCK_QUEUED_SECONDS``: publish again. The claim in
      the task is conditional, so a duplicate message is harmless.
    - ``processing`` for longer than ``STUCK_PROCESSING_SECONDS`` (past the hard time limit):
      the worker is gone. Back to ``queued`` and published, or ``failed`` when attempts are spent.
    - ``processing`` with this attempt's OCR output stored for ``STUCK_QUEUED_SECONDS`` but no
      decision: the verification message was lost; publish it again (it is idempotent).
    """
    current = now or timezone.now()
    queued_cutoff = current - timedelta(
        seconds=settings.STUCK_QUEUED_SECONDS if queued_after is None else queued_after
    )
    processing_cutoff = current - timedelta(
        seconds=settings.STUCK_PROCESSING_SECONDS if processing_after is None else processing_after
    )
    counts = {"republished": 0, "recovered": 0, "failed": 0, "reverified": 0}

    stale_queued = Document.objects.filter(
        status=S.QUEUED, erased_at__isnull=True, status_changed_at__lt=queued_cutoff
    ).exclude(last_enqueued_at__gte=queued_cutoff)
    for document_id in stale_queued.values_list("pk", flat=True)[:500]:
        enqueue_ocr(document_id)
        counts["republished"] += 1

    # OCR finished but the verification message was lost (broker hiccup, worker restart).
    from ocr_gpu.models import OcrRun
    from ocr_gpu.services import hand_over_to_verification

    read = OcrRun.objects.filter(document_id=OuterRef("pk"), attempt=OuterRef("attempt_seq"))
    awaiting = Document.objects.filter(
        Exists(read.filter(created_at__lt=queued_cutoff)),
        status=S.PROCESSING,
        erased_at__isnull=True,
    )
    for document_id in awaiting.values_list("pk", flat=True)[:500]:
        hand_over_to_verification(document_id)
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
                actor_label="system:sweeper",
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
                actor_label="system:sweeper",
                reason="worker stopped answering",
                last_error_code="worker_lost",
            )
            if moved:
                transaction.on_commit(partial(enqueue_ocr, document_id), robust=True)
                counts["recovered"] += 1
    if any(counts.values()):
        logger.info("stuck documents swept", extra=counts)
    return counts
