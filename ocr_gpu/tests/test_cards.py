"""The synthetic card generator: deterministic, consistent ground truth, plausible images,
layout families that really differ, and every truth value printed on its card."""

from __future__ import annotations

import io
import json
import random
import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from statistics import mean

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from ocr_gpu.testing import cards as cards_module
from ocr_gpu.testing import fonts, ktp_design, surfaces, vocab
from ocr_gpu.testing.capture import CAMERA_FRAMES
from ocr_gpu.testing.cards import (
    FAMILIES,
    card_design,
    card_lines,
    card_style,
    luhn_check_digit,
    make_card,
    random_ktp,
    random_npwp,
    render_ktp,
    render_npwp,
)
from ocr_gpu.testing.degrade import LEVELS
from ocr_gpu.testing.drawing import Style
from ocr_gpu.testing.npwp_design import MONTHS, format_npwp, long_date
from ocr_gpu.testing.render import ktp_rows, npwp_rows

KTP_KEYS = {
    "provinsi", "kabupaten_kota", "nik", "nama", "tempat_lahir", "tanggal_lahir",
    "jenis_kelamin", "golongan_darah", "alamat", "rt_rw", "kel_desa", "kecamatan", "agama",
    "status_perkawinan", "pekerjaan", "kewarganegaraan", "berlaku_hingga",
    "tempat_diterbitkan", "tanggal_diterbitkan",
}  # fmt: skip
NPWP_KEYS = {"npwp", "nama", "nik", "alamat", "kpp", "tanggal_terdaftar"}
PROVINCE_CODES = {code for code, _, _ in vocab.REGIONS}
CARD_HEIGHT = 638
DATE_FIELDS = {"tanggal_lahir", "tanggal_diterbitkan", "tanggal_terdaftar", "berlaku_hingga"}


def luhn_valid(digits: str) -> bool:
    return luhn_check_digit(digits[:-1]) == digits[-1]


def assert_consistent_ktp(fields: dict[str, str]) -> None:
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
    assert not fields["provinsi"].startswith("PROVINSI")


def assert_consistent_npwp(fields: dict[str, str]) -> None:
    number = fields["npwp"]
    assert re.fullmatch(r"\d{15}|\d{16}", number)
    if len(number) == 15:
        assert luhn_valid(number[:9])
    elif number.startswith("0") and number != fields["nik"]:
        assert luhn_valid(number[1:10])
    else:
        assert number == fields["nik"]
    assert re.fullmatch(r"\d{16}", fields["nik"])
    date.fromisoformat(fields["tanggal_terdaftar"])


def printed_forms(name: str, value: str) -> list[str]:
    """How a normalised truth value may look on the card."""
    if name in DATE_FIELDS and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        year, month, day = value.split("-")
        return [f"{day}-{month}-{year}", f"{day}/{month}/{year}", long_date(value)]
    if name == "npwp":
        return [format_npwp(value)]
    return [value]


def designs(per_family: int) -> list[tuple[str, str, dict[str, str], Style]]:
    out = []
    for family in FAMILIES:
        for doc_type in ("ktp", "npwp"):
            for seed in range(per_family):
                fields, style = card_design(doc_type, "clean", seed, family)
                out.append((doc_type, family, fields, style))
    return out


def test_make_card_is_deterministic_for_a_seed():
    # given / when: the same card asked for twice, and a neighbour seed, canonical and per family
    for family, level in ((None, "mild"), ("b", "hard")):
        first = make_card("ktp", level, 7, family=family)
        second = make_card("ktp", level, 7, family=family)
        other = make_card("ktp", level, 8, family=family)
        # then
        assert first == second
        assert other[0] != first[0]
        assert other[1]["fields"] != first[1]["fields"]


