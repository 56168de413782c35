"""Identity numbers by consensus of independent reads, and decisions that rely on it.

Each test builds the reads two engines would return for one card (the printed lines, with the
engines' slips put in by hand) and checks what FiLot does with them: which value it keeps, how
it marks the agreement, and whether a person must look.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import replace
from datetime import date

import pytest

from ocr_gpu import letters, linereads
from ocr_gpu.result import Alternative, Line, OcrResult, Word
from ocr_gpu.testing.cards import card_lines, random_ktp, random_npwp
from ocr_gpu.testing.npwp_design import format_npwp
from verification import npwp as npwp_rules
from verification.engine import Context, assess, parse
from verification.parsing import lines_to_ocr
from verification.textfix import digits_only

TODAY = date(2026, 11, 29)


def two_reads(primary: list[str], second: list[str], **alternatives: list[tuple[str, str, str]]):
    """An OcrResult read by PP-OCR (``primary``) and Tesseract (``second``); ``alternatives``
    maps a word of the primary read to its re-reads (text, engine, method)."""
    first = lines_to_ocr(primary)
    lines = []
    for line in first.lines:
        words = tuple(
            replace(
                w,
                alternatives=tuple(
                    Alternative(text, 90.0, engine, method)
                    for text, engine, method in alternatives.get(w.text, [])
                ),
            )
            for w in line.words
        )
        lines.append(replace(line, words=words))
    return OcrResult(
        lines=lines,
        engine="ppocr",
        second_lines=lines_to_ocr(second).lines,
        second_engine="tesseract",
    )


def decide(ocr: OcrResult, doc_type: str, **measured: object):
    parsed = parse(ocr, doc_type)
    quality = {"card_found": True, "blurry": False, "glare_detected": False}
    quality |= {"low_resolution": False, "grayscale_suspected": False, "ocr_word_count": 60}
    quality |= measured
    return parsed, assess(parsed, quality, Context(today=TODAY), approve_at=85, reject_at=35)


def ktp_lines(seed: int = 5, **changes: str) -> tuple[dict[str, str], list[str]]:
    fields = random_ktp(random.Random(seed))
    return fields, card_lines("ktp", {**fields, **changes})


def test_a_ktp_both_engines_read_alike_is_confirmed_and_approved():
    _fields, lines = ktp_lines()

    parsed, result = decide(two_reads(lines, lines), "ktp")

    assert {parsed.fields[n].agreement for n in ("nik", "nama", "tanggal_lahir")} == {"confirmed"}
    assert parsed.fields["nik"].sources == ("ppocr", "tesseract")
    assert result.decision == "auto_approved", result.reasons


@pytest.mark.parametrize(("width", "decision"), [(1012.0, "auto_approved"), (799.0, "in_review")])
def test_a_card_too_small_in_the_photo_for_agreeing_reads_to_be_trusted_goes_to_a_person(
    width, decision
):
    """Under 800 pixels across the card both engines agree on a misread letter now and then:
    the card is read and checked as any other, but a person approves it."""
    _, lines = ktp_lines(3)

    parsed, result = decide(two_reads(lines, lines), "ktp", card_source_width=width)

    assert parsed.fields["nama"].agreement == "confirmed"
    assert result.decision == decision
    if decision == "in_review":
        assert result.reasons == ["identity_unverified"]
        check = next(c for c in result.checks if c.code == "identity_verified")
        assert "799 pixels wide" in check.message


def test_engines_that_disagree_on_one_serial_digit_send_the_card_to_a_person():
    fields, lines = ktp_lines()
    nik = fields["nik"]
    slipped = nik[:-2] + str((int(nik[-2]) + 8) % 10) + nik[-1]  # 0 read as 8 in the serial
    _, wrong = ktp_lines(nik=slipped)

    parsed, result = decide(two_reads(wrong, lines), "ktp")

    assert parsed.fields["nik"].agreement == "disagree"
    assert result.decision == "in_review"
    assert "identity_unverified" in result.reasons


def test_a_re_read_of_the_number_box_outvotes_a_slip_only_when_another_engine_agrees():
    fields, lines = ktp_lines(7)
    nik = fields["nik"]
    slipped = nik[:8] + ("9" if nik[8] != "9" else "8") + nik[9:]  # a birth-year digit
    _, wrong = ktp_lines(7, nik=slipped)

    # PP-OCR's line has the slip; its own re-read and Tesseract's digit read of the box agree
    ocr = two_reads(
        wrong,
        [line for line in lines if not line.startswith("NIK")],  # Tesseract's page missed it
        **{slipped: [(nik, "ppocr", "rescaled"), (nik, "tesseract", "digits")]},
    )
    parsed, result = decide(ocr, "ktp")

    assert parsed.value("nik") == nik  # valid, matches the printed birth date, two engines
    assert parsed.fields["nik"].agreement == "confirmed"
    assert result.decision == "auto_approved", result.reasons


def test_a_number_only_one_engine_read_is_never_approved():
    _, lines = ktp_lines(9)
    without_nik = [line for line in lines if not line.startswith("NIK")]

    parsed, result = decide(two_reads(lines, without_nik), "ktp")

    assert parsed.fields["nik"].agreement == "single"
    assert result.decision == "in_review"


def test_a_name_missing_its_first_word_in_one_read_is_not_confirmed():
    fields, lines = ktp_lines(11)
    short = " ".join(fields["nama"].split()[1:]) or "X"
    _, clipped = ktp_lines(11, nama=short)

    parsed, result = decide(two_reads(clipped, lines), "ktp")

    assert parsed.fields["nama"].agreement == "disagree"
    assert result.decision == "in_review"


def _name_misread(seed: int) -> tuple[dict[str, str], list[str], list[str]]:
    """A KTP's lines and Tesseract's card read of it, which misread the name's first letter."""
    fields, lines = ktp_lines(seed)
    name = fields["nama"]
    misread = ("Q" if name[0] != "Q" else "O") + name[1:]
    return fields, lines, ktp_lines(seed, nama=misread)[1]


def test_a_name_tesseract_misread_on_the_card_but_read_right_alone_is_confirmed():
    fields, lines, card_read = _name_misread(23)
    words = fields["nama"].split()
    ocr = two_reads(lines, card_read, **{w: [(w, "tesseract", linereads.LINE)] for w in words})

    parsed, result = decide(ocr, "ktp")

    assert parsed.fields["nama"].agreement == "confirmed"
    assert "tesseract:line" in parsed.fields["nama"].sources
    assert result.decision == "auto_approved", result.reasons


@pytest.mark.parametrize("case", ["one word read otherwise", "one word not re-read", "by PP-OCR"])
def test_a_re_read_of_the_name_s_line_confirms_only_every_word_alike_and_by_tesseract(case):
    fields, lines, card_read = _name_misread(25)
    words = fields["nama"].split()
    assert len(words) >= 2  # the drawn holder's name has two words
    engine = "ppocr" if case == "by PP-OCR" else "tesseract"
    rereads = {w: [(w, engine, linereads.LINE)] for w in words}
    if case == "one word read otherwise":
        rereads[words[-1]] = [(words[-1][:-1] + "X", "tesseract", linereads.LINE)]
    elif case == "one word not re-read":
        del rereads[words[-1]]

    parsed, result = decide(two_reads(lines, card_read, **rereads), "ktp")

    assert parsed.value("nama") == fields["nama"]
    assert parsed.fields["nama"].agreement == "disagree"
    assert result.decision == "in_review"


def test_a_name_whose_letter_came_from_tesseract_s_card_read_is_not_confirmed_by_a_re_read():
    # PP-OCR's word holds a letter taken from Tesseract's card read: Tesseract's re-read of it
    # would be Tesseract agreeing with itself
    fields, lines, card_read = _name_misread(27)
    words = fields["nama"].split()
    rereads = {w: [(w, "tesseract", linereads.LINE)] for w in words}
    rereads[words[0]].append(("Z" + words[0][1:], "ppocr", letters.AS_READ))

    parsed, result = decide(two_reads(lines, card_read, **rereads), "ktp")

    assert parsed.fields["nama"].agreement != "confirmed"
    assert result.decision == "in_review"


def test_a_re_read_of_the_name_s_row_does_not_settle_reads_that_took_the_name_from_other_rows():
    fields, lines, card_read = _name_misread(31)
    # Tesseract's card read lost the NIK row: its rows, and the name it read, sit a row higher
    shifted = [line for line in card_read if not line.startswith("NIK")]
    words = fields["nama"].split()
    ocr = two_reads(lines, shifted, **{w: [(w, "tesseract", linereads.LINE)] for w in words})

    parsed, result = decide(ocr, "ktp")

    assert parsed.value("nama") == fields["nama"]
    assert parsed.fields["nama"].agreement == "disagree"
    assert result.decision == "in_review"


def test_a_birth_date_and_sex_tesseract_read_only_alone_are_confirmed():
    # Tesseract's card read lost the birth-date and sex rows; its reads of them alone agree
    fields, lines = ktp_lines(29)
    rows = [line for line in lines if line.startswith(("Tempat", "Jenis"))]
    card_read = [line for line in lines if line not in rows]
    words = {w for row in rows for w in row.split()}
    alike = two_reads(lines, card_read, **{w: [(w, "tesseract", linereads.LINE)] for w in words})
    lost = two_reads(lines, card_read)

    parsed, result = decide(alike, "ktp")
    unconfirmed, _ = decide(lost, "ktp")

    assert parsed.value("tanggal_lahir") == fields["tanggal_lahir"]
    assert parsed.fields["tanggal_lahir"].agreement == "confirmed"
    assert parsed.fields["jenis_kelamin"].agreement == "confirmed"
    assert result.decision == "auto_approved", result.reasons
    assert unconfirmed.fields["tanggal_lahir"].agreement == "single"


