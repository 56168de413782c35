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


def tilted(text: str, x: int, y: float, slope: float, height: int = 30) -> list[Word]:
    """``text``'s words from ``x``, 14 px per character, along a line of ``slope`` that is at
    ``y`` (the words' top) where it starts."""
    words, cursor = [], x
    for part in text.split():
        width = 14 * len(part)
        centre = cursor + width / 2
        top = round(y + slope * (centre - x))
        words.append(Word(part, 95.0, (cursor, top, width, height)))
        cursor += width + 10
    return words


def test_on_a_tilted_card_a_label_joins_its_value_not_the_line_above_at_its_height():
    # the card leans 3 degrees: the value runs down to the right, so the label sits level with
    # the end of the header line above it rather than with its own value's middle
    slope = 0.05

    header = tilted("KOTA BANDAR LAMPUNG", 338, 35, slope)
    label = tilted("NIK", 44, 58, slope)
    value = tilted("1871314812512380", 245, 70, slope, height=40)

    rows = texts(assemble([header, label, value]))

    assert rows == ["KOTA BANDAR LAMPUNG", "NIK 1871314812512380"]


def test_descenders_do_not_tilt_a_short_value_away_from_its_label():
    # Tesseract's box of FAJAR reaches below the line (the J), DEDI's does not
    label = [Word("Nama", 95.0, (37, 161, 61, 17))]
    value = [Word("FAJAR", 95.0, (263, 161, 59, 22)), Word("DEDI", 95.0, (331, 161, 51, 17))]

    assert texts(assemble([label, value])) == ["Nama FAJAR DEDI"]


def test_a_colon_read_as_its_own_word_does_not_tilt_the_value_away_from_its_label():
    # Tesseract's read of a mild photo: the colon, a small mark low on the row, read as a word
    label = [Word("NIK", 95.0, (80, 159, 55, 25))]
    value = [Word(":", 91.0, (236, 179, 6, 5)), Word("1371076102030057", 90.0, (267, 159, 382, 25))]

    assert texts(assemble([label, value])) == ["NIK : 1371076102030057"]


def test_two_rows_colons_read_as_one_tall_mark_do_not_part_a_label_from_its_value():
    # As Tesseract read a mild photo: the name row's colon and the birth row's, one above the
    # other, came back as one ``;`` the height of both rows, at the end of the birth label.
    nama = piece(("NAMA", 27, 203), height=19)
    name = piece(("WIDYA", 272, 203), ("HAYATI", 366, 203), height=19)
    label = piece(("TEMPAT/TGL", 26, 235), ("LAHIR", 174, 235), height=19)
    label.append(Word(";", 29.0, (252, 218, 3, 36)))
    value = [
        Word("MALANG,", 91.0, (273, 235, 116, 22)),
        Word("24-10-1956", 95.0, (399, 235, 140, 20)),
    ]

    assert texts(assemble([nama, name, label, value])) == [
        "NAMA WIDYA HAYATI",
        "TEMPAT/TGL LAHIR ; MALANG, 24-10-1956",
    ]


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


# A hard photo of a bent KTP, as PP-OCR detected it: each piece's box and the slope of its
# detected box. The header slopes up to the right, the body rows down, more steeply further down.
BENT_CARD = [
    ("PROVINSI PAPUA BARAT DAYA", (231, 0, 350, 54), -0.044),
    ("KABUPATEN SORONG", (255, 47, 307, 55), -0.032),
    ("NIK", (10, 179, 38, 38), 0.0),
    (":9601195704865143", (88, 178, 373, 55), 0.018),
    ("Nama", (18, 237, 38, 29), 0.0),
    (": INDAH RATNA", (145, 237, 136, 38), 0.051),
    ("Tempat/Tgl Lahir", (15, 263, 112, 35), 0.044),
    (": JAKARTA,17-04-1986", (150, 268, 191, 40), 0.050),
    ("Jenis Kelamin", (16, 291, 91, 34), 0.064),
    (": PEREMPUAN", (150, 297, 120, 39), 0.063),
    ("Gol. Darah : AB", (380, 312, 151, 40), 0.056),
    ("Alamat", (24, 322, 46, 29), 0.0),
    (": JL. MELATI NO.169", (154, 329, 171, 41), 0.065),
    ("RT/RW", (22, 348, 45, 33), 0.062),
    (":010/014", (155, 358, 81, 36), 0.054),
]


def _words_along(text: str, box: tuple[int, int, int, int], slope: float) -> list[Word]:
    """The words of a detected piece, each with its share of the box, along its slope."""
    x, y, w, h = box
    words, offset, out = text.split(), 0, []
    total = len(text)
    for word in words:
        left, width = x + w * offset / total, w * len(word) / total
        middle = y + h / 2 + slope * (left + width / 2 - (x + w / 2))
        out.append(Word(word, 95.0, (int(left), int(middle - 0.3 * h), int(width), int(0.6 * h))))
        offset += len(word) + 1
    return out


