"""``DELETE /api/v1/documents/{id}/``: the owner erases a document."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from documents.apis import DocumentDetailApi, owned_document
from erasure.services import document_erase_everywhere


class DocumentDetailEraseApi(DocumentDetailApi):
    """The document read (``GET``, from ``documents``) and its erasure (``DELETE``)."""

    @extend_schema(responses={204: None}, summary="Erase a document (file and personal data)")
    def delete(self, request: Request, document_id: str) -> Response:
        document = owned_document(request, document_id)
        document_erase_everywhere(document=document, actor=request.user)  # type: ignore[arg-type]
        return Response(status=status.HTTP_204_NO_CONTENT)
