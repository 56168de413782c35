"""Parsers: printed card text back to the generator's fields, and OCR noise on the way."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ocr_gpu.result import Line, OcrResult, Word
from ocr_gpu.testing.cards import card_lines, random_ktp, random_npwp
from ocr_gpu.testing.render import ktp_rows, npwp_rows
from verification import enums
from verification.engine import parse
from verification.names import compare_names, normalise_name, profile_match
from verification.parsing import lines_to_ocr

CARD_WIDTH, CARD_HEIGHT = 1012, 638


def rows_of(doc_type: str, fields: dict[str, str], with_regions: bool) -> list:
    """The card's printed lines: with the OCR regions, or as plain ``card_lines`` text."""
    if not with_regions:
        return card_lines(doc_type, fields)
    rows = ktp_rows(fields) if doc_type == "ktp" else npwp_rows(fields)
    return [(row.text, row.region) for row in rows]


def values(doc_type: str, rows: list, declared: str | None = None) -> dict[str, str | None]:
    parsed = parse(lines_to_ocr(rows), declared or doc_type)
    return {name: field.value for name, field in parsed.fields.items()}


def ktp_lines(**changes: str) -> list[str]:
    """Printed KTP lines for fixed fields, with some lines replaced by noisy variants."""
    lines = {
        "provinsi": "PROVINSI JAWA BARAT",
        "kota": "KOTA BANDUNG",
        "nik": "NIK : 3273015205900007",
        "nama": "Nama : SITI AMINAH",
        "lahir": "Tempat/Tgl Lahir : BANDUNG, 12-05-1990",
        "kelamin": "Jenis Kelamin : PEREMPUAN Gol. Darah : AB+",
        "alamat": "Alamat : JL. MERDEKA NO. 10",
        "rtrw": "RT/RW : 001/002",
        "desa": "Kel/Desa : SUKAJADI",
        "kecamatan": "Kecamatan : COBLONG",
        "agama": "Agama : ISLAM",
        "status": "Status Perkawinan : KAWIN",
        "pekerjaan": "Pekerjaan : KARYAWAN SWASTA",
        "warga": "Kewarganegaraan : WNI",
        "berlaku": "Berlaku Hingga : SEUMUR HIDUP",
    }
    lines.update(changes)
    return list(lines.values())


@pytest.mark.parametrize(
    ("read", "returned"),
    [
        # an I read as L in a city's name
        ("BEKASL", "BEKASI"),
        ("BUKITTINGGL", "BUKITTINGGI"),
        # a birth place need not be a regency or city: a village's name, a letter lost, a name
        # near none stay as read
        ("SUKAJADI", "SUKAJADI"),
        ("BEKAS", "BEKAS"),
        ("ROTTERDAM", "ROTTERDAM"),
    ],
)
def test_a_birth_place_a_look_alike_letter_off_a_city_is_that_city(read, returned):
    lines = ktp_lines(lahir=f"Tempat/Tgl Lahir : {read}, 12-05-1990")

    assert values("ktp", lines)["tempat_lahir"] == returned


def test_a_roman_two_read_as_one_double_bar_is_ii():
    # PP-OCR's multilingual model reads a village's ``II`` as ``∥`` now and then
    lines = ktp_lines(desa="Kel/Desa : JAGABAYA \u2225")

    assert values("ktp", lines)["kel_desa"] == "JAGABAYA II"


# --- round trip -------------------------------------------------------------------------------


@settings(max_examples=120, deadline=None)
@given(st.integers(0, 10**9), st.booleans())
def test_a_printed_ktp_parses_back_to_its_fields(seed, with_regions):
    fields = random_ktp(random.Random(seed))

    assert values("ktp", rows_of("ktp", fields, with_regions)) == fields


@settings(max_examples=120, deadline=None)
@given(st.integers(0, 10**9), st.booleans())
def test_a_printed_npwp_parses_back_to_its_fields(seed, with_regions):
    fields = random_npwp(random.Random(seed))

    assert values("npwp", rows_of("npwp", fields, with_regions)) == fields


regions = st.sampled_from(["header", "nik", "npwp", "body", "issue", "page"])
any_rows = st.lists(st.tuples(st.text(max_size=60), regions), max_size=25)


@settings(max_examples=300, deadline=None)
@given(any_rows, st.sampled_from(["ktp", "npwp", None, "passport"]), st.booleans())
def test_parse_never_raises_on_arbitrary_text(rows, declared, on_a_card):
    size = (CARD_WIDTH, CARD_HEIGHT) if on_a_card else (0, 0)
    parsed = parse(lines_to_ocr(rows, card_size=size), declared)

    assert parsed.detected_type in ("ktp", "npwp", "unknown")
    assert all(f.value is None or f.value == f.value.strip() for f in parsed.fields.values())


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 10**9))
def test_parsed_results_survive_a_json_round_trip(seed):
    fields = random_ktp(random.Random(seed))
    parsed = parse(lines_to_ocr(rows_of("ktp", fields, True)), "ktp")

    assert type(parsed).from_dict(parsed.to_dict()) == parsed


# --- OCR noise --------------------------------------------------------------------------------


def test_labels_misread_by_ocr_still_find_their_values():
    lines = ktp_lines(
        lahir="Tempat/Tgi Lahir : BANDUNG, 12-05-1990",
        rtrw="RTARW : 001/002",
        desa="KevDesa : SUKAJADI",
        kelamin="Jenis Kelamin : PEREMPUAN Go Daran : AB+",
        status="Status Perkawman : KAWIN",
        berlaku="Bertaku Hingga : SEUMUR HIDUP",
    )

    got = values("ktp", lines)

    assert got["tanggal_lahir"] == "1990-05-12"
    assert got["tempat_lahir"] == "BANDUNG"
    assert got["rt_rw"] == "001/002"
    assert got["kel_desa"] == "SUKAJADI"
    assert got["golongan_darah"] == "AB+"
    assert got["status_perkawinan"] == "KAWIN"
    assert got["berlaku_hingga"] == "SEUMUR HIDUP"


def test_a_label_glued_to_its_value_or_missing_its_colon_is_split():
    lines = ktp_lines(
        status="Status PerkawinanCERAI MATI", warga="Kewarganegaraan WNI", agama="Agama ISLAM"
    )

    got = values("ktp", lines)

    assert got["status_perkawinan"] == "CERAI MATI"
    assert got["kewarganegaraan"] == "WNI"
    assert got["agama"] == "ISLAM"


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("Nama I BUDI SANTOSO", "BUDI SANTOSO"),  # the colon read as an I
        ("Nama 1 BUDI SANTOSO", "BUDI SANTOSO"),
        ("Nama : I KADEK WIRAWAN", "I KADEK WIRAWAN"),  # the colon read, then the name's I
        ("Nama I GUSTI NGURAH RAI", "I GUSTI NGURAH RAI"),  # a Balinese name's I, no colon
        # a wide-set face prints GUSTI in two
        ("Nama I GUS TI NGURAH BAGUS", "I GUSTI NGURAH BAGUS"),
        ("Nama : NI KOM ANG SARI", "NI KOMANG SARI"),
        ("Nama : I GUS DUR", "I GUS DUR"),
        ("Nama : 1 WAYAN SUDARSANA", "I WAYAN SUDARSANA"),
        ("Nama : NI LUH PUTU SARI", "NI LUH PUTU SARI"),
        # Tesseract read the I as a pipe after the colon; a pipe alone may be the colon
        ("Nama : | KETUT SUDIANA", "I KETUT SUDIANA"),
        ("NAMA :| WAYAN SUARDANA", "I WAYAN SUARDANA"),
        ("NAMA | WAYAN SUARDANA", "WAYAN SUARDANA"),
        ("Nama : | BUDI SANTOSO", "BUDI SANTOSO"),
    ],
)
def test_a_lone_i_before_a_name_is_a_misread_colon_unless_it_is_the_name_s_own(row, expected):
    assert values("ktp", ktp_lines(nama=row))["nama"] == expected


@pytest.mark.parametrize(
    ("row", "place"),
    [
        ("Tempat/Tgl Lahir :—SITUBONDO,13-11-1980", "SITUBONDO"),  # a colon's stroke glued on
        ("Tempat/Tgl Lahir : -SITUBONDO, 13-11-1980", "SITUBONDO"),
        ("Tempat/Tgl Lahir : SITUBONDO, 13-11-1980", "SITUBONDO"),
    ],
)
def test_a_mark_glued_before_a_birth_place_is_no_part_of_it(row, place):
    assert values("ktp", ktp_lines(lahir=row))["tempat_lahir"] == place


def test_wrapped_names_and_addresses_are_kept_whole():
    lines = ktp_lines(
        nama="Nama : MUHAMMAD SETIAWAN NASUTION SETIAWAN",
        alamat="Alamat : JL. JENDERAL AHMAD YANI GANG",
    )
    lines.insert(4, "WIJAYA")
    lines.insert(8, "SUKAMAJU III NO. 118")

    got = values("ktp", lines)

    assert got["nama"] == "MUHAMMAD SETIAWAN NASUTION SETIAWAN WIJAYA"
    assert got["alamat"] == "JL. JENDERAL AHMAD YANI GANG SUKAMAJU III NO. 118"
    assert got["tempat_lahir"] == "BANDUNG"


@pytest.mark.parametrize(
    ("read", "printed"),
    [
        ("RT/RW : 011/805", "011/005"),  # a blurred padding zero read as 8
        ("RT/RW : 812/804", "012/004"),
        ("RT/RW : 018/008", "018/008"),  # an 8 inside the number stays
        ("RT/RW : 108/012", "108/012"),
    ],
)
def test_an_rt_rw_number_s_padding_zero_read_as_eight_is_a_zero(read, printed):
    got = values("ktp", [(text, "body") for text in ktp_lines(rtrw=read)])

    assert got["rt_rw"] == printed


@pytest.mark.parametrize(
    ("rtrw", "address", "rt_rw"),
    [
        # the caption misread (a blurred photo): the value is still the one NNN/NNN word
        ("RT/D0 002/001", "JL. MERDEKA NO. 10", "002/001"),
        # the caption lost: the value's row reads as the address's wrapped line
        ("005/004", "JL. MERDEKA NO. 10", "005/004"),
        # two words so written: neither is taken
        ("RT/D0 002/001 003/004", "JL. MERDEKA NO. 10 003/004", None),
    ],
)
def test_an_rt_rw_whose_caption_was_lost_is_read_by_its_shape(rtrw, address, rt_rw):
    got = values("ktp", [(text, "body") for text in ktp_lines(rtrw=rtrw)])

    assert got.get("rt_rw") == rt_rw
    if rt_rw is not None:
        assert got["alamat"] == address
        assert got["kel_desa"] == "SUKAJADI"


def test_digit_lookalikes_are_fixed_in_numbers_only():
    lines = ktp_lines(
        nik="NIK : 3273OlSZO59OOOO7",
        nama="Nama : BOBI SOLIHIN",
        rtrw="RT/RW : OO1/OO2",
        lahir="Tempat/Tgl Lahir : BOGOR, l2-O5-199O",
    )

    got = values("ktp", lines)

    assert got["nik"] == "3273015205900007"
    assert got["rt_rw"] == "001/002"
    assert got["tanggal_lahir"] == "1990-05-12"
    assert got["nama"] == "BOBI SOLIHIN"
    assert got["tempat_lahir"] == "BOGOR"


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("Tempat/Tgl Lahir : BANDUNG, 12-05-1990", "1990-05-12"),
        # an engine split a number at its narrow one: not the 1st of February
        ("Tempat/Tgl Lahir : BANDUNG, 18-1 2-2006", "2006-12-18"),
        ("Tempat/Tgl Lahir : BANDUNG, 1 2-05-1990", "1990-05-12"),
        ("Tempat/Tgl Lahir : BANDUNG, 12 05 1990", "1990-05-12"),  # spaces as separators
    ],
)
def test_a_birth_date_an_engine_split_inside_a_number_is_read_whole(row, expected):
    assert values("ktp", ktp_lines(lahir=row))["tanggal_lahir"] == expected


@pytest.mark.parametrize(
    "row", ["TEMPAT/TGL LAHIR BIAK. 04-09-1984", "Tempat/Tgl Lahir : BIAK,04-09-1984"]
)
def test_the_comma_before_the_birth_date_read_as_a_dot_is_no_part_of_the_place(row):
    got = values("ktp", ktp_lines(lahir=row))

    assert (got["tempat_lahir"], got["tanggal_lahir"]) == ("BIAK", "1984-09-04")


def test_digits_misread_inside_a_name_become_letters():
    got = values("ktp", ktp_lines(nama="Nama : S1TI AM1NAH"))

    assert got["nama"] == "SITI AMINAH"


@pytest.mark.parametrize(
    ("read", "expected"),
    [
        ("ISPAM", "ISLAM"),
        ("KATHOLIK", "KATOLIK"),
        ("BUDDHA", "BUDHA"),
        ("KEPERCAYAAN TERHADAP TUHAN YME", "KEPERCAYAAN TERHADAP TUHAN YME"),
        ("KEPERCAYAAN TERHADAP TUHAN YANG MAHA ESA", "KEPERCAYAAN TERHADAP TUHAN YME"),
    ],
)
def test_religion_is_snapped_to_the_allowed_list(read, expected):
    assert enums.snap_agama(read) == expected


@pytest.mark.parametrize(
    ("read", "expected"),
    [
        ("KAWAN", "KAWIN"),
        ("BELUMKAWIN", "BELUM KAWIN"),
        ("KAWIN TERCATAT", "KAWIN TERCATAT"),
        ("KAWIN BELUM TERCATAT", "KAWIN BELUM TERCATAT"),
        ("CERAI HIDUP TERCATAT", "CERAI HIDUP TERCATAT"),
        ("CERA1 MATI", "CERAI MATI"),
    ],
)
def test_marital_status_is_snapped_including_tercatat_variants(read, expected):
    assert enums.snap_status(read) == expected


@pytest.mark.parametrize(
    ("read", "expected"),
    [("AB+", "AB+"), ("0+", "O+"), ("B-", "B-"), ("-", "-"), ("—", "-"), ("O", "O"), ("XYZ", None)],
)
def test_blood_group_keeps_its_rhesus_and_rejects_garbage(read, expected):
    assert enums.snap_golongan_darah(read) == expected


@pytest.mark.parametrize(
    ("read", "expected"),
    [("B- o", "B-"), (". AB", "AB"), ("' O", "O"), ("A+ 0", "A+"), ("- B", "B")],
)
def test_a_blood_group_read_with_a_speck_before_or_after_it_is_the_group(read, expected):
    # a speck of the photo beside the group read after it (``B- o``) is no group of the card
    assert enums.snap_golongan_darah(read) == expected


@pytest.mark.parametrize(
    ("read", "expected"),
    [
        ("LAKI-LAKI", "LAKI-LAKI"),
        ("LAKI LAK1", "LAKI-LAKI"),
        ("PEREMPUAM", "PEREMPUAN"),
        ("FEMALE", "PEREMPUAN"),
    ],
)
def test_sex_is_snapped(read, expected):
    assert enums.snap_jenis_kelamin(read) == expected


@pytest.mark.parametrize(
    ("read", "expected"),
    [
        ("KARYAWAN SWASTA", "KARYAWAN SWASTA"),
        ("KARYAWAM SWASTA", "KARYAWAN SWASTA"),
        ("DORTER", "DOKTER"),  # a short one: one letter off the one listed job
        ("BIDAM", "BIDAN"),
        ("PENARI", "PENARI"),  # not listed and not one letter off one: kept as printed
        ("GARU", "GARU"),  # too short to tell a misread from another word
    ],
)
def test_an_occupation_a_letter_off_a_listed_one_is_snapped(read, expected):
    assert enums.snap_pekerjaan(read) == expected


def test_a_province_misread_by_ocr_is_snapped_to_its_official_name():
    got = values("ktp", ktp_lines(provinsi="PROVINSI DAEGAH ISTIMAWA YOGYEKARTA"))

    assert got["provinsi"] == "DAERAH ISTIMEWA YOGYAKARTA"


def _word_line(words: list[tuple[str, int]], y: int, region: str) -> Line:
    built = tuple(Word(text=t, confidence=95.0, box=(x, y, len(t) * 12, 22)) for t, x in words)
    right = max(w.box[0] + w.box[2] for w in built)
    return Line(
        text=" ".join(t for t, _ in words),
        words=built,
        region=region,
        box=(built[0].box[0], y, right - built[0].box[0], 22),
    )


def test_text_in_the_photo_column_does_not_leak_into_body_values():
    rows = [
        _word_line([("PROVINSI", 300), ("JAWA", 420), ("BARAT", 500)], 16, "page"),
        _word_line([("KOTA", 400), ("BANDUNG", 470)], 50, "page"),
        _word_line([("NIK", 30), (":", 202), ("3273015205900007", 236)], 94, "page"),
        _word_line([("Pekerjaan", 30), (":", 222), ("GURU", 236), ("BANDUNG", 800)], 420, "page"),
        _word_line(
            [("Kewarganegaraan", 30), (":", 222), ("WNI", 236), ("12-05-2017", 790)], 450, "page"
        ),
        _word_line(
            [("Berlaku", 30), ("Hingga", 120), (":", 222), ("SEUMUR", 236), ("HIDUP", 330)],
            480,
            "page",
        ),
    ]
    ocr = OcrResult(lines=rows, card_size=(CARD_WIDTH, CARD_HEIGHT))

    parsed = parse(ocr, "ktp")

    assert parsed.value("pekerjaan") == "GURU"
    assert parsed.value("kewarganegaraan") == "WNI"
    assert parsed.value("berlaku_hingga") == "SEUMUR HIDUP"


