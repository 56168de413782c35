"""NPWP numbers: Luhn check digit (15 digits, 0-prefixed 16), NIK-based 16 digits, formats."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ocr_gpu.lines import union_box
from ocr_gpu.result import Line, OcrResult, Word
from ocr_gpu.testing.cards import luhn_check_digit, nik_for, random_npwp
from ocr_gpu.testing.npwp_design import format_npwp
from verification import npwp
from verification.parsing import lines_to_ocr
from verification.parsing.npwp import parse_npwp

eight_digits = st.text("0123456789", min_size=8, max_size=8)
suffixes = st.text("0123456789", min_size=6, max_size=6)


def legacy(first_eight: str, suffix: str) -> str:
    return first_eight + luhn_check_digit(first_eight) + suffix


@given(eight_digits, suffixes)
def test_numbers_with_a_correct_check_digit_are_valid_in_both_lengths(first_eight, suffix):
    number = legacy(first_eight, suffix)

    assert npwp.problems(number) == []
    assert npwp.problems("0" + number) == []
    assert npwp.kind("0" + number) == npwp.ENTITY16


@settings(max_examples=200)
@given(eight_digits, suffixes, st.integers(0, 8), st.integers(1, 9))
def test_any_single_digit_error_in_the_first_nine_digits_is_caught(
    first_eight, suffix, position, delta
):
    number = legacy(first_eight, suffix)
    wrong = number[:position] + str((int(number[position]) + delta) % 10) + number[position + 1 :]

    assert npwp.problems(wrong) == [npwp.CHECKSUM]
    assert npwp.problems("0" + wrong) == [npwp.CHECKSUM]


def test_the_kpp_and_branch_digits_are_not_covered_by_the_check_digit():
    number = legacy("12345678", "401000")

    assert npwp.is_valid(number[:9] + "999001")


def test_a_sixteen_digit_npwp_not_starting_with_zero_is_validated_as_a_nik():
    good = nik_for("327301", date(1990, 5, 12), True, 7)

    assert npwp.kind(good) == npwp.NIK16
    assert npwp.is_valid(good)
    assert npwp.problems("9973015205900007") == ["province"]


@pytest.mark.parametrize("number", ["", "1234", "12345678901234", "12345678901234567", "abc"])
def test_other_lengths_are_invalid(number):
    assert npwp.problems(number) == [npwp.LENGTH]


def test_a_nitku_is_reduced_to_its_npwp16():
    assert npwp.normalise("0123456789012345000001") == "0123456789012345"


@given(st.text(max_size=30))
def test_validation_never_raises(text):
    assert isinstance(npwp.problems(text), list)


@pytest.mark.parametrize(
    "printed",
    [
        "54.480.530.2-842.000",
        "544805302842000",
        "54 480 530 2 842 000",
        "NPWP : 54.480.530.2-842.000",
    ],
)
def test_the_parser_reads_dotted_undotted_spaced_and_labelled_numbers(printed):
    ocr = lines_to_ocr(
        ["NPWP", "DIREKTORAT JENDERAL PAJAK", printed, "BUDI SANTOSO", "JL. MERDEKA NO. 1"]
    )

    fields = parse_npwp(ocr)

    assert fields["npwp"].value == "544805302842000"
    assert fields["nama"].value == "BUDI SANTOSO"
    assert fields["alamat"].value == "JL. MERDEKA NO. 1"


@pytest.mark.parametrize(
    "row",
    [
        "[57.970.309.1-402.000 |",
        "[ 57.970.309.1-402.000 ]",
        "|57.970.309.1-402.000|",
        # the frame's side read as letters, one of them a 1's look-alike
        "NPWP : 57.970.309.1-402.000 Fi",
    ],
)
def test_the_sides_of_a_box_around_the_number_are_not_digits(row):
    fields = parse_npwp(lines_to_ocr(["NPWP", row, "ABDUL SANUSI MUBAROK"]))

    assert fields["npwp"].value == "579703091402000"


@pytest.mark.parametrize(
    ("row", "number"),
    [
        # a QR block's corner right of the number, read as digits or their look-alikes
        ("NPWP : 3674010203060951 40]", "3674010203060951"),
        ("91.553.701.3-904.000 O", "915537013904000"),
        ("NPWP : 3674 0102 0306 0951 0", "3674010203060951"),
    ],
)
def test_marks_after_a_valid_number_that_would_make_it_invalid_are_not_part_of_it(row, number):
    fields = parse_npwp(lines_to_ocr(["KEMENTERIAN KEUANGAN RI", row, "I PUTU SUDARSANA"]))

    assert fields["npwp"].value == number
    assert fields["nama"].value == "I PUTU SUDARSANA"


def test_a_pipe_at_the_end_of_a_number_is_a_one_where_the_number_needs_it():
    # without it the number would be 14 digits: the sides of a box are dropped only where
    # that makes a valid number of an invalid one
    fields = parse_npwp(lines_to_ocr(["NPWP : 57.970.309.1-402.00|", "ABDUL SANUSI"]))

    assert fields["npwp"].value == "579703091402001"


def test_the_parser_reads_a_sixteen_digit_npwp_and_fixes_digit_lookalikes_in_it():
    ocr = lines_to_ocr([("NPWP", "header"), ("3273O1520S900007", "npwp"), ("SITI AMINAH", "body")])

    fields = parse_npwp(ocr)

    assert fields["npwp"].value == "3273015205900007"
    assert fields["nama"].value == "SITI AMINAH"


@pytest.mark.parametrize("zero", ["\u2205", "\u00d8", "\u00f8"])
def test_a_slashed_zero_read_as_its_look_alike_sign_is_a_zero(zero):
    # a number face that strikes its zero through (``Ø``): PP-OCR reads it as the empty-set sign
    # or the slashed letter, and the number was one digit short
    number = f"NPWP : 79.184.589.4-911.{zero * 3}"
    nik = f"NIK : 737102491083{zero}365"
    fields = parse_npwp(lines_to_ocr([number, "ANDI MAPPASESSU", nik]))

    assert fields["npwp"].value == "791845894911000"
    assert fields["nik"].value == "7371024910830365"


@pytest.mark.parametrize("name", ["NI WAYAN SUCIPTA DEWI", "NI KETUT SEMBIRING", "ANIK KUSUMAWATI"])
@pytest.mark.parametrize("nik_row", ["NIK : 5104025403858948", "NI : 5104025403858948"])
def test_a_name_opening_with_ni_or_nik_in_a_word_is_the_name_not_the_nik_line(name, nik_row):
    # ``NI`` is a letter off ``NIK`` (and ``NI K`` of ``NI KETUT`` is ``NIK`` with a space, and
    # ``ANIK`` holds it): the name row was taken for the NIK line, and the card had no name and
    # the NIK line joined the address
    lines = [
        ("DEPARTEMEN KEUANGAN REPUBLIK INDONESIA", "header"),
        ("NPWP", "header"),
        ("96.998.552.2-908.000", "npwp"),
        (name, "body"),
        (nik_row, "body"),
        ("JL. MAHONI V NO. 6A KEL. BELEGA KABUPATEN GIANYAR", "body"),
        ("KPP PRATAMA GIANYAR", "body"),
    ]

    fields = parse_npwp(lines_to_ocr(lines))

    assert fields["nama"].value == name
    assert fields["nik"].value == "5104025403858948"
    assert fields["alamat"].value == "JL. MAHONI V NO. 6A KEL. BELEGA KABUPATEN GIANYAR"


def test_the_unlabelled_name_address_kpp_and_date_are_separated():
    fields_in = random_npwp(random.Random(3))
    lines = [
        ("NPWP", "header"),
        ("DIREKTORAT JENDERAL PAJAK", "header"),
        (format_npwp(fields_in["npwp"]), "npwp"),
        ("DR. BUDI SANTOSO, S.KOM.", "body"),
        ("NIK : 3273015205900007", "body"),
        ("JL. MERDEKA NO. 1 RT 001/002", "body"),
        ("KEL. SUKAJADI KOTA BANDUNG", "body"),
        ("KPP PRATAMA BANDUNG CIBEUNYING", "body"),
        ("Terdaftar : 13-04-2010", "body"),
    ]

    fields = parse_npwp(lines_to_ocr(lines))

    assert fields["nama"].value == "DR. BUDI SANTOSO, S.KOM."
    assert fields["nik"].value == "3273015205900007"
    assert fields["alamat"].value == "JL. MERDEKA NO. 1 RT 001/002 KEL. SUKAJADI KOTA BANDUNG"
    assert fields["kpp"].value == "KPP PRATAMA BANDUNG CIBEUNYING"
    assert fields["tanggal_terdaftar"].value == "2010-04-13"


# An older card's rows down to its NIK line; the tests below vary what follows them.
NUMBER_NAME_NIK = [
    ("49.063.394.8-823.000", "npwp"),
    "YANTI DWI RAHMA WULANDARI",
    "NIK : 3404077003814216",
]


@pytest.mark.parametrize(
    ("row", "registered"),
    [
        ("Tanggal Terdaftar : 31 AGUSTUS 2013", "2013-08-31"),
        ("Tanggal Terdaftar: 7 MARET 2021", "2021-03-07"),
        ("Tanggal Terdaftar: 1 FEBRUARI 2023", "2023-02-01"),
        ("Terdaftar : 13-04-2010", "2010-04-13"),
    ],
)
def test_a_registration_date_printed_at_the_end_of_the_kpp_line_is_read(row, registered):
    """Older cards print the date of registration on the KPP line, at its right end: the date
    was lost and the card went to review."""
    lines = [
        ("DEPARTEMEN KEUANGAN REPUBLIK INDONESIA", "header"),
        *NUMBER_NAME_NIK,
        "GG. SAWO V NO. 22 RT 005/016 GODEAN KABUPATEN SLEMAN",
        f"KPP PRATAMA PEKANBARU SENAPELAN {row}",
    ]

    fields = parse_npwp(lines_to_ocr(lines))

    assert fields["kpp"].value == "KPP PRATAMA PEKANBARU SENAPELAN"
    assert fields["tanggal_terdaftar"].value == registered
    assert fields["alamat"].value == "GG. SAWO V NO. 22 RT 005/016 GODEAN KABUPATEN SLEMAN"


@pytest.mark.parametrize("number_row", ["nw : 000", "npwe :", "NPWE : 91.83"])
def test_the_number_row_with_its_number_lost_is_not_part_of_the_name(number_row):
    """Tesseract lost an NPWP number printed in a thin monospace, and read its row as a label
    and a colon: the row joined the name (``NW : YANTI ...``), and the name's two reads never
    agreed on a clean card."""
    lines = [
        ("DEPARTEMEN KEUANGAN REPUBLIK INDONESIA", "header"),
        ("DIREKTORAT JENDERAL PAJAK", "header"),
        number_row,
        "YANTI DWI RAHMA WULANDARI",
        "NIK : 3404077003814216",
        "GG. SAWO V NO. 22 RT 005/016 GODEAN KABUPATEN SLEMAN",
    ]

    fields = parse_npwp(lines_to_ocr(lines))

    assert fields["nama"].value == "YANTI DWI RAHMA WULANDARI"
    assert fields["nik"].value == "3404077003814216"


def test_a_registration_date_on_the_first_of_a_month_keeps_its_day():
    # the day ``1`` after the label's colon was skipped as a colon look-alike: no date was read
    lines = [
        *NUMBER_NAME_NIK,
        "GG. SAWO V NO. 22 GODEAN",
        "KPP PRATAMA PEKANBARU SENAPELAN",
        "Tanggal Terdaftar : 1 MARET 2010",
    ]

    fields = parse_npwp(lines_to_ocr(lines))

    assert fields["tanggal_terdaftar"].value == "2010-03-01"


def test_a_word_like_terdaftar_without_a_date_later_in_a_line_is_not_the_registration():
    lines = [
        *NUMBER_NAME_NIK,
        "JL. MAWAR NO. 5 TERDAFTAR GODEAN",
        "KPP PRATAMA PEKANBARU SENAPELAN",
    ]

    fields = parse_npwp(lines_to_ocr(lines))

    assert fields["alamat"].value == "JL. MAWAR NO. 5 TERDAFTAR GODEAN"
    assert fields["kpp"].value == "KPP PRATAMA PEKANBARU SENAPELAN"
    assert "tanggal_terdaftar" not in fields


@pytest.mark.parametrize("slipped", ["RT 001/ 002", "RT 001 /002", "RT 001 / 002"])
def test_a_space_read_around_the_rt_rw_slash_is_dropped(slipped):
    fields_in = random_npwp(random.Random(3))
    lines = [
        ("DIREKTORAT JENDERAL PAJAK", "header"),
        (f"NPWP : {format_npwp(fields_in['npwp'])}", "npwp"),
        ("BUDI SANTOSO", "body"),
        (f"JL. MERDEKA NO. 1 {slipped} SUKAJADI", "body"),
    ]

    fields = parse_npwp(lines_to_ocr(lines))

    assert fields["alamat"].value == "JL. MERDEKA NO. 1 RT 001/002 SUKAJADI"


def test_an_address_word_read_one_letter_off_a_region_word_is_that_word():
    fields_in = random_npwp(random.Random(3))
    lines = [
        ("DIREKTORAT JENDERAL PAJAK", "header"),
        (f"NPWP : {format_npwp(fields_in['npwp'])}", "npwp"),
        ("BUDI SANTOSO", "body"),
        ("JL MERDEKA NO. 111 RT 003/002 SUKAMAJU", "body"),
        ("KECAMATAM SUMBERSARI KABUIPATEN SORONG", "body"),
    ]

    fields = parse_npwp(lines_to_ocr(lines))

    assert fields["alamat"].value == (
        "JL. MERDEKA NO. 111 RT 003/002 SUKAMAJU KECAMATAN SUMBERSARI KABUPATEN SORONG"
    )


def test_text_far_above_the_name_is_not_part_of_it_when_the_number_was_not_read():
    """A logo read as letters at the top of the card, the number line missed: the name is
    still only the rows printed on the NIK line."""
    lines = [
        "Oo",
        ("DIREKTORAT JENDERAL PAJAK", "header"),
        *[""] * 6,  # the band and the number line, nothing read there
        "AYU NUR",
        "NIK : 3273015205900007",
        "JL. MERDEKA NO. 1",
    ]

    fields = parse_npwp(lines_to_ocr(lines))

    assert fields["nama"].value == "AYU NUR"
    assert fields["nik"].value == "3273015205900007"


def test_a_name_printed_over_two_rows_above_the_nik_line_is_kept_whole():
    lines = [
        ("DIREKTORAT JENDERAL PAJAK", "header"),
        "",
        "MUHAMMAD RIZKY PRATAMA",
        "KUSUMAWARDHANI",
        "NIK : 3273015205900007",
    ]

    fields = parse_npwp(lines_to_ocr(lines))

    assert fields["nama"].value == "MUHAMMAD RIZKY PRATAMA KUSUMAWARDHANI"


def test_a_speck_of_the_pattern_read_as_letters_above_the_name_is_not_part_of_it():
    fields_in = random_npwp(random.Random(4))
    ocr = lines_to_ocr(
        [
            ("DIREKTORAT JENDERAL PAJAK", "header"),
            f"NPWP : {format_npwp(fields_in['npwp'])}",
            "pa",
            "YULIA HARAHAP SAPUTRA",
            "NIK : 3273015205900007",
        ]
    )
    speck = ocr.lines[2]
    tiny = tuple(replace(w, box=(w.box[0], w.box[1] + 8, 8, 5)) for w in speck.words)
    ocr.lines[2] = replace(speck, words=tiny)

    fields = parse_npwp(ocr)

    assert fields["nama"].value == "YULIA HARAHAP SAPUTRA"


@pytest.mark.parametrize("quote", ["\u2018", "\u201c", "\u2019"])
def test_a_speck_read_as_a_curly_quote_before_the_name_is_not_part_of_it(quote):
    fields_in = random_npwp(random.Random(6))
    lines = [f"NPWP : {format_npwp(fields_in['npwp'])}", f"{quote}SUSI SYAFRIZAL{quote}"]

    fields = parse_npwp(lines_to_ocr([*lines, "NIK : 3273015205900007"]))

    assert fields["nama"].value == "SUSI SYAFRIZAL"


def test_an_older_card_s_header_is_not_its_name_when_the_number_was_not_read():
    # the older cards' header: DEPARTEMEN KEUANGAN; the boxed number lost by Tesseract
    rows = ["DEPARTEMEN KEUANGAN REPUBLIK INDONESIA", "DIREKTORAT JENDERAL PAJAK", "NPWP"]
    rows += ["THALIB BAHARMUS", "GG. DAMAI NO. 26 RT 002 RW 003", "KPP PRATAMA KUDUS"]

    fields = parse_npwp(lines_to_ocr(rows))

    assert fields["nama"].value == "THALIB BAHARMUS"


@pytest.mark.parametrize("number_row", ["an all 469 b- (UN", "An 059 041 7 101 000", "66 531.4"])
def test_an_older_card_s_number_read_as_no_number_is_not_its_name(number_row):
    """Tesseract read the older card's large unlabelled number as letters and digit groups."""
    rows = ["DEPARTEMEN KEUANGAN REPUBLIK INDONESIA", "DIREKTORAT JENDERAL PAJAK", number_row]
    rows += ["IRWANSYAH", "JL. TEUKU UMAR NO. 253C", "RT 015 RW 008 PEKAUMAN", "KPP PRATAMA BANJAR"]

    fields = parse_npwp(lines_to_ocr(rows))

    assert fields["nama"].value == "IRWANSYAH"
    assert fields["alamat"].value == "JL. TEUKU UMAR NO. 253C RT 015 RW 008 PEKAUMAN"