def test_on_a_bent_card_each_label_keeps_its_own_value_by_the_slope_of_the_detected_boxes():
    pieces = [_words_along(text, box, slope) for text, box, slope in BENT_CARD]
    slopes = [slope for _, _, slope in BENT_CARD]
    # the rows' slope measured from the header's words alone runs the wrong way for the body
    assert "RT/RW : JL. MELATI NO.169 Gol. Darah : AB" in texts(assemble(pieces))

    rows = texts(assemble(pieces, slopes))

    assert "Tempat/Tgl Lahir : JAKARTA,17-04-1986" in rows
    assert "Jenis Kelamin : PEREMPUAN Gol. Darah : AB" in rows
    assert "Alamat : JL. MELATI NO.169" in rows
    assert "RT/RW :010/014" in rows


def test_a_short_piece_does_not_take_the_slope_of_its_detected_box():
    # a label's box is as often square to the image: its zero slope would tilt the row
    pieces = [piece(("Nama", 30, 160)), piece((":", 222, 170), ("BUDI", 236, 170))]

    assert texts(assemble(pieces, [0.3, None])) == ["Nama : BUDI"]


# The foot of a hard photo of another bent KTP, as PP-OCR detected it. The body's rows slope down
# to the left there while the card's top is level, and the place and date of issue under the
# photo sit at the height of the labels beside them, not of their values.
BENT_FOOT = [
    ("Agama", (67, 435, 80, 32), 0.0),
    ("KRISTEN", (321, 428, 98, 28), 0.0),
    ("Status Perkawinan : KAWIN", (67, 456, 329, 38), -0.024),
    ("PONTIANAK", (825, 470, 122, 30), -0.022),
    ("Pekerjaan", (62, 492, 121, 34), -0.027),
    ("MENGURUS RUMAH TANGGA", (320, 477, 332, 39), -0.028),
    ("24-12-2019", (826, 494, 120, 32), -0.039),
    ("Kewarganegaraan", (63, 521, 217, 34), -0.019),
    (":WNI", (292, 514, 80, 34), 0.0),
    ("Berlaku Hingga", (68, 551, 179, 33), -0.016),
    (": SEUMUR HIDUP", (296, 539, 202, 38), -0.035),
]


def test_on_a_bent_card_a_label_far_from_the_level_top_keeps_its_value_not_the_issue_date():
    # the card's level top must not decide where a label's row runs across the card: there the
    # label ``Pekerjaan`` met the issue date printed at its height, and its value lost its row
    pieces = [_words_along(text, box, slope) for text, box, slope in BENT_FOOT]
    header = [
        _words_along("PROVINSI KALIMANTAN BARAT", (374, 54, 397, 41), 0.0),
        _words_along("KOTA PONTIANAK", (462, 93, 227, 39), 0.0),
        _words_along("6171037103680100", (348, 175, 403, 37), 0.0),
        _words_along(":MELIANA SUSILO", (295, 223, 217, 23), 0.0),
        _words_along(": PONTIANAK, 31-03-1968", (291, 251, 309, 27), 0.0),
        _words_along(": JL. SOEKARNO HATTA NO. 39", (295, 306, 362, 32), 0.0),
    ]
    slopes = [0.0] * len(header) + [slope for _, _, slope in BENT_FOOT]

    rows = texts(assemble(header + pieces, slopes))

    assert "Pekerjaan MENGURUS RUMAH TANGGA PONTIANAK" in rows
    assert not any(row.startswith("Pekerjaan") and "2019" in row for row in rows)


def test_on_a_card_turned_up_to_the_right_an_address_s_second_line_stays_under_its_first():
    # the card turns 9 degrees up to the right: the label and the colon left of the address's
    # first line sit as low as the address's second line does further right, so the first row's
    # middle is lower than the second's; where each crosses the card's middle, the first is above
    slope = -0.15

    def row(text: str, x: int, y: float) -> list[Word]:
        return tilted(text, x, y, slope, height=28)

    name = row("Nama", 210, 300) + row(": DANANG SLAMET PRASETYO", 330, 282)
    label, colon = row("Alamat", 214, 340), row(":", 334, 322)
    first = row("JL. CEMPAKA NO. 49 RT 008 RW 008", 350, 320)
    second = row("KEBONSARI, SUMBERSARI, KAB. JEMBER", 350, 356)
    kpp = row("KPP", 220, 420) + row(": KPP PRATAMA JEMBER", 340, 402)

    rows = texts(assemble([name, label, colon, second, first, kpp]))

    assert rows == [
        "Nama : DANANG SLAMET PRASETYO",
        "Alamat : JL. CEMPAKA NO. 49 RT 008 RW 008",
        "KEBONSARI, SUMBERSARI, KAB. JEMBER",
        "KPP : KPP PRATAMA JEMBER",
    ]
