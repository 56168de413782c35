"""Row assembly: an engine's text pieces into the card's rows, with no template."""

from __future__ import annotations

from ocr_gpu.lines import assemble
from ocr_gpu.result import Word


def piece(*words: tuple[str, int, int], height: int = 20, confidence: float = 95.0) -> list[Word]:
    """Words of one detected piece: (text, x, y) with a width of 12 px per character."""
    return [Word(text, confidence, (x, y, 12 * len(text), height)) for text, x, y in words]


def texts(lines) -> list[str]:
    return [line.text for line in lines]


def test_a_label_and_its_value_far_apart_form_one_row():
    pieces = [piece(("Nama", 30, 160)), piece((":", 222, 161), ("BUDI", 236, 161))]

    assert texts(assemble(pieces)) == ["Nama : BUDI"]


def test_rows_come_top_down_and_words_left_to_right_whatever_the_engine_order():
    pieces = [
        piece(("Alamat", 30, 250), (":", 222, 250), ("JL.", 236, 250), ("MAWAR", 280, 250)),
        piece(("PROVINSI", 300, 20), ("JAWA", 410, 20), ("BARAT", 470, 20), height=26),
        piece(("Nama", 30, 160)),
        piece(("SITI", 236, 159)),
    ]

    assert texts(assemble(pieces)) == [
        "PROVINSI JAWA BARAT",
        "Nama SITI",
        "Alamat : JL. MAWAR",
    ]


def test_text_of_another_column_at_the_same_height_joins_the_row_and_keeps_its_box():
    pieces = [piece(("Agama", 30, 370), (":", 222, 370), ("ISLAM", 236, 370)),
              piece(("BANDUNG", 780, 372))]  # fmt: skip

    (row,) = assemble(pieces)

    assert row.text == "Agama : ISLAM BANDUNG"
    assert row.words[-1].box[0] == 780


def test_rows_a_text_height_apart_stay_separate_even_when_slightly_tilted():
    pieces = [
        piece(("Kel/Desa", 30, 310)),
        piece(("SUKAMAJU", 236, 314)),  # a few pixels lower: still the same row
        piece(("Kecamatan", 30, 340)),
        piece(("CIBIRU", 236, 343)),
    ]

    assert texts(assemble(pieces)) == ["Kel/Desa SUKAMAJU", "Kecamatan CIBIRU"]


def test_overlapping_pieces_never_share_a_row():
    # two reads of the same place (an engine's duplicate) must not be glued into one line
    pieces = [piece(("KOTA", 300, 50)), piece(("KOTA", 305, 52))]

    assert len(assemble(pieces)) == 2


def test_no_pieces_no_rows():
    assert assemble([]) == []
    assert assemble([[]]) == []


def test_on_a_tilted_card_a_label_joins_its_value_not_the_line_above_at_its_height():
    # the card leans 3 degrees: the value runs down to the right, so the label sits level with
    # the end of the header line above it rather than with its own value's middle
    slope = 0.05

    def tilted(text: str, x: int, y: float, height: int = 30) -> list[Word]:
        words, cursor = [], x
        for part in text.split():
            width = 14 * len(part)
            centre = cursor + width / 2
            top = round(y + slope * (centre - x))
            words.append(Word(part, 95.0, (cursor, top, width, height)))
            cursor += width + 10
        return words

    header = tilted("KOTA BANDAR LAMPUNG", 338, 35)
    label = tilted("NIK", 44, 58)
    value = tilted("1871314812512380", 245, 70, height=40)

    rows = texts(assemble([header, label, value]))

    assert rows == ["KOTA BANDAR LAMPUNG", "NIK 1871314812512380"]


def test_descenders_do_not_tilt_a_short_value_away_from_its_label():
    # Tesseract's box of FAJAR reaches below the line (the J), DEDI's does not
    label = [Word("Nama", 95.0, (37, 161, 61, 17))]
    value = [Word("FAJAR", 95.0, (263, 161, 59, 22)), Word("DEDI", 95.0, (331, 161, 51, 17))]

    assert texts(assemble([label, value])) == ["Nama FAJAR DEDI"]


def test_the_portrait_read_as_a_glyph_does_not_join_the_row_beside_it():
    # PP-OCR now and then reads the photo as one tall character: it must not end a value's row
    pieces = [
        piece(("Jenis", 20, 202), ("Kelamin", 84, 203), ("LAKI-LAKI", 250, 206)),
        piece(("Gol.", 475, 209), ("Darah:", 522, 209), ("AB+", 613, 210)),
        piece(("Alamat", 20, 240), ("JL.", 250, 240), ("MAWAR", 300, 240)),
        [Word("9", 62.0, (771, 130, 187, 227))],
    ]

    rows = texts(assemble(pieces))

    assert "Jenis Kelamin LAKI-LAKI Gol. Darah: AB+" in rows
    assert "9" in rows