def test_ground_truth_has_the_exact_keys_and_record_shape():
    data, truth = make_card("npwp", "mild", 3, family="c")
    assert set(truth) == {"doc_type", "level", "seed", "family", "fields"}
    assert (truth["doc_type"], truth["level"], truth["seed"], truth["family"]) == (
        "npwp", "mild", 3, "c",
    )  # fmt: skip
    assert set(truth["fields"]) == NPWP_KEYS
    assert set(random_ktp(random.Random(1))) == KTP_KEYS
    assert make_card("ktp", "clean", 3)[1]["family"] == "a"  # the canonical card is family a
    json.dumps(truth)  # serialisable
    assert Image.open(io.BytesIO(data)).format == "JPEG"


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=2**32), st.booleans())
def test_ktp_nik_agrees_with_sex_birth_date_and_region(seed, as_printed):
    fields = random_ktp(random.Random(seed), as_printed=as_printed)
    assert_consistent_ktp(fields)
    regency = fields["kabupaten_kota"]
    if as_printed and fields["provinsi"] == "DKI JAKARTA":  # printed without KOTA, as on cards
        assert regency.startswith("JAKARTA ")
    else:
        assert regency.split()[0] in {"KABUPATEN", "KOTA"}


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=2**32))
def test_npwp_number_is_luhn_valid_or_a_nik(seed):
    assert_consistent_npwp(random_npwp(random.Random(seed)))


def test_family_cards_have_consistent_truth():
    for doc_type, _, fields, _ in designs(per_family=6):
        (assert_consistent_ktp if doc_type == "ktp" else assert_consistent_npwp)(fields)


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


def test_every_truth_value_is_printed_on_its_card():
    # given cards of every family and type; when their printed lines are read in order
    for doc_type, family, fields, style in designs(per_family=8):
        rows = (ktp_rows if doc_type == "ktp" else npwp_rows)(fields, style)
        printed = " ".join(row.text for row in rows)
        # then each truth value is on the card, as printed (dates DD-MM-YYYY or DD/MM/YYYY)
        for name, value in fields.items():
            assert any(form in printed for form in printed_forms(name, value)), (
                family, doc_type, name, value, printed,
            )  # fmt: skip
        # and each line's text is exactly what its drawn parts say (colons aside)
        for row in rows:
            drawn = " ".join(part.text for part in row.parts)
            assert re.sub(r"[\s:]+", " ", drawn).strip() == re.sub(r"[\s:]+", " ", row.text).strip()


def test_npwp_address_is_printed_on_one_to_three_lines():
    for _, family, fields, style in (d for d in designs(per_family=10) if d[0] == "npwp"):
        lines = card_lines("npwp", fields, style=style)
        start = next(i for i, line in enumerate(lines) if line.startswith("NIK")) + 1
        end = next(i for i, line in enumerate(lines) if line.split(" Tanggal ")[0] == fields["kpp"])
        assert 1 <= end - start <= 3, (family, lines)
        assert " ".join(lines[start:end]) == fields["alamat"]


def _nik_top(family: str, seed: int) -> float:
    fields, style = card_design("ktp", "clean", seed, family)
    return next(r.y for r in ktp_rows(fields, style) if r.region == "nik") / CARD_HEIGHT


def test_families_really_differ_in_layout():
    # the NIK sits at a different height on each family's card (beyond the per-card jitter)
    tops = {family: mean(_nik_top(family, seed) for seed in range(6)) for family in FAMILIES}
    for one in FAMILIES:
        for other in FAMILIES:
            if one < other:
                assert abs(tops[one] - tops[other]) > 0.03, tops
    # the colon is placed differently, and the NPWP number sits in a different design
    colons = set()
    number_blocks = set()
    for family in FAMILIES:
        fields, style = card_design("ktp", "clean", 1, family)
        lines = card_lines("ktp", fields, style=style)
        name_line = next(line for line in lines if line.startswith("Nama"))
        colons.add(re.sub(r"^Nama(\W*).*$", r"\1", name_line))
        fields, style = card_design("npwp", "clean", 1, family)
        rows = npwp_rows(fields, style)
        number_blocks.add((rows[0].text, tuple(r.text[:4] for r in rows if r.region == "npwp")))
    assert colons == {" : ", ": ", " "}
    assert len(number_blocks) == len(FAMILIES)


