"""Reading an upload: the file's size is checked while it streams in, not after.

Django buffers an upload in memory up to ``FILE_UPLOAD_MAX_MEMORY_SIZE`` and in a temporary
file beyond it. A body whose declared length is over the limit is refused before it is read
(``DocumentListCreateApi``); a file that passes the limit while streaming stops being buffered
at once, the rest of the body is drained without being kept, and the request answers 413.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from rest_framework.parsers import DataAndFiles, MultiPartParser

from documents.validation import too_large


class UploadSizeLimitHandler(FileUploadHandler):
    """First in the handler chain: counts each file's bytes and stops the upload past
    ``max_bytes``, before the buffering handlers after it see the excess."""

    def __init__(self, request: Any = None, *, max_bytes: int) -> None:
        super().__init__(request)
        self.max_bytes = max_bytes
        self.exceeded = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.max_bytes:
            self.exceeded = True
            # The rest of the body is read and dropped, so the client gets the 413 rather
            # than a reset connection.
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the buffering handlers after this one return the file


class SizeLimitedMultiPartParser(MultiPartParser):
    """DRF's multipart parser with ``UploadSizeLimitHandler`` in front of Django's handlers."""

    def parse(
        self, stream: Any, media_type: str | None = None, parser_context: Any = None
    ) -> DataAndFiles:
        max_bytes = settings.DOCUMENT_MAX_UPLOAD_BYTES
        request = (parser_context or {})["request"]
        limiter = UploadSizeLimitHandler(request, max_bytes=max_bytes)
        request.upload_handlers.insert(0, limiter)
        parsed = super().parse(stream, media_type, parser_context)
        if limiter.exceeded:
            raise too_large(max_bytes)
        return parsed
