"""Where document files live: ``documents/<user_id>/<document_id>.<ext>`` in the default storage,
with the canonical card of each OCR attempt beside it (``<document_id>-card-<attempt>.jpg``)."""

from __future__ import annotations

import logging
import uuid

from botocore.exceptions import ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as StoreConnectionError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from filot.errors import ServiceUnavailable

logger = logging.getLogger(__name__)


def document_key(*, owner_id: uuid.UUID, document_id: uuid.UUID, extension: str) -> str:
    return f"documents/{owner_id}/{document_id}.{extension}"


def card_key(*, storage_key: str, attempt: int) -> str:
    """The canonical card OCR read in ``attempt`` (``OcrRun.attempt``), next to the upload:
    ``documents/<user_id>/<document_id>-card-<attempt>.jpg``."""
    folder, _, name = storage_key.rpartition("/")
    stem = name.split(".", 1)[0]
    return f"{folder}/{stem}-card-{attempt}.jpg" if folder else f"{stem}-card-{attempt}.jpg"


# S3 error codes that mean "not now": throttling, or a busy or failing server.
_RETRYABLE_S3_CODES = frozenset(
    {"SlowDown", "Throttling", "ThrottlingException", "RequestTimeout", "ServiceUnavailable"}
)


def storage_error_is_transient(exc: BaseException) -> bool:
    """Whether a failed read or write of the file store is worth another attempt later: the
    store was unreachable, slow, throttling or failing on its side. Anything else (a refused
    key, a permission, a file that is not one, a bug) fails the same way every time."""
    if isinstance(exc, ClientError):
        status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0))
        code = str(exc.response.get("Error", {}).get("Code", ""))
        return status >= 500 or status == 429 or code in _RETRYABLE_S3_CODES
    return isinstance(exc, StoreConnectionError | HTTPClientError | ConnectionError | TimeoutError)


def storage_unavailable(exc: Exception) -> ServiceUnavailable:
    logger.error("document storage unavailable", extra={"error": type(exc).__name__})
    return ServiceUnavailable(
        "Document storage is unavailable; try again shortly.", code="storage_unavailable"
    )


def put_file(key: str, data: bytes) -> None:
    try:
        saved = default_storage.save(key, ContentFile(data))
    except Exception as exc:
        raise storage_unavailable(exc) from exc
    if saved != key:
        # Keys are unique per document; a renamed save means something already sat there.
        delete_file(saved)
        raise ServiceUnavailable("Document storage refused the key.", code="storage_conflict")


def read_file(key: str) -> bytes:
    with default_storage.open(key, "rb") as handle:
        data: bytes = handle.read()
        return data


def delete_file(key: str) -> None:
    """Best-effort delete; a failure is logged and left for the retention sweep."""
    try:
        default_storage.delete(key)
    except Exception as exc:  # noqa: BLE001
        logger.warning("document file delete failed", extra={"error": type(exc).__name__})
