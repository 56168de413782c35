"""``POST /api/v1/partners/buli2/callbacks/``: BULI2 tells FiLot its decision on a case.

Authenticated by the Standard Webhooks signature alone (no user, no session, no CSRF): the
signature is checked over the raw body bytes before anything is parsed.
"""

from __future__ import annotations

import json
from typing import Any

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from filot.errors import FilotError
from filot.parsers import JSONParser
from reviews.models import ReviewDecision
from reviews.partner import inbound


class InvalidCallbackBody(FilotError):
    default_code = "invalid_body"
    default_detail = "The callback body must be a UTF-8 JSON object."


class DecisionDataSerializer(serializers.Serializer):
    review_id = serializers.UUIDField()
    decision = serializers.ChoiceField(choices=ReviewDecision.values)
    reason_code = serializers.CharField(max_length=64, required=False, allow_blank=True)
    notes = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    task_id = serializers.CharField(max_length=255, required=False, allow_blank=True)


class CallbackSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=[inbound.DECISION_EVENT])
    timestamp = serializers.CharField(required=False, max_length=64)


class CallbackRequestSerializer(CallbackSerializer):
    data = DecisionDataSerializer()  # type: ignore[assignment]  # documentation only


class CallbackResponseSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["applied", "duplicate"])
    review_id = serializers.UUIDField(required=False)
    decision = serializers.CharField(required=False)
    decided_at = serializers.DateTimeField(required=False)
    outcome = serializers.CharField(required=False)


def _header(name: str, description: str, pattern: str) -> OpenApiParameter:
    return OpenApiParameter(
        name,
        str,
        OpenApiParameter.HEADER,
        required=True,
        description=description,
        pattern=pattern,
    )


# What ``signing.verify`` accepts before it checks the signature (otherwise a coded 400).
_WEBHOOK_ID = r"^[!-~]{1,255}$"
_WEBHOOK_TIMESTAMP = r"^[0-9]{1,12}$"
_BASE64 = r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?"
_WEBHOOK_SIGNATURE = rf"^v1,{_BASE64}(?: v1,{_BASE64})*$"


class CallbackApi(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes: list[Any] = []
    # The body is read raw and must be JSON; this also keeps multipart out of the schema.
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="partner_buli2_callback",
        summary="A BULI2 decision on an escalated case (Standard Webhooks v1 signed)",
        request=CallbackRequestSerializer,
        parameters=[
            _header("webhook-id", "The event id; a redelivery reuses it.", _WEBHOOK_ID),
            _header(
                "webhook-timestamp", "Unix seconds; refused beyond 5 minutes.", _WEBHOOK_TIMESTAMP
            ),
            _header(
                "webhook-signature",
                "v1,<base64 HMAC-SHA256>, space-separated; see docs/partner-api.md.",
                _WEBHOOK_SIGNATURE,
            ),
        ],
        responses={
            200: CallbackResponseSerializer,
            400: OpenApiResponse(description="Malformed headers or body."),
            401: OpenApiResponse(description="Bad signature or stale timestamp."),
            404: OpenApiResponse(description="Unknown review."),
            409: OpenApiResponse(description="Already decided; details hold the decision."),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        raw = request._request.body  # the exact bytes that were signed
        headers = {key.lower(): value for key, value in request.headers.items()}
        verified = inbound.callback_verify(headers=headers, body=raw)
        try:
            decoded = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            # RecursionError: nesting deeper than the decoder's limit (``[[[[...``).
            raise InvalidCallbackBody() from exc
        if not isinstance(decoded, dict):
            raise InvalidCallbackBody()
        envelope = CallbackSerializer(data=decoded)
        envelope.is_valid(raise_exception=True)
        if not isinstance(decoded.get("data"), dict):
            raise InvalidCallbackBody("The callback needs a data object.", code="invalid_request")
        data = DecisionDataSerializer(data=decoded["data"])
        data.is_valid(raise_exception=True)
        answer, _replayed = inbound.callback_receive(
            webhook_id=verified.msg_id,
            event_type=envelope.validated_data["type"],
            data=dict(data.validated_data),
        )
        return Response(answer, status=status.HTTP_200_OK)