def test_a_name_is_not_taken_for_a_misread_number_row():
    rows = ["DEPARTEMEN KEUANGAN REPUBLIK INDONESIA", "DIREKTORAT JENDERAL PAJAK"]
    rows += ["IRWANSYAH", "JL. TEUKU UMAR NO. 253C", "KPP PRATAMA BANJARMASIN"]

    fields = parse_npwp(lines_to_ocr(rows))

    assert fields["nama"].value == "IRWANSYAH"
    assert fields["alamat"].value == "JL. TEUKU UMAR NO. 253C"


@pytest.mark.parametrize("label", ["Nama Wajib Pajak", "NAMA", "Nama :"])
def test_a_name_printed_under_its_label_row_is_the_name_and_not_the_address(label):
    rows = ["DIREKTORAT JENDERAL PAJAK", "KARTU NPWP", "Nomor Pokok Wajib Pajak"]
    rows += ["66.531.469.6-731.000", label, "IRWANSYAH", "Alamat", "JL. TEUKU UMAR NO. 253C"]
    rows += ["KPP PRATAMA BANJARMASIN", "Tgl Terdaftar 05.08.2001"]

    fields = parse_npwp(lines_to_ocr(rows))

    assert fields["nama"].value == "IRWANSYAH"
    assert fields["alamat"].value == "JL. TEUKU UMAR NO. 253C"
    assert fields["tanggal_terdaftar"].value == "2001-08-05"