def test_a_photo_printed_left_of_the_labels_leaves_its_issue_place_and_date_beside_them():
    # the photo on the card's left: the issue place and date under it share the last rows
    rows = [
        _word_line([("PROVINSI", 320), ("JAWA", 476), ("BARAT", 585)], 32, "page"),
        _word_line([("KOTA", 400), ("BEKASI", 506)], 78, "page"),
        _word_line([("NIK:", 300), ("3275020706591938", 386)], 142, "page"),
        _word_line([("Nama:", 300), ("CECEP", 490), ("SUPRIATNA", 547)], 223, "page"),
        _word_line([("Agama:", 300), ("ISLAM", 490)], 433, "page"),
        _word_line([("Status", 300), ("Perkawinan:", 356), ("KAWIN", 490)], 460, "page"),
        _word_line([("Pekerjaan:", 300), ("WIRASWASTA", 490)], 492, "page"),
        _word_line([("BEKASI", 125), ("Kewarganegaraan:", 300), ("WNI", 490)], 522, "page"),
        _word_line(
            [("01-12-2023", 100), ("Berlaku", 300), ("Hingga:", 367), ("07-06-2028", 490)],
            552,
            "page",
        ),
    ]
    ocr = OcrResult(lines=rows, card_size=(CARD_WIDTH, CARD_HEIGHT))

    parsed = parse(ocr, "ktp")

    assert parsed.value("kewarganegaraan") == "WNI"
    assert parsed.value("berlaku_hingga") == "2028-06-07"
    assert parsed.value("tempat_diterbitkan") == "BEKASI"
    assert parsed.value("tanggal_diterbitkan") == "2023-12-01"


def _boxed_line(words: list[tuple[str, tuple[int, int, int, int]]]) -> Line:
    built = tuple(Word(text=t, confidence=95.0, box=box) for t, box in words)
    left, top = min(w.box[0] for w in built), min(w.box[1] for w in built)
    right = max(w.box[0] + w.box[2] for w in built)
    bottom = max(w.box[1] + w.box[3] for w in built)
    return Line(
        text=" ".join(t for t, _ in words),
        words=built,
        region="page",
        box=(left, top, right - left, bottom - top),
    )


def test_values_at_the_right_of_a_card_with_its_photo_on_the_left_are_not_captions_over_rows():
    # the photo on the left pushes the labels and their values right: a value a column's gap
    # after its label starts in the right part of the card, where a photo-right design has its
    # photo's column; the label is no caption over the next row (a photo's read, as PP-OCR
    # boxed its words)
    rows = [
        [
            ("PROVINSI", (168, 52, 219, 32)),
            ("JAWA", (396, 53, 119, 32)),
            ("TIMUR", (535, 54, 137, 31)),
        ],
        [("KOTA", (172, 92, 113, 32)), ("SURABAYA", (299, 92, 225, 33))],
        [("NIK:3578021905870227", (382, 161, 502, 36))],
        [
            ("Nama:", (381, 213, 80, 28)),
            ("AGUS", (641, 215, 81, 23)),
            ("MAULANA", (733, 215, 150, 23)),
        ],
        [
            ("Tempat/Tgl", (384, 241, 139, 30)),
            ("Lahir:", (531, 241, 70, 30)),
            ("SURABAYA,19-05-1987", (641, 245, 316, 22)),
        ],
        [
            ("Jenis", (379, 271, 65, 29)),
            ("Kelamin:", (453, 272, 106, 30)),
            ("LAKI-LAKI", (641, 272, 160, 27)),
        ],
        [("Gol.", (385, 302, 52, 26)), ("Darah:", (441, 302, 82, 26)), ("O+", (645, 303, 32, 24))],
        [("RT/RW:", (387, 360, 101, 28)), ("003/006", (642, 359, 111, 26))],
        [
            ("Kel/Desa:", (388, 392, 115, 23)),
            ("PUCANG", (640, 387, 124, 26)),
            ("SEWU", (769, 387, 85, 26)),
        ],
        [
            ("SURABAYA", (131, 408, 149, 27)),
            ("Kecamatan:", (389, 420, 138, 27)),
            ("GUBENG", (645, 416, 119, 27)),
        ],
        [
            ("24-08-2016", (142, 433, 135, 27)),
            ("Agama:", (391, 449, 89, 27)),
            ("ISLAM", (637, 444, 88, 28)),
        ],
        [
            ("Status", (392, 476, 68, 26)),
            ("Perkawinan:", (470, 476, 142, 26)),
            ("BELUM", (640, 472, 101, 26)),
            ("KAWIN", (752, 472, 101, 26)),
        ],
        [("Pekerjaan:", (392, 505, 123, 27)), ("MEKANIK", (645, 497, 136, 30))],
        [("Kewarganegaraan:", (395, 533, 211, 27)), ("WNI", (646, 529, 59, 24))],
    ]
    ocr = OcrResult(lines=[_boxed_line(r) for r in rows], card_size=(CARD_WIDTH, CARD_HEIGHT))

    parsed = parse(ocr, "ktp")

    assert parsed.value("nama") == "AGUS MAULANA"
    assert parsed.value("tempat_lahir") == "SURABAYA"
    assert parsed.value("tanggal_lahir") == "1987-05-19"
    assert parsed.value("agama") == "ISLAM"
    assert parsed.value("status_perkawinan") == "BELUM KAWIN"
    assert parsed.value("pekerjaan") == "MEKANIK"
    assert parsed.value("kewarganegaraan") == "WNI"
    assert parsed.value("tempat_diterbitkan") == "SURABAYA"
    assert parsed.value("tanggal_diterbitkan") == "2016-08-24"


def test_an_issue_place_under_a_photo_at_the_left_ends_where_a_row_s_label_starts():
    # a tilted photo: the place under the photo read into the status row, too close to split
    rows = [
        _word_line([("PROVINSI", 33), ("BANTEN", 160)], 11, "page"),
        _word_line([("KOTA", 31), ("TANGERANG", 100), ("SELATAN", 230)], 57, "page"),
        _word_line([("NIK:3674016302960086", 278)], 129, "page"),
        _word_line([("Nama:", 279), ("NADIA", 350), ("SAFITRI", 420)], 185, "page"),
        _word_line([("Kecamatan:", 273), ("SERPONG", 400)], 412, "page"),
        _word_line([("Agama:", 290), ("ISLAM", 370)], 440, "page"),
        _word_line(
            [
                ("TANGERANG", 16),
                ("SELATAN", 130),
                ("Status", 230),
                ("Perkawinan:", 310),
                ("KAWIN", 450),
            ],
            482,
            "page",
        ),
        _word_line([("24-10-2024", 64), ("Pekerjaan:", 280), ("KARYAWAN", 400)], 515, "page"),
    ]
    ocr = OcrResult(lines=rows, card_size=(CARD_WIDTH, CARD_HEIGHT))

    parsed = parse(ocr, "ktp")

    assert parsed.value("tempat_diterbitkan") == "TANGERANG SELATAN"
    assert parsed.value("tanggal_diterbitkan") == "2024-10-24"


def test_an_issue_place_under_a_photo_at_the_left_read_into_a_label_s_cell_is_cut_off_it():
    # a photo of a design with the photo on the left: the place under it ends a narrow gap
    # (29 px) before the ``Agama:`` label, and the read keeps them in one cell
    rows = [
        _boxed_line([("PROVINSI", (132, 19, 200, 35)), ("LAMPUNG", (340, 19, 156, 35))]),
        _boxed_line(
            [
                ("KOTA", (136, 66, 90, 38)),
                ("BANDAR", (236, 66, 150, 38)),
                ("LAMPUNG", (396, 66, 186, 38)),
            ]
        ),
        _boxed_line([("NIK", (286, 161, 50, 40)), ("1871265903420447", (370, 153, 377, 46))]),
        _boxed_line(
            [
                ("Nama:", (277, 230, 79, 28)),
                ("ANISA", (532, 225, 77, 30)),
                ("WAHYUNI", (628, 225, 127, 30)),
            ]
        ),
        _boxed_line([("RT/RW:", (279, 363, 84, 28)), ("008/004", (528, 359, 112, 32))]),
        _boxed_line([("Kecamatan:", (283, 431, 131, 26)), ("KEMILING", (533, 425, 130, 31))]),
        _boxed_line(
            [
                ("BANDAR", (21, 454, 101, 32)),
                ("LAMPUNG", (130, 453, 121, 32)),
                ("Agama:", (280, 464, 90, 28)),
                ("ISLAM", (529, 457, 80, 32)),
            ]
        ),
        _boxed_line(
            [
                ("02-05-2017", (75, 485, 126, 31)),
                ("Status", (281, 494, 69, 31)),
                ("Perkawinan:", (359, 494, 136, 31)),
                ("KAWIN", (530, 490, 93, 32)),
            ]
        ),
        _boxed_line([("Pekerjaan:", (282, 530, 119, 28)), ("WIRASWASTA", (533, 523, 180, 32))]),
    ]

    parsed = parse(OcrResult(lines=rows, card_size=(1012, 638)), "ktp")

    assert parsed.value("tempat_diterbitkan") == "BANDAR LAMPUNG"
    assert parsed.value("tanggal_diterbitkan") == "2017-05-02"
    assert parsed.value("agama") == "ISLAM"
    assert parsed.value("kecamatan") == "KEMILING"


def _two_stacks(kel_desa: list[tuple[str, int]]) -> list[Line]:
    # captions printed small over their values in two columns, each a stack of its own: the
    # right column's pairs sit lower than the left's, so a row of the read holds a value of one
    # column and a caption of the other, and no caption has its value on the next row
    return [
        _word_line([("PROVINSI", 671), ("JAWA", 800), ("BARAT", 880)], 31, "page"),
        _word_line([("KABUPATEN", 732), ("BOGOR", 870)], 66, "page"),
        _word_line([("NIK:3201306312647750", 45)], 133, "page"),
        _word_line([("NAMA", 238), ("JENIS", 651), ("KELAMIN", 720)], 179, "page"),
        _word_line([("ELISABETH", 239), ("PEREMPUAN", 651)], 199, "page"),
        _word_line(
            [("TEMPAT/TGL", 240), ("LAHIR", 370), ("GOL.", 651), ("DARAH", 705)], 227, "page"
        ),
        _word_line([("KLATEN,", 244), ("23-12-1964", 340)], 254, "page"),
        _word_line([("AGAMA", 651)], 278, "page"),
        _word_line([("ALAMAT", 239)], 290, "page"),
        _word_line(
            [("KOMP.", 243), ("DEPKES", 310), ("NO.", 395), ("66", 440), ("ISLAM", 651)],
            300,
            "page",
        ),
        _word_line([("STATUS", 651), ("PERKAWINAN", 735)], 326, "page"),
        _word_line([("RT/RW", 240), ("KAWIN", 651)], 343, "page"),
        _word_line([("013/008", 241), ("PEKERJAAN", 651)], 366, "page"),
        _word_line([("KEL/DESA", 242), ("PERAWAT", 651)], 396, "page"),
        _word_line([("BOGOR", 95), *kel_desa], 419, "page"),
        _word_line([("27-03-2017", 60), ("KECAMATAN", 242), ("WNI", 651)], 444, "page"),
        _word_line([("CITEUREUP", 243), ("BERLAKU", 651), ("HINGGA", 750)], 473, "page"),
        _word_line([("SEUMUR", 650), ("HIDUP", 740)], 494, "page"),
    ]


def test_two_stacks_of_captions_over_values_whose_rows_do_not_line_up_are_read_apart():
    rows = _two_stacks([("TARIKOLOT", 242), ("KEWARGANEGARAAN", 651)])
    ocr = OcrResult(lines=rows, card_size=(CARD_WIDTH, CARD_HEIGHT))

    got = parse(ocr, "ktp")

    assert got.value("nama") == "ELISABETH"
    assert got.value("tempat_lahir") == "KLATEN"
    assert got.value("tanggal_lahir") == "1964-12-23"
    assert got.value("jenis_kelamin") == "PEREMPUAN"
    assert got.value("alamat") == "KOMP. DEPKES NO. 66"
    assert got.value("rt_rw") == "013/008"
    assert got.value("kel_desa") == "TARIKOLOT"
    assert got.value("kecamatan") == "CITEUREUP"
    assert got.value("agama") == "ISLAM"
    assert got.value("status_perkawinan") == "KAWIN"
    assert got.value("pekerjaan") == "PERAWAT"
    assert got.value("kewarganegaraan") == "WNI"
    assert got.value("berlaku_hingga") == "SEUMUR HIDUP"
    assert got.value("tempat_diterbitkan") == "BOGOR"
    assert got.value("tanggal_diterbitkan") == "2017-03-27"


def test_a_value_run_into_the_other_stack_s_caption_is_cut_apart_from_it():
    # a tilted photo: the value's last word and the right column's caption a narrow gap apart
    glued = [("TANJUNG", 242), ("DUREN", 340), ("UTARA", 412), ("BARAT", 480), ("DAYA", 575)]
    rows = _two_stacks([*glued, ("KEWARGANEGARAAN", 640)])
    ocr = OcrResult(lines=rows, card_size=(CARD_WIDTH, CARD_HEIGHT))

    got = parse(ocr, "ktp")

    assert got.value("kel_desa") == "TANJUNG DUREN UTARA BARAT DAYA"
    assert got.value("kewarganegaraan") == "WNI"
    assert got.value("kecamatan") == "CITEUREUP"


def test_an_issue_date_a_tilted_photo_put_on_a_body_row_still_finds_its_place_above_it():
    # the card's rows slope, so the date under the photo joined the Kecamatan row, read before
    # the row that holds only the place printed above the date
    kecamatan = _word_line(
        [("Kecamatan", 60), (":", 214), ("KUTA", 228), ("ALAM", 275)], 380, "page"
    )
    date_word = Word(text="03-04-2023", confidence=99.0, box=(874, 447, 85, 30))
    kecamatan = replace(
        kecamatan,
        text=kecamatan.text + " 03-04-2023",
        words=(*kecamatan.words, date_word),
        box=(60, 380, 899, 97),
    )
    rows = [
        _word_line([("PROVINSI", 420), ("ACEH", 557)], 36, "page"),
        _word_line([("KOTA", 403), ("BANDA", 478), ("ACEH", 577)], 76, "page"),
        _word_line([("NIK", 70), (":", 214), ("1171055307810004", 228)], 100, "page"),
        _word_line([("Kel/Desa", 60), (":", 214), ("KUTA", 228), ("ALAM", 275)], 340, "page"),
        kecamatan,
        _word_line([("BANDA", 868), ("ACEH", 930)], 424, "page"),
        _word_line([("Agama", 60), (":", 214), ("ISLAM", 228)], 414, "page"),
    ]
    ocr = OcrResult(lines=rows, card_size=(CARD_WIDTH, CARD_HEIGHT))

    parsed = parse(ocr, "ktp")

    assert parsed.value("tanggal_diterbitkan") == "2023-04-03"
    assert parsed.value("tempat_diterbitkan") == "BANDA ACEH"
    assert parsed.value("kecamatan") == "KUTA ALAM"


def _boxed_line(words: list[tuple[str, tuple[int, int, int, int]]]) -> Line:
    """A line as PP-OCR read it from a tilted photo: each word with its own box."""
    built = tuple(Word(text=t, confidence=99.0, box=box) for t, box in words)
    left = min(w.box[0] for w in built)
    top = min(w.box[1] for w in built)
    right = max(w.box[0] + w.box[2] for w in built)
    bottom = max(w.box[1] + w.box[3] for w in built)
    text = " ".join(t for t, _ in words)
    return Line(text=text, words=built, region="page", box=(left, top, right - left, bottom - top))


def test_the_birth_date_its_label_lost_is_never_taken_for_the_issue_date():
    # a tilted photo of a design with captions over its values: the birth row read without its
    # caption, the issue place glued to a row of values and the issue date to a row of captions.
    # The birth date is the NIK's (491279: a woman born 09-12-1979), and no card is issued on
    # the day its holder was born.
    rows = [
        _boxed_line([("PROVINSI", (336, 57, 153, 44)), ("JAWA", (499, 53, 75, 40))]),
        _boxed_line([("KOTA", (392, 97, 80, 40)), ("SURAKARTA", (487, 87, 165, 45))]),
        _boxed_line([("NIK", (66, 164, 32, 31))]),
        _boxed_line([("3372024912790054", (65, 168, 408, 68))]),
        _boxed_line([("Nama", (67, 253, 52, 28))]),
        _boxed_line([("YULI", (71, 275, 62, 36)), ("UTAMI", (302, 259, 82, 36))]),
        _boxed_line(
            [
                ("SURAKARTA,", (66, 326, 173, 48)),
                ("09-12-1979", (238, 315, 142, 46)),
                ("PEREMPUAN", (551, 293, 147, 41)),
            ]
        ),
        _boxed_line([("Alamat", (68, 373, 64, 28)), ("Gol.", (552, 335, 32, 29))]),
        _boxed_line([("JL.", (68, 396, 48, 39)), ("KAPTEN", (114, 388, 108, 43))]),
        _boxed_line([("RT/RW", (69, 431, 54, 33)), ("Kecamatan", (554, 392, 87, 27))]),
        _boxed_line([("012/003", (75, 451, 107, 44)), ("SURAKARTA", (824, 389, 112, 36))]),
        _boxed_line(
            [
                ("Agama", (70, 495, 66, 31)),
                ("Status", (315, 471, 57, 31)),
                ("Perkawinan", (375, 465, 95, 33)),
                ("22-08-2021", (828, 411, 109, 41)),
            ]
        ),
        _boxed_line([("KRISTEN", (72, 512, 115, 45)), ("KAWIN", (320, 492, 80, 42))]),
    ]
    ocr = OcrResult(lines=rows, card_size=(CARD_WIDTH, CARD_HEIGHT))

    parsed = parse(ocr, "ktp")

    assert parsed.value("tanggal_diterbitkan") == "2021-08-22"
    assert parsed.value("tanggal_lahir") == "1979-12-09"

    # the issue date unread: the birth date is still no issue date
    captions = [w for w in rows[-2].words if w.text != "22-08-2021"]
    lost = [*rows[:-2], _boxed_line([(w.text, w.box) for w in captions]), rows[-1]]
    unread = parse(OcrResult(lines=lost, card_size=(CARD_WIDTH, CARD_HEIGHT)), "ktp")
    assert unread.value("tanggal_diterbitkan") is None
    assert unread.value("tanggal_lahir") == "1979-12-09"