def test_a_re_read_that_splits_a_word_confirms_the_sex_but_never_spells_it():
    fields, lines = ktp_lines(33)
    sex = fields["jenis_kelamin"]
    card_read = [line for line in lines if not line.startswith("Jenis")]
    ocr = two_reads(lines, card_read, **{sex: [(f"{sex[0]} {sex[1:]}", "tesseract", "line")]})

    parsed, _ = decide(ocr, "ktp")

    assert parsed.value("jenis_kelamin") == sex
    assert parsed.fields["jenis_kelamin"].agreement == "confirmed"


def test_a_sixteen_digit_npwp_without_a_readable_nik_line_is_not_approved():
    # the issue's NPWP approved at 100: a 16-digit string that has the structure of a NIK
    # passed as NPWP16, the NIK line was not read and the name was an address line
    fields = random_npwp(random.Random(3))
    nik = fields["nik"]
    printed = card_lines("npwp", {**fields, "npwp": nik})
    unread = ["" if line.startswith("NIK") else line for line in printed]  # nothing read there

    parsed, result = decide(two_reads(unread, unread), "npwp")

    assert parsed.value("npwp") == nik and parsed.value("nik") is None
    assert result.decision == "in_review"
    assert "identity_unverified" in result.reasons


def test_a_sixteen_digit_npwp_that_prints_no_nik_line_is_approved_on_its_number():
    # the number is the holder's NIK: both engines read it alike and it has a NIK's structure
    fields = random_npwp(random.Random(3))
    nik = fields["nik"]
    printed = card_lines("npwp", {**fields, "npwp": nik})
    without = [line for line in printed if not line.startswith("NIK")]

    parsed, result = decide(two_reads(without, without), "npwp")

    assert parsed.fields["nik"].agreement == "not_printed"
    assert result.decision == "auto_approved", result.reasons
    # one that is no valid NIK is not
    broken = nik[:6] + "99" + nik[8:]  # day 99
    invalid = [line.replace(nik, broken) for line in without]
    parsed, result = decide(two_reads(invalid, invalid), "npwp")
    assert "nik" not in parsed.fields
    assert result.decision != "auto_approved"


@pytest.mark.parametrize("primary_off", [False, True])
def test_a_nik_line_read_by_one_engine_as_the_confirmed_sixteen_digit_npwp_is_confirmed(
    primary_off,
):
    # the number is the holder's NIK, printed twice; Tesseract read the number alike but the
    # NIK line, printed smaller, with its zeros as eights
    fields = random_npwp(random.Random(3))
    nik = fields["nik"]
    printed = card_lines("npwp", {**fields, "npwp": nik})
    misread = nik.replace("0", "8") if "0" in nik else nik[:-1] + str((int(nik[-1]) + 1) % 10)
    second = [line.replace(nik, misread) if line.startswith("NIK") else line for line in printed]
    primary = printed
    if primary_off:  # PP-OCR's NIK line a digit off the number: nothing confirms it
        off = nik[:-1] + str((int(nik[-1]) + 1) % 10)
        primary = [line.replace(nik, off) if line.startswith("NIK") else line for line in printed]

    parsed, result = decide(two_reads(primary, second), "npwp")

    assert parsed.fields["npwp"].agreement == "confirmed"
    if primary_off:
        assert parsed.fields["nik"].agreement != "confirmed"
        assert result.decision != "auto_approved"
    else:
        assert parsed.fields["nik"].agreement == "confirmed"
        assert parsed.fields["nik"].sources == ("ppocr", "npwp16:ppocr", "npwp16:tesseract")
        assert result.decision == "auto_approved", result.reasons


def test_an_npwp_confirmed_by_both_engines_with_its_nik_line_is_approved():
    fields = random_npwp(random.Random(4))
    lines = card_lines("npwp", fields)

    parsed, result = decide(two_reads(lines, lines), "npwp")

    assert parsed.value("npwp") == fields["npwp"]
    assert {parsed.fields[n].agreement for n in ("npwp", "nik", "nama")} == {"confirmed"}
    assert result.decision == "auto_approved", result.reasons


def test_an_older_npwp_that_prints_no_nik_line_is_approved_on_its_number_and_name():
    fields = random_npwp(random.Random(5))  # a 15-digit number
    printed = card_lines("npwp", fields)
    older = [line for line in printed if not line.startswith("NIK")]

    parsed, result = decide(two_reads(older, older), "npwp")

    assert parsed.fields["nik"].value is None
    assert parsed.fields["nik"].agreement == "not_printed"
    assert result.decision == "auto_approved", result.reasons


def test_an_older_npwp_whose_number_one_engine_misread_still_prints_no_nik_line():
    # Tesseract read the number row as ``97.992.904.38-033.000``: sixteen digits, but on the
    # number's own row, so no sign of a NIK line; its digit re-read confirmed the number
    fields = random_npwp(random.Random(5))
    printed = [line for line in card_lines("npwp", fields) if not line.startswith("NIK")]
    number = format_npwp(fields["npwp"])
    misread = "97.992.904.38-033.000"
    second = [line.replace(number, misread) for line in printed]

    ocr = two_reads(printed, second, **{number: [(number, "tesseract", "digits")]})
    parsed, result = decide(ocr, "npwp")

    assert parsed.fields["npwp"].agreement == "confirmed"
    assert parsed.fields["nik"].agreement == "not_printed"
    assert result.decision == "auto_approved", result.reasons


def test_an_npwp_printing_its_name_above_the_number_and_no_nik_line_is_approved():
    # the name over the number's label, the tax office before the address; ``CIKINI`` in the
    # address opens with two letters of NIK and is no NIK label
    lines = [
        "DIREKTORAT JENDERAL PAJAK KARTU NPWP",
        "H. DENI RAMDANI",
        "Nomor Pokok Wajib Pajak",
        "15.812.218.4-071.000",
        "KPP PRATAMA JAKARTA MENTENG SATU",
        "DUSUN WONOSARI",
        "RT 011 RW 009 CIKINI, MENTENG",
        "Terdaftar: 25 DESEMBER 2007",
    ]

    parsed, result = decide(two_reads(lines, lines), "npwp")

    assert parsed.value("nama") == "H. DENI RAMDANI"
    assert parsed.fields["nik"].agreement == "not_printed"
    assert result.decision == "auto_approved", result.reasons
    # a row left unread between the number and the tax office may be a NIK line
    washed_out = [*lines[:4], "", *lines[4:]]
    parsed, result = decide(two_reads(washed_out, washed_out), "npwp")
    assert "nik" not in parsed.fields or parsed.fields["nik"].agreement != "not_printed"
    assert result.decision == "in_review"


@pytest.mark.parametrize(
    ("unread", "glare", "approved"),
    [
        ("none", False, True),  # the pixels show the room blank: the design's, no row lost
        ("between", False, False),  # print there that no read holds: a row lost
        ("none", True, False),  # under glare blank room may be a row washed out
        ("elsewhere", False, True),  # print no read holds above the name is no NIK line
    ],
)
def test_blank_room_where_a_nik_line_could_be_is_judged_by_the_card_s_pixels(
    unread, glare, approved
):
    lines = [
        "DIREKTORAT JENDERAL PAJAK KARTU NPWP",
        "GUNAWAN WIBISONO",
        "Nomor Pokok Wajib Pajak",
        "09.402.824.8-008.000",
        "",  # room left blank by the design, or a row no engine read
        "KPP PRATAMA JAKARTA DUREN SAWIT",
        "JL. KI HAJAR DEWANTARA NO. 148C",
        "Terdaftar: 10 Oktober 2023",
    ]
    ocr = two_reads(lines, lines)
    number = next(line.box for line in ocr.lines if line.text.startswith("09."))
    office = next(line.box for line in ocr.lines if line.text.startswith("KPP"))
    rows = {
        "none": [],
        "between": [[number[1] + number[3] + 2, office[1] - 2]],
        "elsewhere": [[0, 10]],
    }[unread]
    measured = {"unread_rows": rows, "glare_detected": glare}

    parsed, result = decide(replace(ocr, quality=measured), "npwp", glare_detected=glare)

    assert (
        parsed.fields.get("nik") is not None and parsed.fields["nik"].agreement == "not_printed"
    ) is approved
    assert (result.decision == "auto_approved") is approved, result.reasons


def _spread(ocr: OcrResult, pitch: int) -> OcrResult:
    """``ocr`` with its rows ``pitch`` pixels apart (a design that spaces its rows wide)."""

    def moved(lines: list[Line]) -> list[Line]:
        out = []
        for line in lines:
            row = line.box[1] // 30
            words = tuple(replace(w, box=(w.box[0], row * pitch, *w.box[2:])) for w in line.words)
            out.append(replace(line, words=words, box=(line.box[0], row * pitch, *line.box[2:])))
        return out

    return replace(ocr, lines=moved(ocr.lines), second_lines=moved(ocr.second_lines))


@pytest.mark.parametrize(("blank_row", "approved"), [(False, True), (True, False)])
def test_under_glare_rows_spaced_wide_leave_no_room_for_a_lost_nik_line(blank_row, approved):
    """Rows 28 pixels apart under 20-pixel text: the room between name and address is the
    card's own spacing, too short for a row; a blank row there leaves room for one."""
    lines = [
        "KEMENTERIAN KEUANGAN REPUBLIK INDONESIA",
        "DIREKTORAT JENDERAL PAJAK",
        "NPWP : 09.402.824.8-008.000",
        "GUNAWAN WIBISONO",
        *([""] if blank_row else []),
        "JL. KI HAJAR DEWANTARA NO. 148C",
        "RT 003 RW 002 DAMAI BARU",
        "KPP PRATAMA JAKARTA DUREN SAWIT",
        "Tanggal Terdaftar : 10-10-2023",
    ]
    ocr = _spread(two_reads(lines, lines), pitch=48)
    measured = {"unread_rows": [], "glare_detected": True}

    parsed, result = decide(replace(ocr, quality=measured), "npwp", glare_detected=True)

    assert (
        parsed.fields.get("nik") is not None and parsed.fields["nik"].agreement == "not_printed"
    ) is approved
    assert (result.decision == "auto_approved") is approved, result.reasons