def test_a_name_label_whose_value_was_lost_does_not_take_the_nik_line():
    rows = ["KEMENTERIAN KEUANGAN", "NPWP : 66.531.469.6-731.000", "Nama :"]
    rows += ["NIK : 3275040408930597", "JL. TEUKU UMAR NO. 253C", "KPP PRATAMA BANJARMASIN"]

    fields = parse_npwp(lines_to_ocr(rows))

    assert not fields["nama"].value
    assert fields["nik"].value == "3275040408930597"


def test_the_emblem_read_as_letters_above_the_name_is_not_part_of_it():
    """The number line was not read and the emblem's tall box reaches down to the name."""
    ocr = lines_to_ocr(
        ["(El", ("KEMENTERIAN KEUANGAN", "header"), "", "DIAN YULIA", "NIK : 3273015205900007"]
    )
    emblem = ocr.lines[0]
    ocr.lines[0] = replace(
        emblem, words=tuple(replace(w, box=(0, 0, 190, 90)) for w in emblem.words)
    )

    fields = parse_npwp(ocr)

    assert fields["nama"].value == "DIAN YULIA"


def test_text_under_the_date_that_reads_like_a_name_label_leaves_the_name_and_address():
    """Tesseract read the card's bottom edge as ``Na aa 4``: like ``Nama`` at a glance, but the
    name is printed above the NIK line, the tax office and the date, never under them."""
    lines = [
        ("DEPARTEMEN KEUANGAN REPUBLIK INDONESIA", "page"),
        ("DIREKTORAT JENDERAL PAJAK", "page"),
        ("NPWP : 04.575.744.0-333.000", "page"),
        ("NOVI RAHAYU", "page"),
        ("NIK : 1871086502670355", "page"),
        ("PERUM PURI CENDANA BLOK K1 NO. 11", "page"),
        ("KOTA BANDAR LAMPUNG LAMPUNG", "page"),
        ("KPP PRATAMA KEDATON", "page"),
        ("Tgl Terdaftar : 25 DESEMBER 2008", "page"),
        ("Na aa 4", "page"),
    ]

    fields = parse_npwp(lines_to_ocr(lines))

    assert fields["nama"].value == "NOVI RAHAYU"
    assert fields["alamat"].value == "PERUM PURI CENDANA BLOK K1 NO. 11 KOTA BANDAR LAMPUNG LAMPUNG"
    assert fields["tanggal_terdaftar"].value == "2008-12-25"


def test_a_nik_label_misread_by_one_letter_still_marks_the_nik_line():
    """``N8K:`` is one letter off ``NIK``, too far for a fuzzy match of a three-letter word; the
    colon and the 16 digits after it make it the NIK line, not the first address line."""
    lines = [
        ("DIREKTORAT JENDERAL PAJAK", "header"),
        ("NPWP:1801363011505554", "npwp"),
        "JOKO ILHAM",
        "N8K:1801363011505554",
        "JL. MELATI NO. 248 RT 010/009 BOJONGSARI",
        "KPP PRATAMA JAKARTA KEBAYORAN BARU SATU",
    ]

    fields = parse_npwp(lines_to_ocr(lines))

    assert fields["nik"].value == "1801363011505554"
    assert fields["nama"].value == "JOKO ILHAM"
    assert fields["alamat"].value == "JL. MELATI NO. 248 RT 010/009 BOJONGSARI"


@pytest.mark.parametrize(
    "row", ["N8K:18013630115055", "NAK: JL. MAWAR NO. 1", "NB: 1801363011505554"]
)
def test_a_row_without_a_nik_like_label_and_sixteen_digits_is_not_the_nik_line(row):
    lines = [
        ("NPWP:1801363011505554", "npwp"),
        "JOKO ILHAM",
        row,
        "KPP PRATAMA JAKARTA KEBAYORAN BARU SATU",
    ]

    fields = parse_npwp(lines_to_ocr(lines))

    assert "nik" not in fields
    assert fields["alamat"].value == row


