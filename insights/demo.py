"""A small, made-up history of decided documents for ``make run``, so the decision-quality pages
and ``simulate_thresholds`` have something to show on a fresh machine.

Every document gets check verdicts drawn from a hidden truth (a genuine card or not, a good or
poor photo), and the stored decision is what ``verification.scoring.decide`` makes of them at
today's thresholds, so the replay agrees with the stored history. People then decide the cases
(mostly as the truth says), blind QA cases check some automatic decisions, some cases get a
blind second review, and reviewers correct fields (more often on poor photos, and on
``alamat`` read by PP-OCR in the last days, as an engine drift would look). Seeding twice adds
nothing. Never in production.
"""

from __future__ import annotations

import hashlib
import io
import random
import uuid
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from documents.models import Document, DocumentTransition
from documents.storage import document_key, put_file
from filot.models import Role, User
from filot.services import user_create
from reviews.models import FieldCorrection, ManualReview, ReviewEvent
from reviews.services import reviewer_create
from verification.checks import Check
from verification.models import VerificationResult
from verification.scoring import WEIGHTS, decide
from verification.verdicts import CheckStatus

HOLDERS = 60
HOLDER_EMAIL = "holder-{:03d}@history.filot.local"
SECOND_REVIEWER = ("reviewer2@filot.local", "filot-reviewer2-demo", "Second Reviewer")
NAMES = (
    "SITI RAHAYU",
    "BUDI SANTOSO",
    "DEWI LESTARI",
    "AGUS SETIAWAN",
    "RINA WATI",
    "JOKO PRIYONO",
)
REASON_OF = {
    "fields_complete": "field_missing",
    "fields_confidence": "low_confidence",
    "nik_dob_matches_card": "nik_dob_mismatch",
    "nik_sex_matches_card": "nik_sex_mismatch",
    "nik_region_matches_card": "nik_region_mismatch",
    "card_validity": "document_expired",
    "npwp_checksum": "npwp_checksum",
    "npwp_matches_nik_line": "npwp_nik_mismatch",
    "identity_verified": "identity_unverified",
    "cross_name": "name_mismatch",
    "profile_name": "profile_name_mismatch",
    "image_sharpness": "image_blurry",
    "image_glare": "image_glare",
    "image_colour": "image_grayscale",
    "duplicate_identity": "duplicate_identity",
}
COMMON = ("fields_complete", "fields_confidence", "document_type")
QUALITY = ("image_card_found", "image_sharpness", "image_glare", "image_resolution")
QUALITY_TAIL = ("image_colour", "text_readable", "duplicate_identity", "duplicate_image")
CODES = {
    "KTP": (
        *COMMON,
        *("nik_format", "nik_province", "nik_regency", "nik_birth_date", "nik_serial"),
        *("nik_dob_matches_card", "nik_sex_matches_card", "nik_region_matches_card"),
        *("birth_date_plausible", "age_at_issue", "card_validity", "identity_verified"),
        *("profile_name", *QUALITY, *QUALITY_TAIL),
    ),
    "NPWP": (
        *COMMON,
        *("npwp_format", "npwp_checksum", "npwp_nik_structure", "npwp_matches_nik_line"),
        *("registration_date", "identity_verified", "profile_name", *QUALITY, *QUALITY_TAIL),
    ),
}
# What makes a forged or wrong card fail, per type.
FORGERY = {
    "KTP": ("nik_dob_matches_card", "nik_sex_matches_card", "profile_name", "card_validity"),
    "NPWP": ("npwp_checksum", "npwp_matches_nik_line", "profile_name"),
}
WARNINGS = (
    "fields_confidence",
    "profile_name",
    "nik_region_matches_card",
    "image_colour",
    "image_sharpness",
    "image_glare",
    "image_resolution",
    "registration_date",
)
CORRECTABLE = {
    "KTP": ("alamat", "nama", "rt_rw", "kel_desa", "pekerjaan", "tempat_lahir"),
    "NPWP": ("alamat", "nama", "kpp"),
}


def _checks(rng: random.Random, doc_type: str, genuine: bool, quality: str) -> list[Check]:
    status = dict.fromkeys(CODES[doc_type], "pass")
    # Small doubts: a few warnings each take a few points off.
    doubts = [c for c in WARNINGS if c in status]
    for code in rng.sample(doubts, k=rng.choice((0, 1, 1, 2, 3, 3, 4, 5, 6))):
        status[code] = "warn"
    if rng.random() < 0.12:
        status["identity_verified"] = "fail"  # a number not confirmed by the second engine
    if quality == "fair":
        status[rng.choice(("image_colour", "fields_confidence"))] = "warn"
    if quality == "poor":
        flaw = rng.choice(("image_sharpness", "image_glare"))
        status[flaw] = "fail" if rng.random() < 0.5 else "warn"
        status["fields_confidence"] = "warn"
    if not genuine:
        for code in rng.sample(FORGERY[doc_type], k=rng.choice((1, 1, 2))):
            status[code] = "fail"
        if rng.random() < 0.1:
            status["duplicate_identity"] = "fail"
    return [
        Check(
            code=code,
            status=CheckStatus(verdict),
            weight=WEIGHTS[code],
            message="Passed." if verdict == "pass" else f"Made-up {verdict} (demo history).",
            reason=REASON_OF.get(code, "nik_invalid") if verdict != "pass" else None,
        )
        for code, verdict in status.items()
    ]