def test_an_npwp_whose_nik_line_may_have_gone_unread_is_not_approved_without_it():
    fields = random_npwp(random.Random(5))
    printed = card_lines("npwp", fields)
    nik_at = next(i for i, line in enumerate(printed) if line.startswith("NIK"))
    label_only = [*printed[:nik_at], "NIK :", *printed[nik_at + 1 :]]
    washed_out = [*printed[:nik_at], "", *printed[nik_at + 1 :]]  # a row with nothing read
    without = [*printed[:nik_at], *printed[nik_at + 1 :]]

    for primary, second in ((label_only, label_only), (washed_out, washed_out), (without, printed)):
        parsed, result = decide(two_reads(primary, second), "npwp")

        assert "nik" not in parsed.fields or parsed.fields["nik"].agreement != "not_printed"
        assert result.decision == "in_review"
        assert "identity_unverified" in result.reasons


def _digit_changed(number: str, *positions: int) -> str:
    """``number`` with each digit at ``positions`` one higher (mod 10)."""
    digits = list(number)
    for at in positions:
        digits[at] = str((int(digits[at]) + 1) % 10)
    return "".join(digits)


def _valid_two_off(number: str) -> str:
    """A valid NPWP two check-covered digits off ``number``."""
    candidates = (
        number[:i] + a + number[i + 1 : j] + b + number[j + 1 :]
        for i, j in itertools.combinations(range(9), 2)
        for a in "0123456789"
        for b in "0123456789"
        if a != number[i] and b != number[j]
    )
    return next(other for other in candidates if npwp_rules.is_valid(other))


@pytest.mark.parametrize(
    ("misread", "confirmed"),
    [
        # one digit the check digit covers: the check decides it, Tesseract confirms the rest
        (lambda n: _digit_changed(n, 1), True),
        (lambda n: _digit_changed(n, 8), True),  # the check digit itself
        # one digit of the KPP code, which no check covers: a disagreement
        (lambda n: _digit_changed(n, 10), False),
        # two digits off: the check no longer picks one value
        (lambda n: _digit_changed(n, 1, 4), False),
        # another valid number: which is printed cannot be told
        (_valid_two_off, False),
    ],
)
def test_an_npwp_tesseract_read_one_checked_digit_off_is_confirmed_by_its_check_digit(
    misread, confirmed
):
    fields = random_npwp(random.Random(5))  # a 15-digit number with a NIK line
    printed = card_lines("npwp", fields)
    number = format_npwp(fields["npwp"])
    other = misread(fields["npwp"])
    second = [line.replace(number, format_npwp(other)) for line in printed]

    parsed, result = decide(two_reads(printed, second), "npwp")

    assert parsed.value("npwp") == fields["npwp"]
    assert (parsed.fields["npwp"].agreement == "confirmed") is confirmed
    assert (result.decision == "auto_approved") is confirmed, result.reasons


def test_an_npwp_name_whose_balinese_i_tesseract_read_as_a_pipe_is_confirmed():
    # the NPWP prints the name alone on its line: nothing there a pipe could be but the I
    fields = random_npwp(random.Random(4)) | {"nama": "I WAYAN MERTA"}
    lines = card_lines("npwp", fields)
    piped = [line.replace("I WAYAN", "| WAYAN") for line in lines]

    parsed, result = decide(two_reads(lines, piped), "npwp")

    assert parsed.value("nama") == "I WAYAN MERTA"
    assert parsed.fields["nama"].agreement == "confirmed"
    assert result.decision == "auto_approved", result.reasons


def test_a_nik_line_that_lost_its_label_is_not_taken_for_a_number_read_only_in_part():
    # Tesseract read the labelled number row only in part and lost the NIK line's label: its
    # NIK line passed for a sixteen-digit NPWP, matched the NIK and outranked the number PP-OCR
    # read on the number row
    nik = "3674031702880810"
    rows = ["DIREKTORAT JENDERAL PAJAK", "NPWP : 45.859.412.4-453.000", "Nama : HENDRIK HUTAGALUNG"]
    rows += [f"NIK : {nik}", "Alamat : JL. DANAU TOBA NO. 18", "KPP : KPP PRATAMA PONDOK AREN"]
    second = [row.replace("45.859.412.4-453.000", "145.859.412.4") for row in rows]
    second = [row.replace("NIK : ", "") for row in second]

    parsed, result = decide(two_reads(rows, second), "npwp")

    assert parsed.value("npwp") == "458594124453000"
    assert parsed.value("nik") == nik
    assert result.decision == "in_review"


def test_reads_of_one_engine_never_confirm_each_other():
    fields, lines = ktp_lines(13)
    nik = fields["nik"]
    ocr = two_reads(lines, [], **{nik: [(nik, "ppocr", "rescaled")]})
    ocr = replace(ocr, second_lines=[], second_engine="")

    parsed, result = decide(ocr, "ktp")

    assert parsed.fields["nik"].agreement == "single"
    assert result.decision == "in_review"


def test_stored_results_from_before_consensus_are_reviewed_not_approved():
    _, lines = ktp_lines(15)
    ocr = lines_to_ocr(lines)  # one read, no engine names: an older stored result

    parsed, result = decide(ocr, "ktp")

    assert parsed.fields["nik"].agreement == "single"
    assert result.decision == "in_review"


def test_re_reads_of_the_number_confirm_the_number_and_nothing_else():
    # Tesseract's page read lost the top of the card; only the NIK's own box was re-read
    fields, lines = ktp_lines(17)
    nik = fields["nik"]
    rest = [line for line in lines if line.startswith(("Alamat", "Agama", "Pekerjaan"))]
    ocr = two_reads(lines, rest, **{nik: [(nik, "tesseract", "digits")]})

    parsed, result = decide(ocr, "ktp")

    assert parsed.fields["nik"].agreement == "confirmed"
    assert parsed.fields["nama"].agreement == "single"
    assert parsed.fields["tanggal_lahir"].agreement == "single"
    assert result.decision == "in_review"


def test_a_number_split_into_words_counts_a_re_read_only_when_every_word_was_re_read():
    fields, lines = ktp_lines(19)
    nik = fields["nik"]
    split = [line.replace(nik, f"{nik[:8]} {nik[8:]}") for line in lines]
    without_nik = [line for line in lines if not line.startswith("NIK")]
    # only the first half has a re-read: the value cannot be confirmed from it
    ocr = two_reads(split, without_nik, **{nik[:8]: [(nik[:8], "tesseract", "digits")]})

    parsed, _ = decide(ocr, "ktp")

    assert parsed.value("nik") == nik
    assert parsed.fields["nik"].agreement == "single"


@pytest.mark.parametrize(
    ("primary", "second", "expected"),
    [
        # alike but for spaces and dots: they agree, and the dots and spaces are kept
        ("JL SUDIRMAN NO.36", "JL. SUDIRMAN NO. 36", "JL. SUDIRMAN NO. 36"),
        # an I read for the L of JL
        ("IL. SUDIRMAN NO. 36", "JL. SUDIRMAN NO. 36", "JL. SUDIRMAN NO. 36"),
        # the last letter one engine split off a long word stays in it
        (
            "KOMP. PESONA ALAM NO. 174 BUKIT TEMPAYAN",
            "KOMP. PESONA ALAM NO. 174 BUKIT TEMPAYA N",
            "KOMP. PESONA ALAM NO. 174 BUKIT TEMPAYAN",
        ),
    ],
)
def test_an_address_two_engines_read_alike_but_for_marks_agrees(primary, second, expected):
    _, first = ktp_lines(21, alamat=primary)
    _, other = ktp_lines(21, alamat=second)

    parsed, _ = decide(two_reads(first, other), "ktp")

    assert parsed.value("alamat") == expected
    assert parsed.fields["alamat"].agreement == "confirmed"


def test_a_house_number_one_engine_split_at_its_narrow_one_comes_back_whole():
    _, whole = ktp_lines(21, alamat="JL. SUDIRMAN NO. 241")
    _, split = ktp_lines(21, alamat="JL. SUDIRMAN NO. 24 1")

    for first, second in ((whole, split), (split, whole)):
        parsed, _ = decide(two_reads(first, second), "ktp")

        assert parsed.value("alamat") == "JL. SUDIRMAN NO. 241"
        assert parsed.fields["alamat"].agreement == "confirmed"


def test_a_name_whose_reads_differ_in_a_space_goes_to_a_person():
    # one engine glued two names, the other split a squeezed one: neither can be trusted
    _, glued = ktp_lines(23, nama="INDAH WULANDARIPUTRI")
    _, split = ktp_lines(23, nama="INDAH WULANDARI PU TRI")

    parsed, result = decide(two_reads(glued, split), "ktp")

    assert parsed.fields["nama"].agreement == "disagree"
    assert result.decision == "in_review"


@pytest.mark.parametrize(
    ("primary", "second", "expected"),
    [
        # the final dot of a degree lost by one engine is kept from the other
        ("WULAN AMINAH, S.PD", "WULAN AMINAH, S.PD.", "WULAN AMINAH, S.PD."),
        ("WULAN AMINAH, S.PD.", "WULAN AMINAH, S.PD", "WULAN AMINAH, S.PD."),
        # printed without one, and read so by both: none is added
        ("MUNAWAR AMIN, S.SOS", "MUNAWAR AMIN, S.SOS", "MUNAWAR AMIN, S.SOS"),
    ],
)
def test_a_name_whose_reads_differ_only_in_a_degree_s_final_dot_is_confirmed(
    primary, second, expected
):
    _, first = ktp_lines(23, nama=primary)
    _, other = ktp_lines(23, nama=second)

    parsed, result = decide(two_reads(first, other), "ktp")

    assert parsed.value("nama") == expected
    assert parsed.fields["nama"].agreement == "confirmed"
    assert result.decision == "auto_approved", result.reasons


def test_a_name_whose_reads_differ_in_a_dot_inside_it_goes_to_a_person():
    _, first = ktp_lines(23, nama="A. RAHMAN HAKIM")
    _, other = ktp_lines(23, nama="A RAHMAN HAKIM")

    parsed, result = decide(two_reads(first, other), "ktp")

    assert parsed.fields["nama"].agreement == "disagree"
    assert result.decision == "in_review"


