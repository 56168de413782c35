"""Migration operations that move existing plain values into encrypted columns and back."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from filot import crypto

BATCH = 500


def _convert(schema_editor: Any, table: str, columns: tuple[str, ...], forward: bool) -> None:
    connection = schema_editor.connection
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for column in columns:
            cursor.execute(
                f"SELECT {qn('id')}, {qn(column)} FROM {qn(table)} "  # noqa: S608 # nosec B608 # identifiers from the migration, quoted by the backend; values are bound
                f"WHERE {qn(column)} IS NOT NULL AND {qn(column)} <> ''"
            )
            rows = cursor.fetchall()
            changes = []
            for pk, value in rows:
                text = value if isinstance(value, str) else str(value)
                is_token = text.startswith(crypto.TOKEN_PREFIX)
                if forward and not is_token:
                    changes.append((crypto.encrypt(text), pk))
                elif not forward and is_token:
                    changes.append((crypto.decrypt(text), pk))
            for start in range(0, len(changes), BATCH):
                cursor.executemany(
                    f"UPDATE {qn(table)} SET {qn(column)} = %s WHERE {qn('id')} = %s",  # noqa: S608 # nosec B608 # identifiers from the migration, quoted by the backend; values are bound
                    changes[start : start + BATCH],
                )


def EncryptColumns(table: str, *columns: str) -> migrations.RunPython:
    """Encrypt the plain values of ``columns`` in place (reverse: decrypt them).

    Runs after the columns became text; values already encrypted are left alone, so the
    operation is safe to run twice.
    """

    def forward(apps: Any, schema_editor: Any) -> None:
        _convert(schema_editor, table, columns, forward=True)

    def backward(apps: Any, schema_editor: Any) -> None:
        _convert(schema_editor, table, columns, forward=False)

    return migrations.RunPython(forward, backward, elidable=False)