def _fields(rng: random.Random, doc_type: str, n: int) -> dict[str, Any]:
    number = f"3273{rng.randrange(10**11, 10**12)}" if doc_type == "KTP" else f"{n:015d}"
    name = rng.choice(NAMES)
    values = {"nama": name, "alamat": f"JL. MAWAR NO. {n % 90 + 1}"}
    values["nik" if doc_type == "KTP" else "npwp"] = number[-16:]
    if doc_type == "KTP":
        values.update(rt_rw="003/007", kel_desa="PASTEUR", pekerjaan="KARYAWAN")
    return {k: {"value": v, "raw": v, "confidence": 90.0, "box": None} for k, v in values.items()}


def _image(n: int) -> bytes:
    image = Image.new("RGB", (1012, 638), (196, 214, 232))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 972, 120), fill=(40, 70, 110))
    draw.text((60, 70), f"DEMO HISTORY CARD {n:04d} (made up, not a real card)", fill="white")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=70)
    return buffer.getvalue()


def _human(
    rng: random.Random, doc_type: str, genuine: bool, quality: str, checks: list[Check]
) -> tuple[str, str]:
    """(decision, reason) a person gives, from the hidden truth."""
    if genuine and quality == "poor" and rng.random() < 0.5:
        return "resubmission", "image_blurry"
    if genuine and rng.random() < 0.95:
        return "approved", "verified" if quality == "good" else "quality_acceptable"
    if not genuine and rng.random() < 0.06:
        return "approved", "verified"  # a person gets it wrong now and then
    failed = [c.reason for c in checks if c.status == "fail" and c.reason]
    return "rejected", failed[0] if failed else "low_confidence"


class _Seeder:
    def __init__(self, rng: random.Random, now: datetime, reviewers: list[User]) -> None:
        self.rng, self.now, self.reviewers = rng, now, reviewers
        self.approve_at = settings.AI_SCORE_THRESHOLD_AUTO_APPROVE
        self.reject_at = settings.AI_SCORE_THRESHOLD_AUTO_REJECT

    def transition(self, document: Document, source: str, target: str, when: datetime) -> None:
        row = DocumentTransition.objects.create(
            document=document,
            from_status=source,
            to_status=target,
            actor_label="system:demo",
            reason="demo history",
        )
        DocumentTransition.objects.filter(pk=row.pk).update(created_at=when)

    def review(
        self, document: Document, result: Any, purpose: str, when: datetime, **kw: Any
    ) -> ManualReview:
        review = ManualReview.objects.create(
            document=document, verification_result=result, purpose=purpose, **kw
        )
        ManualReview.objects.filter(pk=review.pk).update(created_at=when)
        event = ReviewEvent.objects.create(
            review=review, kind="opened", actor_label="system:demo", detail="demo history"
        )
        ReviewEvent.objects.filter(pk=event.pk).update(created_at=when)
        return review

    def decide(
        self, review: ManualReview, human: tuple[str, str], who: User, when: datetime
    ) -> None:
        decision, reason = human
        ManualReview.objects.filter(pk=review.pk).update(
            state="decided",
            decision=decision,
            reason_code=reason,
            source="console",
            decided_by=who,
            decided_at=when,
        )
        event = ReviewEvent.objects.create(
            review=review, kind="decided", actor=who, actor_label=f"user:{who.pk}", detail=reason
        )
        ReviewEvent.objects.filter(pk=event.pk).update(created_at=when)

    def correct(
        self, review: ManualReview, who: User, kind: str, quality: str, engine: str, when: datetime
    ) -> None:
        fresh = self.now - when < timedelta(days=3)
        changed = {}
        for name in CORRECTABLE[kind]:
            chance = {"good": 0.03, "fair": 0.08, "poor": 0.2}[quality]
            if name == "alamat":
                chance *= 4 if fresh and engine == "ppocr" else 2
            if self.rng.random() < chance:
                changed[name] = f"{name.upper()} AS CORRECTED"
        for name, value in changed.items():
            correction = FieldCorrection.objects.create(
                review=review,
                document_id=review.document_id,
                field=name,
                old_value="(misread)",
                new_value=value,
                reviewer=who,
            )
            FieldCorrection.objects.filter(pk=correction.pk).update(created_at=when)
        if changed:
            ManualReview.objects.filter(pk=review.pk).update(corrected_fields=changed)