@pytest.mark.parametrize(
    ("read", "printed"),
    [
        ("JL. MELATINO. 248 RT 010/009", "JL. MELATI NO. 248 RT 010/009"),
        ("JL. MELATI NO. 9RT 002/014 COBLONG", "JL. MELATI NO. 9 RT 002/014 COBLONG"),
        ("JL. MELATI NO. 9 RT002/014 COBLONG", "JL. MELATI NO. 9 RT 002/014 COBLONG"),
        ("GG. MAWAR NO. 13 RT 007/011 RW001/002", "GG. MAWAR NO. 13 RT 007/011 RW 001/002"),
        # the village's marker glued to the RW number; a place opening with KEL stays a word
        ("NO. 134 RT 005 RW006KEL. SINDUADI", "NO. 134 RT 005 RW 006 KEL. SINDUADI"),
        ("NO. 134 RT 005 RW 006DESA KARANGREJO", "NO. 134 RT 005 RW 006 DESA KARANGREJO"),
        ("RT 005 RW 006 KELAPA GADING", "RT 005 RW 006 KELAPA GADING"),
        # the RT number glued to the RW after it
        ("DUSUN BABAKAN RT 001RW 007 TEMPE", "DUSUN BABAKAN RT 001 RW 007 TEMPE"),
        ("KP. CIMANGGU RT.001RW.004 KLENDER", "KP. CIMANGGU RT.001 RW.004 KLENDER"),
        # a one of an RW number read as L; a word after RW stays a word
        ("NO. 162 RT 013 RW O1L LOLO KIRI", "NO. 162 RT 013 RW 011 LOLO KIRI"),
        ("NO. 162 RT 013 RW LOLO KIRI", "NO. 162 RT 013 RW LOLO KIRI"),
        # the pair's slash before RW read as a stroke; a zero read for an O between letters
        ("DUSUN BABAKAN RT 007IRW 002 FATULULI", "DUSUN BABAKAN RT 007/RW 002 FATULULI"),
        # the dot after RT or RW read as a comma; a region word read with a space inside it
        ("JL. SAWO NO. 106 RT,007/RW,001 KLOJEN", "JL. SAWO NO. 106 RT.007/RW.001 KLOJEN"),
        ("SOMBA OPU KABUPA TEN GOWA", "SOMBA OPU KABUPATEN GOWA"),
        ("JL. MAWAR ND. 57 RT 012", "JL. MAWAR NO. 57 RT 012"),
        ("JL. SAM RATULANGINO, 175", "JL. SAM RATULANGI NO. 175"),
        ("JL. TERUSAN JAKARTA ND 55 RT 005", "JL. TERUSAN JAKARTA NO. 55 RT 005"),
        ("JL. KENANGA NQ 103 RT 008 RW 007", "JL. KENANGA NO. 103 RT 008 RW 007"),
        # a dotted pair glued to the word before it or spaced before its slash; a block glued
        # to BLOK and a postcode to its place
        ("GG. MUSHOLA NO. 36RT.008/RW.002 KEL. A", "GG. MUSHOLA NO. 36 RT.008/RW.002 KEL. A"),
        ("DUSUN PANDANSARIRT.012/RW.012 SUKAJADI", "DUSUN PANDANSARI RT.012/RW.012 SUKAJADI"),
        (
            "GG. DAMAI NO. 74 RT.007 /RW.003 PADANGSAMBIAN",
            "GG. DAMAI NO. 74 RT.007/RW.003 PADANGSAMBIAN",
        ),
        ("KOMP. DEPKES BLOKE1 NO. 12", "KOMP. DEPKES BLOK E1 NO. 12"),
        ("KOMP. DEPKES BLOK E1 NO. 12", "KOMP. DEPKES BLOK E1 NO. 12"),
        ("JAKARTA SELATAN DKI JAKARTA12300", "JAKARTA SELATAN DKI JAKARTA 12300"),
        ("DESA KARTA 12 BLOKADE", "DESA KARTA 12 BLOKADE"),
        # a speck after the last word; a dot glued between two places is their comma
        (
            "GG. DAMAI NO. 36 KARANG ANYAR, JAKARTA PUSAT.",
            "GG. DAMAI NO. 36 KARANG ANYAR, JAKARTA PUSAT",
        ),
        ("JL. HASANUDDIN NO. 40 A.", "JL. HASANUDDIN NO. 40 A"),
        ("JL. KARTINI KM.", "JL. KARTINI KM."),
        (
            "CAKRANEGARA BARAT.CAKRANEGARA, KOTA MATARAM",
            "CAKRANEGARA BARAT, CAKRANEGARA, KOTA MATARAM",
        ),
        ("JL. MOCH.HATTA NO. 5", "JL. MOCH.HATTA NO. 5"),  # a title's dot is no comma
        # a block's one digit read as its look-alike letter; a block of one letter stays
        ("PERUM PONDOK HIJAU BLOK CS NO. 20", "PERUM PONDOK HIJAU BLOK C5 NO. 20"),
        ("PERUM CITRA RAYA BLOK AI NO. 27", "PERUM CITRA RAYA BLOK A1 NO. 27"),
        ("KOMP. BUMI INDAH BLOK E NO. 19", "KOMP. BUMI INDAH BLOK E NO. 19"),
        ("PERUM BLOK SARI NO. 2", "PERUM BLOK SARI NO. 2"),
        # JL read IL where a street starts after a house number; a numeral II read IL
        (
            "PERUM CITRA RAYA BLOK B11 NO. 11 IL KH. AGUS SALIM",
            "PERUM CITRA RAYA BLOK B11 NO. 11 JL. KH. AGUS SALIM",
        ),
        ("GG. SAWO IL NO. 12", "GG. SAWO II NO. 12"),
        ("GG. SAWO IL RT 002", "GG. SAWO II RT 002"),
        ("GG. MELATI IL", "GG. MELATI II"),
        ("KEC. BUDURAN KABU PATEN SIDOARJO", "KEC. BUDURAN KABUPATEN SIDOARJO"),
        ("RT 001 RW 002 TAMAN RT, KEC. A", "RT 001 RW 002 TAMAN RT, KEC. A"),
        (
            "PERUM GRIYA ASRI BL0K A15 KAB. SID0ARJO 60831",
            "PERUM GRIYA ASRI BLOK A15 KAB. SIDOARJO 60831",
        ),
        ("BLOK A10 NO. 5", "BLOK A10 NO. 5"),
        # dashes read tight between three places in a row are each spaced
        ("CUKANGGALIH-CURUG-KABUPATEN TANGERANG", "CUKANGGALIH - CURUG - KABUPATEN TANGERANG"),
        ("JL. SUKARNO HATTA NO. 5", "JL. SUKARNO HATTA NO. 5"),
        ("JL. PAHLAWAN NO. 12 RT 007I011 CIBIRU", "JL. PAHLAWAN NO. 12 RT 007/011 CIBIRU"),
        ("JL. PAHLAWAN NO. 12RT007|011 CIBIRU", "JL. PAHLAWAN NO. 12 RT 007/011 CIBIRU"),
        # a zero read as O, a one as I in the pair; a word with a slash stays a word
        ("JL. MELATI NO. 95 RT 011/01O PASIR BIRU", "JL. MELATI NO. 95 RT 011/010 PASIR BIRU"),
        ("JL. NUSANTARA NO. 7 RT 0I1/RW O18 OEBOBO", "JL. NUSANTARA NO. 7 RT 011/RW 018 OEBOBO"),
        ("PERUM. PERUMNAS NO. 4 RT O07 RW 002", "PERUM. PERUMNAS NO. 4 RT 007 RW 002"),
        ("JL. RA. KARTINI IV RT.O20 RW.OI4 KEL.", "JL. RA. KARTINI IV RT.020 RW.014 KEL."),
        ("JL. MELATI NO. 9 RT OOI/IOI", "JL. MELATI NO. 9 RT 001/101"),
        # a face whose one is a bare stroke: three letters O and I after RT or RW, and a house
        # number after NO.; a house's letter suffix stays, and letters alone stay a word
        ("GG. KENANGA NO. I25 RT OIO RW OII", "GG. KENANGA NO. 125 RT 010 RW 011"),
        ("JL. SUNGKONO NO. 1OA RT 001 RW 001", "JL. SUNGKONO NO. 10A RT 001 RW 001"),
        ("DUSUN BANJAR KAJA NO. I40 RT III", "DUSUN BANJAR KAJA NO. 140 RT III"),
        ("GG. MUSHOLLA NO. II", "GG. MUSHOLLA NO. 11"),
        ("GG. MUSHOLLA NO. IIA", "GG. MUSHOLLA NO. IIA"),
        ("JL. MAWAR NO. IA", "JL. MAWAR NO. IA"),
        ("GG. BERSAMA II NO. 44 RT O15/O12 BLIMBING", "GG. BERSAMA II NO. 44 RT 015/012 BLIMBING"),
        ("GG. MUSHOLLA NO. 36 RT. O07 RW. 002 KEL.", "GG. MUSHOLLA NO. 36 RT. 007 RW. 002 KEL."),
        # two-digit numbers too; two letters without a digit stay a word
        ("JL. RAYA NO. 6 RT 20/RW O8 KEL. AIR PUTIH", "JL. RAYA NO. 6 RT 20/RW 08 KEL. AIR PUTIH"),
        ("JL. RAYA NO. 6 RT O5/1O KEL. X", "JL. RAYA NO. 6 RT 05/10 KEL. X"),
        ("DUSUN RW IO KEL. X", "DUSUN RW IO KEL. X"),
        # a zero read as O after a house or block number's digit; a letter suffix stays
        ("JL. SEJAHTERA BLOK A1O NO. 15C", "JL. SEJAHTERA BLOK A10 NO. 15C"),
        ("JL. MAWAR NO.1O", "JL. MAWAR NO. 10"),
        ("JL. MAWAR NO. 2O1 RT 001/002", "JL. MAWAR NO. 201 RT 001/002"),
        ("JL. MAWAR NO. 12 BLOK O KOMP. OASIS", "JL. MAWAR NO. 12 BLOK O KOMP. OASIS"),
        # a dusun's, a kilometre post's and a kampung's abbreviation: a dot read as a comma, a
        # space lost
        ("DSN, DUKUH RT 008 RW 007 KEL. BANGUNTAPAN", "DSN. DUKUH RT 008 RW 007 KEL. BANGUNTAPAN"),
        ("JL. KARTINI KM, 5 RT.008/RW.009", "JL. KARTINI KM. 5 RT.008/RW.009"),
        ("KP, TANJUNGWARNA RT 001/002", "KP. TANJUNGWARNA RT 001/002"),
        ("KP.TANJUNGWARNA", "KP. TANJUNGWARNA"),
        ("JL. KARTINI KM.5 DSN.KRAJAN", "JL. KARTINI KM. 5 DSN. KRAJAN"),
        # the O of NO. read as a zero; a block's letter and number stay
        ("JL. PATIMURA N0. 51 RT/RW 003/008", "JL. PATIMURA NO. 51 RT/RW 003/008"),
        ("JL. PATIMURA N0 51", "JL. PATIMURA NO. 51"),
        ("PERUM ASRI BLOK N05", "PERUM ASRI BLOK N05"),
        # a one read as I, a zero as O in a block's number after its letter; a block named by
        # letters, or by one letter, stays
        ("KOMP. PERMATA HIJAU BLOK HI2 NO. 40", "KOMP. PERMATA HIJAU BLOK H12 NO. 40"),
        ("PERUM CITRA RAYA BLOK KIO NO. 23", "PERUM CITRA RAYA BLOK K10 NO. 23"),
        ("PERUM CITRA RAYA BLOK AA NO. 2", "PERUM CITRA RAYA BLOK AA NO. 2"),
        ("PERUM CITRA RAYA BLOK AI", "PERUM CITRA RAYA BLOK AI"),
        ("PERUM PONDOK MAS BLOK G1NO. 24", "PERUM PONDOK MAS BLOK G1 NO. 24"),
        # an RT or RW glued to its number alone
        ("JL. WR. SUPRATMAN NO. 69 RT 014 RW012", "JL. WR. SUPRATMAN NO. 69 RT 014 RW 012"),
    ],
)
def test_a_house_number_and_an_rt_rw_pair_glued_to_their_neighbours_are_spaced(read, printed):
    lines = [("NPWP:1801363011505554", "npwp"), "JOKO ILHAM", "NIK : 1801363011505554", read]

    fields = parse_npwp(lines_to_ocr(lines))

    assert fields["alamat"].value == printed


@pytest.mark.parametrize(
    ("read", "returned"),
    [
        ("IL. RAYA CIBEUNYING NO. 64", "JL. RAYA CIBEUNYING NO. 64"),
        ("JIL SUNSET ROAD NO. 99", "JL. SUNSET ROAD NO. 99"),
        ("JI MERDEKA NO. 5", "JL. MERDEKA NO. 5"),
        ("KOMPLEK BUMI JI. RAYA CIPADUNG NO 27", "KOMPLEK BUMI JL. RAYA CIPADUNG NO. 27"),
        # the address's abbreviations are written with their dot (a blurred photo loses it);
        # RT and RW are printed both ways and stay as read; an undotted IL inside the address
        # is not JL
        ("JL MERDEKA NO 182 RT 012/013", "JL. MERDEKA NO. 182 RT 012/013"),
        (
            "JL. MERDEKA GG MAWAR NO. 1 RT. 012 RW. 013",
            "JL. MERDEKA GG. MAWAR NO. 1 RT. 012 RW. 013",
        ),
        (
            "PERUM ASRI KOMP MELATI KEL SUKAJADI KEC COBLONG KAB BANDUNG",
            "PERUM ASRI KOMP. MELATI KEL. SUKAJADI KEC. COBLONG KAB. BANDUNG",
        ),
        ("KP. IL MAWAR NO. 3", "KP. IL MAWAR NO. 3"),
        ("KP CIMANGGU RT 001 RW 004", "KP. CIMANGGU RT 001 RW 004"),  # kampung
        ("BR KAJA NO. 76 UBUD", "BR. KAJA NO. 76 UBUD"),  # banjar
        ("GG. MUSHOLAIV NO. 29", "GG. MUSHOLA IV NO. 29"),  # a street's numeral glued on
        ("GG. H. SALEH IV NO. 7", "GG. H. SALEH IV NO. 7"),
        ("DUSUN KRAJAN NO RUMAH", "DUSUN KRAJAN NO RUMAH"),  # a NO before no number is a word
    ],
)
def test_jl_read_with_an_i_for_its_l_is_jl_and_abbreviations_are_dotted(read, returned):
    lines = [("NPWP:1801363011505554", "npwp"), "JOKO ILHAM", "NIK : 1801363011505554", read]

    fields = parse_npwp(lines_to_ocr(lines))

    assert fields["alamat"].value == returned


