"""A ``J`` PP-OCR read as ``I`` and a dot it lost come back only where a read of the card shows
them (``ocr_gpu.letters``)."""

from __future__ import annotations

from ocr_gpu.letters import AS_READ, as_read, mend
from ocr_gpu.result import Line, Word


def _line(*words: tuple[str, int], y: int = 100) -> Line:
    """A row of words at ``y``, each (text, left x), 14 pixels a letter wide."""
    built = tuple(Word(text, 95.0, (x, y, 14 * len(text), 24)) for text, x in words)
    return Line(text=" ".join(w.text for w in built), words=built, region="page", box=(0, y, 1, 24))


def _texts(lines: list[Line]) -> list[str]:
    return [line.text for line in lines]


def test_a_j_ppocr_read_as_i_takes_the_j_tesseract_read_in_that_word():
    ppocr = [_line(("KPP", 10), ("PRATAMA", 70), ("REIANG", 180), ("LEBONG", 280))]
    tesseract = [_line(("KPP", 10), ("PRATAMA", 70), ("REJANG", 180), ("LEBONG", 280))]

    mended, _ = mend(ppocr, tesseract)

    assert _texts(mended) == ["KPP PRATAMA REJANG LEBONG"]
    # what PP-OCR itself read is kept, and comes back for judging agreement
    assert _texts(as_read(mended)) == ["KPP PRATAMA REIANG LEBONG"]
    assert [a.method for a in mended[0].words[2].alternatives] == [AS_READ]


def test_the_same_word_printed_elsewhere_takes_the_j_in_either_read():
    ppocr = [
        _line(("TALANG", 10), ("REIANG", 120)),
        _line(("KABUPATEN", 10), ("REIANG", 170), ("LEBONG", 270), y=140),
        _line(("CIPATUJAH", 10), y=180),
    ]
    # Tesseract read the first REJANG and lost the regency line; it read CIPATUJAH with an I
    tesseract = [_line(("TALANG", 10), ("REJANG", 120)), _line(("CIPATUIAH", 10), y=180)]

    mended, second = mend(ppocr, tesseract)

    assert _texts(mended) == ["TALANG REJANG", "KABUPATEN REJANG LEBONG", "CIPATUJAH"]
    assert _texts(second) == ["TALANG REJANG", "CIPATUJAH"]
    assert _texts(as_read(second)) == ["TALANG REJANG", "CIPATUIAH"]


def test_an_i_no_read_spells_with_a_j_stays_an_i():
    ppocr = [_line(("ILHAM", 10), ("IRIANTO", 100), ("NO.12", 220), ("I", 300))]
    # no word with a J of the same letters: a J elsewhere changes nothing here
    tesseract = [_line(("LHAM", 24), ("IRIANTO", 100), ("NO.12", 220), ("J", 300))]

    mended, second = mend(ppocr, tesseract)

    assert mended == ppocr and second == tesseract


def test_a_letter_other_than_i_against_a_j_is_not_changed():
    # only the J PP-OCR reads as I is mended: a letter lost or read otherwise stays
    ppocr = [_line(("MESUI", 10), ("TANUWHAYA", 120))]
    tesseract = [_line(("MESUJI", 10), ("TANUWIJAYA", 120))]

    mended, _ = mend(ppocr, tesseract)

    assert mended == ppocr


def test_a_dot_tesseract_read_after_a_word_is_added_where_it_read_it():
    ppocr = [_line(("LINGK", 10), ("NGASEM", 100)), _line(("JL", 10), ("MAWAR", 60), y=140)]
    # the dot after LINGK at the same place; the dot after JL was read on another row
    tesseract = [_line(("LINGK.", 12), ("NGASEM", 100)), _line(("JL.", 10), y=300)]

    mended, _ = mend(ppocr, tesseract)

    assert _texts(mended) == ["LINGK. NGASEM", "JL MAWAR"]
    assert _texts(as_read(mended)) == ["LINGK NGASEM", "JL MAWAR"]


def test_a_mark_other_than_a_dot_is_not_added():
    ppocr = [_line(("NO", 10), ("12", 60))]
    tesseract = [_line(("NO:", 10), ("12", 60))]

    mended, _ = mend(ppocr, tesseract)

    assert mended == ppocr


def test_without_a_second_read_nothing_changes():
    ppocr = [_line(("REIANG", 10))]

    assert mend(ppocr, []) == (ppocr, [])


def test_a_stroke_tesseract_read_where_ppocr_read_a_balinese_i_is_that_i():
    # printed ``Nama : I WAYAN``: Tesseract lost the colon and read the I as a pipe
    ppocr = [_line(("Nama", 10), (":", 150), ("I", 180), ("WAYAN", 210), ("SETIAWAN", 300))]
    tesseract = [_line(("Nama", 10), ("|", 181), ("WAYAN", 210), ("SETIAWAN", 300))]

    _, second = mend(ppocr, tesseract)

    assert _texts(second) == ["Nama I WAYAN SETIAWAN"]
    # Tesseract saw the stroke there: its own read, kept when agreement is judged
    assert _texts(as_read(second)) == ["Nama I WAYAN SETIAWAN"]
    assert second[0].words[1].alternatives[0].text == "|"


def test_a_stroke_at_the_colon_s_place_stays_a_stroke():
    # Tesseract read the colon as a pipe and lost the I: the name's I is not Tesseract's to give
    ppocr = [_line(("Nama", 10), (":", 150), ("I", 180), ("WAYAN", 210))]
    colon = [_line(("Nama", 10), ("|", 150), ("WAYAN", 210))]
    # and a pipe where PP-OCR read no lone I is not made one
    no_i = [_line(("Nama", 10), (":", 150), ("WAYAN", 210))]

    assert mend(ppocr, colon)[1] == colon
    assert mend(no_i, [_line(("Nama", 10), ("|", 181), ("WAYAN", 210))])[1][0].text == (
        "Nama | WAYAN"
    )