def mended(ocr: OcrResult) -> OcrResult:
    """``ocr`` with the pipeline's mending of one engine's letters by the other's read."""
    lines, second = letters.mend(ocr.lines, ocr.second_lines)
    return replace(ocr, lines=lines, second_lines=second)


def test_a_name_whose_j_was_taken_from_the_other_engine_is_exact_but_goes_to_a_person():
    # PP-OCR read the J of PANJI as I; Tesseract read it: the value takes the J, but the
    # engines did not read the name alike, so it is not confirmed
    _, printed = ktp_lines(33, nama="PANJI WIRANATA", alamat="JL. REJANG NO. 4")
    _, misread = ktp_lines(33, nama="PANII WIRANATA", alamat="JL. REIANG NO. 4")

    parsed, result = decide(mended(two_reads(misread, printed)), "ktp")

    assert parsed.value("nama") == "PANJI WIRANATA"
    assert parsed.fields["nama"].agreement == "disagree"
    assert result.decision == "in_review"
    assert parsed.value("alamat") == "JL. REJANG NO. 4"


def test_a_balinese_name_keeps_its_opening_i_and_is_approved_when_both_engines_read_it():
    # Tesseract reads the lone I of ``I PUTU`` as a one, which elsewhere is a speck or a
    # misread colon before the value
    _, printed = ktp_lines(29, nama="I PUTU DARMAYASA")
    _, as_one = ktp_lines(29, nama="1 PUTU DARMAYASA")
    as_one = [line.replace("Nama : 1", "Nama 1") for line in as_one]  # its colon unread

    parsed, result = decide(two_reads(printed, as_one), "ktp")

    assert parsed.value("nama") == "I PUTU DARMAYASA"
    assert parsed.fields["nama"].agreement == "confirmed"
    assert result.decision == "auto_approved", result.reasons


def test_a_balinese_name_whose_i_one_engine_read_as_a_mark_goes_to_a_person():
    # the issue's wrong identity: ``I KADEK WIRAWAN`` approved as ``KADEK WIRAWAN``, PP-OCR's
    # ``: I`` taken for a colon read twice and Tesseract's ``|`` (its colon unread) for a colon
    _, printed = ktp_lines(31, nama="I KADEK WIRAWAN")
    _, as_mark = ktp_lines(31, nama="| KADEK WIRAWAN")
    as_mark = [line.replace("Nama : |", "Nama |") for line in as_mark]

    parsed, result = decide(two_reads(printed, as_mark), "ktp")

    assert parsed.value("nama") == "I KADEK WIRAWAN"
    assert parsed.fields["nama"].agreement == "disagree"
    assert result.decision == "in_review"


def test_a_name_both_engines_read_glued_only_after_a_space_was_taken_out_goes_to_a_person():
    # PP-OCR glued two names; Tesseract read them apart, and the card's pixels took its space
    # out (the narrow gap of two A's side by side): the engines never read the name alike
    _, glued = ktp_lines(23, nama="AHMAD PRATAMAAHMAD")
    ocr = two_reads(glued, glued)
    second = []
    for line in ocr.second_lines:
        words = tuple(
            replace(w, alternatives=(Alternative("PRATAMA AHMAD", 91.0, "tesseract", "split"),))
            if w.text == "PRATAMAAHMAD"
            else w
            for w in line.words
        )
        second.append(replace(line, words=words))

    parsed, result = decide(replace(ocr, second_lines=second), "ktp")

    # written as Tesseract read it (PP-OCR drops narrow spaces), and a person reads it
    assert parsed.fields["nama"].value == "AHMAD PRATAMA AHMAD"
    assert parsed.fields["nama"].agreement == "disagree"
    assert result.decision == "in_review"
    # without the join both engines read the name alike, and it is confirmed
    parsed, _ = decide(ocr, "ktp")
    assert parsed.fields["nama"].agreement == "confirmed"


def test_of_place_reads_that_differ_in_spaces_the_one_spelled_officially_wins():
    _, printed = ktp_lines(25, tempat_lahir="PEMATANGSIANTAR", tempat_diterbitkan="BANDA ACEH")
    _, split = ktp_lines(25, tempat_lahir="PEMATANGSIAN TAR", tempat_diterbitkan="BAN DA ACEH")
    _, glued = ktp_lines(25, tempat_lahir="PEMATANG SIAN TAR", tempat_diterbitkan="BANDAACEH")

    for primary, second in ((split, printed), (printed, split), (glued, printed)):
        parsed, _ = decide(two_reads(primary, second), "ktp")

        assert parsed.value("tempat_lahir") == "PEMATANGSIANTAR"
        assert parsed.value("tempat_diterbitkan") == "BANDA ACEH"
        assert parsed.fields["tempat_diterbitkan"].agreement == "confirmed"


def test_a_place_is_never_given_a_spacing_no_read_saw():
    # the card prints the city in one word where Kemendagri writes two: its spelling stays
    _, printed = ktp_lines(26, tempat_lahir="PANGKALPINANG")
    _, split = ktp_lines(26, tempat_lahir="PAN GKALPINANG")

    parsed, _ = decide(two_reads(printed, printed), "ktp")
    assert parsed.value("tempat_lahir") == "PANGKALPINANG"

    parsed, _ = decide(two_reads(printed, split), "ktp")
    assert parsed.value("tempat_lahir") == "PAN GKALPINANG"  # the read that kept more spaces


def test_a_place_printed_small_and_glued_by_both_engines_is_spaced_as_the_header_prints_it():
    fields, _ = ktp_lines(27)
    _, glued = ktp_lines(27, tempat_diterbitkan="BANDAACEH", tempat_lahir="BANDAACEH")
    glued = [line.replace(fields["kabupaten_kota"], "KOTA BANDA ACEH") for line in glued]

    parsed, _ = decide(two_reads(glued, glued), "ktp")

    assert parsed.value("kabupaten_kota") == "KOTA BANDA ACEH"
    assert parsed.value("tempat_diterbitkan") == "BANDA ACEH"
    assert parsed.value("tempat_lahir") == "BANDA ACEH"


def test_a_place_naming_another_city_keeps_its_own_spelling():
    _, lines = ktp_lines(28, tempat_lahir="PANGKALPINANG", tempat_diterbitkan="BANDAACEH")
    lines = [
        line.replace(random_ktp(random.Random(28))["kabupaten_kota"], "KOTA MEDAN")
        for line in lines
    ]

    parsed, _ = decide(two_reads(lines, lines), "ktp")

    assert parsed.value("tempat_lahir") == "PANGKALPINANG"
    assert parsed.value("tempat_diterbitkan") == "BANDAACEH"


def test_a_place_of_issue_misread_in_small_print_is_the_header_s_regency_it_names():
    fields, _ = ktp_lines(29)
    header = "KABUPATEN OGAN KOMERING ILIR"

    def read(place: str) -> list[str]:
        _, lines = ktp_lines(29, tempat_diterbitkan=place)
        return [line.replace(fields["kabupaten_kota"], header) for line in lines]

    parsed, _ = decide(two_reads(read("OGAN KOMERING JUR"), read("OGAN KOMERENG.")), "ktp")
    assert parsed.value("tempat_diterbitkan") == "OGAN KOMERING ILIR"

    # an official name the read spells stays as read, and so does a read too far off the header
    parsed, _ = decide(two_reads(read("OGAN KOMERING ULU"), read("OGAN KOMERING ULU")), "ktp")
    assert parsed.value("tempat_diterbitkan") == "OGAN KOMERING ULU"
    parsed, _ = decide(two_reads(read("OGAN KOMEN JLR"), read("OGAN KOMEN JLR")), "ktp")
    assert parsed.value("tempat_diterbitkan") == "OGAN KOMEN JLR"


def test_a_sixteen_digit_npwp_one_engine_lost_is_confirmed_by_the_nik_line_both_read():
    fields = random_npwp(random.Random(4))
    nik = fields["nik"]
    lines = card_lines("npwp", {**fields, "npwp": nik})
    without_number = [line for line in lines if nik not in line or "NIK" in line]
    assert len(without_number) == len(lines) - 1  # only the number line is lost

    parsed, result = decide(two_reads(lines, without_number), "npwp")

    assert parsed.value("npwp") == nik
    assert parsed.fields["npwp"].agreement == "confirmed"
    assert result.decision == "auto_approved", result.reasons


def test_a_sixteen_digit_npwp_other_than_the_nik_line_is_not_confirmed_by_it():
    fields = random_npwp(random.Random(4))
    nik = fields["nik"]
    other = nik[:-1] + str((int(nik[-1]) + 1) % 10)
    lines = card_lines("npwp", {**fields, "npwp": other})
    without_number = [line for line in lines if other not in line]

    parsed, result = decide(two_reads(lines, without_number), "npwp")

    assert parsed.fields["npwp"].agreement != "confirmed"
    assert result.decision != "auto_approved"


def test_a_blood_group_one_engine_lost_is_taken_from_the_engine_that_read_it():
    _, printed = ktp_lines(31, jenis_kelamin="PEREMPUAN", golongan_darah="O")
    _, empty = ktp_lines(31, jenis_kelamin="PEREMPUAN", golongan_darah="")  # the O not detected
    _, signed = ktp_lines(31, jenis_kelamin="LAKI-LAKI", golongan_darah="B-")
    _, dot = ktp_lines(31, jenis_kelamin="LAKI-LAKI", golongan_darah="B.")  # the sign as a dot
    _, other = ktp_lines(31, jenis_kelamin="LAKI-LAKI", golongan_darah="A")

    lost, _ = decide(two_reads(empty, printed), "ktp")
    sign, _ = decide(two_reads(dot, signed), "ktp")
    differ, _ = decide(two_reads(other, signed), "ktp")
    alone, _ = decide(two_reads(empty, empty), "ktp")

    assert lost.value("golongan_darah") == "O"
    assert sign.value("golongan_darah") == "B-"
    # a different group is not more of the same read: the primary read's value stays, disputed
    assert differ.value("golongan_darah") == "A"
    assert differ.fields["golongan_darah"].agreement == "disagree"
    # nothing read by either engine: the printed dash that is too thin to survive OCR
    assert alone.value("golongan_darah") == "-"