@pytest.mark.parametrize(
    ("read", "returned"),
    [
        # a blurred comma's tail lost: a dot after a place's name or a house number
        (
            "KEROBOKAN, KUTA UTARA. KAB. BADUNG",
            "KEROBOKAN, KUTA UTARA, KAB. BADUNG",
        ),
        (
            "PERUM MUTIARA BLOK C3 NO. 8. KAMPUNG MELAYU",
            "PERUM MUTIARA BLOK C3 NO. 8, KAMPUNG MELAYU",
        ),
        # abbreviations keep their dots; a dot after the address's last word is a speck (no
        # address of 3,720 outside cards ends in one)
        (
            "JL. MOH. HATTA GG. II NO. 3 KOMP. ASRI KEL. X",
            "JL. MOH. HATTA GG. II NO. 3 KOMP. ASRI KEL. X",
        ),
        ("JL. SUDIRMAN NO. 5 KOTA BANDUNG.", "JL. SUDIRMAN NO. 5 KOTA BANDUNG"),
        # a neighbourhood's and a Jakarta city's abbreviations too, a comma read for the dot
        ("LINGK. KRAJAN TAMANAN, BANGUNTAPAN", "LINGK. KRAJAN TAMANAN, BANGUNTAPAN"),
        ("GAMBIR KOTA ADM, JAKARTA PUSAT 10521", "GAMBIR KOTA ADM. JAKARTA PUSAT 10521"),
        # a lane's abbreviation glued to its name, as the others are spaced
        ("LR.PERMATA", "LR. PERMATA"),
        # an RT number read with a space inside it, or with an 8 read as a B
        ("BLOK F2 NO. 7 RT.0 12/RW.008", "BLOK F2 NO. 7 RT.012/RW.008"),
        ("NO. 50 RT.O0B RW.010 SEPINGGAN", "NO. 50 RT.008 RW.010 SEPINGGAN"),
        # RW read as two letters before its number; a street named with initials is not RW
        ("DUSUN NGEMPLAK RT 006 R W 001 PEJERUK", "DUSUN NGEMPLAK RT 006 RW 001 PEJERUK"),
        ("JL. R W MONGINSIDI NO. 5", "JL. R W MONGINSIDI NO. 5"),
        # the label's tail read as the address's first word
        ("t : JL. KELAPA NO. 102", "JL. KELAPA NO. 102"),
        # nothing separates a street from its house number: a mark read there is a speck
        ("JL. PEMUDA. NO. 86", "JL. PEMUDA NO. 86"),
        # a dash spaced on one side only: between two places, and inside a block's number
        ("TITIWUNGEN UTARA- SARIO", "TITIWUNGEN UTARA - SARIO"),
        ("KUKUSAN -BEJI KOTA DEPOK", "KUKUSAN - BEJI KOTA DEPOK"),
        ("KOMP. GRIYA ASRI BLOK B- 34", "KOMP. GRIYA ASRI BLOK B-34"),
        # read with no space on either side: between two places it is the dash
        (
            "RT 009 RW 007 MEKARSARI-CIMANGGIS KOTA DEPOK",
            "RT 009 RW 007 MEKARSARI - CIMANGGIS KOTA DEPOK",
        ),
        # a reduplicated name and a block number as printed
        ("JL. KASSI-KASSI BLOK D-30", "JL. KASSI-KASSI BLOK D-30"),
        ("SAYANG-SAYANG, CAKRANEGARA", "SAYANG-SAYANG, CAKRANEGARA"),
        # repeated with an affix, as Indonesian repeats a word (a village of Gowa)
        ("RT 012 RW 008 BONTO-BONTOA, SOMBA OPU", "RT 012 RW 008 BONTO-BONTOA, SOMBA OPU"),
        # a comma between two places, the space after it lost
        ("TOMBOLO,SOMBA OPU, KAB. GOWA", "TOMBOLO, SOMBA OPU, KAB. GOWA"),
        ("AMBARKETAWANG, GAMPING,KAB. SLEMAN", "AMBARKETAWANG, GAMPING, KAB. SLEMAN"),
    ],
)
def test_an_address_separator_read_as_a_dot_is_a_comma_and_a_lopsided_dash_is_spaced(
    read, returned
):
    lines = [("NPWP:1801363011505554", "npwp"), "JOKO ILHAM", "NIK : 1801363011505554", read]

    fields = parse_npwp(lines_to_ocr(lines))

    assert fields["alamat"].value == returned


def npwp_card(
    *,
    name: str = "BUDI SANTOSO",
    address: tuple[str, ...] = ("JL. MERDEKA NO. 1",),
    kpp: str = "KPP PRATAMA BANDUNG",
    registered: str = "13-04-2010",
) -> dict:
    """The fields parsed from an NPWP read as printed: number, name, NIK line, address rows,
    KPP and registration date."""
    lines = [
        ("NPWP : 01.234.567.8-901.000", "npwp"),
        name,
        "NIK : 3273015205900007",
        *address,
        kpp,
        f"Tanggal Terdaftar : {registered}",
    ]
    return parse_npwp(lines_to_ocr(lines))


@pytest.mark.parametrize(
    ("kpp_read", "kpp"),
    [
        ("KPP PRATAMA BANDUNG CIBEUNYING", "KPP PRATAMA BANDUNG CIBEUNYING"),
        ("KP PRATAMA BANDUNG CIBEUNYING", "KPP PRATAMA BANDUNG CIBEUNYING"),  # a P lost
        ("KRP MADYA BANDUNG", "KPP MADYA BANDUNG"),
        ("P PRATAMA BANDUNG CIBEUNYING", "KPP PRATAMA BANDUNG CIBEUNYING"),  # KPP read as P
        ("PRATAMA BANDUNG CIBEUNYING", "KPP PRATAMA BANDUNG CIBEUNYING"),  # KPP not read
    ],
)
def test_an_address_opening_with_kampung_is_not_taken_for_the_tax_office(kpp_read, kpp):
    """``KP.`` (kampung) opens many addresses; it is two letters of ``KPP`` but not the KPP line,
    whose first word may itself be misread."""
    fields = npwp_card(address=("KP. CIBOGO RT 001/002 SUKAMAJU", "KOTA BANDUNG"), kpp=kpp_read)

    assert fields["alamat"].value == "KP. CIBOGO RT 001/002 SUKAMAJU KOTA BANDUNG"
    assert fields["kpp"].value == kpp


@pytest.mark.parametrize(
    "kpp_read",
    ["KPP : KPP PRATAMA SURAKARTA", "KPP :KPP PRATAMA SURAKARTA", "KPP KPP PRATAMA SURAKARTA"],
)
def test_a_kpp_line_with_its_own_label_gives_the_office_not_the_label(kpp_read):
    # the plainer card labels the office: ``KPP : KPP PRATAMA SURAKARTA`` came back as ``KPP``
    fields = npwp_card(kpp=kpp_read)

    assert fields["kpp"].value == "KPP PRATAMA SURAKARTA"
    assert fields["alamat"].value == "JL. MERDEKA NO. 1"


@pytest.mark.parametrize(
    "first_row", ["MADYA RESIDENCE NO. 5", "TERDAFTAR INDAH NO. 5", "PERUM PRATAMA ASRI BLOK A"]
)
def test_an_address_word_like_a_kpp_kind_or_the_date_label_stays_in_the_address(first_row):
    """``KPP MADYA ...`` below is surely the tax office, and the labelled row with a date the
    registration: an address row opening with ``MADYA`` or holding ``TERDAFTAR`` is neither."""
    fields = npwp_card(address=(first_row, "KOTA BANDUNG"), kpp="KPP MADYA BANDUNG")

    assert fields["alamat"].value == f"{first_row} KOTA BANDUNG"
    assert fields["kpp"].value == "KPP MADYA BANDUNG"
    assert fields["tanggal_terdaftar"].value == "2010-04-13"


@pytest.mark.parametrize(
    ("printed", "iso"),
    [
        ("13 April 2010", "2010-04-13"),
        ("l3 Apri1 2010", "2010-04-13"),  # look-alikes in the day and the month name
        ("05 NOPEMBER 2008", "2008-11-05"),
        ("5 Agustus 2017", "2017-08-05"),
        ("13-04-2010", "2010-04-13"),
        ("31 Februari 2010", None),  # no such day: nothing rather than a guess
        ("13 Apri 2010", None),  # too short a name to mend
    ],
)
def test_a_registration_date_with_the_month_by_name_is_read_or_left_empty(printed, iso):
    """The letters of ``APRIL`` pass for digits (``A``, ``P``, ``R`` dropped, ``I`` and ``L``
    read as ``1``): a named month is read as a month, never as ``11``."""
    fields = npwp_card(registered=printed)

    assert fields["tanggal_terdaftar"].value == iso


@pytest.mark.parametrize("name", ["NUR PRATAMA", "ADI MADYA", "PRATAMA WIJAYA"])
def test_a_name_with_a_kpp_kind_in_it_is_not_the_tax_office_line(name):
    fields = npwp_card(name=name)

    assert fields["nama"].value == name
    assert fields["alamat"].value == "JL. MERDEKA NO. 1"
    assert fields["kpp"].value == "KPP PRATAMA BANDUNG"


def _boxed(rows: list[list[tuple[str, int]]], slant: float = 0.0) -> OcrResult:
    """A read whose words sit where a card prints them: each row a list of (word, left edge);
    ``slant`` moves each row's words left by that many pixels per row (a photo's perspective)."""
    lines = []
    for index, row in enumerate(rows):
        top = 30 + index * 40
        words = tuple(
            Word(
                text=text, confidence=95.0, box=(round(x - slant * index), top, 14 * len(text), 24)
            )
            for text, x in row
        )
        box = union_box(w.box for w in words)
        lines.append(Line(text=" ".join(t for t, _ in row), words=words, region="page", box=box))
    return OcrResult(lines=lines, card_size=(1012, 638))


