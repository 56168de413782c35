"""The client API for documents. Views parse input, call one service or selector, shape output."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, HttpResponseRedirect
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from documents import selectors, services
from documents.models import Document
from documents.serializers import (
    DocumentDetailSerializer,
    DocumentFilterSerializer,
    DocumentSerializer,
    DocumentUploadSerializer,
)
from documents.storage import storage_unavailable
from documents.uploads import SizeLimitedMultiPartParser
from documents.validation import too_large
from filot.errors import FilotError
from filot.parsers import JSONParser
from filot.throttling import UploadRateThrottle, UserApiRateThrottle
from verification.models import VerificationResult

_IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")


def _with_latest_results(queryset: QuerySet[Document]) -> QuerySet[Document]:
    return queryset.prefetch_related(
        Prefetch(
            "verification_results",
            # The OCR text and words are large and encrypted; a list shows neither.
            queryset=VerificationResult.objects.defer("ocr_text", "ocr_words").order_by(
                "-created_at"
            ),
            to_attr="latest_results",
        )
    )


def owned_document(request: Request, document_id: str) -> Document:
    document = selectors.document_for_owner(owner=request.user, document_id=document_id)  # type: ignore[arg-type]
    if document is None:
        raise NotFound("Document not found.", code="not_found")
    return document


class DocumentListCreateApi(GenericAPIView):
    serializer_class = DocumentSerializer
    # For schema generation only; the views read through the owner-scoped selectors.
    queryset = Document.objects.none()
    throttle_classes = [UserApiRateThrottle]
    parser_classes = [JSONParser, SizeLimitedMultiPartParser]

    def get_throttles(self) -> list[Any]:
        throttles = super().get_throttles()
        if self.request.method == "POST":
            throttles.append(UploadRateThrottle())
        return throttles

    @extend_schema(
        parameters=[DocumentFilterSerializer],
        responses=DocumentSerializer(many=True),
        summary="List your documents",
    )
    def get(self, request: Request) -> Response:
        filters = DocumentFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        queryset = selectors.documents_for_owner(owner=request.user).filter(  # type: ignore[arg-type]
            **filters.validated_data
        )
        page = self.paginate_queryset(_with_latest_results(queryset.order_by("-created_at")))
        return self.get_paginated_response(DocumentSerializer(page, many=True).data)

    @extend_schema(
        request={"multipart/form-data": DocumentUploadSerializer},
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                required=False,
                pattern=_IDEMPOTENCY_KEY.pattern,
                description="Replaying the same key with the same file returns the first document.",
            )
        ],
        responses={
            202: DocumentDetailSerializer,
            200: DocumentDetailSerializer,
            400: OpenApiResponse(description="Missing or invalid fields"),
            409: OpenApiResponse(description="Idempotency-Key reused with another file"),
            413: OpenApiResponse(description="File too large"),
            415: OpenApiResponse(description="Not a JPEG, PNG or PDF"),
            422: OpenApiResponse(description="Unreadable, too small or oversized image"),
        },
        summary="Upload a KTP or NPWP",
    )
    def post(self, request: Request) -> Response:
        try:
            declared_length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared_length = 0
        if declared_length > settings.FILOT_MAX_REQUEST_BYTES:
            raise too_large(settings.DOCUMENT_MAX_UPLOAD_BYTES)
        idempotency_key = request.headers.get("Idempotency-Key")
        if idempotency_key is not None and not _IDEMPOTENCY_KEY.match(idempotency_key):
            raise FilotError(
                "Idempotency-Key must be 1-255 printable ASCII characters.",
                code="invalid_idempotency_key",
            )
        serializer = DocumentUploadSerializer(data=request.data)
        if not serializer.is_valid():
            raise ValidationError(serializer.errors)
        document, created = services.document_submit(
            owner=request.user,  # type: ignore[arg-type]
            doc_type=serializer.validated_data["doc_type"],
            upload=serializer.validated_data["file"],
            idempotency_key=idempotency_key,
        )
        location = reverse("document-detail", args=[document.pk])
        return Response(
            DocumentDetailSerializer(document).data,
            status=status.HTTP_202_ACCEPTED if created else status.HTTP_200_OK,
            headers={"Location": location},
        )


class DocumentDetailApi(APIView):
    """A document with its result. Erasure (``DELETE``) is added by the ``erasure`` app, which
    also cancels the document's review: see ``erasure/urls.py``."""

    throttle_classes = [UserApiRateThrottle]

    @extend_schema(responses=DocumentDetailSerializer, summary="A document with its result")
    def get(self, request: Request, document_id: str) -> Response:
        document = owned_document(request, document_id)
        return Response(DocumentDetailSerializer(document).data)


class DocumentFileApi(APIView):
    throttle_classes = [UserApiRateThrottle]

    @extend_schema(
        responses={
            200: OpenApiResponse(description="The file (local storage)"),
            302: OpenApiResponse(description="Redirect to a short-lived presigned URL"),
        },
        summary="Download the stored file",
    )
    def get(self, request: Request, document_id: str) -> Any:
        document = owned_document(request, document_id)
        try:
            if hasattr(default_storage, "bucket_name"):
                url = default_storage.url(  # type: ignore[call-arg]  # S3Storage.url
                    document.storage_key,
                    parameters={
                        "ResponseContentType": document.content_type,
                        "ResponseContentDisposition": (
                            f'attachment; filename="{document.pk}.{document.extension}"'
                        ),
                    },
                    expire=settings.DOCUMENT_URL_EXPIRY_SECONDS,
                )
                response: Any = HttpResponseRedirect(url)
                response["Cache-Control"] = "no-store"
                return response
            handle = default_storage.open(document.storage_key, "rb")
        except FileNotFoundError as exc:
            raise NotFound("Document file not found.", code="file_not_found") from exc
        except Exception as exc:
            raise storage_unavailable(exc) from exc
        response = FileResponse(
            handle,
            content_type=document.content_type,
            as_attachment=True,
            filename=f"{document.pk}.{document.extension}",
        )
        response["Cache-Control"] = "no-store"
        return response


class DocumentReprocessApi(APIView):
    throttle_classes = [UserApiRateThrottle]

    @extend_schema(request=None, responses={202: DocumentDetailSerializer}, summary="Reprocess")
    def post(self, request: Request, document_id: str) -> Response:
        document = owned_document(request, document_id)
        document = services.document_reprocess(document=document, actor=request.user)  # type: ignore[arg-type]
        return Response(DocumentDetailSerializer(document).data, status=status.HTTP_202_ACCEPTED)
