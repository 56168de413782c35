"""End to end on generated cards with the real engines: PP-OCR, Tesseract beside it."""

from __future__ import annotations

import io
import sys
import time
from collections.abc import Callable
from dataclasses import replace

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from ocr_gpu import pipeline, ppocr, tesseract
from ocr_gpu.backends import CpuBackend
from ocr_gpu.lines import union_box
from ocr_gpu.loading import ImageUnreadable
from ocr_gpu.pipeline import _distinct, run_ocr
from ocr_gpu.preprocess import Preprocessed, normalise_illumination
from ocr_gpu.result import TESSERACT as TESSERACT_NAME
from ocr_gpu.result import Alternative, Line, OcrResult, Word
from ocr_gpu.tesseract import OcrTimeout
from ocr_gpu.testing import cards as cards_module
from ocr_gpu.testing.cards import make_card
from ocr_gpu.testing.drawing import draw_segments
from ocr_gpu.testing.fonts import FALLBACK, available, path_of

pytestmark = pytest.mark.slow

# Two of the generator's layout families (family c is kept for the held-out evaluation).
FAMILY = {
    ("ktp", "clean"): "a",
    ("ktp", "mild"): "b",
    ("ktp", "hard"): "a",
    ("npwp", "clean"): "b",
    ("npwp", "mild"): "a",
    ("npwp", "hard"): "b",
}
CASES = list(FAMILY)
NUMBER = {"ktp": "nik", "npwp": "npwp"}


@pytest.fixture(scope="module")
def reads() -> dict[tuple[str, str], tuple[OcrResult, dict]]:
    """One OCR run per generated card, shared by the tests below."""
    out = {}
    for doc_type, level in CASES:
        data, truth = make_card(doc_type, level, 1, family=FAMILY[doc_type, level])
        out[doc_type, level] = (run_ocr(data), truth["fields"])
    return out


def digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def number_words(result: OcrResult, number: str):
    return [w for line in result.lines for w in line.words if number in digits(w.text)]


@pytest.mark.parametrize("case", CASES)
def test_the_identity_number_is_read_by_ppocr_and_confirmed_by_tesseract(reads, case):
    result, fields = reads[case]
    number = fields[NUMBER[case[0]]]

    assert result.engine == "ppocr" and result.second_engine == "tesseract"
    (word,) = number_words(result, number)
    in_tesseract_page = bool(number_words(OcrResult(lines=result.second_lines), number))
    rereads = {(a.engine, a.method): digits(a.text) for a in word.alternatives}
    # Tesseract gives the same number: in its own whole-card read, or re-reading the box
    assert in_tesseract_page or rereads[("tesseract", "digits")] == number
    # a number both whole-card reads gave alike is not read a third and fourth time
    assert in_tesseract_page != bool(word.alternatives)


def test_a_number_tesseracts_page_read_missed_is_re_read_from_its_box(monkeypatch):
    """When the two whole-card reads do not agree on a number, both engines re-read its box
    (Tesseract at the card's scale and at twice it, kept where it reads otherwise)."""
    real_read_page = tesseract.read_page

    def page_without_numbers(*args, **kwargs):
        segments = real_read_page(*args, **kwargs)
        return [[w for w in s if len(digits(w.text)) < 10] or s[:0] for s in segments]

    monkeypatch.setattr(tesseract, "read_page", page_without_numbers)
    data, truth = make_card("ktp", "clean", 1, family="a")
    result = run_ocr(data)
    number = truth["fields"]["nik"]

    assert not number_words(OcrResult(lines=result.second_lines), number)
    (word,) = number_words(result, number)
    rereads = {(a.engine, a.method): digits(a.text) for a in word.alternatives}
    assert rereads[("tesseract", "digits")] == number
    assert ("tesseract", "digits_upscaled") not in rereads  # the same text twice is one read
    assert rereads[("ppocr", "rescaled")] == number


@pytest.mark.parametrize(
    ("doc_type", "level", "seed", "glued"),
    [("npwp", "hard", 405, "NIK:"), ("ktp", "clean", 1000, ":")],
)
def test_a_number_read_with_its_label_glued_on_is_re_read_from_where_the_digits_start(
    doc_type, level, seed, glued
):
    """PP-OCR reads ``NIK:5171...`` as one word, its label's letters wider than their share of
    it: the box re-read starts where Tesseract's read placed the number, and Tesseract's re-read
    then confirms PP-OCR's number (a crop cut by character share cuts into the label or the
    digits: ``-860085310738779`` for ``3603035310738779``). A colon alone is cut off by its share,
    where Tesseract's read took it in as a digit (``21171...``)."""
    data, truth = make_card(doc_type, level, seed, family="b")
    number = truth["fields"]["nik"]

    result = run_ocr(data)

    (word,) = number_words(result, number)
    assert word.text.startswith(glued)
    rereads = {(a.engine, a.method): digits(a.text) for a in word.alternatives}
    assert rereads[("tesseract", "digits")] == number


def _word(text: str, box: tuple[int, int, int, int]) -> Word:
    return Word(text=text, confidence=90.0, box=box)


def _row(*words: Word) -> Line:
    box = union_box([w.box for w in words])
    return Line(text=" ".join(w.text for w in words), words=words, region="page", box=box)


def test_the_second_read_places_a_glued_numbers_start_only_when_it_is_plain():
    glued = _word("NIK:3471130112872675", (70, 268, 348, 31))
    number = _word("3471130112872679", (145, 276, 273, 17))
    label = _word("NIK", (69, 276, 48, 17))
    elsewhere = _word("3471130112872679", (145, 330, 273, 17))  # the next row

    assert pipeline._number_start(glued, [_row(label, number)]) == 145
    assert pipeline._number_start(glued, [_row(label)]) is None
    assert pipeline._number_start(glued, [_row(elsewhere)]) is None
    twice = _word("3471130112872675", (300, 270, 100, 20))
    assert pipeline._number_start(glued, [_row(number, twice)]) is None
    # the second read took the colon in as a digit, or kept it: its box starts too early
    colon_as_digit = _word("23471130112872675", (128, 276, 290, 17))
    colon_kept = _word(":3471130112872675", (128, 276, 290, 17))
    assert pipeline._number_start(glued, [_row(colon_as_digit)]) is None
    assert pipeline._number_start(glued, [_row(colon_kept)]) is None