def _framed_card() -> list[list[tuple[str, int]]]:
    """An NPWP with a logo sidebar (``DJP`` over ``KEMENKEU``) left of a labelled column, the
    values in a column of their own."""
    return [
        [("KARTU", 250), ("NOMOR", 360), ("POKOK", 470), ("WAJIB", 580), ("PAJAK", 680)],
        [("NPWP", 270), ("24.458.147.6-402.000", 400)],
        [("DJP", 100)],
        [("KEMENKEU", 60), ("NAMA", 250), (":", 390), ("NI", 410), ("PUTU", 450),
         ("WIDIASTUTI", 520)],
        [("ALAMAT", 250), (":", 390), ("PERUM", 410), ("BUMI", 500), ("MAS", 570), ("NO.", 630),
         ("16", 680)],
        [("KENANGA", 410), ("KEC.", 530), ("CIPONDOH", 600)],
        [("KPP", 250), (":", 390), ("KPP", 410), ("PRATAMA", 465), ("TANGERANG", 575),
         ("BARAT", 715)],
        [("TERDAFTAR:", 250), ("11-09-2023", 460)],
    ]  # fmt: skip


@pytest.mark.parametrize("slant", [0.0, 18.0])
def test_a_logo_sidebar_left_of_the_label_column_is_no_part_of_any_field(slant):
    fields = parse_npwp(_boxed(_framed_card(), slant))

    assert fields["npwp"].value == "244581476402000"
    assert fields["nama"].value == "NI PUTU WIDIASTUTI"
    assert fields["alamat"].value == "PERUM BUMI MAS NO. 16 KENANGA KEC. CIPONDOH"
    assert fields["kpp"].value == "KPP PRATAMA TANGERANG BARAT"
    assert fields["tanggal_terdaftar"].value == "2023-09-11"


def test_logo_words_alone_are_never_the_name():
    """The same card read without its labels (the label column washed out): the logo's words
    between the number and the name, and beside the name, are no part of it."""
    rows = [[(t, x) for t, x in row if x < 240 or x >= 400] for row in _framed_card()]
    rows = [row for row in rows if row]

    fields = parse_npwp(_boxed(rows))

    assert fields["nama"].value == "NI PUTU WIDIASTUTI"
    assert fields["alamat"].value == "PERUM BUMI MAS NO. 16 KENANGA KEC. CIPONDOH"


@pytest.mark.parametrize("read", ["KPP PRATAMA BATAM SELATAN", "KPP PRA TAMA BATAM SELATAN"])
def test_the_tax_office_s_kind_read_in_two_pieces_is_one_word(read):
    lines = [("NPWP:1801363011505554", "npwp"), "JOKO ILHAM", "NIK : 1801363011505554", read]

    assert parse_npwp(lines_to_ocr(lines))["kpp"].value == "KPP PRATAMA BATAM SELATAN"


@pytest.mark.parametrize(
    ("read", "kpp"),
    [
        # a face whose M reads IT or IM on a blurred photo: the kind is one of a few words
        ("KPP PRATAITIA PADANG DUA", "KPP PRATAMA PADANG DUA"),
        ("KPP PRATAMTIA JAKARTA TEBET", "KPP PRATAMA JAKARTA TEBET"),
        ("KPP PRATAMIA BALIGE", "KPP PRATAMA BALIGE"),
        ("KPP MADIA BANDUNG", "KPP MADYA BANDUNG"),
        # the kind lost: the place after KPP is no kind, however it opens
        ("KPP PRAYA", "KPP PRAYA"),
        ("KPP PARIAMAN KOTA", "KPP PARIAMAN KOTA"),
    ],
)
def test_the_tax_office_s_kind_read_with_a_broken_letter_is_the_kind(read, kpp):
    lines = [("NPWP:1801363011505554", "npwp"), "JOKO ILHAM", "NIK : 1801363011505554", read]

    assert parse_npwp(lines_to_ocr(lines))["kpp"].value == kpp


@pytest.mark.parametrize("office", ["KPP PRATAMA MATARAM BARAT", "KPP MADYA JAKARTA UTARA"])
def test_the_tax_office_printed_under_the_header_above_the_number(office):
    lines = [
        "KEMENTERIAN KEUANGAN REPUBLIK INDONESIA",
        "DIREKTORAT JENDERAL PAJAK",
        office,
        ("NPWP:86.148.695.9-911.000", "npwp"),
        "ABDULLAH",
        "PERUM VILLA MUTIARA BLOK F3 NO. 5 RT 013 RW 003",
        "MARISO, SELAPARANG KOTA MATARAM",
        "Tanggal Terdaftar: 18 JULI 2008",
    ]

    fields = parse_npwp(lines_to_ocr(lines))

    assert fields["kpp"].value == office
    assert fields["nama"].value == "ABDULLAH"
    assert fields["alamat"].value == (
        "PERUM VILLA MUTIARA BLOK F3 NO. 5 RT 013 RW 003 MARISO, SELAPARANG KOTA MATARAM"
    )
    assert fields["tanggal_terdaftar"].value == "2008-07-18"


def test_an_office_in_the_body_is_taken_before_one_above_the_number():
    lines = [
        "KPP PRATAMA MATARAM BARAT",
        ("NPWP:86.148.695.9-911.000", "npwp"),
        "ABDULLAH",
        "JL. PEJANGGIK NO. 5",
        "KPP PRATAMA MATARAM TIMUR",
    ]

    assert parse_npwp(lines_to_ocr(lines))["kpp"].value == "KPP PRATAMA MATARAM TIMUR"


def test_a_two_word_label_is_no_sign_of_a_sidebar():
    """``Tanggal Terdaftar`` opens its row: its second word is no label printed after a
    sidebar, and the address and office rows keep their first words. The boxes are a clean
    DJP-band card's as PP-OCR read it."""
    rows = [
        [("NPWP:24.173.625.5-561.000", (97, 180, 678, 50))],
        [("SUPARMAN", (90, 250, 213, 40))],
        [("NIK:3578093007701298", (99, 307, 390, 36))],
        [("JL.", (93, 359, 44, 38)), ("RAYA", (137, 359, 84, 38)),
         ("TEGALSARI", (232, 359, 173, 38)), ("NO.", (410, 359, 50, 38)),
         ("47", (465, 359, 40, 38))],
        [("KPP", (92, 411, 59, 38)), ("PRATAMA", (161, 411, 148, 38)),
         ("SURABAYA", (319, 411, 167, 38)), ("WONOCOLO", (496, 411, 190, 38))],
        [("Tanggal", (95, 465, 116, 40)), ("Terdaftar", (222, 465, 129, 40)),
         (":", (355, 465, 16, 40)), ("30", (375, 465, 36, 40)), ("JULI", (420, 465, 70, 40)),
         ("2012", (500, 465, 80, 40))],
    ]  # fmt: skip
    lines = []
    for row in rows:
        words = tuple(Word(text=text, confidence=99.0, box=box) for text, box in row)
        text = " ".join(w.text for w in words)
        lines.append(
            Line(text=text, words=words, region="page", box=union_box(w.box for w in words))
        )

    fields = parse_npwp(OcrResult(lines=lines, card_size=(1012, 638)))

    assert fields["alamat"].value == "JL. RAYA TEGALSARI NO. 47"
    assert fields["kpp"].value == "KPP PRATAMA SURABAYA WONOCOLO"
    assert fields["tanggal_terdaftar"].value == "2012-07-30"


@pytest.mark.parametrize(
    "number_row",
    [
        [("NPWP", 70), ("25.965.142.0-521.000", 200)],
        # NPWP16 printed in groups, as PP-OCR splits them into words
        [("NPWP", 70), ("2596", 200), ("5142", 330), ("0521", 460), ("0001", 590)],
    ],
)
def test_a_number_printed_under_the_labelled_rows_leaves_them_their_fields(number_row):
    """The number in a box at the foot of the card, under the labelled rows: the rows above it
    are the card's body, not text before the number to skip."""
    rows = [
        [("KEMENTERIAN", 150), ("KEUANGAN", 290), ("REPUBLIK", 390), ("INDONESIA", 480)],
        [("DIREKTORAT", 150), ("JENDERAL", 320), ("PAJAK", 450)],
        [("Nama", 50), (":", 240), ("GIYANTO", 265)],
        [("NIK", 50), (":", 240), ("3302272901800067", 265)],
        [("Alamat", 50), (":", 240), ("JL.", 265), ("MAGELANG", 310), ("NO.", 440), ("97C", 490)],
        [("BANCARKEMBAR,", 265), ("PURWOKERTO", 460), ("UTARA", 620)],
        [("KPP", 50), (":", 240), ("KPP", 265), ("PRATAMA", 320), ("PURWOKERTO", 450)],
        [("Terdaftar", 50), (":", 240), ("16", 265), ("JUNI", 300), ("2017", 370)],
        number_row,
    ]

    fields = parse_npwp(_boxed(rows))

    assert fields["npwp"].value == "".join(c for t, _ in number_row[1:] for c in t if c.isdigit())
    assert fields["nama"].value == "GIYANTO"
    assert fields["nik"].value == "3302272901800067"
    assert fields["alamat"].value == "JL. MAGELANG NO. 97C BANCARKEMBAR, PURWOKERTO UTARA"
    assert fields["kpp"].value == "KPP PRATAMA PURWOKERTO"
    assert fields["tanggal_terdaftar"].value == "2017-06-16"


@pytest.mark.parametrize(
    ("number_row", "speck_row"),
    [
        # an older card's emblem, left of the number, read as letters before it
        ("an RA AA ah 26.718.922. 3-101. 000", "NO"),
        # a coloured band down the card's left side read as ``on`` on two rows
        ("on NPWP: 26.718.922. 3-101. 000", "on"),
    ],
)
def test_an_emblem_or_band_read_as_letters_is_neither_number_nor_name(number_row, speck_row):
    """Tesseract's reads of two cards: the name is the row after the number still."""
    lines = [
        "DEPARTEMEN KEUANGAN REPUBLIK INDONESIA",
        "DIREKTORAT JENDERAL PAJAK",
        number_row,
        speck_row,
        "SYAFRIL ILHAM ANWAR, S.H.",
        "KOMP. GRAND WISATA BLOK A NO. 3 RT.001/RW.006",
        "KPP PRATAMA BANDA ACEH",
        "Terdaftar : 28-02-1995",
    ]

    fields = parse_npwp(lines_to_ocr(lines))

    assert fields["npwp"].value == "267189223101000"
    assert fields["nama"].value == "SYAFRIL ILHAM ANWAR, S.H."
    assert fields["alamat"].value == "KOMP. GRAND WISATA BLOK A NO. 3 RT.001/RW.006"


