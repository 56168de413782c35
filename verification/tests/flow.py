"""Helpers shared by the verification flow tests: generated cards, upload, process."""

from __future__ import annotations

import io
import random
from typing import Any

from PIL import Image

from ocr_gpu.tasks import ocr_document
from ocr_gpu.testing.cards import degrade, random_ktp, random_npwp, render_ktp, render_npwp
from workflows.services import document_decide

URL = "/api/v1/documents/"


def ktp_fields(seed: int, **overrides: Any) -> dict[str, str]:
    return random_ktp(random.Random(f"flow-ktp-{seed}"), **overrides)


def card_bytes(doc_type: str, fields: dict[str, str], level: str = "clean", seed: int = 0) -> bytes:
    rng = random.Random(f"flow-{doc_type}-{level}-{seed}")
    render = render_ktp if doc_type == "ktp" else render_npwp
    return degrade(render(fields, rng=rng), level, rng)  # type: ignore[arg-type]


def npwp_for(ktp: dict[str, str], seed: int = 0, **overrides: Any) -> dict[str, str]:
    """An NPWP card of the same person: 16-digit NPWP = NIK, same name."""
    fields = random_npwp(random.Random(f"flow-npwp-{seed}"))
    fields.update(npwp=ktp["nik"], nik=ktp["nik"], nama=ktp["nama"])
    fields.update(overrides)
    return fields


def reencoded(data: bytes, scale: float = 0.7, quality: int = 70) -> bytes:
    """The same picture resized and re-compressed, as a messaging app would send it."""
    image = Image.open(io.BytesIO(data)).convert("RGB")
    image = image.resize((round(image.width * scale), round(image.height * scale)))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality)
    return out.getvalue()


def upload(client: Any, data: bytes, doc_type: str) -> str:
    response = client.post(
        URL, {"file": io.BytesIO(data), "doc_type": doc_type.upper()}, format="multipart"
    )
    assert response.status_code == 202, response.content
    return str(response.json()["id"])


def process(document_id: str) -> Any:
    """Run OCR and verification in this process, as the two workers would."""
    assert ocr_document.apply(args=(document_id,)).get() == "done"
    return document_decide(document_id=document_id)
