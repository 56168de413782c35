"""Field-level encryption of personal data at rest, and the keyed hash used for lookups.

Values are encrypted with Fernet (AES-128-CBC with HMAC-SHA256, from ``cryptography``) under
``FIELD_ENCRYPTION_KEYS``: a list whose first key encrypts and whose every key decrypts, so a
key is rotated by putting a new one first, running ``manage.py rotate_field_keys`` (which
re-encrypts every value under the first key) and then dropping the old one.

Encrypted columns cannot be searched. Exact-match lookups (duplicate identity numbers) go
through :func:`lookup_digest`, an HMAC-SHA256 under ``FIELD_HASH_KEY``.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

TOKEN_PREFIX = "gAAAAA"  # noqa: S105 - not a secret: every Fernet token starts with the version byte 0x80, base64-encoded


class FieldDecryptionError(Exception):
    """A stored value could not be decrypted with any configured key."""


def valid_fernet_key(key: str) -> bool:
    try:
        Fernet(key.encode())
    except (ValueError, TypeError):
        return False
    return True


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise FieldDecryptionError("FIELD_ENCRYPTION_KEYS is empty")
    return MultiFernet([Fernet(key.encode()) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(plaintext: str) -> str:
    return fernet().encrypt(plaintext.encode()).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode("ascii")).decode()
    except (InvalidToken, UnicodeEncodeError) as exc:
        # The message names neither the value nor a key.
        raise FieldDecryptionError(
            "a stored value does not decrypt with any configured key"
        ) from exc


def rotate(token: str) -> str:
    """The same value encrypted under the first (current) key."""
    try:
        return fernet().rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken as exc:
        raise FieldDecryptionError(
            "a stored value does not decrypt with any configured key"
        ) from exc


def under_primary_key(token: str) -> bool:
    """Whether the token was encrypted under the first key (rotation skips it)."""
    primary = _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS[:1]))
    try:
        primary.decrypt(token.encode("ascii"))
    except InvalidToken:
        return False
    return True


def lookup_digest(value: str, *, purpose: str = "identity") -> str:
    """HMAC-SHA256 of a value under ``FIELD_HASH_KEY``: equal values give equal digests, and the
    digest cannot be reversed by enumerating the value space without the key."""
    key = hashlib.sha256(f"filot-{purpose}:{settings.FIELD_HASH_KEY}".encode()).digest()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def encrypted_columns() -> list[tuple[Any, list[str]]]:
    """Every model with encrypted fields, with the column names of those fields."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        columns = [
            str(field.column)
            for field in model._meta.concrete_fields
            if getattr(field, "encrypted", False)
        ]
        if columns:
            found.append((model, columns))
    return found


def field_keys_rotate(
    *,
    dry_run: bool = False,
    batch_size: int = 500,
    on_batch: Callable[[str, int], None] | None = None,
) -> dict[str, int]:
    """Re-encrypt every stored value under the first key of ``FIELD_ENCRYPTION_KEYS``.

    Returns the number of values re-encrypted (or, with ``dry_run``, that would be) per table.
    Values already under the first key are left alone, so the rotation can be stopped and run
    again. Each batch is its own transaction; raw SQL bypasses ``save()`` on purpose, because
    verification results are immutable and the value itself does not change. ``on_batch(table,
    rows)`` is told after each batch how many rows it read (a progress bar).
    """
    from django.db import connection, transaction

    qn = connection.ops.quote_name
    counts: dict[str, int] = {}
    for model, columns in encrypted_columns():
        table, pk = model._meta.db_table, model._meta.pk.column
        counts[table] = 0
        last = None
        while True:
            where = f"WHERE {qn(pk)} > %s " if last is not None else ""
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT {qn(pk)}, {', '.join(qn(c) for c in columns)} "  # noqa: S608 # nosec B608 # identifiers from model _meta, quoted by the backend; values are bound
                    f"FROM {qn(table)} {where}ORDER BY {qn(pk)} LIMIT %s "
                    f"{'FOR UPDATE' if connection.features.has_select_for_update else ''}",
                    [*([last] if last is not None else []), batch_size],
                )
                rows = cursor.fetchall()
                for row in rows:
                    updates = {
                        column: rotate(token)
                        for column, token in zip(columns, row[1:], strict=True)
                        if token and not under_primary_key(token)
                    }
                    if not updates:
                        continue
                    counts[table] += len(updates)
                    if dry_run:
                        continue
                    assignments = ", ".join(f"{qn(column)} = %s" for column in updates)
                    cursor.execute(
                        f"UPDATE {qn(table)} SET {assignments} WHERE {qn(pk)} = %s",  # noqa: S608 # nosec B608 # identifiers from model _meta, quoted by the backend; values are bound
                        [*updates.values(), row[0]],
                    )
            if on_batch is not None:
                on_batch(table, len(rows))
            if len(rows) < batch_size:
                break
            last = rows[-1][0]
    return counts