def test_one_speck_read_as_a_label_above_the_number_is_not_the_card_s_body():
    """Tesseract's read of a hard photo: the DJP band's lower edge read as ``ama winter``, which
    passes for the ``Nama`` label; the name is the row after the number still."""
    lines = [
        "KEMENTERIAN KEUANGAN REPUBLIK INDONESIA",
        "DIREKTORAT, JENDERAL PAJAK",
        "ama winter",
        "NPWP : 5271 0321 0596 2934",
        "HENDRA",
        "NIK : 5271032105962934",
        "JL. MANGGA NO. 97 RT 003 RW 007",
        "KPP PRATAMA MATARAM BARAT",
        "Terdaftar : 22-08-2018",
    ]

    fields = parse_npwp(lines_to_ocr(lines))

    assert fields["nama"].value == "HENDRA"
    assert fields["alamat"].value == "JL. MANGGA NO. 97 RT 003 RW 007"


@pytest.mark.parametrize("nik_row", [[], [[("NIK", 60), ("3173014505880002", 130)]]])
def test_a_name_printed_above_the_number_and_the_tax_office_above_the_address(nik_row):
    """A design that prints the name over the number's own label, and the tax office before
    the address: the name is the row above the label, the address the rows after the office."""
    rows = [
        [("DIREKTORAT", 60), ("JENDERAL", 280), ("PAJAK", 470), ("KARTU", 690), ("NPWP", 840)],
        [("H.", 66), ("DENI", 100), ("RAMDANI", 166)],
        [("Nomor", 64), ("Pokok", 146), ("Wajib", 229), ("Pajak", 305)],
        [("15.812.218.4-071.000", 69)],
        *nik_row,
        [("KPP", 64), ("PRATAMA", 114), ("JAKARTA", 234), ("MENTENG", 347), ("SATU", 473)],
        [("DUSUN", 63), ("WONOSARI", 153)],
        [("RT", 63), ("OII", 103), ("RW", 143), ("O09", 182), ("CIKINI,", 239), ("MENTENG", 324)],
        [("Terdaftar:", 509), ("25", 666), ("DESEMBER", 712), ("2007", 836)],
    ]

    fields = parse_npwp(_boxed(rows))

    assert fields["npwp"].value == "158122184071000"
    assert fields["nama"].value == "H. DENI RAMDANI"
    assert fields["alamat"].value == "DUSUN WONOSARI RT 011 RW 009 CIKINI, MENTENG"
    assert fields["kpp"].value == "KPP PRATAMA JAKARTA MENTENG SATU"
    assert fields["tanggal_terdaftar"].value == "2007-12-25"
    if nik_row:
        assert fields["nik"].value == "3173014505880002"


def test_a_name_labelled_under_the_nik_line_is_the_name_not_the_address():
    """A design that labels every row may print ``NPWP``, ``NIK``, then ``Nama``: the name's
    row under the NIK line was lost, and its label read as the address's first word."""
    lines = [
        ("DIREKTORAT JENDERAL PAJAK", "page"),
        ("KARTU NOMOR POKOK WAJIB PAJAK", "page"),
        ("NPWP :3172026204952103", "page"),
        ("NIK :3172026204952103", "page"),
        ("Nama :AGNES KRISTIANI", "page"),
        ("Alamat : JL. DIPONEGORO 142 RT 009 RW 004", "page"),
        ("PONDOK KOPI, DUREN SAWIT", "page"),
        ("KPP :KPP PRATAMA JAKARTA CAKUNG", "page"),
        ("Tgl Terdaftar :25/09/2014", "page"),
    ]

    fields = parse_npwp(lines_to_ocr(lines))

    assert fields["nama"].value == "AGNES KRISTIANI"
    assert fields["nik"].value == "3172026204952103"
    assert fields["alamat"].value == "JL. DIPONEGORO 142 RT 009 RW 004 PONDOK KOPI, DUREN SAWIT"
    assert fields["kpp"].value == "KPP PRATAMA JAKARTA CAKUNG"


def test_a_nik_line_whose_small_caption_was_lost_is_still_the_nik_not_the_address():
    """Captions printed small over each value (``NAMA``, ``NIK``, ``ALAMAT``) are lost on a
    hard photo: the row of a NIK's 16 digits alone under the name is the NIK line."""
    lines = [
        ("KEMENTERIAN KEUANGAN REPUBLIK INDONESIA", "page"),
        ("DIREKTORAT JENDERAL PAJAK", "page"),
        ("48.379.310.5-828.000", "page"),
        ("ASRUL BASO", "page"),
        ("7371130805760632", "page"),
        ("JL. PAHLAWAN RT.008/RW.010", "page"),
        ("KPP PRATAMA MAKASSAR UTARA", "page"),
    ]

    fields = parse_npwp(lines_to_ocr(lines))

    assert fields["npwp"].value == "483793105828000"
    assert fields["nama"].value == "ASRUL BASO"
    assert fields["nik"].value == "7371130805760632"
    assert fields["alamat"].value == "JL. PAHLAWAN RT.008/RW.010"


def _row_at(text: str, x: int, y: int, height: int) -> Line:
    words, left = [], x
    for piece in text.split():
        words.append(Word(piece, 95.0, (left, y, int(height * 0.7 * len(piece)), height)))
        left += int(height * 0.7 * len(piece)) + height // 2
    return Line(text, tuple(words), "page", union_box(w.box for w in words))


def test_a_name_two_rows_over_a_nik_line_whose_caption_was_lost_is_still_the_name():
    """Tesseract lost the small ``NAMA`` and ``NIK`` captions: the name sits a caption's row
    further above the NIK line than a name printed right on it, and is still the name (read
    alike by both engines, so the card can be approved)."""
    lines = [
        _row_at("NOMOR POKOK WAJIB PAJAK", 291, 59, 14),
        _row_at("DIREKTORAT JENDERAL PAJAK", 291, 86, 14),
        _row_at("0999 3907 8492 7000", 119, 147, 30),
        _row_at("HASNIAH HAMID", 120, 236, 15),
        _row_at("7371015901541063", 119, 298, 16),
        _row_at("ALAMAT", 118, 338, 12),
        _row_at("DUSUN PLOSO RT 005/001", 119, 362, 13),
        _row_at("KANTOR PELAYANAN PAJAK", 119, 428, 12),
        _row_at("KPP PRATAMA MAKASSAR UTARA", 119, 453, 14),
    ]
    ocr = OcrResult(lines=lines, card_size=(1012, 638))

    fields = parse_npwp(ocr)

    assert fields["nama"].value == "HASNIAH HAMID"
    assert fields["nik"].value == "7371015901541063"
    assert fields["npwp"].value == "0999390784927000"


@pytest.mark.parametrize("nik_row", ["NIK:3204071404840023", "NIK : 3204071404840023"])
def test_the_current_card_s_name_under_the_nik_line_under_the_number_is_the_name(nik_row):
    """The NPWP card issued now prints the number, the NIK line right under it, then the name
    without a label and the address: the name is not the address's first line."""
    lines = [
        _row_at("RIAN KEUANGAN", 66, 53, 30),  # a header read in part: not the name above
        _row_at("DIREKTORAT JENDERAL PAJAK 米", 584, 97, 20),  # the emblem read as a glyph
        _row_at("NOMOR POKOK WAJIB PAJAK", 66, 114, 16),
        _row_at("3204071404840023", 73, 167, 34),
        _row_at(nik_row, 75, 231, 18),
        _row_at("DEDI ASEP GUNAWAN", 78, 271, 22),
        _row_at("JL. RAMBUTAN NO. 79C RT 007/RW 013", 73, 311, 20),
        _row_at("KEL. SUKAPURA KEC. DAYEUHKOLOT", 76, 343, 20),
        _row_at("KPP PRATAMA MAJALAYA", 86, 545, 20),
    ]

    fields = parse_npwp(OcrResult(lines=lines, card_size=(1012, 638)))

    assert fields["nama"].value == "DEDI ASEP GUNAWAN"
    assert fields["nik"].value == "3204071404840023"
    assert fields["alamat"].value == (
        "JL. RAMBUTAN NO. 79C RT 007/RW 013 KEL. SUKAPURA KEC. DAYEUHKOLOT"
    )
    assert fields["kpp"].value == "KPP PRATAMA MAJALAYA"


def test_an_address_row_under_the_nik_line_is_not_taken_for_a_lost_name():
    # the name's row was lost: the address's rows stay the address, and no name is made up
    lines = [
        _row_at("DIREKTORAT JENDERAL PAJAK", 584, 97, 20),
        _row_at("3204071404840023", 73, 167, 34),
        _row_at("NIK : 3204071404840023", 75, 231, 18),
        _row_at("KEL. SUKAPURA KEC. DAYEUHKOLOT", 76, 271, 20),
        _row_at("KPP PRATAMA MAJALAYA", 86, 545, 20),
    ]

    fields = parse_npwp(OcrResult(lines=lines, card_size=(1012, 638)))

    assert "nama" not in fields or not fields["nama"].value
    assert fields["alamat"].value == "KEL. SUKAPURA KEC. DAYEUHKOLOT"


