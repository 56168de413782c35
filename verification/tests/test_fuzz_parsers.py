"""Property tests for the parsers and validators on hostile input: arbitrary Unicode OCR output
never makes a parser raise, the NIK/NPWP validators answer every string consistently, and the
text normalisers are idempotent. Complements the round trips in ``test_parsing``."""

from __future__ import annotations

import math
import random
from datetime import date

from hypothesis import example, given, settings
from hypothesis import strategies as st

from ocr_gpu.result import Line, OcrResult, Word
from ocr_gpu.testing.cards import card_lines, luhn_check_digit, random_ktp, random_npwp
from ocr_gpu.testing.npwp_design import format_npwp
from verification import nik, npwp, textfix
from verification.engine import parse
from verification.fields import Field
from verification.names import normalise_name
from verification.parsing import lines_to_ocr
from verification.parsing.doctype import detect
from verification.parsing.ktp import parse_ktp
from verification.parsing.npwp import parse_npwp

PARSER_EXAMPLES = 200
VALIDATOR_EXAMPLES = 500
NORMALISER_EXAMPLES = 500
ROUND_TRIP_EXAMPLES = 100

NIK_CODES = {nik.LENGTH, nik.PROVINCE, nik.REGENCY, nik.DISTRICT, nik.BIRTH_DATE, nik.SERIAL}
NPWP_CODES = {npwp.LENGTH, npwp.CHECKSUM} | NIK_CODES

# OCR-ish text: card vocabulary, digit look-alikes and separators mixed with any Unicode.
ocr_alphabet = st.sampled_from(
    [
        *"NIKnamaAGALMRTWPOBDSlI|!0123456789:;.,-/ ",
        "Ø",
        "\u0663",
        "\U0001d7d8",
        "ﬁ",
        "ß",
        "\u200b",
        "\n",
    ]
)
ocr_text = st.text(max_size=40) | st.text(ocr_alphabet, max_size=40)
card_words = st.sampled_from(
    [
        "PROVINSI",
        "NIK",
        "Nama",
        "Tempat/Tgl",
        "Lahir",
        "Jenis",
        "Kelamin",
        "Alamat",
        "RT/RW",
        "Agama",
        "NPWP",
        "KPP",
        "Terdaftar",
        "SEUMUR",
        "HIDUP",
        ":",
        "3273015205900007",
        "09.254.294.3-407.000",
        "12-05-1990",
    ]
)
regions = st.sampled_from(["header", "nik", "npwp", "body", "issue", "page"]) | st.text(max_size=8)
coordinates = st.integers(-5000, 5000)
words = st.builds(
    Word,
    text=card_words | ocr_text,
    confidence=st.floats(-1, 100, allow_nan=False),
    box=st.tuples(coordinates, coordinates, coordinates, coordinates),
)


@st.composite
def lines(draw: st.DrawFn) -> Line:
    line_words = tuple(draw(st.lists(words, max_size=8)))
    text = " ".join(w.text for w in line_words) if line_words else draw(ocr_text)
    box = draw(st.tuples(coordinates, coordinates, coordinates, coordinates))
    return Line(text=text, words=line_words, region=draw(regions), box=box)


ocr_results = st.builds(
    OcrResult,
    lines=st.lists(lines(), max_size=20),
    card_size=st.sampled_from([(0, 0), (1012, 638), (1, 1)])
    | st.tuples(st.integers(0, 4000), st.integers(0, 4000)),
)


def assert_fields(fields: dict[str, Field]) -> None:
    for name, found in fields.items():
        assert isinstance(name, str)
        assert found.value is None or (isinstance(found.value, str) and found.value.strip())
        assert isinstance(found.raw, str)
        assert math.isfinite(found.confidence)
        Field.from_dict(found.to_dict())  # JSON-storable


# --- parsers ----------------------------------------------------------------------------------


# Found by the property below: a superscript digit made ``textfix.parse_date`` raise.
SUPERSCRIPT_DATE = OcrResult(lines=[Line("01-01-150\u00b9", (), "issue", (0, 0, 0, 0))])


@settings(max_examples=PARSER_EXAMPLES, deadline=None)
@given(ocr_results)
@example(SUPERSCRIPT_DATE)
def test_the_ktp_parser_never_raises_on_arbitrary_ocr_output(ocr):
    assert_fields(parse_ktp(ocr))


@settings(max_examples=PARSER_EXAMPLES, deadline=None)
@given(ocr_results)
def test_the_npwp_parser_never_raises_on_arbitrary_ocr_output(ocr):
    assert_fields(parse_npwp(ocr))


@settings(max_examples=PARSER_EXAMPLES, deadline=None)
@given(ocr_results, st.sampled_from(["ktp", "npwp", None, "sim", ""]))
def test_detection_and_parsing_never_raise_and_are_deterministic(ocr, declared):
    first = parse(ocr, declared)

    assert first.detected_type in ("ktp", "npwp", "unknown")
    assert first.detected_type == detect(ocr)
    assert parse(ocr, declared) == first
    assert_fields(first.fields)


# --- validators -------------------------------------------------------------------------------

