"""KTP-el front side: every field, from OCR lines in reading order (domain-rules 3.5).

Lines are sorted into header (province, kabupaten/kota), the NIK row, label rows and the issue
place/date under the photo, by the OCR region when there is one and by content otherwise. A line
without a recognisable label that starts in the value column continues the previous wrapping
field (name, address, ...). Words inside the photo column are dropped from body rows so the
issue place/date cannot leak into Pekerjaan or Kewarganegaraan on whole-page reads.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from ocr_gpu.result import OcrResult
from verification import enums
from verification.fields import Field
from verification.parsing import LabelMatch, LineView, Segment, make_field, match_label
from verification.regions import snap_province
from verification.textfix import (
    clean_address,
    clean_alpha,
    compact,
    digits_only,
    fix_digits,
    fix_roman,
    parse_date,
)

FIELD_NAMES = (
    "provinsi",
    "kabupaten_kota",
    "nik",
    "nama",
    "tempat_lahir",
    "tanggal_lahir",
    "jenis_kelamin",
    "golongan_darah",
    "alamat",
    "rt_rw",
    "kel_desa",
    "kecamatan",
    "agama",
    "status_perkawinan",
    "pekerjaan",
    "kewarganegaraan",
    "berlaku_hingga",
    "tempat_diterbitkan",
    "tanggal_diterbitkan",
)

# Label rows in printed order; the key is the row, not always the field (see _ROW_PARSERS).
ROW_LABELS: dict[str, tuple[str, ...]] = {
    "nik": ("NIK",),
    "nama": ("Nama",),
    "lahir": ("Tempat/Tgl Lahir", "Tempat/Tanggal Lahir", "Tempat Lahir"),
    "jenis_kelamin": ("Jenis Kelamin",),
    "alamat": ("Alamat",),
    "rt_rw": ("RT/RW",),
    "kel_desa": ("Kel/Desa", "Kelurahan/Desa"),
    "kecamatan": ("Kecamatan",),
    "agama": ("Agama",),
    "status_perkawinan": ("Status Perkawinan",),
    "pekerjaan": ("Pekerjaan",),
    "kewarganegaraan": ("Kewarganegaraan",),
    "berlaku_hingga": ("Berlaku Hingga",),
}
ROW_ORDER = tuple(ROW_LABELS)
# Tried only when no full label matches: OCR sometimes keeps just the first label word.
PARTIAL_LABELS: dict[str, tuple[str, ...]] = {"status_perkawinan": ("Status",)}
WRAPPING_ROWS = frozenset({"nama", "alamat", "kel_desa", "kecamatan", "pekerjaan", "lahir"})
BLOOD_LABELS = {"gol": ("Gol. Darah", "Golongan Darah", "Darah")}
PROVINCE_LABEL = {"provinsi": ("PROVINSI",)}
LIFETIME = "SEUMUR HIDUP"
NIK_LENGTH = 16
MAX_NIK_WORDS = 4  # the digits may come back split into a few words
REGENCY_PREFIXES = ("KABUPATEN", "KOTA")

# Canonical card geometry (ocr_gpu.layouts.KTP), as fractions of the card width.
PHOTO_COLUMN_X = 0.715
NIK_VALUE_X = 0.21  # the NIK digits start here; the row's colon sits just left of it
CARD_EDGE_X = 0.97  # specks on the card's right border
VALUE_COLUMN_X = 0.15  # label rows start left of this, wrapped values right of it
MIN_CONTINUATION_CONFIDENCE = 40.0
JUNK_TAIL_CONFIDENCE = 50.0


def _value_segment(view: LineView, match: LabelMatch | None) -> Segment:
    start = match.value_start if match else 0
    return Segment(view, start, len(view.text))


def _nik_segment(view: LineView, match: LabelMatch | None, width: int) -> Segment:
    """The NIK digits: on a canonical card, the words inside the number band (left of it sits
    the row's colon, which OCR may read as a digit); else the text after the label."""
    if width:
        inside = [
            t
            for t in view.tokens
            if t.box is not None and NIK_VALUE_X * width <= t.box[0] < PHOTO_COLUMN_X * width
        ]
        if inside:
            return Segment(view, inside[0].start, inside[-1].end)
    return _value_segment(view, match)


def _nik_field(segments: list[Segment]) -> Field:
    """Digits of the NIK; when the read has a stray extra word, the run of words that gives
    exactly 16 digits (one speck such as a misread colon) is taken."""
    digits = digits_only(_join(segments))
    if len(digits) != NIK_LENGTH and len(segments) == 1:
        segment = segments[0]
        tokens = segment.tokens()
        runs = {
            (tokens[i].start, tokens[j].end)
            for i in range(len(tokens))
            for j in range(i, min(i + MAX_NIK_WORDS, len(tokens)))
            if len(digits_only(" ".join(t.text for t in tokens[i : j + 1]))) == NIK_LENGTH
        }
        found = {digits_only(segment.line.text[a:b]) for a, b in runs}
        if len(found) == 1:
            start, end = min(runs)
            segments = [Segment(segment.line, max(start, segment.start), min(end, segment.end))]
            digits = found.pop()
    return make_field(digits if len(digits) >= 10 else None, segments)


def _is_date_line(text: str) -> bool:
    return parse_date(text) is not None and sum(c.isdigit() for c in fix_digits(text)) >= 6


class _Rows:
    """Label rows found on the card: row key -> value segments (wrapped lines appended)."""

    def __init__(self) -> None:
        self.values: dict[str, list[Segment]] = {}
        self.trailing: list[LineView] = []  # unlabelled lines after the last row (page reads)

    def add(self, key: str, segment: Segment) -> None:
        if key not in self.values:
            self.values[key] = [segment]


def parse_ktp(ocr: OcrResult) -> dict[str, Field]:
    width = ocr.card_size[0] if ocr.card_size and ocr.card_size[0] > 0 else 0
    photo_x = round(width * PHOTO_COLUMN_X) if width else None
    header: list[LineView] = []
    issue: list[LineView] = []
    rows = _Rows()
    current: str | None = None
    seen_nik = False
    for line in ocr.lines:
        if line.region == "issue":
            issue.append(LineView(line))
            continue
        if line.region == "header":
            header.append(LineView(line, max_x=round(width * CARD_EDGE_X) if width else None))
            continue
        view = LineView(line, max_x=photo_x if line.region in ("body", "page") else None)
        if not view.text.strip():
            continue
        match = match_label(view.text, ROW_LABELS) or match_label(
            view.text, PARTIAL_LABELS, min_score=100.0
        )
        if line.region == "nik" or (match and match.key == "nik"):
            if match is None or match.key != "nik":
                match = match_label(view.text, {"nik": ("NIK",)}, min_score=60.0)
            rows.add("nik", _nik_segment(view, match, width))
            seen_nik = True
            current = "nik"
            continue
        if not seen_nik and line.region == "page" and match is None:
            header.append(view)
            continue
        in_value_column = bool(width) and (view.left or 0) >= width * VALUE_COLUMN_X
        if match is not None and not (
            in_value_column and current in WRAPPING_ROWS and match.score < 90
        ):
            rows.add(match.key, _value_segment(view, match))
            current = match.key
            continue
        if current in WRAPPING_ROWS and _continues(view, width) and current in rows.values:
            rows.values[current].append(Segment(view, 0, len(view.text)))
            continue
        if current == "berlaku_hingga" or (
            current is not None and ROW_ORDER.index(current) >= ROW_ORDER.index("berlaku_hingga")
        ):
            rows.trailing.append(view)
            continue
        current = _assign_pending(view, current, rows)
    fields: dict[str, Field] = {}
    fields.update(_header_fields(header))
    fields.update(_row_fields(rows))
    fields.update(_issue_fields(issue or rows.trailing))
    return {name: fields[name] for name in FIELD_NAMES if name in fields}


def _continues(view: LineView, width: int) -> bool:
    """Whether an unlabelled line reads like the wrapped tail of the previous value."""
    if sum(c.isalnum() for c in view.text) < 2 or view.confidence < MIN_CONTINUATION_CONFIDENCE:
        return False
    if ":" in view.text[:20]:
        return False
    if width and view.left is not None:
        return view.left >= width * VALUE_COLUMN_X
    return True


def _assign_pending(view: LineView, current: str | None, rows: _Rows) -> str | None:
    """A row whose label OCR garbled: the next expected row in printed order takes the text
    after its colon."""
    colon = view.text.find(":")
    if colon < 0 or colon > 30:
        return current
    after = ROW_ORDER.index(current) + 1 if current in ROW_ORDER else 0
    for key in ROW_ORDER[after:]:
        if key not in rows.values:
            start = colon + 1
            while start < len(view.text) and view.text[start] == " ":
                start += 1
            rows.add(key, Segment(view, start, len(view.text)))
            return key
    return current


def _header_fields(header: list[LineView]) -> dict[str, Field]:
    fields: dict[str, Field] = {}
    rest: list[LineView] = []
    for view in header:
        match = match_label(view.text, PROVINCE_LABEL, min_score=70.0)
        if match and "provinsi" not in fields:
            segment = Segment(view, match.value_start, len(view.text))
            value = snap_province(segment.text) or clean_alpha(segment.text)
            fields["provinsi"] = make_field(value, [segment])
        else:
            rest.append(view)
    for view in rest:
        words = view.text.split()
        if not words:
            continue
        first = compact(words[0])
        prefix = next((p for p in REGENCY_PREFIXES if fuzz.ratio(first, p) >= 75), None)
        if prefix is None and "kabupaten_kota" in fields:
            continue
        segment = Segment(view, 0, len(view.text))
        value = clean_alpha(view.text)
        if prefix is not None:
            value = " ".join([prefix, *clean_alpha(" ".join(words[1:])).split()])
        fields.setdefault("kabupaten_kota", make_field(value, [segment]))
    return fields


def _join(segments: list[Segment]) -> str:
    return " ".join(s.text.strip() for s in segments if s.text.strip())


def _row_fields(rows: _Rows) -> dict[str, Field]:
    fields: dict[str, Field] = {}
    for key, segments in rows.values.items():
        text = _join(segments)
        if key == "nik":
            fields["nik"] = _nik_field(segments)
        elif key == "nama":
            fields["nama"] = make_field(clean_alpha(text), segments)
        elif key == "lahir":
            fields.update(_birth_fields(segments))
        elif key == "jenis_kelamin":
            fields.update(_sex_and_blood(segments[0]))
        elif key == "alamat":
            fields["alamat"] = make_field(clean_address(text), segments)
        elif key == "rt_rw":
            fields["rt_rw"] = make_field(parse_rt_rw(text), segments)
        elif key in ("kel_desa", "kecamatan"):
            fields[key] = make_field(fix_roman(clean_alpha(text)), segments)
        elif key == "agama":
            fields["agama"] = make_field(enums.snap_agama(text), segments)
        elif key == "status_perkawinan":
            fields["status_perkawinan"] = make_field(enums.snap_status(text), segments)
        elif key == "pekerjaan":
            fields["pekerjaan"] = make_field(enums.snap_pekerjaan(text), segments)
        elif key == "kewarganegaraan":
            fields["kewarganegaraan"] = make_field(enums.snap_kewarganegaraan(text), segments)
        elif key == "berlaku_hingga":
            fields["berlaku_hingga"] = make_field(parse_validity(text), segments)
    return fields


def parse_rt_rw(text: str) -> str | None:
    """``001/002`` from reads like ``001/002``, ``1 / 2``, ``0011002`` (slash read as 1)."""
    fixed = fix_digits(text)
    match = re.search(r"(\d{3})\s*[/\\|]\s*(\d{3})", fixed)
    if match:
        return f"{int(match.group(1)):03d}/{int(match.group(2)):03d}"
    digits = "".join(c for c in fixed if c.isdigit())
    if len(digits) == 6:
        return f"{digits[:3]}/{digits[3:]}"
    if len(digits) == 7 and digits[3] == "1":
        return f"{digits[:3]}/{digits[4:]}"
    return None


def parse_validity(text: str) -> str | None:
    """``SEUMUR HIDUP`` or an ISO date."""
    key = compact(text)
    if key and fuzz.ratio(key, compact(LIFETIME)) >= 70:
        return LIFETIME
    return parse_date(text)


def _birth_fields(segments: list[Segment]) -> dict[str, Field]:
    """``<PLACE>, DD-MM-YYYY``: the place may wrap; the date is the trailing digits."""
    first = segments[0]
    text = first.text
    comma = text.rfind(",")
    has_digits = comma >= 0 and any(c.isdigit() for c in text[comma + 1 :])
    split_at = comma if has_digits else _date_start(text)
    if split_at is None:
        place = segments
        return {"tempat_lahir": make_field(clean_alpha(_join(place)), place)}
    date_start = split_at + 1 if text[split_at : split_at + 1] == "," else split_at
    place_segment = Segment(first.line, first.start, first.start + split_at)
    date_segment = Segment(first.line, first.start + date_start, first.end)
    place_segments = [place_segment, *segments[1:]]
    return {
        "tempat_lahir": make_field(clean_alpha(_join(place_segments)).rstrip(","), place_segments),
        "tanggal_lahir": make_field(parse_date(date_segment.text), [date_segment]),
    }


def _date_start(text: str) -> int | None:
    """Offset where a trailing date starts (first digit of the last digit-bearing run)."""
    match = re.search(
        r"[0-9OoIlSZB]{1,2}\s*[-./]\s*[0-9OoIlSZB]{1,2}\s*[-./]\s*[0-9OoIlSZB]{2,4}\s*$", text
    )
    if match and parse_date(match.group(0)):
        return match.start()
    digits = [i for i, c in enumerate(text) if c.isdigit()]
    return digits[0] if digits and parse_date(text[digits[0] :]) else None


def _sex_and_blood(segment: Segment) -> dict[str, Field]:
    """``LAKI-LAKI Gol. Darah : AB+`` -> jenis_kelamin and golongan_darah."""
    view, text = segment.line, segment.text
    blood_at: int | None = None
    blood_match: LabelMatch | None = None
    for token in view.tokens_in(segment.start, segment.end)[1:]:
        local = token.start - segment.start
        if local <= 0:
            continue
        match = match_label(text[local:], BLOOD_LABELS, min_score=65.0)
        if match:
            blood_at, blood_match = local, match
            break
    fields: dict[str, Field] = {}
    sex_end = blood_at if blood_at is not None else len(text)
    sex_segment = Segment(view, segment.start, segment.start + sex_end)
    sex = enums.snap_jenis_kelamin(sex_segment.text)
    if sex is None and blood_at is None:  # the blood label may be unreadable: try first word
        first = text.split()[0] if text.split() else ""
        sex = enums.snap_jenis_kelamin(first)
        if sex is not None:
            sex_segment = Segment(view, segment.start, segment.start + len(first))
    fields["jenis_kelamin"] = make_field(sex, [sex_segment])
    if blood_at is not None and blood_match is not None:
        start = segment.start + blood_at + blood_match.value_start
        blood_segment = Segment(view, start, segment.end)
        blood = enums.snap_golongan_darah(blood_segment.text)
        if blood is None and not blood_segment.text.strip():
            blood = "-"  # the printed dash is often too thin to survive OCR
        fields["golongan_darah"] = make_field(blood, [blood_segment])
    return fields


def _issue_fields(lines: list[LineView]) -> dict[str, Field]:
    fields: dict[str, Field] = {}
    for view in lines:
        segment = Segment(view, 0, len(view.text))
        if _is_date_line(view.text):
            fields.setdefault("tanggal_diterbitkan", make_field(parse_date(view.text), [segment]))
        elif "tempat_diterbitkan" not in fields and sum(c.isalpha() for c in view.text) >= 3:
            end = len(view.text)
            for token in reversed(view.tokens[1:]):  # a speck read after the place name
                if len(token.text) > 2 or token.confidence >= JUNK_TAIL_CONFIDENCE:
                    break
                end = token.start - 1
            segment = Segment(view, 0, end)
            fields["tempat_diterbitkan"] = make_field(clean_alpha(segment.text), [segment])
    return fields