def test_a_number_the_other_read_gave_alike_only_on_another_row_is_still_re_read():
    """An NPWP16 equal to the NIK: Tesseract read the number's row and not the NIK's number,
    so the NIK's row has one read, and its box is re-read; the number's row is not."""
    number = _word("NPWP:1275114806047087", (64, 181, 468, 36))
    nik = _word(":1275114806047087", (153, 287, 285, 31))
    primary = [_row(number), _row(_word("NIK", (68, 286, 60, 32)), nik)]
    second = [
        _row(_word("NPwP", (68, 186, 80, 30)), _word("1275114806047087", (200, 186, 330, 30))),
        _row(_word("NIK", (67, 293, 33, 18))),
    ]

    assert pipeline._agreed_numbers(primary, second) == frozenset({number})

    second[1] = _row(
        _word("NIK", (67, 293, 33, 18)), _word("1275114806047087", (160, 292, 280, 22))
    )
    assert pipeline._agreed_numbers(primary, second) == frozenset({number, nik})


def test_a_colon_cut_off_a_number_by_its_share_stays_out_of_the_re_read_crop():
    """PP-OCR read ``:57.190.387.1-421.000`` and the other read has no number to place it by:
    the colon, cut off by its share of the word, is not taken back in by the crop's margin
    (Tesseract read its dots as a digit: ``-572190...``)."""
    gray = np.full((100, 700), 230, np.uint8)
    gray[28:33, 175:180] = 7  # the colon's dots, drawn in a grey of their own
    gray[45:50, 175:180] = 7
    gray[22:58, 194:620] = 0  # the digits
    word = _word(":57.190.387.1-421.000", (172, 20, 450, 39))

    crop = gray[pipeline._number_area(gray, word)[0]]

    assert (crop == 0).any()
    assert not (crop == 7).any()


def test_a_label_glued_to_a_number_is_cut_off_after_its_colon():
    """PP-OCR read ``NIK:3573011411712829`` as one word: ``NIK:`` is a fifth of its characters
    but less of its width (an ``I`` and a colon are narrow), and a cut by its share took the
    first digit's left part off. The crop starts after the colon, without it."""
    gray = np.full((100, 700), 230, np.uint8)
    gray[22:58, 102:122] = 0  # N
    gray[22:58, 128:132] = 0  # I
    gray[22:58, 138:158] = 0  # K
    gray[30:35, 164:168] = 7  # the colon's dots, in a grey of their own
    gray[50:55, 164:168] = 7
    gray[22:58, 176:196] = 3  # the first digit, in another
    gray[22:58, 202:600] = 0  # the other digits
    word = _word("NIK:3573011411712829", (100, 20, 500, 39))

    crop = gray[pipeline._number_area(gray, word)[0]]

    assert (crop == 3).sum() == 36 * 20  # the whole first digit
    assert not (crop == 7).any()


def test_a_ktp_read_that_starts_at_its_regency_line_has_lost_its_header():
    """A KTP prints its province above its regency or city: a read that starts at the regency
    line was cut at the top and the card is located again by its text."""
    province = _row(_word("PROVINSI", (300, 4, 150, 40)), _word("PAPUA", (460, 4, 100, 40)))
    city = _row(_word("KOTA", (330, 48, 70, 40)), _word("JAYAPURA", (410, 48, 140, 40)))
    regency = _row(_word("KABUPATEN", (300, 48, 160, 40)), _word("KOTABARU", (470, 48, 150, 40)))
    nik = _row(_word("NIK", (40, 100, 50, 40)), _word(":9171030712790019", (240, 95, 390, 55)))
    glued = _row(_word("KOTASORAKARTA", (330, 48, 220, 40)))
    # a Jakarta city prints without KOTA, under PROVINSI DKI JAKARTA
    jakarta = _row(_word("JAKARTA", (330, 48, 120, 40)), _word("SELATAN", (460, 48, 120, 40)))

    assert pipeline._headless([city, nik]) and pipeline._headless([regency, nik])
    assert pipeline._headless([glued, nik])
    assert pipeline._headless([jakarta, nik])
    assert not pipeline._headless([province, city, nik])
    assert not pipeline._headless([province, regency, nik])
    assert not pipeline._headless([province, jakarta, nik])


def test_a_read_whose_number_comes_before_any_header_word_has_lost_its_header():
    """A tilted card's outline kept the far end of its header band (``REPUBLIK INDONESIA``)
    and cut off the province and the city: the read has header text on top, but the NIK comes
    before any header word, and the card is located again by its text."""
    band = _row(_word("REPUBLIK", (855, 4, 70, 20)), _word("INDONESIA", (930, 4, 70, 20)))
    nik = _row(_word("NIK", (20, 33, 25, 25)))
    number = _row(_word("7171035211981080", (21, 57, 411, 67)))
    province = _row(_word("PROVINSI", (60, 10, 150, 30)), _word("SULAWESI", (220, 10, 150, 30)))
    npwp_header = _row(_word("DIREKTORAT", (60, 10, 150, 30)), _word("PAJAK", (220, 10, 90, 30)))

    assert pipeline._headless([band, nik, number])
    assert not pipeline._headless([band, province, nik, number])
    assert not pipeline._headless([npwp_header, number])


def test_an_outline_much_longer_than_a_card_left_a_band_of_it_out():
    """A card is 1.586 times as long as high: an outline 1.9 times as long (a cream body
    without its dark header band, the text under the band starting with a small label rather
    than the NIK) is no whole card, and a tilted card's outline is."""
    image = np.zeros((100, 100, 3), np.uint8)

    def found(width: float, height: float) -> Preprocessed:
        return Preprocessed(
            card=image,
            gray=image[..., 0],
            warped=image,
            card_found=True,
            card_area_share=0.5,
            rotation=0,
            deskew_angle=0.0,
            source_card_size=(width, height),
            frame_size=(2000, 1500),
            method="colour",
        )

    assert pipeline._too_long(found(1900, 1000))
    assert not pipeline._too_long(found(1586, 1000))
    assert not pipeline._too_long(found(1680, 1000))