def test_a_nik_line_a_read_took_for_the_number_it_lost_never_outranks_the_number():
    # labels printed small above their values, the number in a dotted face: Tesseract misread
    # its first digit as a mark, and its parse took the NIK line under the NIK's label for a
    # sixteen-digit NPWP, equal to the NIK and so seemingly confirmed by it
    nik = "3372012204879533"
    rows = ["NOMOR POKOK WAJIB PAJAK", "84.158.455.0-526.000", "NAMA WAJIB PAJAK", "TUMPAL RAJA"]
    rows += ["NIK", nik, "ALAMAT", "KOMP. CITRA RAYA BLOK D8 NO. 9", "KANTOR PELAYANAN PAJAK"]
    rows += ["KPP PRATAMA SURAKARTA"]
    second = [row.replace("84.158", "#4.158") for row in rows]

    parsed, result = decide(two_reads(rows, second), "npwp")

    assert parsed.value("npwp") == "841584550526000"
    assert parsed.value("nik") == nik
    assert result.decision == "in_review"


def test_tesseract_s_many_reads_of_one_box_do_not_outnumber_pp_ocr_s_value():
    # a serial digit: PP-OCR's line and its re-read give one valid NIK, Tesseract's page read
    # and two of its re-reads of the box another; each is one engine's, and PP-OCR reads cards
    # better: its value is shown, and a person checks it
    fields, lines = ktp_lines(11)
    nik = fields["nik"]
    other = nik[:-1] + ("9" if nik[-1] != "9" else "8")
    _, tesseract_lines = ktp_lines(11, nik=other)
    ocr = two_reads(
        lines,
        tesseract_lines,
        **{
            nik: [
                (nik, "ppocr", "rescaled"),
                (other, "tesseract", "digits"),
                (other, "tesseract", "digits_downscaled"),
            ]
        },
    )

    parsed, result = decide(ocr, "ktp")

    assert parsed.value("nik") == nik
    assert parsed.fields["nik"].agreement == "disagree"
    assert result.decision == "in_review"


def test_re_reads_that_outvote_the_primary_read_s_own_valid_number_send_the_card_to_a_person():
    # a serial digit the birth date cannot check: PP-OCR's line reads the NIK right, and its
    # re-read of the box and Tesseract's digit read agree on a NIK one digit off, as valid
    fields, lines = ktp_lines(13)
    nik = fields["nik"]
    other = nik[:-3] + ("6" if nik[-3] != "6" else "5") + nik[-2:]
    ocr = two_reads(
        lines,
        [line for line in lines if not line.startswith("NIK")],  # Tesseract's page missed it
        **{nik: [(other, "ppocr", "rescaled"), (other, "tesseract", "digits")]},
    )

    parsed, result = decide(ocr, "ktp")

    assert parsed.fields["nik"].agreement == "disagree"
    assert result.decision == "in_review"
    assert "identity_unverified" in result.reasons


def _slipped(number: str, *positions: int) -> str:
    """``number`` with the digit at each position read as another (a 7 read as 1, a 0 as 8)."""
    digits = list(number)
    for i in positions:
        digits[i] = str((int(digits[i]) + 6) % 10)
    return "".join(digits)


@pytest.mark.parametrize(
    ("positions", "decision"),
    [
        ((10,), "auto_approved"),  # a digit of the birth year, which the birth date bears out
        ((6,), "auto_approved"),  # a digit of the birth day
        ((2,), "auto_approved"),  # a digit of the regency code the header names
        ((5,), "in_review"),  # the district: printed nowhere else
        ((13,), "in_review"),  # the serial: printed nowhere else
        ((6, 10), "in_review"),  # two slips
    ],
)
def test_a_nik_tesseract_read_a_digit_off_is_confirmed_only_where_the_card_bears_it_out(
    positions, decision
):
    """Tesseract reads some faces' 7 as 1 and 0 as 8. A NIK repeats the header's regency code
    and the printed birth date, which both engines read in their own lines: a slip there leaves
    every digit nothing else vouches for read alike by both engines."""
    fields, lines = ktp_lines(5)
    nik = fields["nik"]
    _, second = ktp_lines(5, nik=_slipped(nik, *positions))

    parsed, result = decide(two_reads(lines, second), "ktp")

    assert parsed.value("nik") == nik
    assert parsed.fields["tanggal_lahir"].agreement == "confirmed"
    assert result.decision == decision, result.reasons
    if decision == "auto_approved":
        assert parsed.fields["nik"].agreement == "confirmed"
        assert parsed.fields["nik"].sources == ("ppocr", "tesseract+printed")
    else:
        assert parsed.fields["nik"].agreement == "disagree"


def test_a_birth_date_digit_of_the_nik_is_not_borne_out_by_a_birth_date_the_engines_disagree_on():
    fields, lines = ktp_lines(5)
    nik = fields["nik"]
    _, second = ktp_lines(5, nik=_slipped(nik, 10), tanggal_lahir="1958-08-08")

    parsed, result = decide(two_reads(lines, second), "ktp")

    assert parsed.fields["tanggal_lahir"].agreement == "disagree"
    assert parsed.fields["nik"].agreement == "disagree"
    assert result.decision == "in_review"


def test_a_birth_date_slip_confirms_nothing_when_tesseract_also_read_the_serial_otherwise():
    """Tesseract's reads of the number's box disagree among themselves on the serial: which of
    its serials is printed is not known, so its read of the birth date's digit confirms
    nothing."""
    fields, lines = ktp_lines(5)
    nik = fields["nik"]
    _, second = ktp_lines(5, nik=_slipped(nik, 10))
    ocr = two_reads(lines, second, **{nik: [(_slipped(nik, 14), "tesseract", "digits")]})

    parsed, result = decide(ocr, "ktp")

    assert parsed.fields["nik"].agreement == "disagree"
    assert result.decision == "in_review"


def _older_navy_card(seed: int) -> tuple[dict[str, str], list[str]]:
    """The older card: ``DEPARTEMEN KEUANGAN`` white on a dark band, no NIK line."""
    fields = random_npwp(random.Random(seed))
    body = [line for line in card_lines("npwp", fields)[2:] if not line.startswith("NIK")]
    header = ["DEPARTEMEN KEUANGAN REPUBLIK INDONESIA", "DIREKTORAT JENDERAL PAJAK"]
    return fields, [*header, "NOMOR POKOK WAJIB PAJAK", *body]


@pytest.mark.parametrize(
    "header_read",
    [
        "DEPAR UAN REPUBLIK INDO!",
        "DEPARTEMEN NGAN REPUBLIK INDONESIA",
        "DEPARTEMEN KEUANGAN REPUBLIK INDON: A",
    ],
)
def test_a_header_read_in_pieces_is_no_name_on_a_card_whose_number_tesseract_lost(
    header_read,
):
    """Tesseract reads the white header of the older dark card in pieces and loses the large
    white number: its read of the card must not offer the header as the holder's name, so its
    read of the name's row alone confirms the name."""
    fields, printed = _older_navy_card(5)
    number = format_npwp(fields["npwp"])
    second = [header_read, *(line for line in printed[1:] if line != number)]
    rereads = {w: [(w, "tesseract", linereads.LINE)] for w in fields["nama"].split()}
    rereads[number] = [(number, "tesseract", "digits")]

    parsed, result = decide(two_reads(printed, second, **rereads), "npwp")

    assert parsed.value("nama") == fields["nama"]
    assert parsed.fields["nama"].agreement == "confirmed"
    assert result.decision == "auto_approved", result.reasons


def test_an_address_row_is_not_taken_for_the_name_of_a_card_whose_name_and_number_went_unread():
    fields, printed = _older_navy_card(5)
    number = format_npwp(fields["npwp"])
    # of the number's row only the branch code ``000`` was read; the name's row not at all
    lost = {number: "000", fields["nama"]: ""}
    second = [lost.get(line, line) for line in printed]
    assert "RT 004/010" in fields["alamat"]  # the address's first row holds its RT/RW
    rereads = {w: [(w, "tesseract", linereads.LINE)] for w in fields["nama"].split()}
    rereads[number] = [(number, "tesseract", "digits")]

    parsed, result = decide(two_reads(printed, second, **rereads), "npwp")

    assert parsed.fields["nama"].agreement == "confirmed"
    assert result.decision == "auto_approved", result.reasons


@pytest.mark.parametrize(
    ("primary_confidence", "second_confidence", "agreement"),
    [
        (97.7, 26.0, "unsure"),  # both engines unsure: they slip alike on blurred small print
        (99.6, 26.0, "confirmed"),  # PP-OCR sure of it
        (97.7, 60.0, "confirmed"),  # Tesseract sure of it
    ],
)
def test_a_number_both_engines_read_alike_but_unsure_of_goes_to_a_person(
    primary_confidence, second_confidence, agreement
):
    """A blurred photo's small NIK line: PP-OCR and Tesseract both read a ``6`` as ``5``, each
    less sure than it reads a number it gets right. Agreement of two unsure reads approves
    nothing."""
    fields = random_npwp(random.Random(4))
    lines = card_lines("npwp", fields)
    primary = lines_to_ocr(lines, confidence=primary_confidence)
    ocr = OcrResult(
        lines=primary.lines,
        engine="ppocr",
        second_lines=lines_to_ocr(lines, confidence=second_confidence).lines,
        second_engine="tesseract",
    )

    parsed, result = decide(ocr, "npwp")

    assert parsed.fields["nik"].agreement == agreement
    if agreement == "unsure":
        assert result.decision == "in_review"
        check = next(c for c in result.checks if c.code == "identity_verified")
        assert "neither of them sure" in check.message
    else:
        assert result.decision == "auto_approved", result.reasons


