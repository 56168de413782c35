"""Where things are printed on a canonical (upright, 1.586 aspect) card, as fractions of its size.

KTP-el front: header (province, kabupaten/kota) centred at the top, the NIK row in large digits,
label : value rows on the left, photo on the right with the issue place and date and the
signature under it. NPWP: DJP header, the number, then name, NIK, address, KPP, registration.
"""

from __future__ import annotations

from dataclasses import dataclass

Fraction = tuple[float, float, float, float]  # x0, y0, x1, y1 as fractions of width / height


@dataclass(frozen=True)
class Layout:
    doc_type: str
    number_region: str  # "nik" or "npwp": region name of the number band's line
    number_box: Fraction  # the number's digits, read alone with a whitelist
    number_whitelist: str
    header_until: float  # main-read lines centred above this are "header"
    number_band: tuple[float, float]  # main-read lines centred here join the number line
    masks: tuple[Fraction, ...]  # painted out before the main read (photo, number, issue)
    issue_box: Fraction | None = None  # read alone; lines get region "issue"
    colon_column: tuple[float, float] | None = None  # x range where ":" of label rows sits


KTP = Layout(
    doc_type="ktp",
    number_region="nik",
    number_box=(0.214, 0.135, 0.72, 0.228),
    number_whitelist="0123456789",
    header_until=0.135,
    number_band=(0.135, 0.228),
    masks=((0.214, 0.135, 0.72, 0.228), (0.715, 0.18, 1.0, 1.0)),
    issue_box=(0.715, 0.613, 0.985, 0.725),
    colon_column=(0.205, 0.232),
)

NPWP = Layout(
    doc_type="npwp",
    number_region="npwp",
    number_box=(0.02, 0.236, 0.85, 0.345),
    number_whitelist="0123456789.-",
    header_until=0.225,
    number_band=(0.236, 0.345),
    masks=((0.02, 0.236, 0.85, 0.345), (0.0, 0.0, 0.15, 0.22)),  # number band, DJP logo
)

LAYOUTS = {"ktp": KTP, "npwp": NPWP}
HEADER_PROBE: Fraction = (0.0, 0.0, 1.0, 0.23)  # top band read to tell KTP from NPWP
