from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, serializers
from rest_framework_simplejwt import serializers as jwt_serializers
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.utils import get_md5_hash_password

from documents.status import KycStatus
from filot.models import User


class StrictCharField(serializers.CharField):
    """Only a string is a string: DRF would otherwise store ``0`` as ``"0"``."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return str(super().to_internal_value(data))


class StrictRegexField(StrictCharField, serializers.RegexField):
    pass


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


class TokenRefreshSerializer(jwt_serializers.TokenRefreshSerializer):
    """simplejwt's refresh, refusing with 401 (never a 500) a token whose user is gone,
    inactive, or changed the password since the token was issued."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, str]:
        refresh = self.token_class(attrs["refresh"])  # signature, expiry, blacklist
        user_id = refresh.payload.get(jwt_settings.USER_ID_CLAIM)
        try:
            user = User.objects.filter(pk=user_id).first() if user_id else None
        except (ValueError, DjangoValidationError):
            user = None
        if user is None or not user.is_active:
            raise exceptions.AuthenticationFailed(
                "No active account found for the given token.", code="no_active_account"
            )
        if refresh.payload.get(jwt_settings.REVOKE_TOKEN_CLAIM) != get_md5_hash_password(
            user.password
        ):
            raise exceptions.AuthenticationFailed(
                "The password was changed; sign in again.", code="password_changed"
            )
        data: dict[str, str] = super().validate(attrs)
        return data