def _captioned(captions: bool) -> list[Line]:
    """An NPWP that prints a small caption over every value, the office's and the date's
    captions on one row; ``captions=False``: a photo on which every caption was lost."""
    rows = [
        ("DIREKTORAT JENDERAL PAJAK", 165, 45, 24, True),
        ("NPWP", 161, 133, 14, False),
        ("95.684.664.6-289.000", 168, 153, 34, True),
        ("NIK", 165, 210, 14, False),
        ("5171032501008156", 160, 233, 22, True),
        ("NAMA", 160, 272, 14, False),
        ("I GUSTI NGURAH KOMANG ADNYANA", 161, 292, 22, True),
        ("ALAMAT", 161, 335, 14, False),
        ("PERUM GRAHA MULIA BLOK C6 RT.002 RW.004", 161, 354, 20, True),
        ("KEL. TEGAL HARUM KEC. DENPASAR BARAT", 161, 381, 20, True),
        ("KPP", 161, 534, 14, False),
        ("KPP PRATAMA DENPASAR TIMUR", 164, 557, 20, True),
    ]
    lines = [_row_at(text, x, y, h) for text, x, y, h, value in rows if captions or value]
    if captions:  # the date's caption and the date, in a column of their own at the right
        caption = _row_at("TANGGAL TERDAFTAR", 720, 534, 14)
        date_row = _row_at("06-08-2022", 750, 557, 20)
        lines[-2] = lines[-2].with_words([*lines[-2].words, *caption.words])
        lines[-1] = lines[-1].with_words([*lines[-1].words, *date_row.words])
    else:
        date_row = _row_at("06-08-2022", 750, 557, 20)
        lines[-1] = lines[-1].with_words([*lines[-1].words, *date_row.words])
    return lines


@pytest.mark.parametrize("captions", [True, False])
def test_a_card_that_captions_every_value_above_it_gives_every_field(captions):
    fields = parse_npwp(OcrResult(lines=_captioned(captions), card_size=(1012, 638)))

    assert fields["npwp"].value == "956846646289000"
    assert fields["nik"].value == "5171032501008156"
    assert fields["nama"].value == "I GUSTI NGURAH KOMANG ADNYANA"
    assert fields["alamat"].value == (
        "PERUM GRAHA MULIA BLOK C6 RT.002 RW.004 KEL. TEGAL HARUM KEC. DENPASAR BARAT"
    )
    assert fields["kpp"].value == "KPP PRATAMA DENPASAR TIMUR"
    # the one date an NPWP prints, its caption read or lost
    assert fields["tanggal_terdaftar"].value == "2022-08-06"


def test_two_dates_without_a_label_leave_the_registration_date_empty():
    lines = _captioned(False)
    lines[-3] = _row_at("KEL. TEGAL HARUM 01-02-2003", 161, 381, 20)

    fields = parse_npwp(OcrResult(lines=lines, card_size=(1012, 638)))

    assert "tanggal_terdaftar" not in fields or fields["tanggal_terdaftar"].value is None


def test_the_name_under_a_nik_caption_and_its_number_is_the_name_when_its_caption_was_lost():
    # a read that kept the NIK's caption but lost the name's: the name is the row under the
    # NIK's number, not the caption's row under the number
    lines = [line for line in _captioned(True) if line.text != "NAMA"]

    fields = parse_npwp(OcrResult(lines=lines, card_size=(1012, 638)))

    assert fields["nik"].value == "5171032501008156"
    assert fields["nama"].value == "I GUSTI NGURAH KOMANG ADNYANA"


def test_a_read_that_lost_the_number_and_the_name_gives_the_nik_under_its_caption_and_no_name():
    # white text on a dark card: Tesseract read from the NIK's caption down. The number under
    # the caption is the NIK, not the NPWP (which would pass for an NPWP16), and the
    # address's caption is not the name
    lines = [line for line in _captioned(True)[3:] if line.text not in ("NAMA",)]
    lines = [line for line in lines if "ADNYANA" not in line.text]

    fields = parse_npwp(OcrResult(lines=lines, card_size=(1012, 638)))

    assert fields["nik"].value == "5171032501008156"
    assert "npwp" not in fields or not fields["npwp"].value
    assert "nama" not in fields or not fields["nama"].value
    assert fields["alamat"].value.startswith("PERUM GRAHA MULIA")


def test_the_address_caption_right_under_the_number_is_not_the_name():
    # the name's and the NIK's rows lost: the row under the number is the address's caption
    lines = [
        line
        for line in _captioned(True)
        if line.text not in ("NIK", "5171032501008156", "NAMA", "I GUSTI NGURAH KOMANG ADNYANA")
    ]

    fields = parse_npwp(OcrResult(lines=lines, card_size=(1012, 638)))

    assert fields["npwp"].value == "956846646289000"
    assert "nama" not in fields or not fields["nama"].value
    assert fields["alamat"].value.startswith("PERUM GRAHA MULIA")


def test_an_older_card_labels_its_tax_office_kantor():
    lines = [
        ("DEPARTEMEN KEUANGAN REPUBLIK INDONESIA", "header"),
        "NPWP : 51.271.780.2-551.000",
        "NAMA : ADITYA PRASETYO",
        "ALAMAT : JL. RAMBUTAN NO. 9 RT.001 RW.002 RANGKAPAN JAYA",
        "PANCORAN MAS KOTA DEPOK",
        "KANTOR : KPP PRATAMA DEPOK CIMANGGIS",
        "TERDAFTAR : 29 APRIL 2007",
    ]

    fields = parse_npwp(lines_to_ocr(lines))

    assert fields["kpp"].value == "KPP PRATAMA DEPOK CIMANGGIS"
    assert fields["alamat"].value == (
        "JL. RAMBUTAN NO. 9 RT.001 RW.002 RANGKAPAN JAYA PANCORAN MAS KOTA DEPOK"
    )
    assert fields["tanggal_terdaftar"].value == "2007-04-29"


def test_an_address_on_a_street_named_kantor_is_not_the_tax_office():
    fields = npwp_card(address=("JL. KANTOR POS NO. 3", "KOTA BANDUNG"))

    assert fields["alamat"].value == "JL. KANTOR POS NO. 3 KOTA BANDUNG"
    assert fields["kpp"].value == "KPP PRATAMA BANDUNG"


def test_an_underscore_read_for_a_space_and_a_speck_s_apostrophe_leave_the_values_as_printed():
    lines = [
        ("NPWP:1801363011505554", "npwp"),
        "CHRISTINA FELICIA_TANUWIJAYA",
        "NIK:1801363011505554",
        "GG. PERINTIS NO. 120 KESIMAN, DENPASAR_TIMUR, DENPASAR 80298",
        "KPP PRA'TAMA DEPOK SAWANGAN",
    ]

    fields = parse_npwp(lines_to_ocr(lines))

    assert fields["nama"].value == "CHRISTINA FELICIA TANUWIJAYA"
    assert fields["alamat"].value == "GG. PERINTIS NO. 120 KESIMAN, DENPASAR TIMUR, DENPASAR 80298"
    assert fields["kpp"].value == "KPP PRATAMA DEPOK SAWANGAN"


@pytest.mark.parametrize(
    ("name_rows", "address_rows", "name", "address"),
    [
        # a long name wrapped under its first row, the address opening with a street word
        (
            ["SYARIFAH FATIMAH AZZAHRA KHADIJAH BINTI", "HUSEIN ASSEGAF"],
            ["DUSUN SUKAMAJU RT 015 RW 009", "KEL. GANDARIA UTARA KEC. KEBAYORAN BARU"],
            "SYARIFAH FATIMAH AZZAHRA KHADIJAH BINTI HUSEIN ASSEGAF",
            "DUSUN SUKAMAJU RT 015 RW 009 KEL. GANDARIA UTARA KEC. KEBAYORAN BARU",
        ),
        # a short name: the row of letters under it is the address's first
        (
            ["BUDI SANTOSO"],
            ["KAMPUNG BARU SELATAN", "JL. MELATI NO. 5 RT 001/002"],
            "BUDI SANTOSO",
            "KAMPUNG BARU SELATAN JL. MELATI NO. 5 RT 001/002",
        ),
        # a long name on one row, a village's name opening an address of letters alone
        (
            ["MARIA MAGDALENA STEPHANIE KUSUMAWATI"],
            ["CIBADUYUT KIDUL", "BOJONGLOA KIDUL KOTA BANDUNG"],
            "MARIA MAGDALENA STEPHANIE KUSUMAWATI",
            "CIBADUYUT KIDUL BOJONGLOA KIDUL KOTA BANDUNG",
        ),
    ],
)
def test_a_long_name_wrapped_on_a_card_without_labels_or_nik_line_is_read_whole(
    name_rows, address_rows, name, address
):
    """An older card prints the number, the name and the address without labels and no NIK
    line; a long name wraps onto a second row, which is the name's, not the address's."""
    rows = [
        _row_at("DEPARTEMEN KEUANGAN REPUBLIK INDONESIA", 207, 35, 25),
        _row_at("DIREKTORAT JENDERAL PAJAK", 307, 72, 26),
        _row_at("NPWP :", 72, 173, 26),
        _row_at("46.067.253.8-015.000", 78, 213, 30),
    ]
    y = 268
    for text in [*name_rows, *address_rows]:
        rows.append(_row_at(text, 72, y, 27))
        y += 36
    rows.append(_row_at("KPP PRATAMA JAKARTA TEBET", 75, 589, 22))

    fields = parse_npwp(OcrResult(lines=rows, card_size=(1012, 638)))

    assert fields["npwp"].value == "460672538015000"
    assert fields["nama"].value == name
    assert fields["alamat"].value == address