def test_a_blood_group_printed_apart_beside_the_sex_is_the_sex_row_s():
    # a photo of a design with small captions over its values, every caption lost: the blood
    # group is printed under its own caption right of the sex, in the photo's half of the card
    rows = [
        _boxed_line([("PROVINSI", (431, 52, 123, 33)), ("DKI", (559, 53, 43, 33))]),
        _boxed_line([("JAKARTA", (445, 89, 125, 37)), ("SELATAN", (582, 90, 119, 37))]),
        _boxed_line([("3171222702631012", (56, 178, 364, 36))]),
        _boxed_line([("KEVIN", (69, 245, 64, 30)), ("HARTANTO", (144, 245, 123, 30))]),
        _boxed_line(
            [
                ("PONTIANAK,", (86, 310, 143, 26)),
                ("27-02-1963", (229, 310, 118, 26)),
                ("LAKI-LAKI", (434, 310, 108, 26)),
                ("A", (634, 312, 22, 24)),
            ]
        ),
        _boxed_line([("JL.", (103, 367, 26, 26)), ("MANGGA", (142, 367, 93, 26))]),
        _boxed_line([("011/006", (121, 420, 76, 28)), ("SRENGSENG", (446, 421, 126, 23))]),
        _boxed_line([("JAGAKARSA", (136, 471, 121, 26)), ("KRISTEN", (451, 471, 81, 22))]),
        _boxed_line([("KAWIN", (151, 518, 65, 24)), ("PEDAGANG", (455, 513, 162, 29))]),
        _boxed_line([("WNI", (163, 562, 45, 24)), ("SEUMUR", (459, 556, 76, 28))]),
    ]

    parsed = parse(OcrResult(lines=rows, card_size=(CARD_WIDTH, CARD_HEIGHT)), "ktp")

    assert parsed.value("jenis_kelamin") == "LAKI-LAKI"
    assert parsed.value("golongan_darah") == "A"

    # the same mark on the row under the sex is no blood group of it
    lower = [*rows[:5], _boxed_line([("O", (634, 345, 22, 24))]), *rows[5:]]
    lower[4] = _boxed_line([(w.text, w.box) for w in rows[4].words if w.text != "A"])
    parsed = parse(OcrResult(lines=lower, card_size=(CARD_WIDTH, CARD_HEIGHT)), "ktp")
    assert parsed.value("golongan_darah") is None


@pytest.mark.parametrize(
    ("nik_row", "nik"),
    [
        ("K : 3273011205900007", "3273011205900007"),  # a photo left one letter of the label
        ("Nl K 3273011205900007", "3273011205900007"),
        ("K : 327301120590000", None),  # a digit short: no NIK line, as before
    ],
)
def test_an_npwp_nik_line_whose_small_label_a_photo_left_a_letter_of_is_the_nik(nik_row, nik):
    rows = [
        "KEMENTERIAN KEUANGAN REPUBLIK INDONESIA",
        "DIREKTORAT JENDERAL PAJAK",
        "NPWP : 01.234.567.8-901.000",
        "BUDI SANTOSO",
        nik_row,
        "JL. MAWAR NO. 12 RT 001/002",
        "SUKAJADI BANDUNG",
        "KPP PRATAMA BANDUNG CICADAS",
        "Tanggal Terdaftar : 12-05-2010",
    ]

    got = values("npwp", [(text, "body") for text in rows])

    assert got.get("nik") == nik
    assert got["nama"] == "BUDI SANTOSO"
    if nik is not None:  # the NIK's row is no part of the address
        assert got["alamat"] == "JL. MAWAR NO. 12 RT 001/002 SUKAJADI BANDUNG"


def _labelled_npwp(under_name: Line, address_label: bool = True) -> OcrResult:
    """A design labelling every row (``NAMA :``, ``ALAMAT :``, ``KPP :``), as read from a
    photo: a row under the name's, then the address."""
    address = [
        ("JL.", (268, 320, 33, 31)),
        ("MERDEKA", (305, 320, 89, 31)),
        ("NO.", (404, 320, 37, 31)),
        ("148", (444, 320, 31, 31)),
    ]
    if address_label:
        address = [("ALAMAT", (60, 318, 79, 33)), (":", (242, 320, 12, 31)), *address]
    rows = [
        _boxed_line(
            [
                ("DIREKTORAT", (334, 78, 142, 35)),
                ("JENDERAL", (485, 78, 113, 35)),
                ("PAJAK", (607, 78, 72, 35)),
            ]
        ),
        _boxed_line([("NPWP", (63, 165, 53, 34)), (":04.391.538.8-508.000", (241, 156, 443, 43))]),
        _boxed_line(
            [
                ("NAMA", (61, 230, 59, 33)),
                (":", (241, 226, 15, 36)),
                ("RADEN", (271, 226, 75, 36)),
                ("AJENG", (361, 226, 74, 36)),
                ("SRI", (444, 226, 39, 36)),
                ("PRAMESWARI", (492, 226, 150, 36)),
            ]
        ),
        under_name,
        _boxed_line(address),
        _boxed_line(
            [
                ("KPP", (56, 370, 44, 35)),
                (":", (243, 371, 14, 31)),
                ("KPP", (269, 371, 39, 31)),
                ("PRATAMA", (315, 371, 95, 31)),
                ("SEMARANG", (418, 371, 113, 32)),
                ("CANDISARI", (539, 371, 110, 32)),
            ]
        ),
    ]
    return OcrResult(lines=rows, card_size=(1012, 638))


@pytest.mark.parametrize(
    ("under_name", "address_label", "name", "address"),
    [
        # the name's last word wrapped under its first: the name's, not the address's
        (
            [("NINGRUM", (272, 263, 100, 32))],
            True,
            "RADEN AJENG SRI PRAMESWARI NINGRUM",
            "JL. MERDEKA NO. 148",
        ),
        # the address not labelled after it: the row may be the address's first, as before
        (
            [("NINGRUM", (272, 263, 100, 32))],
            False,
            "RADEN AJENG SRI PRAMESWARI",
            "NINGRUM JL. MERDEKA NO. 148",
        ),
        # a row not under the name's value (at the label column) is no part of the name
        (
            [("PERUM", (60, 263, 70, 32)), ("INDAH", (140, 263, 70, 32))],
            True,
            "RADEN AJENG SRI PRAMESWARI",
            "PERUM INDAH JL. MERDEKA NO. 148",
        ),
    ],
)
def test_a_labelled_npwp_name_wrapped_to_a_second_row_keeps_its_last_word(
    under_name, address_label, name, address
):
    parsed = parse(_labelled_npwp(_boxed_line(under_name), address_label), "npwp")

    assert parsed.value("nama") == name
    assert parsed.value("alamat") == address
    assert parsed.value("kpp") == "KPP PRATAMA SEMARANG CANDISARI"


def test_an_npwp_name_printed_under_the_number_far_above_the_nik_line_is_read():
    # a design printing the number and the name in a coloured band, the NIK line and the
    # address in the band under it: the name sits far above the NIK line, right under the number
    rows = [
        _boxed_line([("DIREKTORAT", (53, 40, 156, 34)), ("PAJAK", (358, 40, 72, 34))]),
        _boxed_line([("NOMOR", (56, 76, 62, 22)), ("POKOK", (126, 76, 58, 22))]),
        _boxed_line([("0472636034620000", (52, 142, 360, 36))]),
        _boxed_line([("ENDANG", (55, 193, 112, 30)), ("RAHAYU", (178, 193, 104, 30))]),
        _boxed_line([("NIK", (56, 290, 28, 26)), (":6472215812801541", (108, 290, 219, 26))]),
        _boxed_line([("JL.", (51, 327, 26, 23)), ("VETERAN", (81, 327, 80, 23))]),
        _boxed_line([("KPP", (56, 415, 29, 26)), ("PRATAMA", (95, 415, 95, 26))]),
    ]

    parsed = parse(OcrResult(lines=rows, card_size=(CARD_WIDTH, CARD_HEIGHT)), "npwp")

    assert parsed.value("nama") == "ENDANG RAHAYU"
    assert parsed.value("nik") == "6472215812801541"
    assert parsed.value("alamat") == "JL. VETERAN"

    # a logo's letters far above the NIK line, with no number read between: no name
    lost = [rows[0], _boxed_line([("JAKARTA", (55, 120, 112, 30))]), *rows[4:]]
    parsed = parse(OcrResult(lines=lost, card_size=(CARD_WIDTH, CARD_HEIGHT)), "npwp")
    assert parsed.value("nama") is None


def test_an_npwp_name_and_nik_printed_side_by_side_under_their_captions_are_both_read():
    captions = _boxed_line([("NAMA", (160, 245, 48, 22)), ("NIK", (624, 242, 19, 25))])
    values = _boxed_line(
        [
            ("ROBBY", (163, 268, 86, 27)),
            ("GUNAWAN", (258, 268, 136, 27)),
            ("3402031407752972", (619, 268, 218, 27)),
        ]
    )
    rows = [
        _boxed_line([("KARTU", (163, 52, 118, 30)), ("NOMOR", (293, 52, 128, 30))]),
        _boxed_line([("NPWP", (163, 153, 43, 24))]),
        _boxed_line([("82.258.328.2-988.000", (161, 189, 411, 34))]),
        captions,
        values,
        _boxed_line([("ALAMAT", (161, 314, 67, 24))]),
        _boxed_line([("LINGK.", (163, 340, 88, 27)), ("KRAJAN", (253, 340, 94, 27))]),
        _boxed_line([("KANTOR", (162, 465, 64, 23)), ("PELAYANAN", (231, 465, 91, 23))]),
        _boxed_line([("KPP", (164, 493, 43, 27)), ("BANTUL", (214, 493, 124, 27))]),
    ]

    parsed = parse(OcrResult(lines=rows, card_size=(CARD_WIDTH, CARD_HEIGHT)), "npwp")

    assert parsed.value("nama") == "ROBBY GUNAWAN"
    assert parsed.value("nik") == "3402031407752972"
    assert parsed.value("alamat") == "LINGK. KRAJAN"

    # the NIK's caption lost on the read: the number ending the name's row is the NIK still
    alone = _boxed_line([("NAMA", (160, 245, 48, 22))])
    parsed = parse(
        OcrResult(lines=[*rows[:3], alone, *rows[4:]], card_size=(CARD_WIDTH, CARD_HEIGHT)),
        "npwp",
    )
    assert parsed.value("nama") == "ROBBY GUNAWAN"
    assert parsed.value("nik") == "3402031407752972"


def test_an_issue_place_and_date_printed_on_one_line_are_split_and_a_signature_is_no_place():
    # a design that prints ``SIDOARJO, 03-12-2017`` as one line under the signature, which the
    # engine read as text (``wrnvw``) on a row above; and the same line read into a body row
    rows = [
        _word_line([("PROVINSI", 560), ("JAWA", 700), ("TIMUR", 780)], 15, "page"),
        _word_line([("KABUPATEN", 594), ("SIDOARJO", 760)], 60, "page"),
        _word_line([("NIK", 48), (":3515111710674255", 150)], 144, "page"),
        _word_line([("Nama", 47), (":ADITYA", 200), ("ARDIANSYAH", 300)], 197, "page"),
        _word_line([("Agama", 45), (":ISLAM", 200), ("wrnvw", 800)], 433, "page"),
        _word_line([("Status", 45), ("Perkawinan", 120), (":", 200), ("KAWIN", 220)], 485, "page"),
        _word_line([("SIDOARJO,", 762), ("03-12-2017", 880)], 509, "page"),
        _word_line([("Pekerjaan", 46), ("KARYAWAN", 200), ("SWASTA", 320)], 525, "page"),
    ]
    ocr = OcrResult(lines=rows, card_size=(CARD_WIDTH, CARD_HEIGHT))

    parsed = parse(ocr, "ktp")

    assert parsed.value("tempat_diterbitkan") == "SIDOARJO"
    assert parsed.value("tanggal_diterbitkan") == "2017-12-03"
    assert parsed.value("pekerjaan") == "KARYAWAN SWASTA"

    glued = [
        *rows[:6],
        _word_line(
            [
                ("Pekerjaan", 46),
                ("KARYAWAN", 200),
                ("SWASTA", 320),
                ("BANTUL,", 762),
                ("24-04-2017", 880),
            ],
            510,
            "page",
        ),
    ]
    parsed = parse(OcrResult(lines=glued, card_size=(CARD_WIDTH, CARD_HEIGHT)), "ktp")

    assert parsed.value("tempat_diterbitkan") == "BANTUL"
    assert parsed.value("tanggal_diterbitkan") == "2017-04-24"
    assert parsed.value("pekerjaan") == "KARYAWAN SWASTA"


def test_unreadable_labels_before_a_value_column_that_opens_with_its_colon_keep_their_rows():
    # a blurred photo: labels read as letters but no label, the colon glued to the value far right
    rows = [
        _word_line([("PROVINSI", 300), ("JAWA", 420), ("TENGAH", 500)], 16, "page"),
        _word_line([("KABUPATEN", 300), ("BANYUMAS", 430)], 50, "page"),
        _word_line([("NIK", 30), (":3302321307796818", 236)], 94, "page"),
        _word_line([("Nama", 30), (":DWI", 236), ("KURNIAWAN", 290)], 130, "page"),
        _word_line(
            [("Tempes", 30), ("Tg", 110), ("Lahw", 140), (":BANDUNG.13-07-1979", 236)], 166, "page"
        ),
        _word_line([("Jenis", 30), ("Kelamin", 100), (":", 222), ("LAKI-LAKI", 236)], 202, "page"),
        _word_line(
            [("Alened", 30), (":JL.", 236), ("SUDIRMAN", 290), ("NO.", 400), ("16", 440)],
            238,
            "page",
        ),
        _word_line([("RT/RW", 30), (":015/013", 236)], 274, "page"),
        _word_line([("BANYUMAS", 800)], 300, "page"),
        _word_line([("05-09-2013", 790)], 330, "page"),
    ]
    ocr = OcrResult(lines=rows, card_size=(CARD_WIDTH, CARD_HEIGHT))

    parsed = parse(ocr, "ktp")

    assert parsed.value("tempat_lahir") == "BANDUNG"
    assert parsed.value("tanggal_lahir") == "1979-07-13"
    assert parsed.value("alamat") == "JL. SUDIRMAN NO. 16"
    assert parsed.value("rt_rw") == "015/013"
    # the birth date is not taken for the date of issue under the photo
    assert parsed.value("tanggal_diterbitkan") == "2013-09-05"


def test_rows_under_a_birth_row_whose_label_was_unreadable_keep_their_own_labels():
    # a blurred photo: the birth row's label lost (placed by its colon), the labels under it
    # read weakly; none of them is the birth row's wrapped value
    rows = [
        _word_line([("PROVINSI", 300), ("KALIMANTAN", 420), ("TIMUR", 560)], 16, "page"),
        _word_line([("KOTA", 300), ("SAMARINDA", 370)], 50, "page"),
        _word_line([("NIK", 30), (":6472015806890046", 236)], 94, "page"),
        _word_line([("Nama", 30), (":", 222), ("NURLINA", 236)], 130, "page"),
        _word_line(
            [("Compat/Cgl", 30), ("Labir", 150), (":MAKASSAR,", 236), ("18-06-1989", 370)],
            166,
            "page",
        ),
        _word_line([("Jemis", 30), ("Kclamin", 100), (":PEREMPUAN", 236)], 202, "page"),
        _word_line([("flamat", 30), (":", 222), *_spaced("PERUM CITRA RAYA", 236)], 238, "page"),
        _word_line([("RC/RW", 30), (":016/009", 236)], 274, "page"),
        _word_line([("Kd/Desa", 30), (":SELILI", 236)], 310, "page"),
        _word_line([("Kecamaham", 30), (":SAMARINDA", 236), ("ULU", 380)], 346, "page"),
        _word_line(
            [("Pekerjaan", 30), (":", 222), *_spaced("MENGURUS RUMAH TANGGA", 236)], 382, "page"
        ),
        _word_line([("SAMARINDA", 800)], 420, "page"),
        _word_line([("23-08-2012", 790)], 450, "page"),
    ]

    parsed = parse(OcrResult(lines=rows, card_size=(CARD_WIDTH, CARD_HEIGHT)), "ktp")

    assert parsed.value("tempat_lahir") == "MAKASSAR"
    assert parsed.value("tanggal_lahir") == "1989-06-18"
    assert parsed.value("jenis_kelamin") == "PEREMPUAN"
    assert parsed.value("alamat") == "PERUM CITRA RAYA"
    assert parsed.value("rt_rw") == "016/009"
    assert parsed.value("kel_desa") == "SELILI"
    assert parsed.value("kecamatan") == "SAMARINDA ULU"
    assert parsed.value("pekerjaan") == "MENGURUS RUMAH TANGGA"


