"""The synthetic card generator: deterministic, consistent ground truth, plausible images."""

from __future__ import annotations

import io
import json
import random
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from ocr_gpu.testing import vocab
from ocr_gpu.testing.cards import (
    card_lines,
    luhn_check_digit,
    make_card,
    random_ktp,
    random_npwp,
    render_ktp,
)

KTP_KEYS = {
    "provinsi", "kabupaten_kota", "nik", "nama", "tempat_lahir", "tanggal_lahir",
    "jenis_kelamin", "golongan_darah", "alamat", "rt_rw", "kel_desa", "kecamatan", "agama",
    "status_perkawinan", "pekerjaan", "kewarganegaraan", "berlaku_hingga",
    "tempat_diterbitkan", "tanggal_diterbitkan",
}  # fmt: skip
NPWP_KEYS = {"npwp", "nama", "nik", "alamat", "kpp", "tanggal_terdaftar"}
PROVINCE_CODES = {code for code, _, _ in vocab.REGIONS}


def luhn_valid(digits: str) -> bool:
    return luhn_check_digit(digits[:-1]) == digits[-1]


def test_make_card_is_deterministic_for_a_seed():
    # given / when: the same card asked for twice, and a neighbour seed
    first = make_card("ktp", "hard", 7)
    second = make_card("ktp", "hard", 7)
    other = make_card("ktp", "hard", 8)
    # then
    assert first == second
    assert other[0] != first[0]
    assert other[1]["fields"] != first[1]["fields"]


def test_ground_truth_has_the_exact_keys_and_record_shape():
    data, truth = make_card("npwp", "mild", 3)
    assert set(truth) == {"doc_type", "level", "seed", "fields"}
    assert (truth["doc_type"], truth["level"], truth["seed"]) == ("npwp", "mild", 3)
    assert set(truth["fields"]) == NPWP_KEYS
    assert set(random_ktp(random.Random(1))) == KTP_KEYS
    json.dumps(truth)  # serialisable
    assert Image.open(io.BytesIO(data)).format == "JPEG"


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=2**32))
def test_ktp_nik_agrees_with_sex_birth_date_and_region(seed):
    fields = random_ktp(random.Random(seed))
    nik, born = fields["nik"], date.fromisoformat(fields["tanggal_lahir"])
    issued = date.fromisoformat(fields["tanggal_diterbitkan"])
    day = int(nik[6:8])
    assert re.fullmatch(r"\d{16}", nik)
    assert nik[:2] in PROVINCE_CODES
    assert 1 <= int(nik[2:4]) <= 99
    assert (day > 40) == (fields["jenis_kelamin"] == "PEREMPUAN")
    assert (day - 40 if day > 40 else day, int(nik[8:10]), int(nik[10:12])) == (
        born.day, born.month, born.year % 100,
    )  # fmt: skip
    assert nik[12:] != "0000"
    assert (issued.year - born.year - ((issued.month, issued.day) < (born.month, born.day))) >= 17
    assert re.fullmatch(r"\d{3}/\d{3}", fields["rt_rw"])
    assert fields["berlaku_hingga"] == "SEUMUR HIDUP" or date.fromisoformat(
        fields["berlaku_hingga"]
    )
    assert fields["kabupaten_kota"].split()[0] in {"KABUPATEN", "KOTA"}
    assert not fields["provinsi"].startswith("PROVINSI")


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=2**32))
def test_npwp_number_is_luhn_valid_or_a_nik(seed):
    fields = random_npwp(random.Random(seed))
    number = fields["npwp"]
    assert re.fullmatch(r"\d{15}|\d{16}", number)
    if len(number) == 15:
        assert luhn_valid(number[:9])
    elif number.startswith("0") and number != fields["nik"]:
        assert luhn_valid(number[1:10])
    else:
        assert number == fields["nik"]


def test_luhn_check_digit_matches_known_npwp():
    # given python-stdnum's documented valid sample 01.300.066.6-091.000
    assert luhn_check_digit("01300066") == "6"
    assert luhn_check_digit("01300067") != "6"


def test_some_names_and_addresses_wrap_to_a_second_line():
    wrapped = 0
    for seed in range(40):
        fields = random_ktp(random.Random(seed))
        lines = card_lines("ktp", fields)
        wrapped += sum(1 for line in lines if " : " not in line and line.isupper())
    assert wrapped > 0


def test_ktp_lines_read_label_colon_value_in_card_order():
    fields = random_ktp(random.Random(5), nama="BUDI SANTOSO", tempat_lahir="BANDUNG",
                        tanggal_lahir="1990-08-17")  # fmt: skip
    lines = card_lines("ktp", fields)
    assert lines[0] == f"PROVINSI {fields['provinsi']}"
    assert lines[2] == f"NIK : {fields['nik']}"
    assert "Nama : BUDI SANTOSO" in lines
    assert "Tempat/Tgl Lahir : BANDUNG, 17-08-1990" in lines
    assert lines[-1] == "-".join(reversed(fields["tanggal_diterbitkan"].split("-")))


def test_render_ktp_has_the_requested_size():
    image = render_ktp(random_ktp(random.Random(2)), size=(506, 319))
    assert image.size == (506, 319)


@pytest.mark.parametrize("level", ["clean", "mild", "hard"])
def test_degradation_levels_give_scan_or_photo_frames(level):
    data, _ = make_card("ktp", level, 11)
    image = Image.open(io.BytesIO(data))
    if level == "clean":
        assert (image.format, image.size) == ("PNG", (1012, 638))
    elif level == "mild":
        assert image.format == "JPEG" and 1.3 < image.width / image.height < 1.6
    else:
        assert image.format == "JPEG" and image.width * image.height > 1012 * 638 * 1.5


@pytest.mark.slow
def test_generate_cards_command_writes_images_and_truth(tmp_path):
    # given the embedded defaults (no database, no services); when the command runs
    manage = Path(__file__).resolve().parents[2] / "manage.py"
    subprocess.run(
        [sys.executable, str(manage), "generate_cards", str(tmp_path), "--count", "2",
         "--level", "clean", "--type", "npwp", "--seed", "40"],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    # then each card has its image and its ground truth beside it
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["npwp_clean_00040.json", "npwp_clean_00040.png",
                     "npwp_clean_00041.json", "npwp_clean_00041.png"]  # fmt: skip
    truth = json.loads((tmp_path / "npwp_clean_00041.json").read_text())
    assert truth == make_card("npwp", "clean", 41)[1]