def _label_read_apart(ocr: OcrResult, nik: str) -> OcrResult:
    """``ocr`` with its NIK line read as Tesseract reads a small label beside a large number:
    the number a row of its own, the label ``NIK`` a row of its own a few pixels lower."""
    lines: list[Line] = []
    for line in ocr.lines:
        if nik not in line.text:
            lines.append(line)
            continue
        number = next(w for w in line.words if w.text == nik)
        y = number.box[1]
        label = Word(text="NIK", confidence=90.0, box=(line.box[0], y + 8, 30, 14))
        lines.append(Line(text=nik, words=(number,), region="page", box=number.box))
        lines.append(Line(text="NIK", words=(label,), region="page", box=label.box))
    return replace(ocr, lines=lines)


@pytest.mark.parametrize(("slip", "agreement"), [(False, "confirmed"), (True, "disagree")])
def test_a_nik_line_whose_label_tesseract_read_apart_is_still_tesseract_s_read_of_the_nik(
    slip, agreement
):
    """Tesseract lost the NPWP number's row and read the NIK line's small label on a row of its
    own: its parse takes the NIK's row for the number and finds no NIK. Its digits where the
    NIK is printed are its read of the NIK all the same; they confirm it only when exact, and a
    slip there never outranks PP-OCR's value (the row is no second print of the NIK)."""
    fields = random_npwp(random.Random(4))
    lines = card_lines("npwp", fields)
    nik = fields["nik"]
    read = _slipped(nik, 15) if slip else nik
    number = next(line for line in lines if digits_only(line) == fields["npwp"])
    # the number's row lost (left blank, so the rows keep their places)
    second_rows = ["" if line == number else line.replace(nik, read) for line in lines]
    ocr = two_reads(lines, second_rows, **{number: [(number, "tesseract", "digits")]})
    ocr = replace(ocr, second_lines=_label_read_apart(lines_to_ocr(second_rows), read).lines)
    assert parse(replace(ocr, lines=ocr.second_lines, second_lines=[]), "npwp").value("nik") is None

    parsed, result = decide(ocr, "npwp")

    assert parsed.value("nik") == nik
    assert parsed.fields["nik"].agreement == agreement
    assert result.decision == ("in_review" if slip else "auto_approved"), result.reasons


def test_a_birth_date_glued_to_its_place_and_read_right_alone_by_tesseract_is_confirmed():
    # PP-OCR read the birth place and date as one word; Tesseract's card read lost the row, and
    # its read of that word alone gives the place and the date apart
    fields, lines = ktp_lines(29)
    row = next(line for line in lines if line.startswith("Tempat"))
    place, date = row.split(" : ", 1)[1].split(", ")
    glued = [line.replace(f"{place}, {date}", f"{place},{date}") for line in lines]
    card_read = [line for line in lines if line != row]
    reread = {f"{place},{date}": [(f"{place}, {date}", "tesseract", linereads.LINE)]}

    parsed, result = decide(two_reads(glued, card_read, **reread), "ktp")

    assert parsed.value("tanggal_lahir") == fields["tanggal_lahir"]
    assert parsed.fields["tanggal_lahir"].agreement == "confirmed"
    assert result.decision == "auto_approved", result.reasons


def _year_off(day: str, by: int) -> str:
    """``day`` (ISO) with its year's last digit moved by ``by``, as printed on the card."""
    year, month, date = day.split("-")
    return f"{date}-{month}-{year[:3]}{(int(year[3]) + by) % 10}"


@pytest.mark.parametrize(
    ("tesseract_birth", "tesseract_nik", "agreement"),
    [
        ("one digit off", "alike", "confirmed"),  # the NIK both engines read vouches for it
        ("two digits off", "alike", "disagree"),
        ("one digit off", "a serial digit off", "disagree"),  # no NIK both engines read
    ],
)
def test_a_birth_date_tesseract_read_a_digit_off_is_confirmed_by_the_nik_both_engines_read(
    tesseract_birth, tesseract_nik, agreement
):
    fields, lines = ktp_lines(5)
    day = fields["tanggal_lahir"]
    printed = _year_off(day, 1)
    if tesseract_birth == "two digits off":
        printed = printed[:1] + str((int(printed[1]) + 1) % 10) + printed[2:]
    nik = fields["nik"]
    if tesseract_nik == "a serial digit off":
        nik = nik[:-1] + str((int(nik[-1]) + 1) % 10)
    place = fields["tempat_lahir"]
    _, card_read = ktp_lines(5, nik=nik)
    card_read = [
        line.replace(f"{place}, {_year_off(day, 0)}", f"{place}, {printed}") for line in card_read
    ]
    assert card_read != lines

    parsed, result = decide(two_reads(lines, card_read), "ktp")

    assert parsed.value("tanggal_lahir") == day
    assert parsed.fields["tanggal_lahir"].agreement == agreement
    assert (result.decision == "auto_approved") == (agreement == "confirmed"), result.reasons


@pytest.mark.parametrize(
    ("ppocr", "tesseract", "kept"),
    [
        ("GG. BUNTU I NO. 31", "GG. BUNTU II NO. 31", "GG. BUNTU II NO. 31"),
        ("GG. MANGGA NO. 46", "GG. MANGGA III NO. 46", "GG. MANGGA III NO. 46"),
        ("GG. MUSHOLA III NO. 30", "GG. MUSHOLA II NO. 30", "GG. MUSHOLA II NO. 30"),
        ("GG. MANGGA IIIII NO. 30", "GG. MANGGA III NO. 30", "GG. MANGGA III NO. 30"),
        # only PP-OCR reads a numeral, or the reads differ in another word too: PP-OCR's
        ("GG. MANGGA III NO. 46", "GG. MANGGA NO. 46", "GG. MANGGA III NO. 46"),
        ("GG. BUNTU I NO. 31", "GG. BUNTU II NO. 34", "GG. BUNTU I NO. 31"),
        # PP-OCR ran the thin strokes of LI into one U; Tesseract kept them
        ("JL. PANGUMA POLIM NO. 78", "JL. PANGLIMA POLIM NO. 78", "JL. PANGLIMA POLIM NO. 78"),
        ("JL. DAHUA NO. 146", "JL. DAHLIA NO. 146", "JL. DAHLIA NO. 146"),
        # never the other way, and not where another word differs too
        ("JL. PANGLIMA POLIM NO. 78", "JL. PANGUMA POLIM NO. 78", "JL. PANGLIMA POLIM NO. 78"),
        ("JL. PANGUMA POLIM NO. 78", "JL. PANGLIMA POLIM NO. 79", "JL. PANGUMA POLIM NO. 78"),
    ],
)
def test_thin_strokes_pp_ocr_miscounted_or_ran_together_are_written_as_tesseract_reads_them(
    ppocr, tesseract, kept
):
    _, lines = ktp_lines(7, alamat=ppocr)
    _, card_read = ktp_lines(7, alamat=tesseract)

    parsed, _ = decide(two_reads(lines, card_read), "ktp")

    assert parsed.value("alamat") == kept


@pytest.mark.parametrize(
    ("header", "decision"),
    [
        ("PROVINSI", "auto_approved"),
        ("PROVNSI", "in_review"),  # the print loses its thin I: the name may have lost one too
        ("PROVINS", "in_review"),
    ],
)
def test_a_name_read_alike_on_a_card_whose_print_loses_its_i_goes_to_a_person(header, decision):
    # a face that sets its I against its neighbours: both engines read the name alike, and a
    # read of the card's own header shows them losing an I
    _fields, lines = ktp_lines()
    card_read = [line.replace("PROVINSI", header, 1) for line in lines]

    parsed, result = decide(two_reads(lines, card_read), "ktp")

    assert result.decision == decision, result.reasons
    if decision == "in_review":
        assert parsed.fields["nama"].agreement == "letters_lost"
        assert parsed.fields["nik"].agreement == "confirmed"  # digits are no thin letters
        check = next(c for c in result.checks if c.code == "identity_verified")
        assert "lost an I of a printed word" in check.message


U_OR_V = ("u_or_v", "holds a U where a V reads as well")
WORDS_JOINED = ("words_joined", "read as one")


@pytest.mark.parametrize(
    ("name", "doubt"),
    [
        ("NOVIA ANGGRAINI", None),
        ("NOUIA ANGGRAINI", U_OR_V),  # a V with a round foot, read U by every engine
        ("DAUID HUTAPEA", U_OR_V),
        ("UERONIKA SANTOSO", U_OR_V),  # a word's first V before a vowel
        ("EUIS SUMARNI", U_OR_V),  # printed so: a person reads it all the same
        ("YUSNIAR PUTRI", None),  # U beside a consonant: no V reads there
        ("AULIA RAHMAN", None),
        # words a blurred photo closed up, read as one by both engines
        ("NI WAYANAYULESTARI", WORDS_JOINED),
        ("NI WAYAN AYU LESTARI", None),
        ("KUSUMAWARDHANI", None),  # fourteen letters: a name's word runs so long
    ],
)
def test_a_name_read_alike_that_may_be_misread_alike_goes_to_a_person(name, doubt):
    _fields, lines = ktp_lines(nama=name)

    parsed, result = decide(two_reads(lines, lines), "ktp")

    assert parsed.value("nama") == name
    if doubt is None:
        assert result.decision == "auto_approved", result.reasons
        return
    agreement, message = doubt
    assert result.decision == "in_review"
    assert parsed.fields["nama"].agreement == agreement
    assert parsed.fields["nik"].agreement == "confirmed"
    check = next(c for c in result.checks if c.code == "identity_verified")
    assert message in check.message


def _with_name_read(ocr: OcrResult, name: str, read: str, confidence: float) -> OcrResult:
    """``ocr`` with PP-OCRv4's read of the name's box (``ocr_gpu.namereread``) on the name's
    words, as the pipeline puts it there."""
    alternative = Alternative(read, confidence, "ppocr-v4", "name")
    lines = []
    for line in ocr.lines:
        if line.text.endswith(name):
            count = len(name.split())
            words = tuple(
                replace(w, alternatives=(*w.alternatives, alternative))
                if index >= len(line.words) - count
                else w
                for index, w in enumerate(line.words)
            )
            line = replace(line, words=words)
        lines.append(line)
    return replace(ocr, lines=lines)