def test_an_issue_place_that_reads_like_a_label_is_still_the_issue_place():
    # the regency of Agam prints ``AGAM`` under the photo, one letter short of ``Agama``
    body = [
        ("Nama", "YENNI RAHMI"),
        ("Tempat/Tgl Lahir", "AGAM, 02-11-1972"),
        ("Jenis Kelamin", "PEREMPUAN"),
        ("Alamat", "KAMPUNG NGEMPLAK"),
        ("RT/RW", "008/002"),
        ("Kel/Desa", "JATI BARU"),
        ("Kecamatan", "MATUR"),
        ("Agama", "ISLAM"),
        ("Status Perkawinan", "CERAI MATI"),
        ("Pekerjaan", "MENGURUS RUMAH TANGGA"),
    ]
    rows = [
        _word_line([("PROVINSI", 320), ("SUMATERA", 460), ("BARAT", 600)], 33, "page"),
        _word_line([("KABUPATEN", 390), ("AGAM", 550)], 62, "page"),
        _word_line([("NIK", 45), (":", 198), ("1307044211721688", 216)], 106, "page"),
    ]
    rows += [
        _word_line([*_spaced(label, 45), (":", 198), *_spaced(value, 216)], 156 + 31 * i, "page")
        for i, (label, value) in enumerate(body)
    ]
    rows += [
        _word_line([("AGAM", 830)], 452, "page"),
        _word_line(
            [("Kewarganegaraan", 45), (":", 198), ("WNI", 216), ("21-02-2016", 806)], 477, "page"
        ),
        _word_line(
            [*_spaced("Berlaku Hingga", 45), (":", 198), *_spaced("SEUMUR HIDUP", 216)], 501, "page"
        ),
    ]

    parsed = parse(OcrResult(lines=rows, card_size=(CARD_WIDTH, CARD_HEIGHT)), "ktp")

    assert parsed.value("tempat_diterbitkan") == "AGAM"
    assert parsed.value("tanggal_diterbitkan") == "2016-02-21"
    assert parsed.value("agama") == "ISLAM"
    assert parsed.value("pekerjaan") == "MENGURUS RUMAH TANGGA"
    assert parsed.value("kewarganegaraan") == "WNI"


def test_an_issue_place_printed_on_the_sex_s_row_is_the_issue_place_not_the_blood_group():
    # the photo's caption sits high: the place of issue beside the sex and blood group, the date
    # beside the address
    rows = [
        _word_line([("PROVINSI", 66), ("BALI", 180)], 37, "page"),
        _word_line([("KABUPATEN", 65), ("BADUNG", 204)], 76, "page"),
        _word_line([("NIK", 69), ("5103033005801543", 257)], 153, "page"),
        _word_line([("Nama", 61), *_spaced("RADEN MAS HARYO", 257)], 209, "page"),
        _word_line(
            [*_spaced("Tempat/Tgl Lahir", 64), ("BADUNG,", 258), ("30-05-1980", 345)], 264, "page"
        ),
        _word_line(
            [
                *_spaced("Jenis kelamin", 64),
                ("LAKI-LAKI", 258),
                ("Gol.", 442),
                ("Darah", 480),
                ("O", 560),
                ("BADUNG", 820),
            ],
            296,
            "page",
        ),
        _word_line(
            [("Alamat", 62), *_spaced("KOMP. DEPKES", 257), ("28-10-2013", 810)], 324, "page"
        ),
        _word_line([("RT/RW", 62), ("022/005", 257)], 351, "page"),
        _word_line([("Agama", 61), ("KRISTEN", 256)], 439, "page"),
    ]

    parsed = parse(OcrResult(lines=rows, card_size=(CARD_WIDTH, CARD_HEIGHT)), "ktp")

    assert parsed.value("jenis_kelamin") == "LAKI-LAKI"
    assert parsed.value("golongan_darah") == "O"
    assert parsed.value("tempat_diterbitkan") == "BADUNG"
    assert parsed.value("tanggal_diterbitkan") == "2013-10-28"
    assert parsed.value("alamat") == "KOMP. DEPKES"


def _card_rows(*body: list[tuple[str, int]]) -> list[Line]:
    """A KTP's header, NIK and ``body`` rows (a label column at x 30, values at x 236), one
    row every 30 pixels, with the place and date of issue under the photo."""
    rows = [
        _word_line([("PROVINSI", 300), ("JAWA", 420), ("TIMUR", 500)], 16, "page"),
        _word_line([("KOTA", 400), ("SURABAYA", 470)], 50, "page"),
        _word_line([("NIK", 30), (":", 202), ("3578014107900003", 236)], 94, "page"),
    ]
    rows += [_word_line(words, 130 + 30 * index, "page") for index, words in enumerate(body)]
    rows += [
        _word_line([("SURABAYA", 800)], 500, "page"),
        _word_line([("05-09-2013", 790)], 530, "page"),
    ]
    return rows


def _spaced(text: str, left: int) -> list[tuple[str, int]]:
    """``text``'s words from ``left``, a space apart as ``_word_line`` draws them."""
    words, x = [], left
    for word in text.split():
        words.append((word, x))
        x += 12 * len(word) + 12
    return words


def _grid_card(with_issue: bool = True, name: str = "RUDY TANOTO") -> list[Line]:
    """A design printing each label small above its value, in two columns (x 40 and x 360),
    no colons; the place and date of issue under the photo at x 790, on the height of rows
    of the grid."""
    grid = [
        [("NAMA", 40)],
        _spaced(name, 40),
        [("TEMPAT", 40), ("LAHIR", 130), ("TANGGAL", 360), ("LAHIR", 460)],
        [("BANDUNG", 40), ("14.07.1976", 360)],
        [("JENIS", 40), ("KELAMIN", 110), ("GOL.", 360), ("DARAH", 420)],
        [("LAKI-LAKI", 40), ("AB+", 360)],
        [("ALAMAT", 40)],
        [("PERUM", 40), ("GREEN", 120), ("PARK", 190), ("BLOK", 250), ("F", 310), ("NO.", 330)],
        [("RT/RW", 40), ("KEL/DESA", 360), *([("BANDUNG", 790)] if with_issue else [])],
        [("014/018", 40), ("DAGO", 360), *([("18.01.2024", 790)] if with_issue else [])],
        [("KECAMATAN", 40), ("AGAMA", 360)],
        [("COBLONG", 40), ("KRISTEN", 360)],
        [("STATUS", 40), ("PERKAWINAN", 130), ("PEKERJAAN", 360)],
        [("KAWIN", 40), ("PEGAWAI", 360), ("NEGERI", 460), ("SIPIL", 545), ("(PNS)", 615)],
        [("KEWARGANEGARAAN", 40), ("BERLAKU", 360), ("HINGGA", 460)],
        [("WNI", 40), ("SEUMUR", 360), ("HIDUP", 450)],
    ]
    rows = [
        _word_line([("PROVINSI", 320), ("JAWA", 440), ("BARAT", 510)], 16, "page"),
        _word_line([("KOTA", 380), ("BANDUNG", 450)], 50, "page"),
        _word_line([("NIK", 40), ("3273021407763526", 160)], 94, "page"),
    ]
    return rows + [_word_line(words, 130 + 26 * index, "page") for index, words in enumerate(grid)]


def test_a_design_printing_each_label_above_its_value_in_two_columns_is_read():
    got = values_of(OcrResult(lines=_grid_card(), card_size=(1000, 630)))

    assert got == {
        "provinsi": "JAWA BARAT",
        "kabupaten_kota": "KOTA BANDUNG",
        "nik": "3273021407763526",
        "nama": "RUDY TANOTO",
        "tempat_lahir": "BANDUNG",
        "tanggal_lahir": "1976-07-14",
        "jenis_kelamin": "LAKI-LAKI",
        "golongan_darah": "AB+",
        "alamat": "PERUM GREEN PARK BLOK F NO.",
        "rt_rw": "014/018",
        "kel_desa": "DAGO",
        "kecamatan": "COBLONG",
        "agama": "KRISTEN",
        "status_perkawinan": "KAWIN",
        "pekerjaan": "PEGAWAI NEGERI SIPIL (PNS)",
        "kewarganegaraan": "WNI",
        "berlaku_hingga": "SEUMUR HIDUP",
        "tempat_diterbitkan": "BANDUNG",
        "tanggal_diterbitkan": "2024-01-18",
    }


def test_a_mark_of_the_portrait_between_a_caption_and_its_value_leaves_them_a_pair():
    # a clean scan of a design with captions over its values and the photo at the right: PP-OCR
    # read a round mark of the portrait as a letter, on a row of its own between ``NAMA`` and
    # the name under it
    rows = _grid_card()
    mark = _word_line([("O", 849)], 130 + 13, "page")
    got = values_of(OcrResult(lines=[*rows[:4], mark, *rows[4:]], card_size=(1000, 630)))

    assert got == values_of(OcrResult(lines=rows, card_size=(1000, 630)))
    assert got["nama"] == "RUDY TANOTO"


def test_a_header_piece_read_as_the_nik_label_does_not_take_the_nik_s_row():
    # ``REPUBLIK INDONESIA`` in the header band, read in pieces by Tesseract, and its ``IK``
    # taken for the ``NIK`` label: the row holding the label and the number is the NIK's
    rows = _card_rows([("Nama", 30), (":", 202), ("SITI", 236), ("AMINAH", 300)])
    header_piece = _word_line([("IK", 816), ("IND", 850), ("ESIA", 900)], 30, "page")
    rows = [rows[0], header_piece, *rows[1:]]

    got = values_of(OcrResult(lines=rows, card_size=(1000, 630)))

    assert got["nik"] == "3578014107900003"
    assert got["kabupaten_kota"] == "KOTA SURABAYA"
    assert got["nama"] == "SITI AMINAH"


def test_a_header_line_of_letters_like_digits_is_not_taken_for_a_nik_row_whose_label_was_lost():
    # ``PROVINSI JAWA BARAT`` and ``REPUBLIK INDONESIA`` read as one line: its letters that look
    # like digits (``O``, ``I``, ``S``, ``B``, ...) are as many as a NIK's, but it holds no digit;
    # the NIK is the number on the NIK's row, and the header's province the header's
    rows = _card_rows([("Nama", 30), (":", 202), ("SITI", 236), ("AMINAH", 300)])
    rows[0] = _word_line(
        [*_spaced("PROVINSI JAWA BARAT", 40), *_spaced("REPUBLIK INDONESIA", 760)], 16, "page"
    )
    rows[1] = _word_line([("KOTA", 40), ("DEPOK", 110)], 50, "page")
    rows[2] = _word_line([("NIK", 30), (":3276030901544378", 202)], 94, "page")

    got = values_of(OcrResult(lines=rows, card_size=(1000, 630)))

    assert got["nik"] == "3276030901544378"
    assert got["provinsi"] == "JAWA BARAT"
    assert got["kabupaten_kota"] == "KOTA DEPOK"


def test_the_ktp_el_s_indented_labels_are_no_second_column_of_captions():
    # Tesseract's read of a clean KTP-el: each label a cell of its own before its value, and
    # ``RT/RW``, ``Kel/Desa`` and ``Kecamatan`` indented a little: no design of captions
    # stacked in two columns, and every value stays with its label
    rows = [
        _word_line([("PROVINSI", 275), ("SUMATERA", 395), ("BARAT", 510)], 19, "page"),
        _word_line([("KOTA", 378), ("PADANG", 440)], 59, "page"),
        _word_line([("NIK", 24), ("1371096710950925", 274)], 112, "page"),
        _word_line([("Nama", 24), *_spaced("DESI PRATIWI", 271)], 171, "page"),
        _word_line(
            [
                ("Tempat/", 24),
                ("Tgl", 116),
                ("Lahir", 164),
                ("SEMARANG,", 271),
                ("27-10-1995", 403),
            ],
            199,
            "page",
        ),
        _word_line([("Jenis", 23), ("Kelamin", 89), ("PEREMPUAN", 271)], 232, "page"),
        _word_line([("Alamat", 23), *_spaced("JL. DAHLIA NO. 42", 271)], 264, "page"),
        _word_line([("RT/RW", 59), ("012/010", 271)], 293, "page"),
        _word_line([("Kel/Desa", 59), *_spaced("PASIE NAN TIGO", 271)], 322, "page"),
        _word_line([("Kecamatan", 59), *_spaced("KOTO TANGAH", 271)], 357, "page"),
        _word_line([("Agama", 23), ("ISLAM", 271)], 388, "page"),
        _word_line([("Status", 24), ("Perkawinan", 104), ("KAWIN", 271)], 420, "page"),
    ]

    got = values_of(OcrResult(lines=rows, card_size=(1012, 638)))

    assert got["nama"] == "DESI PRATIWI"
    assert got["tempat_lahir"] == "SEMARANG"
    assert got["alamat"] == "JL. DAHLIA NO. 42"
    assert got["kel_desa"] == "PASIE NAN TIGO"


def test_a_ktp_el_label_whose_value_was_lost_does_not_take_the_row_under_it_as_a_grid_value():
    """``Alamat`` read without its value, and under it a row whose label is unreadable: the
    row under is no value printed under the label (its value stands in the value column)."""
    rows = _card_rows(
        [("Nama", 30), ("SITI", 236), ("AMINAH", 300)],
        [("Tempat/Tgl", 30), ("Lahir", 150), ("KUPANG,", 236), ("01-07-1990", 330)],
        [("Alamat", 30)],
        [("Rmwt", 30), ("001/002", 236)],
        [("Kel/Desa", 30), ("SUKAJADI", 236)],
    )

    got = values_of(OcrResult(lines=rows, card_size=(1000, 630)))

    assert "alamat" not in got
    assert (got["rt_rw"], got["kel_desa"]) == ("001/002", "SUKAJADI")


@pytest.mark.parametrize("name", ["ANIK RAHMAWATI", "AGAMA SARI", "NI KOMANG AYU"])
def test_a_ktp_el_name_opening_with_a_label_s_word_is_no_row_of_labels(name):
    """``Nama   ANIK RAHMAWATI``: the value's first word reads like the NIK's label; the
    row is a label and its value, not a row of labels with the birth row under it."""
    rows = _card_rows(
        [("Nama", 30), *_spaced(name, 236)],
        [("Tempat/Tgl", 30), ("Lahir", 150), (":", 210), ("KUPANG,", 236), ("01-07-1990", 330)],
        [("Jenis", 30), ("Kelamin", 100), ("PEREMPUAN", 236)],
    )

    got = values_of(OcrResult(lines=rows, card_size=(1000, 630)))

    assert (got["nama"], got["tempat_lahir"]) == (name, "KUPANG")


@pytest.mark.parametrize("name", ["NI KADEK SUPRAPTI", "AGAMA SARI", "I NYOMAN SUDIRTA"])
def test_a_name_under_its_label_that_reads_like_a_label_is_the_name(name):
    got = values_of(OcrResult(lines=_grid_card(name=name), card_size=(1000, 630)))

    assert got["nama"] == name
    assert got["tempat_lahir"] == "BANDUNG"


def values_of(ocr: OcrResult) -> dict[str, str | None]:
    return {name: field.value for name, field in parse(ocr, "ktp").fields.items()}


@pytest.mark.parametrize(
    "under",
    [[("TENPAT/FGI", 236), ("LATIR", 380)], [("KLATEN.", 236), ("19-49-1955", 330)]],
    ids=["misread-caption", "misread-birth-row"],
)
def test_a_row_with_a_slash_or_a_digit_under_the_name_is_not_the_name_s_second_line(under):
    # on a hard photo the birth row's caption, or the birth row itself with its date misread,
    # sits where a long name's second line would
    rows = _card_rows(
        [("Nama", 30), ("ANISA", 236), ("WULAN", 320)],
        under,
        [("Jenis", 30), ("Kelamin", 100), ("PEREMPUAN", 236)],
    )

    parsed = parse(OcrResult(lines=rows, card_size=(CARD_WIDTH, CARD_HEIGHT)), "ktp")

    assert parsed.value("nama") == "ANISA WULAN"
    assert parsed.value("jenis_kelamin") == "PEREMPUAN"


