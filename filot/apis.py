"""Sign-in endpoints: tokens for an email and password, and their refresh. The caller's
profile and KYC status are part of the client API (``api.accounts``)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

from filot.errors import FilotError
from filot.throttling import AuthRateThrottle


class TokenObtainApi(TokenObtainPairView):
    """Email and password for tokens. Repeated failures for one account from one address lock
    it out for a while (django-axes): 429 ``too_many_failed_logins``, even with the right
    password; a successful sign-in clears the count."""

    throttle_classes = [AuthRateThrottle]

    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
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
