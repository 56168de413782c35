"""The caller's profile with their KYC status, and the internal KYC lookup for FiLot's own
services. The KYC status is derived from the user's latest KTP and NPWP (``documents``)."""

from __future__ import annotations

import uuid
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from documents import selectors as document_selectors
from documents.status import KycStatus
from filot import services
from filot.authentication import IsService, ServiceKeyAuthentication
from filot.models import User
from filot.parsers import JSONParser
from filot.serializers import StrictCharField, StrictRegexField
from filot.throttling import UserApiRateThrottle


class MeSerializer(serializers.ModelSerializer):
    kyc_status = serializers.ChoiceField(choices=KycStatus.choices, read_only=True)
    roles = serializers.ListField(child=serializers.CharField(), read_only=True)
    phone = StrictRegexField(
        r"^\+?[0-9][0-9 -]{6,20}$",
        required=False,
        allow_blank=True,
        max_length=32,
        error_messages={
            "invalid": "Enter a phone number of 7-21 digits, optionally starting with +."
        },
    )
    display_name = StrictCharField(required=False, allow_blank=True, max_length=150)

    class Meta:
        model = User
        fields = ("id", "email", "display_name", "phone", "roles", "kyc_status", "date_joined")
        read_only_fields = ("id", "email", "roles", "kyc_status", "date_joined")


class UserKycSerializer(serializers.Serializer):
    user_id = serializers.UUIDField()
    kyc_status = serializers.ChoiceField(choices=KycStatus.choices)
    documents = serializers.DictField(child=serializers.CharField(allow_null=True))


def _me_payload(user: User) -> dict[str, Any]:
    data = MeSerializer(user).data
    data["roles"] = sorted(user.groups.values_list("name", flat=True))
    data["kyc_status"] = document_selectors.user_kyc_status(user=user)
    return dict(data)


class MeApi(APIView):
    throttle_classes = [UserApiRateThrottle]
    # A profile is JSON; an empty multipart form would otherwise be a silent no-op update.
    parser_classes = [JSONParser]

    @extend_schema(responses=MeSerializer, summary="Your profile and KYC status")
    def get(self, request: Request) -> Response:
        return Response(_me_payload(request.user))  # type: ignore[arg-type]

    @extend_schema(request=MeSerializer, responses=MeSerializer, summary="Update your profile")
    def patch(self, request: Request) -> Response:
        serializer = MeSerializer(instance=request.user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user = services.user_update_profile(user=request.user, **serializer.validated_data)  # type: ignore[arg-type]
        return Response(_me_payload(user))


class InternalUserKycApi(APIView):
    """For FiLot's own services: a user's derived KYC status, behind ``X-Service-Key``."""

    authentication_classes = [ServiceKeyAuthentication]
    permission_classes = [IsService]

    @extend_schema(responses=UserKycSerializer, summary="A user's KYC status (service key)")
    def get(self, request: Request, user_id: str) -> Response:
        try:
            user = User.objects.get(pk=uuid.UUID(user_id))
        except (ValueError, User.DoesNotExist) as exc:
            raise NotFound("User not found.", code="not_found") from exc
        latest = document_selectors.latest_documents(owner=user)
        return Response(
            {
                "user_id": str(user.pk),
                "kyc_status": document_selectors.user_kyc_status(user=user),
                "documents": {t: (d.status if d else None) for t, d in latest.items()},
            }
        )
