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
from filot.errors import FilotError
from filot.models import User
from filot.parsers import JSONParser
from filot.serializers import MeSerializer, UserKycSerializer
from filot.throttling import AuthRateThrottle, UserApiRateThrottle


class TokenObtainApi(TokenObtainPairView):
    """Email and password for tokens. Repeated failures for one account from one address lock
    it out for a while (django-axes): 429 ``too_many_failed_logins``, even with the right
    password; a successful sign-in clears the count."""

    throttle_classes = [AuthRateThrottle]

    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        from django.contrib.auth.signals import user_logged_in
        from rest_framework.exceptions import AuthenticationFailed

        serializer = self.get_serializer(data=request.data)
        try:
            serializer.is_valid(raise_exception=True)
        except AuthenticationFailed:
            if getattr(request, "axes_locked_out", False) or getattr(
                request._request, "axes_locked_out", False
            ):
                raise FilotError(
                    "Too many failed sign-ins for this account from your address; try again later.",
                    code="too_many_failed_logins",
                    status_code=429,
                ) from None
            raise
        user = getattr(serializer, "user", None)
        if user is not None:  # a sign-in: clears django-axes' failure count, sets last_login
            user_logged_in.send(sender=type(user), request=request._request, user=user)
        return Response(serializer.validated_data, status=200)


class TokenRefreshApi(TokenRefreshView):
    throttle_classes = [AuthRateThrottle]


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
