"""What one engine read of a word and the other missed: a ``J`` read as ``I``, a dot lost.

**A ``J`` read as ``I``.** In faces whose ``J`` is a plain stroke that drops a little below the
line (PT Sans and its narrow cut, common on printed cards), PP-OCR reads the ``J`` as ``I``:
``REIANG`` for ``REJANG``, ``IL.`` for ``JL.``, ``CIPATUIAH``. Counted on about 270 fresh
outside-generator and generated cards (every field of both reads against its truth): PP-OCR read
a printed ``J`` as ``I`` six times, Tesseract once, and neither engine ever read a printed ``I``
as ``J``. So a word read with an ``I`` takes a ``J`` there where a read of the card spells the
same word with the ``J``: Tesseract's read of it, or the same word printed elsewhere on the card
(a village's name is often its district's too) and read with its ``J``. Both reads are mended,
so that they can still be compared word for word. A letter lost (``MESUI`` for ``MESUJI``)
stays lost.

**A dot PP-OCR lost.** PP-OCR drops the small dot after an abbreviation now and then
(``LINGK NGASEM`` for ``LINGK. NGASEM``). Where Tesseract read the same word at the same place
of the card with the dot after it, PP-OCR's word takes it. On the same cards Tesseract read 372
printed dots and never one that was not printed.

**An ``I`` Tesseract read as a stroke.** Balinese names open with a lone ``I`` (``I WAYAN``,
``I MADE``), and Tesseract reads it as a pipe now and then (``Nama | WAYAN SETIAWAN``), the KTP's
colon before it lost or read too: ``|`` is a colon look-alike, so its read of the name lost the
``I`` and never agreed with PP-OCR's, and clean cards went to review. A ``|`` at the place of the
card where PP-OCR read the word ``I`` (and not its colon) is that ``I``: Tesseract saw the
stroke there, so this is its own read, kept for agreement (``STROKE``), unlike the mends above.

Every mended word keeps its engine's own text as an alternative (``AS_READ``): agreement
between the engines is judged on what each engine read (``as_read``), so a mended word never
makes one engine agree with the other, and a holder's name mended here is not confirmed by it.
"""

from __future__ import annotations

from dataclasses import replace

from ocr_gpu.result import PPOCR, TESSERACT, Alternative, Line, Word, each_word

AS_READ = "as_read"  # the method of the alternative that keeps the engine's own text
STROKE = "stroke"  # the method of the alternative that keeps a stroke read for an ``I``
PIPE, LONE_I, COLON = "|", "I", ":"
READ_AS, PRINTED = "I", "J"
DOT = "."
MIN_LETTERS = 2  # a lone letter is no word to spell another by
PUNCTUATION = ".,:"
MIN_OVERLAP = 0.5  # of the narrower word's width: two words lie at one place of the card


def mend(lines: list[Line], second: list[Line]) -> tuple[list[Line], list[Line]]:
    """PP-OCR's ``lines`` and Tesseract's ``second`` read of the same card, each ``I`` made a
    ``J`` where a read of the card spells the word with a ``J``, each dot Tesseract read after
    a word of PP-OCR's added to it, and each pipe Tesseract read where PP-OCR read a lone ``I``
    made that ``I``."""
    if not second:
        return lines, second
    spelled = {
        _bare(w.text).upper()
        for line in (*lines, *second)
        for w in line.words
        if PRINTED in w.text.upper() and len(_bare(w.text)) >= MIN_LETTERS
    }
    return (
        each_word(lines, lambda word: _dotted(_with_j(word, spelled, PPOCR), second)),
        each_word(second, lambda word: _stroke_i(_with_j(word, spelled, TESSERACT), lines)),
    )


def as_read(lines: list[Line]) -> list[Line]:
    """``lines`` with every word ``mend`` changed back to what its engine read."""
    return each_word(lines, _as_read)


def mended(lines: list[Line]) -> bool:
    return any(a.method == AS_READ for line in lines for w in line.words for a in w.alternatives)


def _as_read(word: Word) -> Word:
    own = next((a for a in word.alternatives if a.method == AS_READ), None)
    if own is None:
        return word
    others = tuple(a for a in word.alternatives if a is not own)
    return replace(word, text=own.text, alternatives=others)


def _changed(word: Word, text: str, engine: str) -> Word:
    if any(a.method == AS_READ for a in word.alternatives):  # keep the first, the engine's own
        return replace(word, text=text)
    own = Alternative(text=word.text, confidence=word.confidence, engine=engine, method=AS_READ)
    return replace(word, text=text, alternatives=(*word.alternatives, own))


def _with_j(word: Word, spelled: set[str], engine: str) -> Word:
    if READ_AS not in word.text or any(c.isdigit() for c in word.text):
        return word
    bare = _bare(word.text).upper()
    for theirs in spelled:
        if len(theirs) != len(bare) or theirs == bare:
            continue
        pairs = list(zip(bare, theirs, strict=True))
        if not all(a == b or (a, b) == (READ_AS, PRINTED) for a, b in pairs):
            continue
        swaps = iter(a != b for a, b in pairs)
        text = "".join(c if c in PUNCTUATION or not next(swaps) else PRINTED for c in word.text)
        return _changed(word, text, engine)
    return word


def _dotted(word: Word, second: list[Line]) -> Word:
    if word.text.endswith(tuple(PUNCTUATION)) or not word.text.isalpha():
        return word
    wanted = word.text.upper() + DOT
    for other in _same_place(word, second):
        if other.text.upper() == wanted:
            return _changed(word, word.text + DOT, PPOCR)
    return word


def _stroke_i(word: Word, lines: list[Line]) -> Word:
    if word.text != PIPE:
        return word
    there = {w.text for w in _same_place(word, lines)}
    if LONE_I not in there or COLON in there:
        return word
    kept = Alternative(text=word.text, confidence=word.confidence, engine=TESSERACT, method=STROKE)
    return replace(word, text=LONE_I, alternatives=(*word.alternatives, kept))


def _bare(text: str) -> str:
    return "".join(c for c in text if c not in PUNCTUATION)


def _same_place(word: Word, second: list[Line]) -> list[Word]:
    """Words of ``second`` on ``word``'s row that overlap it over most of the narrower one."""
    x, y, w, h = word.box
    found = []
    for line in second:
        for other in line.words:
            ox, oy, ow, oh = other.box
            if not y <= oy + oh / 2 <= y + h:
                continue
            overlap = min(x + w, ox + ow) - max(x, ox)
            if overlap >= MIN_OVERLAP * min(w, ow) > 0:
                found.append(other)
    return found