def test_blocks_move_independently_within_a_family():
    gaps = set()
    for seed in range(8):
        fields, style = card_design("ktp", "clean", seed, "b")
        rows = ktp_rows(fields, style)
        header = rows[0].y
        nik = next(r.y for r in rows if r.region == "nik")
        body = next(r.y for r in rows if r.region == "body")
        gaps.add((nik - header, body - nik))
    assert len(gaps) > 4


def test_fonts_are_drawn_per_card_from_each_familys_own_sets():
    faces = {family: set() for family in FAMILIES}
    for family in FAMILIES:
        for seed in range(12):
            style = card_style("ktp", family, random.Random(seed))
            faces[family].add((style.fonts.text, style.fonts.mono))
    assert all(len(found) > 1 for found in faces.values()), faces
    texts = {family: {text for text, _ in found} for family, found in faces.items()}
    for one in FAMILIES:
        for other in FAMILIES:
            assert one == other or not texts[one] & texts[other], (one, other)


def test_a_missing_optional_font_falls_back_to_dejavu(monkeypatch):
    # given the same design on a machine with every font, then on one with only DejaVu
    fields, with_fonts = card_design("ktp", "clean", 4, "b")
    for name in fonts.CATALOGUE:
        if not name.startswith("dejavu"):
            monkeypatch.setitem(fonts.CATALOGUE, name, f"missing/{name}.ttf")
    fields_bare, bare = card_design("ktp", "clean", 4, "b")
    # then only the faces change: same person, same jitter, DejaVu faces, and it still draws
    assert fields_bare == fields
    assert bare.jitter == with_fonts.jitter
    assert {bare.fonts.text, bare.fonts.mono} <= {
        str(fonts.path_of("dejavu-sans")), str(fonts.path_of("dejavu-mono-bold")),
    }  # fmt: skip
    assert render_ktp(fields, (506, 319), random.Random(1), style=bare).size == (506, 319)


def test_render_ktp_has_the_requested_size():
    image = render_ktp(random_ktp(random.Random(2)), size=(506, 319))
    assert image.size == (506, 319)
    fields, style = card_design("npwp", "clean", 2, "c")
    assert render_npwp(fields, (700, 441), random.Random(2), style=style).size == (700, 441)


@pytest.mark.parametrize("level", ["clean", "mild", "hard"])
def test_canonical_levels_give_scan_or_photo_frames(level):
    data, _ = make_card("ktp", level, 11)
    image = Image.open(io.BytesIO(data))
    if level == "clean":
        assert (image.format, image.size) == ("PNG", (1012, 638))
    elif level == "mild":
        assert image.format == "JPEG" and 1.3 < image.width / image.height < 1.6
    else:
        assert image.format == "JPEG" and image.width * image.height > 1012 * 638 * 1.5


@pytest.mark.parametrize("family", FAMILIES)
def test_every_family_renders_both_types_at_every_level(family):
    for doc_type in ("ktp", "npwp"):
        for level in LEVELS:
            data, truth = make_card(doc_type, level, 21, family=family)
            image = Image.open(io.BytesIO(data))
            image.load()
            assert truth["family"] == family
            if level == "clean":  # the flat card at its printed size
                assert image.format == "PNG"
                assert abs(image.width / image.height - 1012 / 638) < 0.01
            else:  # a scan or a photo: the card with something around it
                assert image.format == "JPEG"
                assert image.width * image.height > 880 * 555


def test_photos_lie_on_light_plain_surfaces_as_often_as_on_dark_ones():
    rng = random.Random(0)
    kinds = [surfaces.pick(rng) for _ in range(400)]
    light = sum(kind in surfaces.LIGHT for kind in kinds) / len(kinds)
    assert 0.45 < light < 0.65
    for kind in surfaces.KINDS:  # light ones are bright and plain, like a desk or a sheet
        tile = surfaces.surface(kind, (60, 80), random.Random(1))
        assert (tile.mean() > 180) == (kind in surfaces.LIGHT), kind


@pytest.mark.slow
def test_camera_photos_have_a_phone_cameras_size():
    data, _ = make_card("npwp", "mild", 1, family="b", camera=True)
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG"
    assert image.size in {*CAMERA_FRAMES, *((h, w) for w, h in CAMERA_FRAMES)}
    assert 2_500_000 < len(data) < 7_000_000
    with pytest.raises(ValueError, match="camera"):
        make_card("npwp", "mild", 1, camera=True)


