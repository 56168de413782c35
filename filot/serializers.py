from __future__ import annotations

from typing import Any

from rest_framework import serializers

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