@pytest.mark.parametrize("lost", ["SUKOLILO", "ISLAM"])
def test_rows_whose_labels_cannot_be_read_take_the_missing_rows_in_printed_order(lost):
    # a hard photo without a colon column: two labels read as nothing like a label
    ocr = OcrResult(
        lines=_card_rows(
            [("Nama", 30), ("SITI", 236), ("AMINAH", 300)],
            [("Remout", 30), ("te", 110), ("Laha", 140), ("KUPANG,", 236), ("01-07-1990", 330)],
            [
                ("Josk", 30),
                ("kelame", 90),
                ("PEREMPUAN", 236),
                ("Gol.", 500),
                ("Darah", 550),
                ("O", 620),
            ],
            [("Alamat", 30), ("JL.", 236), ("MELATI", 280), ("NO.", 370), ("4", 410)],
            [("RT/RW", 30), ("001/002", 236)],
            [(lost, 236)],  # its label lost altogether
            [("Status", 30), ("Perkawinan", 110), ("KAWIN", 236)],
        ),
        card_size=(CARD_WIDTH, CARD_HEIGHT),
    )

    parsed = parse(ocr, "ktp")

    assert parsed.value("tempat_lahir") == "KUPANG"
    assert parsed.value("tanggal_lahir") == "1990-07-01"
    assert parsed.value("jenis_kelamin") == "PEREMPUAN"
    assert parsed.value("golongan_darah") == "O"
    # three rows are missing between RT/RW and Status Perkawinan and one stands there: which of
    # the three a place name is cannot be told, so it is none of them; a religion can only be
    # the religion's row
    assert parsed.value("kel_desa") is None and parsed.value("kecamatan") is None
    assert parsed.value("agama") == ("ISLAM" if lost == "ISLAM" else None)
    assert parsed.value("status_perkawinan") == "KAWIN"
    assert parsed.value("tanggal_diterbitkan") == "2013-09-05"


def test_a_row_with_an_unreadable_label_takes_the_one_missing_row_it_stands_in():
    ocr = OcrResult(
        lines=_card_rows(
            [("Nama", 30), ("SITI", 236), ("AMINAH", 300)],
            [("Tempat/Tgl", 30), ("Lahir", 150), ("KUPANG,", 236), ("01-07-1990", 330)],
            [("Jenis", 30), ("Kelamin", 100), ("PEREMPUAN", 236)],
            [("Alamat", 30), ("JL.", 236), ("MELATI", 280), ("NO.", 370), ("4", 410)],
            [("RT/RW", 30), ("001/002", 236)],
            [("Kel/Desa", 30), ("KEPUTRAN", 236)],
            [("Kecamatan", 30), ("TEGALSARI", 236)],
            [("Aqsme", 30), ("ISLAM", 236)],
            [("Status", 30), ("Perkawinan", 110), ("KAWIN", 236)],
        ),
        card_size=(CARD_WIDTH, CARD_HEIGHT),
    )

    parsed = parse(ocr, "ktp")

    assert parsed.value("kecamatan") == "TEGALSARI"
    assert parsed.value("agama") == "ISLAM"
    assert parsed.value("status_perkawinan") == "KAWIN"


def test_a_shadow_over_the_label_column_from_the_nik_down_leaves_the_rows_in_printed_order():
    # the NIK's label and the eight labels under it are lost in the shadow; the values stand in
    # the value column, and the labels from Status Perkawinan down are read again
    rows = [
        _word_line([("PROVINSI", 300), ("SUMATERA", 420), ("SELATAN", 530)], 0, "page"),
        _word_line(
            [("KABUPATEN", 285), ("OGAN", 463), ("KOMERING", 545), ("ILIR", 694)], 30, "page"
        ),
        _word_line([("1602066512676570", 181)], 70, "page"),
        _word_line([("LESTARI", 206), ("LINDA", 300), ("PUTRI", 370)], 120, "page"),
        _word_line([("YOGYAKARTA,", 210), ("25-12-1967", 350)], 152, "page"),
        _word_line([("PEREMPUAN", 205), ("Gol", 486), ("Darah", 524), ("AB", 613)], 184, "page"),
        _word_line([("JL.", 205), ("MERDEKA", 245), ("NO.", 337), ("46", 380)], 216, "page"),
        _word_line([("006/004", 206)], 248, "page"),
        _word_line([("BOJONGSARI", 203)], 280, "page"),
        _word_line([("MEDAN", 202), ("BARU", 280)], 312, "page"),
        _word_line([("KRISTEN", 200)], 344, "page"),
        _word_line([("OGAN", 747), ("KOMERING", 797), ("ILIR", 900)], 372, "page"),
        _word_line(
            [("Status", 17), ("Perkawinan", 90), ("KAWIN", 199), ("26-07-2024", 787)], 390, "page"
        ),
        _word_line([("Pekerjaan", 18), ("GURU", 199)], 420, "page"),
        _word_line([("Kewarganegaraan", 14), ("WNI", 204)], 452, "page"),
        _word_line(
            [("Berlaku", 17), ("Hingga", 110), ("SEUMUR", 200), ("HIDUP", 290)], 482, "page"
        ),
    ]
    ocr = OcrResult(lines=rows, card_size=(CARD_WIDTH, CARD_HEIGHT))

    parsed = parse(ocr, "ktp")

    expected = {
        "kabupaten_kota": "KABUPATEN OGAN KOMERING ILIR",
        "nik": "1602066512676570",
        "nama": "LESTARI LINDA PUTRI",
        "tempat_lahir": "YOGYAKARTA",
        "tanggal_lahir": "1967-12-25",
        "jenis_kelamin": "PEREMPUAN",
        "golongan_darah": "AB",
        "alamat": "JL. MERDEKA NO. 46",
        "rt_rw": "006/004",
        "kel_desa": "BOJONGSARI",
        "kecamatan": "MEDAN BARU",
        "agama": "KRISTEN",
        "status_perkawinan": "KAWIN",
        "tempat_diterbitkan": "OGAN KOMERING ILIR",
        "tanggal_diterbitkan": "2024-07-26",
    }
    assert {name: parsed.value(name) for name in expected} == expected


def test_an_unreadable_label_read_into_one_cell_with_its_value_still_gives_the_value():
    # the label ends close to the value column: label and value come back as one cell
    ocr = OcrResult(
        lines=_card_rows(
            [("Nama", 30), ("SITI", 236), ("AMINAH", 300)],
            [("Pekerjaan", 30), ("WIRASWASTA", 236)],
            [("Kpowganega", 30), ("ama", 170), ("WNI", 236)],
            [("Berlaku", 30), ("Hingga", 120), ("SEUMUR", 236), ("HIDUP", 330)],
        ),
        card_size=(CARD_WIDTH, CARD_HEIGHT),
    )

    parsed = parse(ocr, "ktp")

    assert parsed.value("kewarganegaraan") == "WNI"
    assert parsed.value("berlaku_hingga") == "SEUMUR HIDUP"


def test_issue_place_and_date_come_from_the_issue_region_not_the_body():
    lines = [(text, "body") for text in ktp_lines()]
    lines += [("KOTA BANDUNG", "header"), ("BANDUNG", "issue"), ("12-05-2017", "issue")]

    got = values("ktp", lines)

    assert got["tempat_diterbitkan"] == "BANDUNG"
    assert got["tanggal_diterbitkan"] == "2017-05-12"
    assert got["pekerjaan"] == "KARYAWAN SWASTA"


@pytest.mark.parametrize(
    ("header", "issued", "want_header", "want_issued"),
    [
        ("KOTA VOGYAKARTA", "MMIKA", "KOTA YOGYAKARTA", "MIMIKA"),  # a letter off: mended
        ("KABUPATEN BANYUMAZ", "BANYUMAS", "KABUPATEN BANYUMAS", "BANYUMAS"),
        # spaced otherwise than Kemendagri writes it: the card's own spelling is kept
        ("KOTA PANGKALPINANG", "PANGKALPINANG", "KOTA PANGKALPINANG", "PANGKALPINANG"),
        # two letters off, or a letter off two names: not guessed
        ("KOTA VOGYAKARTO", "BANDUMO", "KOTA VOGYAKARTO", "BANDUMO"),
        # the prefix glued to an official name gets its space; a name starting KOTA keeps its own
        ("KOTAMANADO", "MANADO", "KOTA MANADO", "MANADO"),
        ("KABUPATENDELI SERDANG", "LUBUK PAKAM", "KABUPATEN DELI SERDANG", "LUBUK PAKAM"),
        ("KABUPATEN KOTABARU", "KOTABARU", "KABUPATEN KOTABARU", "KOTABARU"),
        # every space of the header lost: no card prints it as one word, so it is spaced
        ("KOTATANGERANGSELATAN", "SERPONG", "KOTA TANGERANG SELATAN", "SERPONG"),
        ("KABUPATENLABUHANBATUUTARA", "AEK KANOPAN", "KABUPATEN LABUHANBATU UTARA", "AEK KANOPAN"),
        # a name glued to its prefix that is no official name (Toba Samosir was renamed Toba):
        # the rest of the word is the name, never dropped
        ("KABUPATENTOBA", "TOBA", "KABUPATEN TOBA", "TOBA"),
        # a speck read as a dot after the name: no regency's name ends in one
        ("KABUPATEN WAJO.", "WAJO.", "KABUPATEN WAJO", "WAJO"),
        ("KABUPATEN WAJO II", "WAJO", "KABUPATEN WAJO", "WAJO"),
    ],
)
def test_a_regency_header_or_issue_place_a_letter_off_its_official_name_is_mended(
    header, issued, want_header, want_issued
):
    birth = "Tempat/Tgl Lahir : BANDUMG, 12-05-1990"
    lines = [(text, "body") for text in ktp_lines(kota=header, lahir=birth)]
    lines += [(issued, "issue"), ("12-05-2017", "issue")]

    got = values("ktp", lines)

    assert got["kabupaten_kota"] == want_header
    assert got["tempat_diterbitkan"] == want_issued
    assert got["tempat_lahir"] == "BANDUMG"  # a birth place need not be a regency: as read


@pytest.mark.parametrize(
    ("city", "want"),
    [
        ("JAKARTASELATAN", "JAKARTA SELATAN"),  # a Jakarta city, every space lost
        ("JAKARTA SELATAN", "JAKARTA SELATAN"),
        ("SELATANJAKARTA", "SELATANJAKARTA"),  # no official name: as read
        # a speck of the card's pattern read as a word of a letter or two after the name
        ("JAKARTA SELATAN SG", "JAKARTA SELATAN"),
        ("JAKARTA SELATAN SGA", "JAKARTA SELATAN SGA"),
    ],
)
def test_a_jakarta_city_header_read_as_one_word_is_spaced_as_the_city(city, want):
    lines = [(text, "body") for text in ktp_lines(provinsi="PROVINSI DKI JAKARTA", kota=city)]

    got = values("ktp", lines)

    assert got["provinsi"] == "DKI JAKARTA"
    assert got["kabupaten_kota"] == want


def test_fields_carry_raw_text_confidence_and_the_box_of_their_words():
    parsed = parse(lines_to_ocr(ktp_lines(), confidence=81.0), "ktp")

    nik = parsed.fields["nik"]
    assert nik.raw == "3273015205900007"
    assert nik.confidence == 81.0
    assert nik.box is not None and nik.box[0] > 0  # the value's word, not the "NIK" label
    assert nik.to_dict()["box"] == list(nik.box)


# --- document type ----------------------------------------------------------------------------


def test_a_ktp_uploaded_as_npwp_is_detected_as_ktp():
    parsed = parse(lines_to_ocr(ktp_lines()), "npwp")

    assert parsed.declared_type == "npwp"
    assert parsed.detected_type == "ktp"
    assert parsed.value("nik") == "3273015205900007"


def test_an_npwp_uploaded_as_ktp_is_detected_as_npwp():
    fields = random_npwp(random.Random(5))

    parsed = parse(lines_to_ocr(rows_of("npwp", fields, False)), "ktp")

    assert parsed.detected_type == "npwp"
    assert parsed.value("npwp") == fields["npwp"]


def test_a_ktp_photo_that_lost_every_small_label_is_still_a_ktp():
    """A grid design prints small captions over its values; on a hard photo all of them are
    lost. The values only a KTP prints still tell it from an NPWP: the card goes to a person,
    never rejected as the wrong document."""
    rows = [
        "PROVINSI BANTEN",
        "KABUPATEN TANGERANG",
        "NIK 3603264408631602",
        "ELIS INTAN FITRIANI",
        "MAJALENGKA, 04-08-1963",
        "PEREMPUAN AB",
        "JL. PAHLAWAN NO. 3",
        "009/001 TALAGASARI",
        "CIKUPA ISLAM",
        "CERAI MATI PEDAGANG",
        "WNI SEUMUR HIDUP",
    ]

    parsed = parse(lines_to_ocr(rows), "ktp")

    assert parsed.detected_type == "ktp"
    assert parsed.value("nik") == "3603264408631602"


def test_an_npwp_whose_address_names_a_religion_is_still_an_npwp():
    fields = random_npwp(random.Random(7))
    rows = rows_of("npwp", {**fields, "alamat": "JL. MASJID ISLAM NO. 5 RT 001/002"}, False)

    parsed = parse(lines_to_ocr(rows), "npwp")

    assert parsed.detected_type == "npwp"


def test_text_that_is_neither_card_is_unknown():
    parsed = parse(lines_to_ocr(["INVOICE 2024/11", "Total : 150.000", "Terima kasih"]), "ktp")

    assert parsed.detected_type == "unknown"


# --- names ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("DR. IR. H. BUDI SANTOSO, S.KOM., M.M.", "BUDI SANTOSO"),
        ("Hj. Siti Nurhaliza binti Ahmad", "SITI NURHALIZA AHMAD"),
        ("AHMAD  BIN  ABDULLAH", "AHMAD ABDULLAH"),
        ("PROF. DR. RATNA SARI, S.E., M.SI", "RATNA SARI"),
        ("M. YUSUF", "M YUSUF"),
        ("MA'RUF AMIN", "MARUF AMIN"),
    ],
)
def test_names_are_normalised_without_titles_degrees_or_bin_binti(name, expected):
    assert normalise_name(name) == expected


@given(st.text(max_size=60))
def test_name_normalisation_is_idempotent(text):
    once = normalise_name(text)

    assert normalise_name(once) == once


def test_names_agree_across_spacing_titles_and_one_ocr_slip():
    assert compare_names("NURHAYATI", "NUR HAYATI").status == "pass"
    assert compare_names("H. BUDI SANTOSO, S.E.", "BUDI SANTOSO").status == "pass"
    assert compare_names("BUDI SANTOSO", "BUDI SANTOS0").status == "pass"
    assert compare_names("BUDI SANTOSO", "AGUS WIJAYA").status == "fail"


def test_a_profile_name_may_be_a_short_form_of_the_legal_name():
    assert profile_match("Budi", "BUDI SANTOSO").status == "pass"
    assert profile_match("budi santoso", "DR. BUDI SANTOSO").status == "pass"
    assert profile_match("Agus Wijaya", "BUDI SANTOSO").status == "fail"


@pytest.mark.parametrize(
    ("rows", "name", "nik", "address"),
    [
        # the number's row not read at all: the address has many digit look-alikes (JL, NO, O,
        # I, S, G, B) but few digits, and is not taken for the number
        (
            [
                "DIREKTORAT JENDERAL PAJAK",
                "INDAH NUGROHO LINDA",
                "NIK : 650130530487 7504",
                "JL. MERDEKA NO. 116 RT 016/013 MARGAHAYU GUBENG KABUPATEN",
                "MALINAU",
                "KPP PRATAMA SURABAYA GUBENG",
                "Tanggal Terdaftar : 01/11/2007",
            ],
            "INDAH NUGROHO LINDA",
            "6501305304877504",
            "JL. MERDEKA NO. 116 RT 016/013 MARGAHAYU GUBENG KABUPATEN MALINAU",
        ),
        # an older card without a NIK line, its number read in part: the name is the row after
        # the number's, however little of the number was read
        (
            [
                "KEMENTERIAN KEUANGAN REPUBLIK INDONESIA",
                "DIREKTORAT JENDERAL PAJAK",
                "NPWP : 39.028.",
                "ENDANG WIBOWO",
                "JL. MANGGA DUA NO. 134 RT.016 RW.005 KEL.",
                "KALIRUNGKUT KEC. WONOKROMO SURABAYA",
                "KPP PRATAMA SURABAYA GUBENG",
                "Tanggal Terdaftar : 14 FEBRUARI 2022",
            ],
            "ENDANG WIBOWO",
            None,
            "JL. MANGGA DUA NO. 134 RT.016 RW.005 KEL. KALIRUNGKUT KEC. WONOKROMO SURABAYA",
        ),
    ],
)
def test_an_npwp_whose_number_was_lost_keeps_its_name_and_address(rows, name, nik, address):
    parsed = parse(lines_to_ocr(rows), "npwp")

    assert parsed.value("npwp") is None
    assert parsed.value("nama") == name
    assert parsed.value("nik") == nik
    assert parsed.value("alamat") == address


@pytest.mark.parametrize(
    ("alamat", "tail", "expected"),
    [
        # the house number wrapped alone onto the next line
        ("Alamat : JL. TAMAN SARI GG. BERSAMA NO.", "9", "JL. TAMAN SARI GG. BERSAMA NO. 9"),
        ("Alamat : JL. MAWAR NO", "7", "JL. MAWAR NO. 7"),
        # a lone character under any other address is no part of it
        ("Alamat : JL. MAWAR BLOK", "9", "JL. MAWAR BLOK"),
        ("Alamat : JL. MAWAR NO.", "I", "JL. MAWAR NO."),
    ],
)
def test_a_house_number_wrapped_alone_onto_the_next_line_ends_the_address(alamat, tail, expected):
    lines = ktp_lines(alamat=alamat)
    lines.insert(lines.index(alamat) + 1, tail)

    got = values("ktp", lines)

    assert got["alamat"] == expected
    assert got["rt_rw"] == "001/002"