@pytest.mark.slow
def test_generate_cards_command_writes_images_and_truth(tmp_path):
    # given the embedded defaults (no database, no services); when the command runs
    manage = Path(__file__).resolve().parents[2] / "manage.py"
    subprocess.run(
        [sys.executable, str(manage), "generate_cards", str(tmp_path), "--count", "4",
         "--level", "clean", "--type", "npwp", "--seed", "40"],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    # then each card has its image and its ground truth beside it, spread over the families
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["npwp_a_clean_00040.json", "npwp_a_clean_00040.png",
                     "npwp_b_clean_00041.json", "npwp_b_clean_00041.png",
                     "npwp_c_clean_00042.json", "npwp_c_clean_00042.png",
                     "npwp_d_clean_00043.json", "npwp_d_clean_00043.png"]  # fmt: skip
    truth = json.loads((tmp_path / "npwp_c_clean_00042.json").read_text())
    assert truth == make_card("npwp", "clean", 42, family="c")[1]
    # and one family can be asked for
    subprocess.run(
        [sys.executable, str(manage), "generate_cards", str(tmp_path / "b"), "--count", "2",
         "--level", "clean", "--type", "ktp", "--family", "b"],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    assert sorted(p.name for p in (tmp_path / "b").glob("*.json")) == [
        "ktp_b_clean_00000.json", "ktp_b_clean_00001.json",
    ]  # fmt: skip


def test_the_older_npwp_can_print_its_registration_date_at_the_end_of_the_kpp_line():
    designs = [card_design("npwp", "clean", seed, "c") for seed in range(1, 41)]
    kpp_dated = [(f, s) for f, s in designs if "date-kpp" in s.options]
    assert 8 <= len(kpp_dated) <= 24  # some cards of the family, not all
    shown = 0
    for fields, style in kpp_dated:
        lines = card_lines("npwp", fields, style=style)
        if lines[-1].startswith(fields["kpp"] + " "):  # a long KPP name keeps the date under it
            day, month, year = lines[-1].rsplit(": ", 1)[1].split()
            assert (
                date(int(year), MONTHS.index(month) + 1, int(day)).isoformat()
                == (fields["tanggal_terdaftar"])
            )
            shown += 1
        else:
            assert lines[-2] == fields["kpp"] and "Terdaftar" in lines[-1]
    assert shown >= len(kpp_dated) // 2


@pytest.mark.parametrize(
    ("doc_type", "family", "option"), [("npwp", "c", "date-kpp"), ("ktp", "b", "issue-top")]
)
def test_an_option_added_later_leaves_the_cards_drawn_before_as_they_were(
    monkeypatch, doc_type, family, option
):
    seeds = [
        s for s in range(1, 12) if option not in card_design(doc_type, "mild", s, family)[1].options
    ]
    drawn = {seed: make_card(doc_type, "mild", seed, family=family)[0] for seed in seeds[:3]}

    monkeypatch.setattr(cards_module, "LATE_OPTIONS", {})

    assert {seed: make_card(doc_type, "mild", seed, family=family)[0] for seed in drawn} == drawn


def test_some_ktps_print_their_place_and_date_of_issue_above_the_photo():
    designs = [card_design("ktp", "clean", seed, "b") for seed in range(1, 41)]
    on_top = [(f, s) for f, s in designs if "issue-top" in s.options]
    assert 6 <= len(on_top) <= 20  # some cards of the family, not all
    for fields, style in on_top:
        rows = ktp_rows(fields, style)
        place, issued = (r for r in rows if r.region == "issue")
        nik = next(r for r in rows if r.region == "nik")
        photo_top = ktp_design.SPECS["b"].photo[1] + style.shift("photo")[1]
        assert place.text == fields["tempat_diterbitkan"]
        assert place.y < issued.y < photo_top  # both above the photo, the date under the place
        assert abs(issued.y - nik.y) < ktp_design.SPECS["b"].nik_size  # level with the NIK