digit_strings = st.text(st.sampled_from("0123456789"), min_size=14, max_size=23)
any_numbers = (
    st.text(max_size=30)
    | digit_strings
    | st.text("0123456789\u0660\u0661\u0662\u096a\u096b", max_size=20)
)


@settings(max_examples=VALIDATOR_EXAMPLES, deadline=None)
@given(any_numbers)
def test_nik_validation_answers_every_string_consistently(text):
    problems = nik.problems(text)
    parts = nik.split(text)

    assert set(problems) <= NIK_CODES
    assert problems == nik.problems(text)  # deterministic
    assert nik.is_valid(text) == (problems == [])
    sixteen_ascii_digits = len(text) == 16 and text.isascii() and text.isdigit()
    assert (parts is not None) == sixteen_ascii_digits
    assert (problems == [nik.LENGTH]) == (parts is None)
    if parts is not None:
        assert parts.province + parts.regency + parts.district == text[:6]
        today = date(2026, 1, 1)
        born = nik.birth_date(parts, today)
        assert born is None or born <= today
        assert (nik.BIRTH_DATE in problems) == (nik.candidate_birth_dates(parts) == [])


@settings(max_examples=VALIDATOR_EXAMPLES, deadline=None)
@given(any_numbers)
def test_npwp_validation_answers_every_string_consistently(text):
    problems = npwp.problems(text)
    found = npwp.kind(text)

    assert set(problems) <= NPWP_CODES
    assert npwp.is_valid(text) == (problems == [])
    assert (found is None) == (problems == [npwp.LENGTH])
    if found == npwp.NIK16:
        assert problems == nik.problems(text)
    if found in (npwp.LEGACY, npwp.ENTITY16):
        assert npwp.is_valid(text) == npwp.luhn_valid(npwp.checksum_digits(text) or "")


@settings(max_examples=VALIDATOR_EXAMPLES, deadline=None)
@given(any_numbers)
def test_npwp_normalising_and_formatting_twice_changes_nothing(text):
    once = npwp.normalise(text)
    formatted = format_npwp(text)

    assert npwp.normalise(once) == once
    assert format_npwp(formatted) == formatted
    if len(text) == 15 and text.isascii() and text.isdigit():
        assert textfix.digits_only(formatted) == text


# --- normalisers ------------------------------------------------------------------------------

NORMALISERS = {
    "clean": textfix.clean,
    "clean_alpha": textfix.clean_alpha,
    "clean_address": textfix.clean_address,
    "compact": textfix.compact,
    "digits_only": textfix.digits_only,
    "fix_digits": textfix.fix_digits,
    "fix_letters": textfix.fix_letters,
    "fix_roman": textfix.fix_roman,
    "normalise_name": normalise_name,
}


@settings(max_examples=NORMALISER_EXAMPLES, deadline=None)
@given(st.sampled_from(sorted(NORMALISERS)), ocr_text)
@example("clean_alpha", "0 :A")  # found by this property; fixed in ``textfix.clean_alpha``
@example("clean_alpha", "A;.")
def test_normalising_twice_changes_nothing(name, text):
    normalise = NORMALISERS[name]

    once = normalise(text)

    assert normalise(once) == once


def test_clean_alpha_strips_separators_exposed_by_dropping_specks():
    # Found by the property above: the speck "0" was dropped, leaving ":A" behind.
    assert textfix.clean_alpha("0 :A") == "A"
    assert textfix.clean_alpha("SITI AMINAH ;.") == "SITI AMINAH"


@settings(max_examples=VALIDATOR_EXAMPLES, deadline=None)
@given(ocr_text | st.text("0123456789-\u00b9\u00b2\u00b3\u2070\u0663", max_size=12))
@example("01-01-150\u00b9")
@example("0\u00b9-01-1990")
def test_dates_parse_to_real_iso_dates_or_nothing(text):
    value = textfix.parse_date(text)

    assert value is None or textfix.parse_iso(value) is not None


# --- round trips through the card generator ---------------------------------------------------


@settings(max_examples=ROUND_TRIP_EXAMPLES, deadline=None)
@given(st.integers(0, 10**9), st.text("0123456789", min_size=8, max_size=8), st.booleans())
def test_any_legacy_npwp_number_printed_on_a_card_parses_back(seed, first_eight, entity):
    legacy = first_eight + luhn_check_digit(first_eight) + "407000"
    number = "0" + legacy if entity else legacy
    fields = random_npwp(random.Random(seed), npwp=number)

    parsed = parse(lines_to_ocr(card_lines("npwp", fields)), "npwp")

    assert npwp.is_valid(number)
    assert parsed.value("npwp") == number


@settings(max_examples=ROUND_TRIP_EXAMPLES, deadline=None)
@given(st.integers(0, 10**9))
def test_a_generated_ktp_nik_is_valid_and_parses_back(seed):
    fields = random_ktp(random.Random(seed))

    parsed = parse(lines_to_ocr(card_lines("ktp", fields)), "ktp")

    assert nik.is_valid(fields["nik"])
    assert parsed.value("nik") == fields["nik"]
    assert npwp.problems(fields["nik"]) == []  # a NIK is also a valid NPWP16