def test_a_ktp_s_district_and_village_read_a_letter_off_are_its_regency_s_names():
    # KOTA BANDUNG: kecamatan SUKAJADI, kelurahan PASTEUR; NIK issued in 3273 (KOTA BANDUNG)
    lines = ktp_lines(desa="Kel/Desa : PASTEVR", kecamatan="Kecamatan : SUKAIADI")

    got = values("ktp", lines)

    assert (got["kel_desa"], got["kecamatan"]) == ("PASTEUR", "SUKAJADI")


def test_a_district_is_mended_by_the_nik_s_regency_when_the_header_is_another():
    # the holder moved to KABUPATEN GARUT; the NIK was issued in KOTA BANDUNG (3273)
    lines = ktp_lines(kota="KABUPATEN GARUT", kecamatan="Kecamatan : SUKAIADI")

    assert values("ktp", lines)["kecamatan"] == "SUKAJADI"


@pytest.mark.parametrize(
    ("nama", "expected"),
    [
        # a degree is printed with a final dot or without one, and comes back as read
        ("Nama : WULAN AMINAH, S.PD", "WULAN AMINAH, S.PD"),
        ("Nama : MUNAWAR AMIN, S.SOS", "MUNAWAR AMIN, S.SOS"),
        ("Nama : DRS. AHMAD FAUZI, M.M.", "DRS. AHMAD FAUZI, M.M."),
        ("Nama : RINA KUSUMA, S.KOM.", "RINA KUSUMA, S.KOM."),
        # no inner dot: a name, not a degree
        ("Nama : SITI AMINAH", "SITI AMINAH"),
    ],
)
def test_a_degree_after_the_name_comes_back_as_printed(nama, expected):
    assert values("ktp", ktp_lines(nama=nama))["nama"] == expected


@pytest.mark.parametrize(
    ("nama", "expected"),
    [
        # the space after a title's dot lost in a blurred photo
        ("Nama : HJ.TITIK", "HJ. TITIK"),
        ("Nama : DR.IR.BUDI SANTOSO, S.T.", "DR. IR. BUDI SANTOSO, S.T."),
        # every title the name comparison knows, not only the common ones
        ("Nama : SDRI.MAYA LESTARI", "SDRI. MAYA LESTARI"),
        # an abbreviated first name too
        ("Nama : MUH.TAUFIK", "MUH. TAUFIK"),
        ("Nama : H.MOCH.RIDWAN", "H. MOCH. RIDWAN"),
        # a Balinese name's opening I or NI glued to the name after it
        ("Nama : IMADE ASTAWA", "I MADE ASTAWA"),
        ("Nama : NILUH SEKAR ARUM", "NI LUH SEKAR ARUM"),
        ("Nama : IMAM SAFII", "IMAM SAFII"),
        # a title's dot read as a comma
        ("Nama : H, RIZKY YUNUS", "H. RIZKY YUNUS"),
        # an initial is not a title, and a title as printed stays as it is
        ("Nama : A.RAHMAN HAKIM", "A.RAHMAN HAKIM"),
        ("Nama : H. ABDUL MANAF", "H. ABDUL MANAF"),
    ],
)
def test_a_title_or_balinese_opening_glued_to_the_name_is_spaced_from_it(nama, expected):
    assert values("ktp", ktp_lines(nama=nama))["nama"] == expected


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("Jenis Kelamin : PEREMPUAN Gol. Darah : AB+", "AB+"),
        # the label unreadable in small print, its colon and value read
        ("Jenis Kelamin : PEREMPUAN ii :-", "-"),
        ("Jenis Kelamin : LAKI-LAKI %#: O", "O"),
        # no colon after the sex: nothing read as a blood group
        ("Jenis Kelamin : LAKI-LAKI", None),
    ],
)
def test_a_blood_group_whose_label_was_unreadable_is_read_after_its_colon(row, expected):
    got = values("ktp", ktp_lines(kelamin=row))

    assert got.get("golongan_darah") == expected
    assert got["jenis_kelamin"] in ("PEREMPUAN", "LAKI-LAKI")


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("Gol. Darah : O", "O"),
        ("Golongan Darah : AB+", "AB+"),
        ("GOL. DARAH: B", "B"),
        ("Gol. Darah :", "-"),  # the dash of an unknown group too thin to read
    ],
)
def test_a_blood_group_printed_on_a_row_of_its_own_is_read_and_leaves_the_address(row, expected):
    lines = ktp_lines(kelamin="Jenis Kelamin : PEREMPUAN")
    lines.insert(lines.index("Alamat : JL. MERDEKA NO. 10"), row)

    got = values("ktp", lines)

    assert got["golongan_darah"] == expected
    assert got["jenis_kelamin"] == "PEREMPUAN"
    assert got["alamat"] == "JL. MERDEKA NO. 10"
    assert got["rt_rw"] == "001/002"


@pytest.mark.parametrize("label", ["Tgl Lahir", "Tgl. Lahir", "Tempat/Tgl Lahir"])
def test_a_birth_row_whose_label_lost_its_first_word_is_still_the_birth_row(label):
    got = values("ktp", ktp_lines(lahir=f"{label} BANDUNG, 12-05-1990"))

    assert (got["tempat_lahir"], got["tanggal_lahir"]) == ("BANDUNG", "1990-05-12")


@pytest.mark.parametrize(
    ("line", "row", "field", "expected"),
    [
        # the occupation as the Dukcapil list prints it, abbreviation and all
        ("pekerjaan", "Pekerjaan : TENTARA NASIONAL INDONESIA (TNI)", "pekerjaan",
         "TENTARA NASIONAL INDONESIA (TNI)"),
        ("pekerjaan", "Pekerjaan : KEPOLISIAN RI (POLRI)", "pekerjaan", "KEPOLISIAN RI (POLRI)"),
        ("pekerjaan", "Pekerjaan : TENTARA NASIONAL INDONESIA", "pekerjaan",
         "TENTARA NASIONAL INDONESIA"),
        # a speck over a letter read as an accent
        ("desa", "Kel/Desa : ALÁLAK TENGAH", "kel_desa", "ALALAK TENGAH"),
        # a corner of a QR code read as another script's character; a dash read as a long one
        ("nama", "Nama : UCUP KOSASIH 口", "nama", "UCUP KOSASIH"),
        ("alamat", "Alamat : PERUM ASRI BLOK C\u20147", "alamat", "PERUM ASRI BLOK C-7"),
    ],
)  # fmt: skip
def test_values_come_back_in_the_cards_plain_capitals(line, row, field, expected):
    assert values("ktp", ktp_lines(**{line: row}))[field] == expected


@pytest.mark.parametrize(
    ("nama", "expected"),
    [
        ("Nama : I PUTU PUSPAWATI. S.FARM.", "I PUTU PUSPAWATI, S.FARM."),
        # the first of two degrees, and the comma after it
        ("Nama : ROSDIANA. S.E., M.M.", "ROSDIANA, S.E., M.M."),
        # a name abbreviated with a dot stays as printed
        ("Nama : MOCH. S.E.", "MOCH. S.E."),
    ],
)
def test_the_comma_before_a_degree_read_as_a_dot_is_a_comma(nama, expected):
    assert values("ktp", ktp_lines(nama=nama))["nama"] == expected


def _band_card(blood_row: list[Line]) -> list[Line]:
    """A KTP with a coloured header band: ``KARTU TANDA PENDUDUK`` printed at its right, beside
    the province and regency lines; the blood group in a small box under its label, right of
    the NIK (``blood_row`` the label's and the NIK's rows as read)."""
    return [
        _word_line(
            [("PROVINSI", 146), ("DKI", 262), ("JAKARTA", 304), ("KARTU", 840), ("TANDA", 902)],
            65,
            "page",
        ),
        _word_line([("PENDUDUK", 861)], 84, "page"),
        _word_line([("JAKARTA", 148), ("SELATAN", 240)], 101, "page"),
        *blood_row,
        _word_line([("NAMA:", 83), ("YOHANES", 280), ("RUDY", 372)], 211, "page"),
        _word_line(
            [("TEMPAT/TGL", 85), ("LAHIR:", 211), ("JAKARTA,", 278), ("16-09-1998", 380)],
            243,
            "page",
        ),
        _word_line([("JENIS", 81), ("KELAMIN:", 153), ("LAKI-LAKI", 278)], 274, "page"),
        _word_line([("ALAMAT:", 85), ("JL.", 279), ("MELATI", 320)], 304, "page"),
    ]


@pytest.mark.parametrize(
    "blood_row",
    [
        # the label on a line of its own, the group read on the NIK's line
        [
            _word_line([("GOL.", 666), ("DARAH", 720)], 148, "page"),
            _word_line([("NIK", 109), ("3171091609980893", 231), ("B-", 692)], 164, "page"),
        ],
        # the NIK's tall number read on the label's line, its label on the group's
        [
            _word_line([("3171091609980893", 210), ("GOL.", 670), ("DARAH", 724)], 153, "page"),
            _word_line([("NIK", 90), ("B-", 697)], 169, "page"),
        ],
    ],
)
def test_a_header_band_s_title_and_a_boxed_blood_group_are_no_other_field_s(blood_row):
    got = values_of(OcrResult(lines=_band_card(blood_row), card_size=(CARD_WIDTH, CARD_HEIGHT)))

    assert got["provinsi"] == "DKI JAKARTA"
    assert got["kabupaten_kota"] == "JAKARTA SELATAN"
    assert got["nik"] == "3171091609980893"
    assert got["golongan_darah"] == "B-"
    assert got["nama"] == "YOHANES RUDY"
    assert got["alamat"] == "JL. MELATI"


def test_a_boxed_blood_group_label_with_nothing_under_it_prints_the_unknown_dash():
    rows = [
        _word_line([("DARAH", 726)], 148, "page"),
        _word_line([("NIK", 109), ("3171091609980893", 231)], 164, "page"),
    ]

    got = values_of(OcrResult(lines=_band_card(rows), card_size=(CARD_WIDTH, CARD_HEIGHT)))

    assert got["golongan_darah"] == "-"
    assert got["nik"] == "3171091609980893"


def test_a_photo_on_the_left_of_a_grid_of_labels_above_values_keeps_its_issue_text_apart():
    """The photo at the card's left, the place and date of issue under it read into the rows
    beside them; every label, the NIK's too, printed small above its value."""
    grid = [
        [("NIK", 274)],
        [("3276014701870037", 282)],
        [("Nama", 270)],
        [("DRA.", 272), ("WIDYA", 321), ("MANURUNG", 388)],
        [("Jenis", 272), ("Kelamin", 340), ("Gol.", 616), ("Darah", 672)],
        [("PEREMPUAN", 273), ("A", 612)],
        [("Alamat", 272)],
        [("DEPOK", 90), ("DUSUN", 273), ("SUMBERREJO", 350)],
        [("12-12-2017", 60), ("RT/RW", 271), ("Kel/Desa", 616)],
        [("006/008", 275), ("PANCORAN", 616), ("MAS", 730)],
        [("Kecamatan", 270), ("Agama", 615)],
        [("PANCORAN", 271), ("MAS", 385), ("BUDDHA", 615)],
    ]
    rows = [
        _word_line([("PROVINSI", 63), ("JAWA", 175), ("BARAT", 240)], 53, "page"),
        _word_line([("KARTU", 734), ("TANDA", 802), ("PENDUDUK", 870)], 72, "page"),
        _word_line([("KOTA", 64), ("DEPOK", 130)], 80, "page"),
    ]
    rows += [_word_line(words, 152 + 24 * index, "page") for index, words in enumerate(grid)]

    got = values_of(OcrResult(lines=rows, card_size=(CARD_WIDTH, CARD_HEIGHT)))

    assert got["nik"] == "3276014701870037"
    assert got["alamat"] == "DUSUN SUMBERREJO"
    assert got["rt_rw"] == "006/008"
    assert got["kel_desa"] == "PANCORAN MAS"
    assert got["kecamatan"] == "PANCORAN MAS"
    assert got["tempat_diterbitkan"] == "DEPOK"
    assert got["tanggal_diterbitkan"] == "2017-12-12"
    assert got["kabupaten_kota"] == "KOTA DEPOK"


def test_an_npwp_printing_its_labels_above_their_values_is_read_field_by_field():
    """A split card: every label small above its value (the NIK's too), the tax office's
    spelled out, and the registration date's label beside it over the date."""
    rows = [
        _word_line([("NOMOR", 284), ("POKOK", 360), ("WAJIB", 430), ("PAJAK", 500)], 61, "page"),
        _word_line([("84.158.455.0-526.000", 283)], 88, "page"),
        _word_line([("NAMA", 284), ("WAJIB", 346), ("PAJAK", 416)], 146, "page"),
        _word_line([("TUMPAL", 289), ("RAJA", 380)], 174, "page"),
        _word_line([("NIK", 289)], 235, "page"),
        _word_line([("3372012204879533", 285)], 265, "page"),
        _word_line([("ALAMAT", 283)], 322, "page"),
        _word_line(_spaced("KOMP. CITRA RAYA BLOK D8 NO. 9", 284), 348, "page"),
        _word_line(_spaced("RT.004/RW.004 KEL. KERTEN", 288), 383, "page"),
        _word_line(
            [("KANTOR", 283), ("PELAYANAN", 370), ("PAJAK", 490), ("TERDAFTAR", 693)], 441, "page"
        ),
        _word_line(
            [*_spaced("KPP PRATAMA BADUNG UTARA", 287), *_spaced("20 OKTOBER 2022", 693)],
            468,
            "page",
        ),
    ]

    parsed = parse(OcrResult(lines=rows, card_size=(CARD_WIDTH, CARD_HEIGHT)), "npwp")

    assert parsed.value("npwp") == "841584550526000"
    assert parsed.value("nama") == "TUMPAL RAJA"
    assert parsed.value("nik") == "3372012204879533"
    assert parsed.value("alamat") == "KOMP. CITRA RAYA BLOK D8 NO. 9 RT.004/RW.004 KEL. KERTEN"
    assert parsed.value("kpp") == "KPP PRATAMA BADUNG UTARA"
    assert parsed.value("tanggal_terdaftar") == "2022-10-20"


def test_an_npwp_slip_s_office_and_registration_labels_end_the_address():
    rows = [
        "KEMENTERIAN KEUANGAN REPUBLIK INDONESIA",
        "DIREKTORAT JENDERAL PAJAK",
        "KARTU NOMOR POKOK WAJIB PAJAK",
        "NPWP : 3171021101740006",
        "Nama Wajib Pajak : I NYOMAN WIJAYA",
        "Alamat : JL. VETERAN NO. 12 RT 008 RW 001",
        "KEL. PEJATEN TIMUR KEC. PASAR MINGGU",
        "Kantor Pelayanan : KPP PRATAMA JAKARTA TEBET",
        "Terdaftar Sejak : 19 Juni 2019",
    ]

    parsed = parse(lines_to_ocr(rows), "npwp")

    assert parsed.value("alamat") == (
        "JL. VETERAN NO. 12 RT 008 RW 001 KEL. PEJATEN TIMUR KEC. PASAR MINGGU"
    )
    assert parsed.value("kpp") == "KPP PRATAMA JAKARTA TEBET"
    assert parsed.value("tanggal_terdaftar") == "2019-06-19"


@pytest.mark.parametrize(
    ("number_row", "number"),
    [
        ("NPWP16 : 3374040310841580", "3374040310841580"),
        ("NPWP16:3374040310841580", "3374040310841580"),
        # a legacy number opening with 16 keeps them: they follow the label, not glued to it
        ("NPWP : 16.234.560.7-901.000", "162345607901000"),
        ("NPWP 16.234.560.7-901.000", "162345607901000"),
    ],
)
def test_the_16_digit_number_s_label_npwp16_is_no_part_of_the_number(number_row, number):
    rows = ["KEMENTERIAN KEUANGAN REPUBLIK INDONESIA", "DIREKTORAT JENDERAL PAJAK", number_row]
    rows += ["NIK : 3374040310841580", "Nama : BUDI SANTOSO", "Alamat : JL. PEMUDA NO. 8"]
    rows += ["KPP : KPP PRATAMA SEMARANG CANDISARI"]

    assert parse(lines_to_ocr(rows), "npwp").value("npwp") == number


def test_a_mark_after_the_tax_office_s_name_is_no_part_of_it():
    rows = ["DIREKTORAT JENDERAL PAJAK", "NPWP : 3171021101740006", "I NYOMAN WIJAYA"]
    rows += ["JL. VETERAN NO. 12", "KPP PRATAMA MEDAN KOTA.", "Tanggal Terdaftar : 19-06-2019"]

    assert parse(lines_to_ocr(rows), "npwp").value("kpp") == "KPP PRATAMA MEDAN KOTA"


def test_a_word_printed_up_an_npwp_s_side_panel_is_no_line_of_the_address():
    rows = [
        _word_line([("NOMOR", 285), ("POKOK", 344), ("WAJIB", 399), ("PAJAK", 447)], 62, "page"),
        _word_line([("76.953.820.8-805.000", 286)], 88, "page"),
        _word_line([("NAMA", 284), ("WAJIB", 340), ("PAJAK", 395)], 148, "page"),
        _word_line(_spaced("I PUTU SUDARSANA", 285), 174, "page"),
        _word_line([("ALAMAT", 282)], 268, "page"),
        _word_line(_spaced("GG. ANGGREK NO. 196", 287), 295, "page"),
        Line("NPPP", (Word("NPPP", 80.0, (80, 256, 94, 227)),), "page", (80, 256, 94, 227)),
        _word_line(_spaced("KOTA MAKASSAR", 287), 325, "page"),
        _word_line(_spaced("KPP PRATAMA MAKASSAR UTARA", 285), 412, "page"),
    ]

    parsed = parse(OcrResult(lines=rows, card_size=(CARD_WIDTH, CARD_HEIGHT)), "npwp")

    assert parsed.value("alamat") == "GG. ANGGREK NO. 196 KOTA MAKASSAR"


