"""Account endpoints: tokens, the caller's profile, and the internal KYC lookup."""

from __future__ import annotations

import uuid
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

from documents import selectors as document_selectors
from filot import services
from filot.authentication import IsService, ServiceKeyAuthentication
from filot.models import User
from filot.serializers import MeSerializer, UserKycSerializer
from filot.throttling import AuthRateThrottle, UserApiRateThrottle


class TokenObtainApi(TokenObtainPairView):
    throttle_classes = [AuthRateThrottle]


class TokenRefreshApi(TokenRefreshView):
    throttle_classes = [AuthRateThrottle]


def _me_payload(user: User) -> dict[str, Any]:
    data = MeSerializer(user).data
    data["roles"] = sorted(user.groups.values_list("name", flat=True))
    data["kyc_status"] = document_selectors.user_kyc_status(user=user)
    return dict(data)


class MeApi(APIView):
    throttle_classes = [UserApiRateThrottle]

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