def history_seed(*, documents: int = 240, seed: int = 17, now: datetime | None = None) -> int:
    """Create the demo history once. Returns the number of documents created (0 if it exists)."""
    if User.objects.filter(email=HOLDER_EMAIL.format(0)).exists():
        return 0
    now = now or timezone.now()
    rng = random.Random(seed)
    with transaction.atomic():
        reviewers = [
            User.objects.filter(email="reviewer@filot.local").first()
            or reviewer_create(email="reviewer@filot.local", password=None),
            User.objects.filter(email=SECOND_REVIEWER[0]).first()
            or reviewer_create(
                email=SECOND_REVIEWER[0],
                password=SECOND_REVIEWER[1],
                display_name=SECOND_REVIEWER[2],
            ),
        ]
        holders = [
            user_create(email=HOLDER_EMAIL.format(i), password=None, role=Role.CLIENT)
            for i in range(HOLDERS)
        ]
        seeder = _Seeder(rng, now, reviewers)
        for n in range(documents):
            _seed_document(seeder, n, holders[n % HOLDERS])
    return documents


def _seed_document(seeder: _Seeder, n: int, owner: User) -> None:
    rng, now = seeder.rng, seeder.now
    doc_type = "KTP" if n % 3 else "NPWP"
    genuine = rng.random() < 0.82
    quality = rng.choices(("good", "fair", "poor"), weights=(70, 20, 10))[0]
    engine = "ppocr" if rng.random() < 0.7 else "tesseract"
    uploaded = now - timedelta(days=rng.uniform(0.05, 56))
    checks = _checks(rng, doc_type, genuine, quality)
    assessment = decide(checks, approve_at=seeder.approve_at, reject_at=seeder.reject_at)
    data = _image(n)
    document_id = uuid.uuid4()
    key = document_key(owner_id=owner.pk, document_id=document_id, extension="jpg")
    put_file(key, data)
    document = Document.objects.create(
        id=document_id,
        owner=owner,
        doc_type=doc_type,
        storage_key=key,
        content_type="image/jpeg",
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        image_width=1012,
        image_height=638,
        status=assessment.decision,
        attempts=1,
        attempt_seq=1,
    )
    decided_at = uploaded + timedelta(seconds=rng.uniform(20, 90))
    Document.objects.filter(pk=document.pk).update(
        created_at=uploaded, status_changed_at=decided_at
    )
    result = VerificationResult.objects.create(
        document=document,
        attempt=1,
        engine=engine,
        preprocessing_backend="cpu",
        detected_type=doc_type.lower(),
        fields=_fields(rng, doc_type, n),
        checks=[c.to_dict() for c in checks],
        quality={"sharpness": 90.0 if quality == "poor" else 420.0},
        score=assessment.score,
        score_breakdown=assessment.breakdown,
        decision=assessment.decision,
        reason_codes=assessment.reasons,
        threshold_auto_approve=seeder.approve_at,
        threshold_auto_reject=seeder.reject_at,
    )
    VerificationResult.objects.filter(pk=result.pk).update(created_at=decided_at)
    seeder.transition(document, "", "queued", uploaded)
    seeder.transition(document, "queued", "processing", uploaded + timedelta(seconds=5))
    seeder.transition(document, "processing", assessment.decision, decided_at)
    first, second = rng.sample(seeder.reviewers, k=2)
    human = _human(rng, doc_type, genuine, quality, checks)
    reviewed_at = decided_at + timedelta(hours=rng.uniform(0.2, 6))
    if assessment.decision == "in_review":
        review = seeder.review(document, result, "decision", decided_at)
        if reviewed_at > now or rng.random() < 0.12:
            return  # still waiting in the queue
        seeder.decide(review, human, first, reviewed_at)
        seeder.correct(review, first, doc_type, quality, engine, reviewed_at)
        final = "approved" if human[0] == "approved" else "rejected"
        Document.objects.filter(pk=document.pk).update(status=final)
        seeder.transition(document, "in_review", final, reviewed_at)
        if rng.random() < 0.3 and reviewed_at + timedelta(hours=2) < now:
            again = seeder.review(document, result, "second", reviewed_at, checked_review=review)
            agreed = (
                human
                if rng.random() < 0.85
                else _human(rng, doc_type, not genuine, quality, checks)
            )
            seeder.decide(again, agreed, second, reviewed_at + timedelta(hours=2))
    elif rng.random() < 0.15:
        qa = seeder.review(document, result, "qa", decided_at + timedelta(minutes=5))
        if reviewed_at < now and rng.random() < 0.85:
            seeder.decide(qa, human, first, reviewed_at)
            seeder.correct(qa, first, doc_type, quality, engine, reviewed_at)