def test_a_grid_value_whose_label_was_lost_takes_its_row_by_the_printed_order():
    # the left column's label lost on a photo (``KECAMATAN`` over ``COBLONG``), the right
    # column's read: the value under the lost label is the missing row, not the address's tail
    rows = [
        line
        if [w.text for w in line.words] != ["KECAMATAN", "AGAMA"]
        else _word_line([("AGAMA", 360)], line.box[1], "page")
        for line in _grid_card()
    ]

    got = values_of(OcrResult(lines=rows, card_size=(1000, 630)))

    assert got["kecamatan"] == "COBLONG"
    assert got["agama"] == "KRISTEN"
    assert got["kel_desa"] == "DAGO"


def test_a_grid_value_whose_first_letters_were_lost_is_still_its_label_s():
    # ``SAMARINDA`` read as ``INDA``: the value starts well right of its label's left edge,
    # but within its column, short of the next label's
    rows = [
        _word_line([("INDA", 110), ("14.07.1976", 360)], line.box[1], "page")
        if [w.text for w in line.words] == ["BANDUNG", "14.07.1976"]
        else line
        for line in _grid_card()
    ]

    got = values_of(OcrResult(lines=rows, card_size=(1000, 630)))

    assert got["tanggal_lahir"] == "1976-07-14"
    assert got["tempat_lahir"] == "INDA"
    assert got["jenis_kelamin"] == "LAKI-LAKI"


def test_two_labels_with_their_values_on_one_row_are_two_rows():
    # a reprint pairing rows: ``RT/RW: 002/009   KEL/DESA: BARATAJAYA``
    rows = [
        _word_line([("PROVINSI", 300), ("JAWA", 420), ("TIMUR", 490)], 16, "page"),
        _word_line([("KOTA", 360), ("SURABAYA", 430)], 50, "page"),
        _word_line([("NIK", 30), (":", 202), ("3578101905872141", 236)], 94, "page"),
        _word_line([("NAMA:", 30), ("GILANG", 236), ("PUTRA", 330)], 130, "page"),
        _word_line([("ALAMAT:", 30), ("JL.", 236), ("IMAM", 280), ("BONJOL", 340)], 166, "page"),
        _word_line(
            [("RT/RW:", 30), ("002/009", 236), ("KEL/DESA:", 520), ("BARATAJAYA", 640)], 202, "page"
        ),
        _word_line([("KECAMATAN:", 30), ("GUBENG", 236)], 238, "page"),
        _word_line(
            [
                ("KEWARGANEGARAAN:", 30),
                ("WNI", 236),
                ("BERLAKU", 520),
                ("HINGGA:", 616),
                ("SEUMUR", 720),
                ("HIDUP", 810),
            ],
            274,
            "page",
        ),
    ]

    got = values_of(OcrResult(lines=rows, card_size=(CARD_WIDTH, CARD_HEIGHT)))

    assert got["rt_rw"] == "002/009"
    assert got["kel_desa"] == "BARATAJAYA"
    assert got["kecamatan"] == "GUBENG"
    assert got["kewarganegaraan"] == "WNI"
    assert got["berlaku_hingga"] == "SEUMUR HIDUP"


def test_a_blood_group_row_read_without_its_group_leaves_the_label_beside_it_its_value():
    # ``Gol. Darah`` with ``Kewarganegaraan : WNI`` printed beside it, the printed dash lost
    rows = [
        _word_line([("PROVINSI", 300), ("KALIMANTAN", 420), ("TIMUR", 560)], 16, "page"),
        _word_line([("KOTA", 360), ("SAMARINDA", 430)], 50, "page"),
        _word_line([("NIK", 250), (":", 430), ("6472214808650782", 445)], 94, "page"),
        _word_line([("Nama", 250), (":", 430), ("MELINDA", 445), ("HALIM", 545)], 130, "page"),
        _word_line([("Jenis", 250), ("Kelamin", 310), (":", 430), ("PEREMPUAN", 445)], 166, "page"),
        _word_line(
            [("Gol.", 250), ("Darah", 300), ("Kewarganegaraan", 560), (":", 745), ("WNI", 760)],
            202,
            "page",
        ),
        _word_line([("Alamat", 250), (":", 430), ("JL.", 445), ("MAWAR", 485)], 238, "page"),
    ]

    got = values_of(OcrResult(lines=rows, card_size=(CARD_WIDTH, CARD_HEIGHT)))

    assert got["kewarganegaraan"] == "WNI"
    assert got["golongan_darah"] == "-"
    assert got["alamat"] == "JL. MAWAR"


def test_grid_values_a_narrow_gap_apart_are_parted_under_their_labels():
    # ``002/009`` and ``TANDANG`` read as one piece under ``RT/RW`` and ``KEL/DESA``
    rows = [
        _word_line([("RT/RW", 40), ("KEL/DESA", 150)], line.box[1], "page")
        if [w.text for w in line.words] == ["RT/RW", "KEL/DESA", "BANDUNG"]
        else _word_line([("014/018", 40), ("DAGO", 150)], line.box[1], "page")
        if [w.text for w in line.words] == ["014/018", "DAGO", "18.01.2024"]
        else line
        for line in _grid_card()
    ]

    got = values_of(OcrResult(lines=rows, card_size=(1000, 630)))

    assert got["rt_rw"] == "014/018"
    assert got["kel_desa"] == "DAGO"


def test_grid_values_under_lost_labels_take_the_rows_their_words_can_only_be():
    """A grid read across its two columns (birth row beside the address, sex beside RT/RW),
    the birth row's and the sex's labels lost on a photo: the printed order cannot place them,
    what they say can."""
    grid = [
        [("Nama", 28)],
        [("NU'MAN", 32), ("DAENG", 130)],
        [("Alamat", 427)],
        [("SEMARANG,", 27), ("27-08-1996", 150), ("KOMP.", 425), ("DEPKES", 500)],
        [("Gol.", 272), ("Darah", 320), ("RT/RW", 427)],
        [("LAKI-LAKI", 27), ("B-", 274), ("011/003", 429)],
        [("Agama", 27), ("Kecamatan", 426)],
        [("ISLAM", 28), ("TEMBALANG", 427)],
    ]
    rows = [
        _word_line([("PROVINSI", 313), ("JAWA", 430), ("TENGAH", 490)], 20, "page"),
        _word_line([("KOTA", 371), ("SEMARANG", 430)], 56, "page"),
        _word_line([("NIK", 31), ("3374102708961182", 90)], 110, "page"),
    ]
    rows += [_word_line(words, 160 + 26 * index, "page") for index, words in enumerate(grid)]

    got = values_of(OcrResult(lines=rows, card_size=(CARD_WIDTH, CARD_HEIGHT)))

    assert got["tempat_lahir"] == "SEMARANG"
    assert got["tanggal_lahir"] == "1996-08-27"
    assert got["jenis_kelamin"] == "LAKI-LAKI"
    assert got["golongan_darah"] == "B-"
    assert got["alamat"] == "KOMP. DEPKES"
    assert got["kecamatan"] == "TEMBALANG"


def test_a_garbled_label_whose_first_letters_were_lost_still_leaves_its_value_a_row():
    # ``Tempat/Tgl Lahir`` read as ``TipLanit`` from its middle on: right of the label column,
    # short of the value column
    rows = [
        _word_line([("PROVINSI", 300), ("JAWA", 420), ("BARAT", 490)], 16, "page"),
        _word_line([("KOTA", 360), ("BANDUNG", 430)], 50, "page"),
        _word_line([("NIK", 30), (":", 202), ("3273016512676570", 236)], 94, "page"),
        _word_line([("Nama", 30), (":", 202), ("LESTARI", 236), ("PUTRI", 330)], 130, "page"),
        _word_line([("TipLanit", 95), ("YOGYAKARTA,25-12-1967", 236)], 166, "page"),
        _word_line([("Jenis", 30), ("Kelamin", 100), (":", 202), ("PEREMPUAN", 236)], 202, "page"),
        _word_line([("Alamat", 30), (":", 202), ("JL.", 236), ("MERDEKA", 280)], 238, "page"),
    ]

    got = values_of(OcrResult(lines=rows, card_size=(CARD_WIDTH, CARD_HEIGHT)))

    assert got["tempat_lahir"] == "YOGYAKARTA"
    assert got["tanggal_lahir"] == "1967-12-25"
    assert got["nama"] == "LESTARI PUTRI"


@pytest.mark.parametrize(("read", "flat", "group"), [("4", True, "-"), ("A", False, "A")])
def test_a_flat_mark_read_where_the_blood_group_is_printed_is_the_unknown_group_s_dash(
    read, flat, group
):
    """A card that prints ``-`` for an unknown group: Tesseract read the dash as ``4``, which
    passes for ``A``. A mark far flatter than the row's text is the dash, whatever it was read
    as; a letter of the row's height is the group."""
    blood = _word_line([("Gol.", 30), ("Darah:", 90), (read, 236)], 220, "page")
    if flat:  # the dash's box: 6 pixels wide, 2 high, at the letters' middle
        dash = replace(blood.words[-1], box=(236, 230, 6, 2))
        blood = replace(blood, words=(*blood.words[:-1], dash))
    rows = _card_rows(
        _spaced("Nama: BUDI SANTOSO", 30),
        _spaced("Jenis Kelamin: LAKI-LAKI", 30),
    )
    rows.insert(5, blood)

    parsed = parse(OcrResult(lines=rows, card_size=(1012, 638)), "ktp")

    assert parsed.value("golongan_darah") == group


def test_a_caption_read_letters_off_under_a_wrapping_value_still_starts_its_own_row():
    """Captions printed small over each value, read two letters off on a photo: a weakly
    matched caption under the name or the occupation (values that wrap) is the next row's
    caption, not the wrapped tail of the value above it."""
    column = [
        "Nama", "MAIMUNAH MELATI WATI",
        "Tempat/fgl Lahr", "BANJARMASIN, 30-03-1953",
        "Jenis Kelamin", "PEREMPUAN",
        "Alamat", "JL. FLAMBOYAN GG. V/29",
        "Agama", "KRISTEN",
        "Pekerjaan", "MEKANIK",
        "Berloku Hingge", "SEUMUR HIDUP",
    ]  # fmt: skip
    rows = [
        _word_line([("PROVINSI", 320), ("KALIMANTAN", 440), ("TIMUR", 580)], 16, "page"),
        _word_line([("KOTA", 380), ("SAMARINDA", 450)], 50, "page"),
        _word_line([("NIK", 40), ("6472207003531231", 160)], 94, "page"),
    ]
    rows += [_word_line(_spaced(text, 40), 130 + 26 * i, "page") for i, text in enumerate(column)]

    parsed = parse(OcrResult(lines=rows, card_size=(1000, 630)), "ktp")

    assert parsed.value("nama") == "MAIMUNAH MELATI WATI"
    assert parsed.value("tempat_lahir") == "BANJARMASIN"
    assert parsed.value("tanggal_lahir") == "1953-03-30"
    assert parsed.value("pekerjaan") == "MEKANIK"
    assert parsed.value("berlaku_hingga") == "SEUMUR HIDUP"


def _captions_lost(name_row: list[str], birth: list[tuple[str, int]] | None = None) -> list[Line]:
    """A grid KTP (two columns at x 70 and x 360, the issue place and date at x 800) whose
    small captions were all lost on a photo: its values only, in the order the card prints
    them, ``name_row`` the rows above the birth row."""
    body = [
        *[[(text, 70)] for text in name_row],
        birth or [("MAJALENGKA,", 70), ("04-08-1963", 230)],
        [("PEREMPUAN", 70), ("AB", 360)],
        _spaced("JL. PAHLAWAN NO. 3", 70),
        [("009/001", 70), ("TALAGASARI", 360), ("TANGERANG", 800)],
        [("CIKUPA", 70), ("ISLAM", 360), ("10-07-2022", 800)],
        [("CERAI", 70), ("MATI", 150), ("PEDAGANG", 360)],
        [("WNI", 70), ("SEUMUR", 360), ("HIDUP", 460)],
    ]
    rows = [
        _word_line([("PROVINSI", 70), ("BANTEN", 190)], 16, "page"),
        _word_line([("KABUPATEN", 70), ("TANGERANG", 210)], 50, "page"),
        _word_line([("NIK", 70), ("3603264408631602", 130)], 94, "page"),
    ]
    return rows + [_word_line(words, 140 + 44 * i, "page") for i, words in enumerate(body)]


def test_a_ktp_that_lost_every_caption_is_read_by_what_its_values_say_and_their_order():
    parsed = parse(
        OcrResult(lines=_captions_lost(["ELIS INTAN FITRIANI"]), card_size=(1000, 630)), "ktp"
    )

    assert {name: parsed.value(name) for name in parsed.fields} == {
        "provinsi": "BANTEN",
        "kabupaten_kota": "KABUPATEN TANGERANG",
        "nik": "3603264408631602",
        "nama": "ELIS INTAN FITRIANI",
        "tempat_lahir": "MAJALENGKA",
        "tanggal_lahir": "1963-08-04",
        "jenis_kelamin": "PEREMPUAN",
        "golongan_darah": "AB",
        "alamat": "JL. PAHLAWAN NO. 3",
        "rt_rw": "009/001",
        "kel_desa": "TALAGASARI",
        "kecamatan": "CIKUPA",
        "agama": "ISLAM",
        "status_perkawinan": "CERAI MATI",
        "pekerjaan": "PEDAGANG",
        "kewarganegaraan": "WNI",
        "berlaku_hingga": "SEUMUR HIDUP",
        "tempat_diterbitkan": "TANGERANG",
        "tanggal_diterbitkan": "2022-07-10",
    }


def test_a_ktp_that_lost_its_left_column_s_captions_is_not_taken_for_a_photo_beside_labels():
    # a photo of the grid design that kept two captions of its right column and lost every
    # other: ``GOL DARAH`` read on one line with its value, ``PEKERJAAN`` over its own. Those
    # two make a column of labels right of the left column's values, which are the card's
    # values (eight rows of them), not the text of a photo printed left of the labels
    body = [
        [("AGUS", 70), ("SAPUTRO", 130)],
        [("MADIUN,", 70), ("13-06-1957", 190)],
        [("GOL", 360), ("DARAH", 410), ("O", 490)],
        [("LAKI-LAKI", 70)],
        _spaced("JL. GELATIK NO. 99", 70),
        [
            ("007/005", 70),
            *_spaced("KARANG ASAM ULU", 360),
            ("SAMARINDA,", 760),
            ("27-04-2024", 890),
        ],
        [*_spaced("SUNGAI KUNJANG", 70), ("ISLAM", 360)],
        [("PEKERJAAN", 360)],
        [("KAWIN", 70), ("NELAYAN/PERIKANAN", 360)],
        [("WNI", 70), ("SEUMUR", 360), ("HIDUP", 460)],
    ]
    rows = [
        _word_line([("PROVINSI", 70), ("KALIMANTAN", 190), ("TIMUR", 330)], 16, "page"),
        _word_line([("KOTA", 70), ("SAMARINDA", 130)], 50, "page"),
        _word_line([("NIK", 70), ("6472151306570948", 130)], 94, "page"),
    ]
    rows += [_word_line(words, 140 + 40 * i, "page") for i, words in enumerate(body)]

    parsed = parse(OcrResult(lines=rows, card_size=(1000, 630)), "ktp")

    assert parsed.value("nama") == "AGUS SAPUTRO"
    assert parsed.value("tempat_lahir") == "MADIUN"
    assert parsed.value("tanggal_lahir") == "1957-06-13"
    assert parsed.value("alamat") == "JL. GELATIK NO. 99"
    assert parsed.value("rt_rw") == "007/005"
    assert parsed.value("kel_desa") == "KARANG ASAM ULU"
    assert parsed.value("kecamatan") == "SUNGAI KUNJANG"
    assert parsed.value("tempat_diterbitkan") == "SAMARINDA"


def test_an_occupation_s_word_close_to_a_caption_word_stays_in_the_value_when_captions_are_lost():
    # ``TANGGA`` of ``MENGURUS RUMAH TANGGA`` is two letters off the caption word ``TANGGAL``:
    # a word of a listed value read as it is spelled is the value's
    rows = _captions_lost(["ELIS INTAN FITRIANI"])
    at = next(i for i, row in enumerate(rows) if row.text.startswith("CERAI"))
    words = [("KAWIN", 70), *_spaced("MENGURUS RUMAH TANGGA", 360)]
    rows[at] = _word_line(words, rows[at].box[1], "page")

    parsed = parse(OcrResult(lines=rows, card_size=(1000, 630)), "ktp")

    assert parsed.value("status_perkawinan") == "KAWIN"
    assert parsed.value("pekerjaan") == "MENGURUS RUMAH TANGGA"


ELIS_BY_ORDER = {
    "nama": "ELIS INTAN FITRIANI",
    "tempat_lahir": "MAJALENGKA",
    "tanggal_lahir": "1963-08-04",
    "jenis_kelamin": "PEREMPUAN",
    "alamat": "JL. PAHLAWAN NO. 3",
    "rt_rw": "009/001",
    "kel_desa": "TALAGASARI",
    "kecamatan": "CIKUPA",
    "status_perkawinan": "CERAI MATI",
    "pekerjaan": "PEDAGANG",
    "berlaku_hingga": "SEUMUR HIDUP",
}