@pytest.mark.parametrize(
    ("read", "confidence", "decision"),
    [
        # the two engines read a blurred I as T alike; PP-OCRv4 reads it, surer than PP-OCR
        ("DESI ROSA", 96.0, "in_review"),
        ("DESI ROSA", 90.0, "auto_approved"),  # less sure than PP-OCR: it garbles what it doubts
        ("DESTROSA", 96.0, "auto_approved"),  # its spaces do not count
        ("DE5T R0SA", 96.0, "auto_approved"),  # nor digits read for letters alike
        ("DEST ROSA", 99.0, "auto_approved"),
    ],
)
def test_a_name_read_alike_that_pp_ocr_v4_reads_otherwise_and_surer_goes_to_a_person(
    read, confidence, decision
):
    _fields, lines = ktp_lines(nama="DEST ROSA")
    ocr = _with_name_read(two_reads(lines, lines), "DEST ROSA", read, confidence)

    parsed, result = decide(ocr, "ktp")

    assert parsed.value("nama") == "DEST ROSA"
    assert result.decision == decision, result.reasons
    if decision == "in_review":
        assert parsed.fields["nama"].agreement == "outread"
        check = next(c for c in result.checks if c.code == "identity_verified")
        assert "PP-OCRv4's read of its box gives other letters" in check.message


@pytest.mark.parametrize(
    ("name", "read"),
    [
        ("KHADIJAH ASSEGAF", "KHADUAH ASSEGAF"),  # IJ read as one U
        ("LILIANA PUTRI", "LIUANA PUTRI"),  # LI read as one U
        ("NOVI PUTRA", "NAMA NOVI PUTRA"),  # the label glued on the name's first word, read with it
    ],
)
def test_pp_ocr_v4_s_look_alike_reads_of_a_name_do_not_doubt_it(name, read):
    _fields, lines = ktp_lines(nama=name)
    ocr = _with_name_read(two_reads(lines, lines), name, read, 99.5)

    parsed, result = decide(ocr, "ktp")

    assert parsed.fields["nama"].agreement == "confirmed"
    assert result.decision == "auto_approved", result.reasons


@pytest.mark.parametrize(
    ("name", "read", "agreement"),
    [
        # a narrow face's close space: both engines read the two names as one, PP-OCRv4 spaced
        ("DUMARIASINAGA", "DUMARIA SINAGA", "space_seen"),
        ("SITTIAJENG HASAN", "SITTI AJENG HASAN", "space_seen"),
        ("DUMARIASINAGA", "DUMARIASINAGA", "confirmed"),  # no space anywhere
        ("DUMARIA SINAGA", "DUMARIASINAGA", "confirmed"),  # it dropped one: no doubt
        ("DUMARIASINAGA", "DU MARIASINAGA", "confirmed"),  # a two-letter piece is no word
        ("DUMARIASINAGA", "DUMARLA SINAGA", "outread"),  # other letters: doubted as such
    ],
)
def test_a_name_read_alike_that_pp_ocr_v4_spaces_apart_goes_to_a_person(name, read, agreement):
    _fields, lines = ktp_lines(nama=name)
    ocr = _with_name_read(two_reads(lines, lines), name, read, 99.5)

    parsed, result = decide(ocr, "ktp")

    assert parsed.value("nama") == name  # the third read's space never writes the name
    assert parsed.fields["nama"].agreement == agreement
    if agreement == "confirmed":
        assert result.decision == "auto_approved", result.reasons
        return
    assert result.decision == "in_review"
    check = next(c for c in result.checks if c.code == "identity_verified")
    if agreement == "space_seen":
        assert "shows a space inside one of its words" in check.message


@pytest.mark.parametrize("marked", [True, False])
def test_a_name_read_alike_whose_print_shows_a_space_inside_a_word_goes_to_a_person(marked):
    """The card's print shows a word space inside ``SITTIAJENG`` that every read closed
    (``ocr_gpu.namegaps`` marks the word): two agreeing reads do not approve it."""
    _fields, lines = ktp_lines(nama="SITTIAJENG")
    ocr = two_reads(lines, lines)
    if marked:
        ocr = _print_gap(ocr, "SITTIAJENG", "SITTI AJENG")

    parsed, result = decide(ocr, "ktp")

    assert parsed.value("nama") == "SITTIAJENG"  # the print's space never writes the name
    if not marked:
        assert result.decision == "auto_approved", result.reasons
        return
    assert parsed.fields["nama"].agreement == "space_seen"
    assert result.decision == "in_review"
    check = next(c for c in result.checks if c.code == "identity_verified")
    assert "shows a space inside one of its words" in check.message


def test_pp_ocr_v4_s_read_of_a_row_that_is_not_the_name_s_own_confirms_and_doubts_nothing():
    """A read that rode on more words than the name came from (a row taken for the name's that
    the parse read otherwise) is not a read of the name."""
    _fields, lines = ktp_lines(nama="DEST ROSA")
    ocr = two_reads(lines, lines)
    alternative = Alternative("DESI ROSA", 99.0, "ppocr-v4", "name")
    marked = []
    for line in ocr.lines:
        if line.text.endswith("DEST ROSA") or line.text.startswith("Tempat"):
            line = replace(
                line,
                words=tuple(
                    replace(w, alternatives=(*w.alternatives, alternative)) for w in line.words
                ),
            )
        marked.append(line)

    parsed, result = decide(replace(ocr, lines=marked), "ktp")

    assert parsed.fields["nama"].agreement == "confirmed"
    assert result.decision == "auto_approved", result.reasons


# PP-OCRv4's recogniser on a disputed number's box (``ocr_gpu.numberreader``) is an engine of its
# own: Tesseract misreads digits drawn as segments or pixels (a digit dropped, ``7`` for ``1``)
# that both PP-OCR models read.
V4 = ("ppocr-v4", "number_reader")


@pytest.mark.parametrize(
    ("reread", "agreement", "decision"),
    [
        ("same", "confirmed", "auto_approved"),
        (None, "disagree", "in_review"),  # no number reader installed: as before
        ("serial", "disagree", "in_review"),  # PP-OCRv4 read a serial digit otherwise
    ],
)
def test_a_nik_tesseract_garbled_is_confirmed_only_by_a_second_recogniser_reading_it_alike(
    reread, agreement, decision
):
    fields, lines = ktp_lines(31)
    nik = fields["nik"]
    garbled = nik[:5] + nik[6:]  # Tesseract dropped a digit of the segment face
    _, second = ktp_lines(31, nik=garbled)
    other = nik[:-1] + str((int(nik[-1]) + 1) % 10)
    alternatives = {"same": [(nik, *V4)], "serial": [(other, *V4)], None: []}[reread]

    parsed, result = decide(two_reads(lines, second, **{nik: alternatives}), "ktp")

    assert parsed.value("nik") == nik
    assert parsed.fields["nik"].agreement == agreement
    assert result.decision == decision, result.reasons


@pytest.mark.parametrize(
    ("reread", "cropped", "agreement", "decision"),
    [
        ("same", False, "confirmed", "auto_approved"),
        ("same", True, "disagree", "in_review"),
        # one digit off in the birth date the card prints: the printed date confirms PP-OCR's
        # digit where another engine read it otherwise, never where only a crop was read
        ("birth", False, "confirmed", "auto_approved"),
        ("birth", True, "disagree", "in_review"),
    ],
)
def test_a_nik_read_from_a_crop_after_the_card_s_read_passed_over_it_is_not_confirmed_by_v4(
    reread, cropped, agreement, decision
):
    """The read of the whole card found no number by the NIK label, and PP-OCR read it from a
    crop of the print (``ocr_gpu.numberrow``): PP-OCRv4 reads the same crop and shares its
    slips (an interlaced face's slashed zero read 8 by both), so only Tesseract may confirm
    it."""
    fields, lines = ktp_lines(31)
    nik = fields["nik"]
    garbled = nik[:5] + nik[6:]  # Tesseract dropped a digit
    _, second = ktp_lines(31, nik=garbled)
    day = nik[6:8]
    off = nik[:6] + day[0] + str((int(day[1]) + 5) % 10) + nik[8:]
    alternatives = {"same": [(nik, *V4)], "birth": [(off, *V4)]}[reread]
    ocr = two_reads(lines, second, **{nik: alternatives})
    if cropped:
        ocr = replace(
            ocr,
            lines=[
                line.with_words(replace(w, cropped=w.text == nik) for w in line.words)
                for line in ocr.lines
            ],
        )

    parsed, result = decide(ocr, "ktp")

    assert parsed.value("nik") == nik
    assert parsed.fields["nik"].agreement == agreement
    assert result.decision == decision, result.reasons


def test_two_recognisers_of_one_family_do_not_outvote_a_valid_number_tesseract_read():
    """PP-OCRv6 and PP-OCRv4 agree, Tesseract read another NIK as valid and as true to the
    printed birth date (a serial digit otherwise): the two models may share a slip that an
    engine of another kind does not, so a person decides."""
    fields, lines = ktp_lines(33)
    nik = fields["nik"]
    serial = nik[:-1] + str((int(nik[-1]) + 3) % 10)
    _, second = ktp_lines(33, nik=serial)

    parsed, result = decide(two_reads(lines, second, **{nik: [(nik, *V4)]}), "ktp")

    assert parsed.value("nik") == nik
    assert parsed.fields["nik"].agreement == "disagree"
    assert result.decision == "in_review"
    assert "identity_unverified" in result.reasons


