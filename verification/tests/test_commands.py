"""``verify_document`` and ``evaluate_extraction`` on generated card files, without a database."""

from __future__ import annotations

import json
import random

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ocr_gpu.testing.cards import make_card, random_ktp
from ocr_gpu.testing.degrade import degrade
from ocr_gpu.testing.render import render_ktp


def write_card(folder, doc_type: str, seed: int, with_truth: bool = False):
    data, truth = make_card(doc_type, "clean", seed)
    path = folder / f"{doc_type}_clean_{seed:05d}.png"
    path.write_bytes(data)
    if with_truth:
        path.with_suffix(".json").write_text(json.dumps(truth))
    return path, truth


@pytest.mark.slow  # real OCR
def test_verify_document_prints_one_json_line_per_file_and_fails_on_unreadable_ones(
    tmp_path, capsys
):
    card, truth = write_card(tmp_path, "ktp", 41)
    garbage = tmp_path / "garbage.jpg"
    garbage.write_bytes(b"not an image at all")
    missing = tmp_path / "missing.png"

    with pytest.raises(CommandError) as raised:
        call_command("verify_document", str(garbage), str(card), str(missing), "--json")

    assert raised.value.returncode != 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["file"] for line in lines] == [str(garbage), str(card), str(missing)]
    assert lines[0]["error"]["code"] == "image_unreadable"
    assert lines[2]["error"]["code"] == "file_unreadable"
    report = lines[1]
    assert report["doc_type"] == "ktp"
    assert report["decision"] == "auto_approved"
    assert report["fields"]["nik"]["value"] == truth["fields"]["nik"]
    assert set(report["fields"]["nik"]) == {
        "value", "raw", "confidence", "box", "agreement", "sources"
    }  # fmt: skip
    assert report["fields"]["nik"]["agreement"] == "confirmed"
    assert len(report["fields"]["nik"]["box"]) == 4
    assert {"checks", "quality", "score", "reasons", "timings_ms"} <= set(report)
    assert report["quality"]["card_found"] is True


@pytest.mark.slow  # real OCR
def test_verify_document_flags_a_ktp_declared_as_npwp(tmp_path, capsys):
    card, _ = write_card(tmp_path, "ktp", 42)

    call_command("verify_document", str(card), "--type", "npwp")

    out = capsys.readouterr().out
    assert "auto_rejected" in out
    assert "wrong_document_type" in out


@pytest.mark.slow  # real OCR
def test_verify_document_reads_thresholds_from_settings(tmp_path, capsys, settings):
    rng = random.Random(45)
    fields = random_ktp(rng, berlaku_hingga="2019-06-24", kewarganegaraan="WNI")
    card = tmp_path / "expired.png"
    card.write_bytes(degrade(render_ktp(fields, rng=rng), "clean", rng))
    settings.AI_SCORE_THRESHOLD_AUTO_APPROVE = 100
    settings.AI_SCORE_THRESHOLD_AUTO_REJECT = 99

    call_command("verify_document", str(card), "--json")

    report = json.loads(capsys.readouterr().out)
    assert "document_expired" in report["reasons"]  # a warning: approved at the default 85
    assert report["score"] == 99
    assert report["decision"] == "auto_rejected"


@pytest.mark.slow  # real OCR
def test_evaluate_extraction_reports_accuracy_decisions_and_tampered_false_accepts(
    tmp_path, capsys
):
    write_card(tmp_path, "ktp", 44, with_truth=True)
    write_card(tmp_path, "npwp", 44, with_truth=True)

    call_command(
        "evaluate_extraction",
        str(tmp_path),
        "--json",
        "--workers",
        "2",
        "--add-tampered",
        "1",
        "--today",
        "2026-11-29",
    )

    summary = json.loads(capsys.readouterr().out)
    ktp = summary["groups"]["ktp/clean"]
    assert ktp["cards"] == 1
    assert ktp["number_exact"] == 100.0
    assert ktp["fields"]["nama"] == 100.0
    assert ktp["decisions"] == {"auto_approved": 1}
    assert summary["groups"]["npwp/clean"]["number_field"] == "npwp"
    assert set(summary["tampered"]) == {"nik_digit", "sex_swap", "dob_shift"}
    assert all(group["false_accepts"] == 0 for group in summary["tampered"].values())


def test_evaluate_extraction_refuses_an_empty_folder(tmp_path):
    with pytest.raises(CommandError, match="no card images"):
        call_command("evaluate_extraction", str(tmp_path))