def _band_on_a_dark_desk(data: bytes, band: float) -> bytes:
    """The card's top ``band`` (a share of its height, the header) printed white on a dark blue
    band, the card photographed on a dark brown desk a little turned: the band and the desk
    are close in colour, the cream body stands out."""
    card = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    height, width = card.shape[:2]
    top = card[: int(band * height)]
    ink = cv2.cvtColor(top, cv2.COLOR_BGR2GRAY) < 140
    top[:] = (70, 40, 30)
    top[ink] = (245, 245, 245)
    canvas = np.full((height * 2, width * 2, 3), (35, 45, 60), np.uint8)
    canvas[height // 2 : height // 2 + height, width // 2 : width // 2 + width] = card
    matrix = cv2.getRotationMatrix2D((width, height), 4.0, 1.0)
    canvas = cv2.warpAffine(canvas, matrix, (width * 2, height * 2), borderValue=(35, 45, 60))
    return _photo(canvas, 11)


def test_a_card_whose_dark_header_band_melts_into_the_desk_keeps_its_header():
    """The cream body alone has an outline 1.9 times as long as high, where a card is 1.586:
    the card is located again by its text, and the province and regency are read."""
    data, truth = make_card("ktp", "clean", 3)

    result = run_ocr(_band_on_a_dark_desk(data, 0.12), "ktp", second_opinion=False)

    text = " ".join(line.text for line in result.lines)
    assert result.quality["detection"] == "text"
    assert truth["fields"]["provinsi"] in text
    assert truth["fields"]["kabupaten_kota"] in text
    assert truth["fields"]["nik"] in text.replace(" ", "")


def test_a_read_without_a_card_s_last_rows_or_running_into_its_bottom_edge_was_cut_there():
    """An NPWP whose outline left out its coloured bottom strip (the KPP and the registration
    date) reads to its address; a shadow's edge may cut the registration date in half. Either
    way the card is located again by its text."""
    number = _row(_word("87.041.814.2-895.000", (140, 130, 530, 60)))
    address = _row(_word("KEL", (28, 520, 52, 40)), _word("KEBON", (81, 520, 107, 40)))
    kpp = _row(_word("KPP", (28, 560, 48, 40)), _word("PRATAMA", (80, 560, 120, 40)))
    halved = _row(_word("Tanggal", (460, 594, 116, 42)), _word("Ter", (590, 598, 32, 39)))
    validity = _row(_word("BERLAKU", (20, 560, 90, 30)), _word("HINGGA", (110, 560, 80, 30)))

    assert pipeline._tailless([number, address])
    assert pipeline._tailless([number, address, kpp, halved])
    assert not pipeline._tailless([number, address, kpp])
    assert not pipeline._tailless([number, address, validity])  # a KTP's last row
    misread = _row(_word("Bertaky", (20, 560, 90, 30)), _word("kürigga", (110, 560, 80, 30)))
    assert not pipeline._tailless([number, address, misread])  # a hard photo's validity row


def test_parallel_recognition_gives_each_segment_its_own_text_in_order():
    """PP-OCR recognises a card's segments on several threads; each text stays with its
    segment."""
    engine = ppocr.get_engine(use_cuda=False)
    words = ["PROVINSI", "JAWA BARAT", "3273014501900003", "BANDUNG", "ISLAM", "WNI", "KAWIN"]
    crops = []
    for text in words:
        crop = np.full((48, 30 * len(text) + 20, 3), 255, np.uint8)
        cv2.putText(crop, text, (8, 36), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (0, 0, 0), 2)
        crops.append(crop)
    plain = getattr(engine._ocr.text_rec, "_recognizer", engine._ocr.text_rec)
    recogniser = ppocr._ParallelRecognizer(plain, 2)
    from rapidocr.ch_ppocr_rec.typings import TextRecInput

    output = recogniser(TextRecInput(img=crops, return_word_box=True))

    assert [t.replace(" ", "") for t in output.txts] == [w.replace(" ", "") for w in words]
    assert len(output.word_results) == len(words) and len(output.scores) == len(words)


@pytest.mark.parametrize("level", ["clean", "mild"])
def test_every_printed_word_of_a_ktp_is_read(reads, level):
    result, fields = reads["ktp", level]
    read = " ".join(line.text for line in result.lines)
    for name in ("nama", "alamat", "kel_desa", "kecamatan", "pekerjaan"):
        assert fields[name] in read, name


def test_label_and_value_share_a_row_and_boxes_are_card_coordinates(reads):
    result, fields = reads["ktp", "clean"]
    rows = [line.text for line in result.lines]
    first_name = fields["nama"].split()[0]
    assert any(row.startswith("Nama") and first_name in row for row in rows), rows
    for line in result.lines:
        x, y, w, h = line.box
        assert x >= 0 and y >= 0 and x + w <= 1012 and y + h <= 638


def test_result_carries_timings_quality_engine_and_survives_storage(reads):
    result, _ = reads["npwp", "hard"]
    assert set(result.timings_ms) >= {"load", "preprocess", "ocr", "numbers", "quality", "total"}
    assert result.backend == "cpu" and result.provider == "cpu" and result.card_size == (1012, 638)
    assert result.quality["card_found"] and 0.3 < result.quality["card_area_share"] < 0.7
    again = OcrResult.from_dict(result.to_dict())
    assert again == result


@pytest.mark.parametrize("level", ["clean", "mild"])
def test_every_row_of_print_on_a_readable_npwp_is_held_by_a_read(reads, level):
    """The pixels' rows no read holds (``ocr_gpu.unread``) come with the result; on a card both
    engines read whole there are none, so blank room is not taken for a lost NIK line."""
    result, _ = reads["npwp", level]

    assert result.quality["unread_rows"] == []


def _rotated(data: bytes, transpose: Image.Transpose) -> bytes:
    buffer = io.BytesIO()
    Image.open(io.BytesIO(data)).transpose(transpose).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("doc_type", "transpose"),
    [("ktp", Image.Transpose.ROTATE_180), ("npwp", Image.Transpose.ROTATE_90),
     ("ktp", Image.Transpose.ROTATE_270)],
)  # fmt: skip
def test_sideways_and_upside_down_cards_are_still_read(doc_type, transpose):
    data, truth = make_card(doc_type, "mild", 5, family="b")
    result = run_ocr(_rotated(data, transpose), second_opinion=False)
    assert number_words(result, truth["fields"][NUMBER[doc_type]])
    assert result.quality["rotation"] != 0


def _washed_out(data: bytes) -> np.ndarray:
    """The card in washed-out light, nearly the white of the desk it lies on."""
    card = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    return cv2.addWeighted(card, 0.35, np.full_like(card, 236), 0.65, 0)