def test_an_npwp_number_tesseract_lost_is_confirmed_by_the_second_recogniser():
    fields = random_npwp(random.Random(8))
    printed = card_lines("npwp", fields)
    number = format_npwp(fields["npwp"])
    second = [line for line in printed if number not in line]  # Tesseract read no number row

    without = decide(two_reads(printed, second), "npwp")
    parsed, result = decide(two_reads(printed, second, **{number: [(number, *V4)]}), "npwp")

    assert without[0].fields["npwp"].agreement == "single"
    assert without[1].decision == "in_review"
    assert parsed.value("npwp") == fields["npwp"]
    assert parsed.fields["npwp"].agreement == "confirmed"
    assert result.decision == "auto_approved", result.reasons


@pytest.mark.parametrize(
    ("rival_reads", "agreement"),
    [
        (["digits_opened"], "confirmed"),  # one of Tesseract's box re-reads: no reading
        (["digits_opened", "digits_upscaled"], "disagree"),  # two of them: a reading
    ],
)
def test_a_valid_number_one_tesseract_re_read_gives_does_not_outvote_the_two_recognisers(
    rival_reads, agreement
):
    fields, lines = ktp_lines(35)
    nik = fields["nik"]
    garbled = nik[:5] + nik[6:]  # Tesseract's read of the card dropped a digit
    serial = nik[:-2] + str((int(nik[-2]) + 5) % 10) + nik[-1]  # valid, true to the birth date
    _, second = ktp_lines(35, nik=garbled)
    rereads = [(nik, *V4)] + [(serial, "tesseract", method) for method in rival_reads]

    parsed, result = decide(two_reads(lines, second, **{nik: rereads}), "ktp")

    assert parsed.value("nik") == nik
    assert parsed.fields["nik"].agreement == agreement
    assert (result.decision == "auto_approved") is (agreement == "confirmed"), result.reasons


def test_the_two_recognisers_reading_one_crop_cut_short_confirm_nothing():
    """PP-OCR's re-read and PP-OCRv4's read the same crop of a number's box: a crop that cut
    off the leading zero of an NPWP16 (``0`` + the fifteen legacy digits, a valid number too)
    is cut for both. PP-OCR's read of the card, the whole number, stays the value, and a
    person decides."""
    fields = random_npwp(random.Random(12))
    legacy = fields["npwp"]
    printed = card_lines("npwp", fields | {"npwp": "0" + legacy})
    number = next(word for line in printed for word in line.split() if legacy in word)
    second = [line for line in printed if legacy not in line]  # Tesseract lost the number row
    cut = [(format_npwp(legacy), "ppocr", "rescaled"), (format_npwp(legacy), *V4)]

    parsed, result = decide(two_reads(printed, second, **{number: cut}), "npwp")

    assert digits_only(number) == "0" + legacy
    assert parsed.value("npwp") == "0" + legacy
    assert parsed.fields["npwp"].agreement != "confirmed"
    assert result.decision == "in_review"


@pytest.mark.parametrize(
    ("primary", "second", "returned"),
    [
        # the engines read the village's letters spaced apart differently: its official name
        ("BATUAMPAR", "BATU AMPAR", "BATU AMPAR"),
        ("BATUAMPAR", "BATU AMPAR BALIKPAPAN UTARA", "BATU AMPAR"),  # run on into the next row
        ("BATU AMPAR", "BATUAMPAR", "BATU AMPAR"),
        ("BATUAMPAR", "BATUAMPAR", "BATUAMPAR"),  # read alike: as the card prints it
        # the other read runs on with no place's name at its opening: the read is kept
        ("BATUAMPAR", "BATU AMPARAN BALIKPAPAN UTARA", "BATUAMPAR"),
    ],
)
def test_a_village_read_spaced_apart_differently_is_spelled_as_the_regency_names_it(
    primary, second, returned
):
    changes = {
        "provinsi": "KALIMANTAN TIMUR",
        "kabupaten_kota": "KOTA BALIKPAPAN",
        "kecamatan": "BALIKPAPAN UTARA",
        "nik": "6471030101900001",
        "tanggal_lahir": "1990-01-01",
        "jenis_kelamin": "LAKI-LAKI",
    }
    _fields, first = ktp_lines(kel_desa=primary, **changes)
    _fields, other = ktp_lines(kel_desa=second, **changes)

    parsed, _result = decide(two_reads(first, other), "ktp")

    assert parsed.value("kel_desa") == returned


@pytest.mark.parametrize(
    ("region", "decision"),
    [
        ("3271", "auto_approved"),  # the header's own city
        ("5271", "in_review"),  # its 3 read 5 by both engines (a face whose 3 reads as 5)
        ("3277", "in_review"),  # a 1 read 7
        ("3171", "auto_approved"),  # another province's city, no look-alike off: a holder who moved
        ("3204", "auto_approved"),  # the neighbouring regency: moved, two digits off
    ],
)
def test_a_nik_read_alike_a_look_alike_digit_off_the_header_s_region_goes_to_a_person(
    region, decision
):
    fields, _ = ktp_lines()
    nik = region + fields["nik"][4:]
    changes = {
        "provinsi": "JAWA BARAT",
        "kabupaten_kota": "KOTA BOGOR",
        "kecamatan": "BOGOR TENGAH",
    }
    _fields, lines = ktp_lines(nik=nik, **changes)

    parsed, result = decide(two_reads(lines, lines), "ktp")

    assert parsed.value("nik") == nik  # the read is never rewritten
    assert result.decision == decision, result.reasons
    if decision == "in_review":
        assert parsed.fields["nik"].agreement == "region_off"
        check = next(c for c in result.checks if c.code == "identity_verified")
        assert "one look-alike digit off the regency the header names" in check.message


def _with_alternative(ocr: OcrResult, word: str, alternative: Alternative) -> OcrResult:
    """``ocr`` with ``alternative`` on every word of the primary read that reads ``word``."""
    return replace(
        ocr,
        lines=[
            line.with_words(
                replace(w, alternatives=(*w.alternatives, alternative)) if w.text == word else w
                for w in line.words
            )
            for line in ocr.lines
        ],
    )


def _line_reread(ocr: OcrResult, word: str, read: str) -> OcrResult:
    """``ocr`` with Tesseract's re-read of the row (``ocr_gpu.linereads``) on ``word``."""
    return _with_alternative(ocr, word, Alternative(read, 90.0, "tesseract", linereads.LINE))


@pytest.mark.parametrize(
    ("tesseract", "row", "third", "value"),
    [
        # PP-OCR dropped the space Tesseract kept: the name is written as Tesseract spaced it
        ("HENDRA GUSTIAN", None, None, "HENDRA GUSTIAN"),
        ("HENDRA GUSTIAN", "HENDRA GUSTIAN", "HENDRAGUSTIAN", "HENDRA GUSTIAN"),  # v4 drops it too
        ("HENDRA GUSTIAN", None, "HENDRA GUSTIAN", "HENDRA GUSTIAN"),
        # PP-OCRv4 kept it and Tesseract read other letters; the label's colon is no letter
        ("HENDRA GUSTLAN", None, ": HENDRA GUSTIAN", "HENDRA GUSTIAN"),
        ("HENDRA GUSTLAN", None, None, "HENDRAGUSTIAN"),  # other letters: the primary read stays
        ("HEN DRA GUSTIAN", "HENDRA GUSTIAN", None, "HENDRAGUSTIAN"),  # two spacings: neither
    ],
)
def test_a_name_pp_ocr_read_without_a_space_the_others_read_is_written_spaced_for_a_person(
    tesseract, row, third, value
):
    _fields, printed = ktp_lines(nama="HENDRA GUSTIAN")
    primary = [line.replace("HENDRA GUSTIAN", "HENDRAGUSTIAN") for line in printed]
    ocr = two_reads(primary, [line.replace("HENDRA GUSTIAN", tesseract) for line in printed])
    if row is not None:
        ocr = _line_reread(ocr, "HENDRAGUSTIAN", row)
    if third is not None:
        ocr = _with_name_read(ocr, "HENDRAGUSTIAN", third, 99.0)

    parsed, result = decide(ocr, "ktp")

    assert parsed.value("nama") == value
    # the primary engine read it otherwise: a person reads the name, whichever way it is written
    assert parsed.fields["nama"].agreement == "disagree"
    assert result.decision == "in_review"


def test_a_name_tesseract_split_at_a_letter_gap_and_joined_on_its_row_s_re_read_is_kept():
    """Tesseract's page read spaces ``RUQAYYAH`` at its wide ``YY``; its re-read of the row and
    PP-OCR read one word: the name stays one word, confirmed by the row's re-read."""
    _fields, printed = ktp_lines(nama="RUQAYYAH AZZAHRA")
    ocr = two_reads(printed, [line.replace("RUQAYYAH", "RUQAY YAH") for line in printed])
    ocr = _line_reread(_line_reread(ocr, "RUQAYYAH", "RUQAYYAH"), "AZZAHRA", "AZZAHRA")

    parsed, _result = decide(ocr, "ktp")

    assert parsed.value("nama") == "RUQAYYAH AZZAHRA"


def _print_gap(ocr: OcrResult, word: str, spaced: str) -> OcrResult:
    """``ocr`` with the card's print showing a space inside ``word`` (``ocr_gpu.namegaps``)."""
    return _with_alternative(ocr, word, Alternative(spaced, 99.0, "ppocr", "space"))


@pytest.mark.parametrize(
    ("tesseract", "value"),
    [
        ("SMI MULYANI", "SRI MULYANI"),  # no read kept the space: the print's gap writes it
        ("SRIMU LYANI", "SRIMU LYANI"),  # a read that kept a space spells it, not the print
    ],
)
def test_a_name_whose_print_shows_a_space_the_reads_closed_is_written_spaced_for_a_person(
    tesseract, value
):
    _fields, printed = ktp_lines(nama="SRI MULYANI")
    ocr = two_reads(
        [line.replace("SRI MULYANI", "SRIMULYANI") for line in printed],
        [line.replace("SRI MULYANI", tesseract) for line in printed],
    )
    ocr = _print_gap(ocr, "SRIMULYANI", "SRI MULYANI")

    parsed, result = decide(ocr, "ktp")

    assert parsed.value("nama") == value
    assert result.decision == "in_review"
