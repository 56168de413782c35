"""Model fields whose values are encrypted at rest (see :mod:`filot.crypto`).

The column holds a Fernet token as text. Python code reads and writes plain values; the
database never sees them. Encrypted columns support no lookups except ``isnull``: filtering on
a value would compare ciphertexts, which differ every time the same value is encrypted.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import FieldError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from filot import crypto


class _EncryptedMixin:
    """Shared behaviour: encrypt on the way in, decrypt on the way out, refuse lookups."""

    encrypted = True

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)  # type: ignore[misc]
        raise FieldError(
            f"{self.__class__.__name__} is encrypted and cannot be filtered with "
            f"'{lookup_name}'; use a keyed digest column for exact matches."
        )

    def get_transform(self, lookup_name: str) -> Any:
        raise FieldError(f"{self.__class__.__name__} is encrypted and has no '{lookup_name}'.")


class EncryptedTextField(_EncryptedMixin, models.TextField):
    """A text value encrypted at rest. The empty string is stored as is (it carries nothing)."""

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(str(value))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return crypto.decrypt(value)


class EncryptedJSONField(_EncryptedMixin, models.TextField):
    """A JSON value (dict, list, str, number) encrypted at rest as its JSON text."""

    # Read by django-stubs' mypy plugin: the Python value is any JSON value, not text.
    _pyi_private_set_type: Any
    _pyi_private_get_type: Any

    def __init__(self, *args: Any, encoder: type[json.JSONEncoder] | None = None, **kwargs: Any):
        self.encoder = encoder or DjangoJSONEncoder
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.encoder is not DjangoJSONEncoder:
            kwargs["encoder"] = self.encoder
        return name, path, args, kwargs

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        return crypto.encrypt(json.dumps(value, cls=self.encoder, separators=(",", ":")))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return None
        return json.loads(crypto.decrypt(value))

    def to_python(self, value: Any) -> Any:
        # Values arrive as Python objects (forms and the admin use them read-only).
        return value

    def value_to_string(self, obj: Any) -> str:
        return json.dumps(self.value_from_object(obj), cls=self.encoder)