def _photo(canvas: np.ndarray, seed: int) -> bytes:
    """``canvas`` as a phone's JPEG, with its sensor's noise."""
    noise = np.random.default_rng(seed).normal(0, 2.0, canvas.shape)
    ok, encoded = cv2.imencode(
        ".jpg", np.clip(canvas + noise, 0, 255).astype(np.uint8), [cv2.IMWRITE_JPEG_QUALITY, 88]
    )
    assert ok
    return encoded.tobytes()


def _on_a_light_desk(data: bytes, angle: float) -> bytes:
    """The card photographed on a white desk: hardly any edge between card and desk."""
    card = _washed_out(data)
    height, width = card.shape[:2]
    canvas = np.full((height * 2, width * 2, 3), 233, np.uint8)
    canvas[height // 2 : height // 2 + height, width // 2 : width // 2 + width] = card
    matrix = cv2.getRotationMatrix2D((width, height), angle, 1.0)
    canvas = cv2.warpAffine(canvas, matrix, (width * 2, height * 2), borderValue=(233, 233, 233))
    return _photo(canvas, 3)


def test_a_card_on_a_light_desk_is_found_by_its_text_and_read():
    data, truth = make_card("npwp", "clean", 8)

    result = run_ocr(_on_a_light_desk(data, 7.0), second_opinion=False)

    assert result.quality["card_found"]
    assert number_words(result, truth["fields"]["npwp"])
    assert truth["fields"]["nama"] in " ".join(line.text for line in result.lines)


def _left_half(data: bytes) -> bytes:
    """The card with its right half blank: short values, a text block higher than wide."""
    card = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    half = card.shape[1] // 2
    card[:, half:] = card[5:10, half : half + 1].mean(axis=(0, 1))
    ok, encoded = cv2.imencode(".png", card)
    assert ok
    return encoded.tobytes()


def test_a_card_standing_on_its_short_edge_on_a_light_desk_is_read_along_its_rows():
    """A card held upright over a white desk: no outline, its rows run up the photo. Located
    by its text, whose block is higher than wide, it was framed across its rows and read with
    every word on end (a label column read as one line, the values as another)."""
    data, truth = make_card("ktp", "clean", 8)

    result = run_ocr(_on_a_light_desk(_left_half(data), 93.0), second_opinion=False)

    assert result.quality["detection"] == "text"
    assert result.quality["rotation"] in (90, 270)
    name_row = next(line.text for line in result.lines if truth["fields"]["nama"] in line.text)
    assert name_row.startswith("Nama")


def _upright_photo_of(data: bytes) -> bytes:
    """A phone photo held upright (2:3, a card's shape when turned): the washed-out card lies
    across its top, on a light desk, the rest of the photo is desk."""
    card = _washed_out(data)
    height, width = card.shape[:2]
    photo = np.full((int(width * 1.35 * 1.5), int(width * 1.35), 3), 233, np.uint8)
    top, left = height // 4, int(width * 0.175)
    photo[top : top + height, left : left + width] = card
    return _photo(photo, 5)


def test_a_card_in_part_of_an_upright_photo_of_a_card_s_shape_is_found_by_its_text():
    """No outline on the light desk, and the photo, turned, has a card's shape: it is no flat
    scan, since the card's text fills only its top."""
    data, truth = make_card("npwp", "clean", 8)

    result = run_ocr(_upright_photo_of(data), second_opinion=False)

    assert result.quality["detection"] == "text"
    assert number_words(result, truth["fields"]["npwp"])
    assert truth["fields"]["nama"] in " ".join(line.text for line in result.lines)


def test_an_upright_photo_resized_by_a_messaging_app_is_no_flat_scan():
    """The same photo sent through a messaging app (1,280 pixels on its long side): a card's
    shape and a scan's size. Read as a scan it is the card turned, a line or two of text; the
    card is then located by its text."""
    data, truth = make_card("npwp", "clean", 8)
    photo = cv2.imdecode(np.frombuffer(_upright_photo_of(data), np.uint8), cv2.IMREAD_COLOR)
    scale = 1280 / max(photo.shape[:2])
    sent = cv2.resize(photo, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)

    result = run_ocr(_photo(sent, 6), second_opinion=False)

    assert result.quality["detection"] == "text"
    assert number_words(result, truth["fields"]["npwp"])
    assert truth["fields"]["nama"] in " ".join(line.text for line in result.lines)


def test_a_card_whose_outline_a_shadow_cut_below_the_header_is_read_whole():
    """A mild photo with a shadow over the card's top right corner: the outline found by colour
    leaves the corner out and its top edge cuts the header off, so the read starts at the NIK
    row. The card is then located by its text and read with its header."""
    data, truth = make_card("ktp", "mild", 952, family="a")

    result = run_ocr(data, second_opinion=False)

    text = " ".join(line.text for line in result.lines)
    assert result.quality["detection"] == "text"
    assert f"PROVINSI {truth['fields']['provinsi']}" in text
    assert truth["fields"]["kabupaten_kota"] in text
    assert number_words(result, truth["fields"]["nik"])


def _shadow_over_the_top(data: bytes, share: float, dim: float) -> bytes:
    """The card on a dark desk, a shadow over the desk and the card's top ``share``, turned by
    4 degrees: the lit part of the card stands out, the shadowed top hardly."""
    card = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR).astype(np.float32)
    height, width = card.shape[:2]
    canvas = np.full((height * 2, width * 2, 3), 70, np.float32)
    canvas[height // 2 : height // 2 + height, width // 2 : width // 2 + width] = card
    canvas[: height // 2 + int(height * share)] *= dim
    matrix = cv2.getRotationMatrix2D((width, height), 4.0, 1.0)
    canvas = cv2.warpAffine(canvas, matrix, (width * 2, height * 2), borderValue=(70 * dim,) * 3)
    ok, encoded = cv2.imencode(".jpg", canvas.astype(np.uint8), [cv2.IMWRITE_JPEG_QUALITY, 90])
    assert ok
    return encoded.tobytes()


def test_a_ktp_whose_outline_a_shadow_cut_below_its_province_line_is_read_whole():
    """A shadow over the card's top tenth: the outline found by colour starts under the province
    line, so the read starts at the regency line. A KTP prints its province above it, so the card
    is located by its text and read with its province."""
    data, truth = make_card("ktp", "clean", 3, family="a")

    result = run_ocr(_shadow_over_the_top(data, 0.1, 0.45), second_opinion=False)

    text = " ".join(line.text for line in result.lines)
    assert result.quality["detection"] == "text"
    assert f"PROVINSI {truth['fields']['provinsi']}" in text


def test_an_npwp_whose_outline_a_shadow_cut_through_its_number_is_read_whole():
    """A hard photo of an NPWP with a shadow over its top left: the outline found runs through
    the number row, so the read starts at the number, without its first digits. A card never
    starts with an identity number, so it is located by its text and read with its header."""
    data, truth = make_card("npwp", "hard", 5008, family="d")

    result = run_ocr(data, second_opinion=False)

    text = " ".join(line.text for line in result.lines)
    assert result.quality["detection"] == "text"
    assert "DIREKTORAT JENDERAL PAJAK" in text
    assert number_words(result, truth["fields"]["npwp"])


def test_a_card_whose_outline_a_shadow_cut_at_the_photo_side_keeps_its_place_of_issue():
    """A hard photo with a dark shadow over the card's right third: the outline found leaves the
    shadowed part out, cutting the place and date of issue under the photo at the card's right
    edge (the only two rows of text on that side). The card is located whole instead (by the
    outline of its edges, which holds the piece the colour saw, or else by its text), and the
    place and date of issue are read."""
    data, truth = make_card("ktp", "hard", 3107, family="b")

    result = run_ocr(data, second_opinion=False)

    text = " ".join(line.text for line in result.lines)
    assert result.quality["detection"] in {"edges", "text"}
    assert truth["fields"]["tempat_diterbitkan"] in text
    day, month, year = truth["fields"]["tanggal_diterbitkan"].split("-")[::-1]
    assert f"{day}-{month}-{year}" in text


def test_a_card_whose_outline_a_shadow_cut_below_its_number_is_read_whole():
    """A hard photo with a shadow over the top of the card: the outline found by colour starts
    below the NIK row, at the name, so the read holds no identity number at all (it was rejected
    as unreadable). Every card prints its number near the top: the card is located by its text,
    and read with its header and NIK."""
    data, truth = make_card("ktp", "hard", 6009, family="b")

    result = run_ocr(data, second_opinion=False)

    text = " ".join(line.text for line in result.lines)
    assert result.quality["detection"] == "text"
    assert f"PROVINSI {truth['fields']['provinsi']}" in text
    assert number_words(result, truth["fields"]["nik"])


def test_a_dark_photo_with_a_shadow_over_half_the_card_is_located_whole(monkeypatch):
    """A hard, dark photo with a hand's shadow over the lower half of the card: no outline is
    seen, and in the shadow the text is too dark to detect as it is, so the card used to be
    located by its lit rows only (its top, stretched to a card's size: rejected as the wrong
    document). The light is evened out before the text is detected, and the whole card is
    read: its header, its NIK and the date of issue under the photo (the card as drawn before
    the generator could print the date above the photo)."""
    monkeypatch.setattr(cards_module, "LATE_OPTIONS", {})
    data, truth = make_card("ktp", "hard", 3113, family="b")

    result = run_ocr(data, second_opinion=False)

    text = " ".join(line.text for line in result.lines)
    assert result.quality["detection"] == "text"
    assert f"PROVINSI {truth['fields']['provinsi']}" in text
    assert number_words(result, truth["fields"]["nik"])
    day, month, year = truth["fields"]["tanggal_diterbitkan"].split("-")[::-1]
    assert f"{day}-{month}-{year}" in text


def test_on_a_photo_of_a_bent_card_each_label_keeps_its_own_value():
    """A hard photo of a KTP bent along its length: the rows slope one way in the header and
    the other way, more steeply further down, in the body. Each label's row is followed along
    the slope of PP-OCR's box around its value, so no label takes the value of the row above."""
    data, truth = make_card("ktp", "hard", 5011, family="d")

    result = run_ocr(data, second_opinion=False)

    rows = {line.words[0].text: line.text for line in result.lines if line.words}
    assert truth["fields"]["jenis_kelamin"] in rows["Jenis"]
    assert "MELATI" in rows["Alamat"]
    assert truth["fields"]["rt_rw"] in rows["RT/RW"].replace(" ", "")
    assert truth["fields"]["agama"] in rows["Agama"]


@pytest.mark.parametrize("turn", [0, 1, 2, 3])
def test_a_detected_boxs_slope_does_not_depend_on_where_its_corners_start(turn):
    corners = [(100, 50), (300, 70), (298, 90), (98, 70)]  # clockwise from the top left
    assert ppocr.quad_slope(corners[turn:] + corners[:turn]) == pytest.approx(0.1)
    assert ppocr.quad_slope(list(reversed(corners))) == pytest.approx(0.1)


def test_words_glare_washed_out_in_the_middle_of_an_address_are_read():
    """A hard photo of an NPWP with glare across its address row: the detector finds the words
    either side of the glare and none under it. The row is read again whole, and the words under
    the glare are read."""
    data, truth = make_card("npwp", "hard", 5012, family="d")

    result = run_ocr(data, second_opinion=False)

    (row,) = [line.text for line in result.lines if line.text.startswith("JL")]
    assert row.replace(" ", "") == truth["fields"]["alamat"].replace(" ", "")


def _rows(*texts: str, confidence: float = 95.0) -> list[Line]:
    return [
        Line(
            text,
            tuple(Word(w, confidence, (0, 0, 1, 1)) for w in text.split()),
            "page",
            (0, 0, 1, 1),
        )
        for text in texts
    ]


def test_a_read_located_by_text_replaces_the_outlines_only_when_it_holds_more_of_the_card():
    outline = _rows("PROVINSI RIAU", "KABUPATEN KAMPAR", "Nama RIZKY", "Agama ISLAM BALI")
    # the same card words and text, read more surely but with its rows run together: kept out
    merged = _rows("PROVINSI RIAU KABUPATEN", "KAMPAR Nama RIZKY", "Agama ISLAM BALI",
                   confidence=99.0)  # fmt: skip
    # the place of issue the outline cut off (BALI for BALIKPAPAN), read whole
    whole = _rows("PROVINSI RIAU", "KABUPATEN KAMPAR", "Nama RIZKY", "Agama ISLAM BALIKPAPAN")
    # a card word more (the header the outline cut off)
    headed = [*_rows("PROVINSI RIAU"), *outline[1:], *_rows("Berlaku Hingga SEUMUR HIDUP")]

    # a card's rows against the same text read sideways as two long lines
    sideways = _rows("PROVINSI RIAU KABUPATEN KAMPAR Nama RIZKY", "Agama ISLAM Berlaku Hingga")
    rows = _rows("PROVINSI RIAU", "KABUPATEN KAMPAR", "Nama RIZKY", "Agama ISLAM", "Berlaku",
                 "Hingga")  # fmt: skip

    assert pipeline._fuller(rows, sideways) and not pipeline._fuller(sideways, rows)
    assert not pipeline._fuller(merged, outline)
    assert pipeline._fuller(whole, outline)
    assert pipeline._fuller(headed, outline) and not pipeline._fuller(outline, headed)


def test_without_onnx_runtime_tesseract_reads_the_card_and_says_why(monkeypatch):
    # rapidocr cannot be imported: the CPU-only case of a worker built without it
    monkeypatch.setitem(sys.modules, "rapidocr", None)
    ppocr._engine.cache_clear()
    try:
        data, truth = make_card("ktp", "clean", 3)
        result = run_ocr(data)
    finally:
        ppocr._engine.cache_clear()

    assert result.engine == "tesseract" and result.engine_fallback == "ppocr_unavailable"
    assert result.second_engine == "tesseract-psm3"
    assert number_words(result, truth["fields"]["nik"])


def test_the_engine_setting_tesseract_reads_without_ppocr():
    data, truth = make_card("npwp", "mild", 4)

    result = run_ocr(data, engine="tesseract", second_opinion=False)

    assert result.engine == "tesseract" and result.engine_fallback == ""
    assert number_words(result, truth["fields"]["npwp"])


def test_pdf_upload_is_read():
    data, truth = make_card("ktp", "clean", 6)
    buffer = io.BytesIO()
    Image.open(io.BytesIO(data)).convert("RGB").save(buffer, "PDF")
    result = run_ocr(buffer.getvalue(), second_opinion=False)
    assert number_words(result, truth["fields"]["nik"])
    assert result.quality["card_found"]


def test_photo_without_a_card_reports_no_card_and_does_not_crash():
    rng = np.random.default_rng(9)
    blotches = cv2.resize(rng.integers(0, 255, (9, 12, 3), dtype=np.uint8), (1200, 900))
    ok, encoded = cv2.imencode(".jpg", blotches)
    result = run_ocr(encoded.tobytes())
    assert ok and not result.quality["card_found"]
    assert result.quality["ocr_word_count"] < 25


def test_corrupt_upload_raises_image_unreadable():
    data, _ = make_card("ktp", "hard", 3)
    with pytest.raises(ImageUnreadable):
        run_ocr(data[:2000])


def test_spent_time_budget_raises_ocr_timeout():
    data, _ = make_card("ktp", "clean", 7)
    with pytest.raises(OcrTimeout):
        run_ocr(data, timeout_s=0.05)


def _read_in_child(queue) -> None:
    data, _ = make_card("npwp", "clean", 2, family="a")
    result = run_ocr(_on_a_light_desk(data, 4.0), second_opinion=False)
    queue.put((result.quality["detection"], len(result.lines)))


def test_a_process_forked_after_reading_still_reads():
    """A prefork worker (or any child) inherits the loaded engine but none of its threads: the
    recognisers' pool, and ONNX Runtime's threads of the detector that searches a photo for a
    card's text."""
    import multiprocessing

    data, _ = make_card("npwp", "clean", 1, family="a")
    # the parent's pool and the photo detector's threads have run
    assert run_ocr(_on_a_light_desk(data, 7.0), second_opinion=False).lines
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_read_in_child, args=(queue,))
    child.start()
    child.join(120)
    if child.is_alive():
        child.kill()
    assert child.exitcode == 0, "the forked child hung or crashed reading a card"
    detection, lines = queue.get(timeout=5)
    assert detection == "text"
    assert lines > 5


def test_tesseracts_re_read_at_twice_the_scale_counts_only_where_it_reads_otherwise():
    # a slashed zero read as 8 at the card's scale and as 0 larger: both reads stay
    at_scale = Alternative("1201216202914615", 80.0, "tesseract", "digits")
    larger = Alternative("1201216202914610", 80.0, "tesseract", "digits_upscaled")
    ppocr = Alternative("1201216202914610", 90.0, "ppocr", "rescaled")
    same = replace(larger, text=at_scale.text)

    assert _distinct([at_scale, larger, ppocr]) == (at_scale, larger, ppocr)
    assert _distinct([at_scale, same, ppocr]) == (at_scale, ppocr)
    smaller = Alternative(larger.text, 80.0, "tesseract", "digits_downscaled")
    assert _distinct([at_scale, larger, smaller, ppocr]) == (at_scale, larger, ppocr)


def _number_printed(face: str, size: int) -> tuple[np.ndarray, Word]:
    if not available(face):
        pytest.skip(f"font {face} is not installed")
    number = "66.531.469.6-731.000"
    font = ImageFont.truetype(str(path_of(face)), size)
    image = Image.new("L", (int(font.getlength(number)) + 80, int(size * 1.6)), 225)
    draw = ImageDraw.Draw(image)
    draw.text((40, size // 4), number, 30, font)
    left, top, right, bottom = draw.textbbox((40, size // 4), number, font)
    return np.asarray(image), Word(number, 95.0, (left, top, right - left, bottom - top))


Rect = tuple[int, int, int, int]


def _number_drawn(
    number: str,
    size: int,
    greys: tuple[int, int, int],
    dark: Callable[[Rect, int], list[Rect]],
) -> tuple[np.ndarray, np.ndarray, Word]:
    """``number`` in the generator's fallback bold face (DejaVu Sans Bold, which ``make test``
    installs), ``greys`` the ground, the ink and the shade the parts ``dark`` gives for the
    text's box and the image's width are filled with first: the card's plain grey, the same
    evened out as the OCR reads it, and the number's word."""
    ground, ink, shade = greys
    x = size + size // 4
    font = ImageFont.truetype(str(path_of(FALLBACK["bold"])), size)
    image = Image.new("L", (int(font.getlength(number)) + 2 * x, 3 * size), ground)
    draw = ImageDraw.Draw(image)
    left, top, right, bottom = draw.textbbox((x, size), number, font)
    for part in dark((left, top, right, bottom), image.width):
        draw.rectangle(part, fill=shade)
    draw.text((x, size), number, ink, font)
    plain = np.asarray(image)
    gray = normalise_illumination(plain, CpuBackend(fallback_reason=None))
    return plain, gray, Word(number.replace(" ", ""), 95.0, (left, top, right - left, bottom - top))


def test_a_dark_number_under_a_shadowed_band_is_not_turned_over():
    """A hard photo's NIK in low light, a shadowed band above it and the card's dark edges either
    side: the box's margin is dark, but the ground round the digits is not, so the digits are
    re-read as the dark print they are."""

    def shadows(box: Rect, width: int) -> list[Rect]:
        left, top, right, _ = box
        return [(0, 0, width, top - 2), (0, 0, left - 6, 999), (right + 6, 0, width, 999)]

    plain, gray, word = _number_drawn("3171035706998473", 32, (110, 20, 25), shadows)

    rereads = _rereads(gray, word, card=_bgr(plain))

    assert pipeline._turned(plain, *pipeline._number_area(gray, word)) is None
    assert "digits" in rereads and "digits_turned" not in rereads


def _rereads(gray: np.ndarray, word: Word, card: np.ndarray | None = None) -> dict[str, str]:
    from concurrent.futures import ThreadPoolExecutor
    from types import SimpleNamespace

    reader = pipeline._Reader(TESSERACT_NAME, None, "ind+eng", time.monotonic() + 60)
    line = Line(text=word.text, words=(word,), region="page", box=word.box)
    with ThreadPoolExecutor(max_workers=3) as pool:
        pre = SimpleNamespace(gray=gray, card=card if card is not None else _bgr(gray))
        (read,) = pipeline._with_alternatives([line], pre, reader, pool)
    return {a.method: a.text for a in read.words[0].alternatives}


def _bgr(gray: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)


def _number_in_segments(number: str, height: int) -> tuple[np.ndarray, Word]:
    """``number`` drawn as a seven-segment display draws it, dark on a light card."""
    image = Image.new("L", (len(number) * height + 2 * height, 2 * height), 230)
    box = draw_segments(
        ImageDraw.Draw(image), number, (height, height // 2), height, 40, max(3, height // 9)
    )
    return np.asarray(image), Word(number, 95.0, box)


@pytest.mark.parametrize("number", ["3507262710811015", "0581736717821000"])
def test_a_number_drawn_in_segments_tesseract_misreads_is_read_alike_by_both_ppocr_models(number):
    """Tesseract drops and misreads digits drawn as a segment display; PP-OCRv6 and PP-OCRv4's
    recogniser read the box as printed, two reads the consensus counts as two engines."""
    from concurrent.futures import ThreadPoolExecutor
    from types import SimpleNamespace

    from ocr_gpu import numberreader

    numbers = numberreader.get_reader(use_cuda=False)
    assert numbers is not None, "requirements-models.txt is installed by make venv"
    gray, word = _number_in_segments(number, 44)
    ppocr_engine = ppocr.get_engine(use_cuda=False)
    deadline = time.monotonic() + 60
    line = Line(text=word.text, words=(word,), region="page", box=word.box)
    pre = SimpleNamespace(gray=gray, card=_bgr(gray))
    rereads = {}
    for with_numbers in (True, False):
        reader = pipeline._Reader(
            "ppocr", ppocr_engine, "ind+eng", deadline, "", numbers if with_numbers else None
        )
        with ThreadPoolExecutor(max_workers=3) as pool:
            (read,) = pipeline._with_alternatives([line], pre, reader, pool)
        rereads[with_numbers] = {
            (a.engine, a.method): digits(a.text) for a in read.words[0].alternatives
        }

    tesseract_reads = {text for (engine, _), text in rereads[True].items() if engine == "tesseract"}
    assert number not in tesseract_reads
    assert rereads[True][("ppocr", "rescaled")] == number
    assert rereads[True][("ppocr-v4", "number_reader")] == number
    assert ("ppocr-v4", "number_reader") not in rereads[False]  # no model: no such read


def test_a_number_printed_light_on_a_dark_band_is_re_read_as_dark_print():
    """The old NPWP card prints its number white on navy: evening out the card's light leaves
    the digits white ringed with dark, which Tesseract reads with digits for the gaps; the box
    of the card's plain grey, turned over, reads as printed."""

    def navy_band(box: Rect, width: int) -> list[Rect]:
        return [(0, 24, width, 120)]

    plain, gray, word = _number_drawn("6472 0308 0486 2471", 48, (225, 235, 45), navy_band)

    rereads = _rereads(gray, word, card=_bgr(plain))

    assert rereads["digits"] != word.text  # the box as evened out
    assert rereads["digits_turned"] == word.text


@pytest.mark.parametrize("face", ["b612-mono-bold", "b612-bold", "ocr-b"])
def test_a_number_printed_large_is_also_re_read_by_tesseract_at_a_common_text_height(face):
    """The old NPWP card prints its number large: Tesseract misreads digits far taller than
    the text it was trained on, and reads them at a common text height."""
    gray, word = _number_printed(face, 140)

    rereads = _rereads(gray, word)

    assert rereads["digits"] != word.text  # as printed, Tesseract misreads it
    assert rereads["digits_downscaled"] == word.text


def test_a_number_printed_at_text_height_is_not_re_read_smaller():
    gray, word = _number_printed("b612-mono-bold", 40)

    rereads = _rereads(gray, word)

    assert rereads["digits"] == word.text
    assert "digits_downscaled" not in rereads


# A thin square monospace face with a slashed zero, stroke by stroke on a 10 x 16 grid (a face
# of this kind: strokes 1-2 pixels wide at the card's scale, chamfered corners).
THIN_DIGITS = {
    "0": [
        [(2, 0), (8, 0), (10, 2), (10, 14), (8, 16), (2, 16), (0, 14), (0, 2), (2, 0)],
        [(9, 3), (1, 13)],
    ],
    "1": [[(2, 3), (5, 0), (5, 16)], [(2, 16), (8, 16)]],
    "2": [[(0, 2), (2, 0), (8, 0), (10, 2), (10, 6), (0, 16), (10, 16)]],
    "3": [[(0, 0), (10, 0), (4, 7), (8, 7), (10, 9), (10, 14), (8, 16), (2, 16), (0, 14)]],
    "6": [[(9, 0), (3, 0), (0, 4), (0, 14), (2, 16), (8, 16), (10, 14), (10, 9), (8, 7), (0, 7)]],
    "7": [[(0, 0), (10, 0), (10, 3), (4, 16)]],
    "8": [
        [
            (2, 0),
            (8, 0),
            (10, 2),
            (10, 5),
            (8, 7),
            (2, 7),
            (0, 9),
            (0, 14),
            (2, 16),
            (8, 16),
            (10, 14),
            (10, 9),
            (8, 7),
        ],
        [(2, 7), (0, 5), (0, 2), (2, 0)],
    ],
    "-": [[(2, 9), (8, 9)]],
    ".": [[(4, 15), (5, 15), (5, 16), (4, 16), (4, 15)]],
}


def _thin_number(number: str, unit: float = 1.2) -> tuple[np.ndarray, Word]:
    advance, left, top = 13 * unit, 20, 12
    gray = np.full((int(16 * unit) + 2 * top, int(len(number) * advance) + 2 * left), 230, np.uint8)
    for index, char in enumerate(number):
        for stroke in THIN_DIGITS[char]:
            points = [(left + index * advance + x * unit, top + y * unit) for x, y in stroke]
            scaled = np.round(np.array(points) * 8).astype(np.int32)
            cv2.polylines(gray, [scaled], False, 40, 1, cv2.LINE_AA, shift=3)
    width = int((len(number) - 1) * advance + 10 * unit) + 1
    return gray, Word(number, 95.0, (left, top, width, int(16 * unit) + 1))


@pytest.mark.parametrize("unit", [1.6, 1.8, 2.0])  # digits 26, 29 and 32 pixels tall
def test_a_thin_number_with_slashed_zeros_is_read_by_tesseract_once_they_are_opened(unit):
    """Tesseract reads a thin face's slashed zero as ``8``, and its zeros opened reads the
    number exactly at the card's scale but not twice as large, where the thin strokes break."""
    number = "73.710.786.2-713.000"
    gray, word = _thin_number(number, unit)

    rereads = _rereads(gray, word)

    assert digits(rereads["digits"]) != digits(number)
    assert digits(rereads.get("digits_upscaled", "")) != digits(number)
    assert digits(rereads["digits_opened"]) == digits(number)


def test_a_number_at_text_height_is_also_re_read_three_fifths_its_size(monkeypatch):
    """OCR-A's digits, and some monospace faces', are read one digit off at the card's scale
    and exactly a little smaller: a number of text height is re-read both ways (a reduced read
    that reads as the first is one read, and dropped), small print only as it is."""
    scales: list[tuple[float, str | None]] = []
    read = pipeline._tesseract_digits

    def recorded(crop, reader, scale=1.0, method=None):
        scales.append((scale, method))
        return read(crop, reader, scale, method)

    monkeypatch.setattr(pipeline, "_tesseract_digits", recorded)
    gray, word = _number_printed("b612-mono-bold", 56)
    assert word.box[3] <= pipeline.DIGITS_HEIGHT * pipeline.DOWNSCALE_ABOVE

    rereads = _rereads(gray, word)

    assert (pipeline.REDUCE, pipeline.REDUCED) in scales
    assert word.text in rereads.values()
    assert "digits_downscaled" not in rereads

    scales.clear()
    gray, word = _number_printed("b612-mono-bold", 24)
    _rereads(gray, word)

    assert scales and all(method is None for _, method in scales)


def _row_of(*pieces: tuple[str, int]) -> Line:
    words = tuple(Word(text, 96.0, (x, 100, 12 * len(text), 30)) for text, x in pieces)
    return Line(" ".join(w.text for w in words), words, "page", union_box(w.box for w in words))


def test_a_number_printed_in_groups_of_four_is_one_word_to_re_read():
    """``6371 0250 1195 1199``: four words none of which looks like a number alone."""
    row = _row_of(("NIK", 20), ("6371", 100), ("0250", 170), ("1195", 240), ("1199", 310))

    (joined,) = pipeline._joined_groups([row])

    assert [w.text for w in joined.words] == ["NIK", "6371025011951199"]
    assert joined.words[1].box == (100, 100, 258, 30)
    assert pipeline.looks_like_number(joined.words[1].text)
    glued = _row_of(("NPWP", 20), (":6171", 100), ("0128", 182), ("0799", 252), ("0332", 322))
    (joined,) = pipeline._joined_groups([glued])
    assert [w.text for w in joined.words] == ["NPWP", ":6171012807990332"]


@pytest.mark.parametrize(
    "pieces",
    [
        (("RT", 20), ("001", 60), ("RW", 110), ("002", 150)),  # not an identity number's length
        (("6371", 100), ("0250", 170), ("1195", 240)),  # twelve digits
        (("6371", 100), ("0250", 170), ("1195", 400), ("1199", 470)),  # a column's gap apart
        (("12.05.1990", 20), ("3171", 200), ("0412", 270), ("9283", 340)),
    ],
)
def test_digit_groups_that_are_no_identity_number_stay_apart(pieces):
    row = _row_of(*pieces)

    assert pipeline._joined_groups([row]) == [row]


@pytest.mark.parametrize("doc_type", ["ktp", "npwp"])
def test_the_holder_s_name_is_read_again_by_pp_ocr_v4_beside_the_two_engines(doc_type):
    """The third read of the name (``ocr_gpu.namereread``) rides on the name's words of the
    primary read, kept with the result; only with the second opinion on."""
    data, truth = make_card(doc_type, "clean", 8)
    name = truth["fields"]["nama"]

    def name_reads(result):
        return {
            a.text: a.engine
            for line in result.lines
            for w in line.words
            for a in w.alternatives
            if a.method == "name"
        }

    reads = name_reads(run_ocr(data, doc_type))

    def letters(text):
        return "".join(c for c in text if c.isalpha())

    assert [letters(text) for text in reads] == [letters(name)]
    assert set(reads.values()) == {"ppocr-v4"}
    assert not name_reads(run_ocr(data, doc_type, second_opinion=False))


@pytest.mark.parametrize(
    ("doc_type", "level"), [("ktp", "clean"), ("npwp", "clean"), ("ktp", "mild")]
)
def test_a_name_read_with_its_spaces_is_marked_with_no_space_the_reads_closed(doc_type, level):
    """``ocr_gpu.namegaps`` marks a word of the name only where the card shows a word space
    inside it that the reads closed: on a card whose name is read word by word, none."""
    data, truth = make_card(doc_type, level, 11)

    result = run_ocr(data, doc_type)

    name_words = [
        w
        for line in result.lines
        for w in line.words
        if any(a.method == "name" for a in w.alternatives)
    ]
    assert (
        " ".join(w.text for w in name_words).replace(":", "").split()
        == truth["fields"]["nama"].split()
    )
    assert not [a for w in name_words for a in w.alternatives if a.method == "space"]