def test_a_ktp_that_lost_every_caption_and_the_space_after_its_birth_place_is_still_read():
    # a photo glues the birth place to its date (``MAJALENGKA,04-08-1963``): the birth row
    # still anchors the order the other values are read in
    rows = _captions_lost(["ELIS INTAN FITRIANI"], birth=[("MAJALENGKA,04-08-1963", 70)])

    parsed = parse(OcrResult(lines=rows, card_size=(1000, 630)), "ktp")

    assert {name: parsed.value(name) for name in ELIS_BY_ORDER} == ELIS_BY_ORDER


@pytest.mark.parametrize(
    "name_rows",
    [["RAHMAT ARDIANSYAH"], ["RAHMAT ARDIANSYAH", "Gol. Darah"]],
    ids=["first-word-like-alamat", "blood-group-caption-under-it"],
)
def test_a_name_is_found_above_the_birth_row_past_a_caption_and_despite_a_label_like_word(
    name_rows,
):
    # ``RAHMAT`` is as close to ``Alamat`` as a misread caption is; the blood group's caption,
    # printed over its value at the right, was read between the name and the birth row
    parsed = parse(OcrResult(lines=_captions_lost(name_rows), card_size=(1000, 630)), "ktp")

    assert parsed.value("nama") == "RAHMAT ARDIANSYAH"
    assert parsed.value("tanggal_lahir") == "1963-08-04"


def test_a_three_column_grid_whose_captions_were_lost_is_read_by_what_its_values_say():
    # the village and the district on the RT/RW's row, the religion, marital status and
    # citizenship on one row, the occupation and the validity on the row under it
    body = [
        [("IMAS", 70), ("SUMIATI", 160)],
        [("YOGYAKARTA,", 70), ("10-11-1970", 250), ("PEREMPUAN", 420)],
        _spaced("JL. BERINGIN NO. 8", 70),
        [("013/018", 70), ("BAKTIJAYA", 300), ("SUKMAJAYA", 520)],
        [("ISLAM", 70), ("KAWIN", 300), ("WNI", 520), ("10-03-2018", 840)],
        [("GURU", 70), ("SEUMUR", 300), ("HIDUP", 400)],
    ]
    rows = [
        _word_line([("PROVINSI", 70), ("JAWA", 190), ("BARAT", 250)], 16, "page"),
        _word_line([("KOTA", 70), ("DEPOK", 130)], 50, "page"),
        _word_line([("3276045011705240", 70)], 94, "page"),
    ]
    rows += [_word_line(words, 140 + 44 * i, "page") for i, words in enumerate(body)]
    rows.insert(-2, _word_line([("DEPOK", 850)], 140 + 44 * 3 + 22, "page"))

    parsed = parse(OcrResult(lines=rows, card_size=(1000, 630)), "ktp")

    assert {name: parsed.value(name) for name in ELIS_BY_ORDER} == {
        "nama": "IMAS SUMIATI",
        "tempat_lahir": "YOGYAKARTA",
        "tanggal_lahir": "1970-11-10",
        "jenis_kelamin": "PEREMPUAN",
        "alamat": "JL. BERINGIN NO. 8",
        "rt_rw": "013/018",
        "kel_desa": "BAKTIJAYA",
        "kecamatan": "SUKMAJAYA",
        "status_perkawinan": "KAWIN",
        "pekerjaan": "GURU",
        "berlaku_hingga": "SEUMUR HIDUP",
    }
    assert parsed.value("agama") == "ISLAM"
    assert parsed.value("kewarganegaraan") == "WNI"
    assert parsed.value("tanggal_diterbitkan") == "2018-03-10"


def test_a_grid_value_between_two_captions_read_takes_the_row_printed_between_them():
    # a photo of a three-column grid that lost the caption ``Kel/Desa`` between ``RT/RW`` and
    # ``Kecamatan``: the value under the lost caption is the village, the row the card prints
    # between those two, and the two either side of it keep their own
    grid = [
        [("Nama", 70)],
        _spaced("YULI WIDYASTUTI UTAMI", 70),
        [("SURAKARTA,", 70), ("09-12-1979", 200), ("PEREMPUAN", 550)],
        [("Alamat", 70), ("Gol.", 550), ("Darah", 600)],
        _spaced("JL. KAPTEN MULYADI", 70),
        [("RT/RW", 70), ("Kecamatan", 550)],
        [("012/003", 70), ("JOYOTAKAN", 320), ("SERENGAN", 550), ("SURAKARTA", 820)],
        [("Agama", 70), ("Status", 320), ("Perkawinan", 400), ("Pekerjaan", 550)],
        [("KRISTEN", 70), ("KAWIN", 320), *_spaced("MENGURUS RUMAH TANGGA", 550)],
        [("Kewarganegaraan", 70), ("Berlaku", 320), ("Hingga", 410), ("22-08-2021", 820)],
        [("WNI", 70), ("SEUMUR", 320), ("HIDUP", 410)],
    ]
    rows = [
        _word_line([("PROVINSI", 330), ("JAWA", 450), ("TENGAH", 510)], 16, "page"),
        _word_line([("KOTA", 390), ("SURAKARTA", 450)], 50, "page"),
        _word_line([("NIK", 70)], 84, "page"),
        _word_line([("3372024912790054", 70)], 106, "page"),
    ]
    rows += [_word_line(words, 140 + 28 * i, "page") for i, words in enumerate(grid)]

    parsed = parse(OcrResult(lines=rows, card_size=(1000, 630)), "ktp")

    assert parsed.value("rt_rw") == "012/003"
    assert parsed.value("kel_desa") == "JOYOTAKAN"
    assert parsed.value("kecamatan") == "SERENGAN"
    assert parsed.value("alamat") == "JL. KAPTEN MULYADI"
    assert parsed.value("pekerjaan") == "MENGURUS RUMAH TANGGA"


def test_a_sex_beside_the_birth_row_of_a_grid_whose_caption_was_lost_is_the_sex():
    # a tilted photo of a design printing small captions over the values in two columns, the
    # NIK's too: ``Jenis Kelamin`` lost from the birth row's captions, the sex under it is the
    # sex, and the birth place and date under ``Tempat/Tgl Lahir`` are the birth row's
    rows = [
        _boxed_line([("PROVINSI", (546, 53, 106, 38)), ("JAWA", (655, 65, 56, 33))]),
        _boxed_line([("KOTA", (574, 79, 74, 39)), ("DEPOK", (654, 87, 90, 41))]),
        _boxed_line([("NIK", (109, 85, 30, 24))]),
        _boxed_line([("3276205702442413", (108, 103, 355, 64))]),
        _boxed_line([("Nama", (92, 152, 56, 24))]),
        _boxed_line([("SITI", (92, 168, 70, 36)), ("RAHAYU", (173, 177, 102, 33))]),
        _boxed_line([("Tempat/Tgl", (88, 218, 99, 24)), ("Lahir", (189, 223, 41, 22))]),
        _boxed_line(
            [
                ("BREBES,", (84, 234, 128, 29)),
                ("17-02-1944", (218, 237, 133, 29)),
                ("PEREMPUAN", (519, 246, 128, 31)),
            ]
        ),
        _boxed_line([("Alamat", (80, 281, 64, 24))]),
        _boxed_line([("JL.", (82, 299, 42, 27)), ("KAMBOJA", (132, 299, 127, 27))]),
        _boxed_line([("RT/RW", (75, 347, 55, 19))]),
        _boxed_line([("Kel/Desa", (512, 347, 53, 13))]),
        _boxed_line([("004/009", (74, 360, 105, 29)), ("MEKARSARI", (512, 352, 122, 29))]),
        _boxed_line([("DEPOK", (897, 343, 43, 23))]),
        _boxed_line([("06-01-2018", (881, 357, 69, 25))]),
        _boxed_line(
            [
                ("PANCORAN", (64, 420, 164, 34)),
                ("MAS", (234, 418, 62, 29)),
                ("ISLAM", (505, 411, 60, 24)),
            ]
        ),
        _boxed_line([("Status", (62, 473, 56, 23)), ("Perkawinan", (125, 468, 98, 25))]),
        _boxed_line(
            [
                ("CERAI", (61, 486, 98, 33)),
                ("MATI", (162, 482, 69, 31)),
                ("PENSIUNAN", (501, 457, 124, 34)),
            ]
        ),
        _boxed_line(
            [
                ("Kewarganegaraan", (57, 530, 156, 33)),
                ("SEUMUR", (497, 511, 91, 36)),
                ("HIDUP", (595, 504, 61, 34)),
            ]
        ),
        _boxed_line([("WNI", (58, 552, 61, 35))]),
    ]

    parsed = parse(OcrResult(lines=rows, card_size=(1012, 638)), "ktp")

    assert parsed.value("tempat_lahir") == "BREBES"
    assert parsed.value("tanggal_lahir") == "1944-02-17"
    assert parsed.value("jenis_kelamin") == "PEREMPUAN"
    assert parsed.value("nama") == "SITI RAHAYU"


def test_a_caption_read_among_values_whose_captions_were_lost_is_no_part_of_a_value():
    rows = _captions_lost(["ELIS INTAN FITRIANI"])
    address = next(i for i, row in enumerate(rows) if row.text.startswith("JL."))
    caption_y = rows[address].box[1] + 22
    rows.insert(address + 1, _word_line([("RT/RW", 70)], caption_y, "page"))

    parsed = parse(OcrResult(lines=rows, card_size=(1000, 630)), "ktp")

    assert parsed.value("alamat") == "JL. PAHLAWAN NO. 3"
    assert parsed.value("rt_rw") == "009/001"


def test_values_whose_captions_were_lost_on_a_grid_card_are_placed_by_what_they_say():
    # the captions of the last two rows of the grid were lost: ``KAWIN  PEGAWAI NEGERI SIPIL
    # (PNS)`` and ``WNI  SEUMUR HIDUP`` are values of listed rows, which they fill
    rows = [r for r in _grid_card() if not r.text.startswith(("STATUS", "KEWARGANEGARAAN"))]

    parsed = parse(OcrResult(lines=rows, card_size=(1000, 630)), "ktp")

    assert parsed.value("status_perkawinan") == "KAWIN"
    assert parsed.value("pekerjaan") == "PEGAWAI NEGERI SIPIL (PNS)"
    assert parsed.value("kewarganegaraan") == "WNI"
    assert parsed.value("berlaku_hingga") == "SEUMUR HIDUP"
    assert parsed.value("tempat_diterbitkan") == "BANDUNG"


def _grid_rows_read_as(read_as: dict[str, list[tuple[str, int]]]) -> list[Line]:
    """``_grid_card``'s rows, each row starting with a key of ``read_as`` read as its words
    instead, on the same height."""
    rows = []
    for row in _grid_card():
        first = row.text.split()[0]
        rows.append(_word_line(read_as[first], row.box[1], "page") if first in read_as else row)
    return rows


def test_a_listed_value_read_on_a_caption_s_line_is_its_own_row_not_a_wrapped_occupation():
    # the right column's ``SEUMUR HIDUP`` read on the line of the left column's caption, its
    # own caption lost: it is the validity, not the second line of the occupation above
    rows = _grid_rows_read_as(
        {
            "KEWARGANEGARAAN": [("KEWARGANEGARAAN", 40), ("SEUMUR", 360), ("HIDUP", 450)],
            "WNI": [("WNI", 40)],
        }
    )

    parsed = parse(OcrResult(lines=rows, card_size=(1000, 630)), "ktp")

    assert parsed.value("pekerjaan") == "PEGAWAI NEGERI SIPIL (PNS)"
    assert parsed.value("kewarganegaraan") == "WNI"
    assert parsed.value("berlaku_hingga") == "SEUMUR HIDUP"


def test_a_marital_status_taken_for_the_occupation_moves_to_its_own_row():
    # the occupation's caption was lost from the row of captions: ``CERAI MATI`` was taken
    # for the occupation under it, and the occupation left over
    rows = _grid_rows_read_as(
        {
            "STATUS": [("Status", 40), ("Perkawinan", 130)],
            "KAWIN": [("CERAI", 40), ("MATI", 120), ("PENSIUNAN", 360)],
        }
    )

    parsed = parse(OcrResult(lines=rows, card_size=(1000, 630)), "ktp")

    assert parsed.value("status_perkawinan") == "CERAI MATI"
    assert parsed.value("pekerjaan") == "PENSIUNAN"


@pytest.mark.parametrize("above", ["Tempet/Tgi Lahr", "TEMPAT TGL LAHIR", "Elis Intan"])
def test_a_caption_read_above_the_birth_row_is_never_taken_for_the_name(above):
    rows = _captions_lost(["ELIS INTAN FITRIANI", above])

    parsed = parse(OcrResult(lines=rows, card_size=(1000, 630)), "ktp")

    # the name by the printed order (the row between the NIK and a caption read as the birth
    # row's label), or none: never the caption's words
    assert parsed.value("nama") in (None, "ELIS INTAN FITRIANI")
    assert parsed.value("tanggal_lahir") == "1963-08-04"


def test_an_issue_place_printed_above_the_photo_over_the_first_label_is_found_above_its_date():
    # a design printing the issue place and date above the photo: the place's row stands above
    # the NIK row with the header's, and PP-OCR read the date into the NIK row (the words as it
    # boxed them on a clean scan)
    rows = [
        _boxed_line(
            [
                ("PROVINSI", (118, 21, 116, 23)),
                ("KALIMANTAN", (238, 21, 162, 23)),
                ("SELATAN", (404, 21, 110, 23)),
            ]
        ),
        _boxed_line([("KOTA", (118, 60, 67, 22)), ("BANJARMASIN", (195, 60, 167, 22))]),
        _boxed_line([("BANJARMASIN", (812, 113, 144, 27))]),
        _boxed_line(
            [
                ("NIK", (35, 133, 35, 28)),
                ("6371014204690047", (109, 133, 312, 27)),
                ("03-04-2016", (833, 141, 106, 26)),
            ]
        ),
        _boxed_line([("NAMA", (23, 189, 59, 24)), ("RAHMAWATI", (266, 189, 135, 22))]),
        _boxed_line(
            [
                ("TEMPAT/TGL", (23, 219, 111, 23)),
                ("LAHIR", (138, 219, 57, 23)),
                (":BANJARMASIN,", (245, 219, 186, 23)),
                ("02-04-1969", (433, 219, 113, 23)),
            ]
        ),
        _boxed_line(
            [
                ("JENIS", (20, 252, 52, 24)),
                ("KELAMIN", (72, 251, 84, 25)),
                (":", (244, 253, 13, 22)),
                ("PEREMPUAN", (264, 253, 137, 22)),
            ]
        ),
    ]
    ocr = OcrResult(lines=rows, card_size=(CARD_WIDTH, CARD_HEIGHT))

    parsed = parse(ocr, "ktp")

    assert parsed.value("kabupaten_kota") == "KOTA BANJARMASIN"
    assert parsed.value("nik") == "6371014204690047"
    assert parsed.value("tanggal_diterbitkan") == "2016-04-03"
    assert parsed.value("tempat_diterbitkan") == "BANJARMASIN"


@pytest.mark.parametrize(
    "foot",
    [
        "TERDAFTAR: 09-09-2010 KPP PRATAMA JAKARTA CAKUNG",
        "Tanggal Terdaftar : 09/09/2010 KPP PRATAMA JAKARTA CAKUNG",
    ],
)
def test_a_tax_office_printed_after_the_registration_date_on_one_row_is_read(foot):
    # a design printing the date at the foot's left and the office at its right: one row
    rows = [
        "KEMENTERIAN KEUANGAN REPUBLIK INDONESIA",
        "DIREKTORAT JENDERAL PAJAK",
        "NOMOR POKOK WAJIB PAJAK",
        "3172081312496282",
        "AHMAD PRATAMA",
        "KOMP. CITRA HARMONI NO. 17A RT 006/009",
        "KEL. PALMERIAM KEC. MATRAMAN JAKARTA TIMUR",
        foot,
    ]

    parsed = parse(lines_to_ocr(rows), "npwp")

    assert parsed.value("kpp") == "KPP PRATAMA JAKARTA CAKUNG"
    assert parsed.value("tanggal_terdaftar") == "2010-09-09"
    assert parsed.value("alamat") == (
        "KOMP. CITRA HARMONI NO. 17A RT 006/009 KEL. PALMERIAM KEC. MATRAMAN JAKARTA TIMUR"
    )
    assert parsed.value("nama") == "AHMAD PRATAMA"


@pytest.mark.parametrize(
    ("sex", "read", "returned"),
    [
        # a citizen's card (its sex in Indonesian): three blurred letters on the row are WNI
        ("PEREMPUAN", "WHH", "WNI"),
        ("PEREMPUAN", "IN", "WNI"),
        ("LAKI-LAKI", "WWANI", "WNI"),
        ("LAKI-LAKI", "JEPANG", "JEPANG"),  # a country's name is kept as read
        # a foreigner's card prints the sex in English and the country on the row: as read
        ("MALE", "IRAN", "IRAN"),
        ("FEMALE", "IN", "IN"),
    ],
)
def test_a_blurred_citizenship_on_a_citizen_s_card_is_wni(sex, read, returned):
    lines = ktp_lines(
        kelamin=f"Jenis Kelamin : {sex} Gol. Darah : AB+", warga=f"Kewarganegaraan : {read}"
    )

    assert values("ktp", lines)["kewarganegaraan"] == returned
