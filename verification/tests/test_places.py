"""The official regency and city names that settle reads of a place differing in spaces, and the
district and village names that mend a letter OCR misread."""

from __future__ import annotations

import pytest

from ocr_gpu import dots
from verification import places
from verification.parsing import lines_to_ocr
from verification.parsing.npwp import parse_npwp
from verification.places import (
    address_regencies,
    is_official,
    local_names,
    mend_address,
    mend_local,
    names,
    numbered_local,
    regency_codes,
    unglue_regency,
)
from verification.textfix import ADDRESS_ABBREVIATIONS


@pytest.mark.parametrize(
    ("value", "kinds", "official"),
    [
        ("BANDA ACEH", ("place",), True),
        ("BANDAACEH", ("place",), False),
        ("PEMATANGSIANTAR", ("place",), True),
        ("PEMATANG SIANTAR", ("place",), False),
        ("KOTA BANDAR LAMPUNG", ("regency",), True),
        ("KOTA JAKARTA SELATAN", ("regency",), True),  # without Kemendagri's "ADM."
        ("KABUPATEN KEPULAUAN SERIBU", ("regency",), False),  # listed as KEP. SERIBU
        ("JAKARTA SELATAN", ("regency", "place"), True),  # a Jakarta header has no prefix
        ("BANDUNG", ("regency",), False),  # a header prints KABUPATEN or KOTA
        ("KAMPUNG DURIAN RUNTUH", ("place",), False),
        ("", ("place",), False),
    ],
)
def test_official_names(value, kinds, official):
    assert is_official(value, kinds) is official


def test_every_regency_and_city_is_loaded():
    assert len(names("regency")) == 514
    assert all(name.startswith(("KABUPATEN ", "KOTA ")) for name in names("regency"))


@pytest.mark.parametrize(
    ("read", "printed"),
    [
        ("PASIR BIRU SUMBERSARIKOTA PONTIANAK", "PASIR BIRU SUMBERSARI KOTA PONTIANAK"),
        (
            "MEKARSARI SUMBERSARIKABUPATEN MALUKU TENGAH",
            "MEKARSARI SUMBERSARI KABUPATEN MALUKU TENGAH",
        ),
        ("SUMBERSARI KOTA PONTIANAK", "SUMBERSARI KOTA PONTIANAK"),  # nothing glued
        ("DESA PANGKALANKOTA BARU", "DESA PANGKALANKOTA BARU"),  # not an official city
        ("SUMBERSARIKOTA PONTIANAK BARAT", "SUMBERSARIKOTA PONTIANAK BARAT"),  # not at the end
        ("KAKOTA PONTIANAK", "KAKOTA PONTIANAK"),  # too short to be a word of its own
        ("KOTA BANDAACEH", "KOTA BANDAACEH"),  # the place's own spacing is never rewritten
        # a city's KOTA glued to its name; a district or village named so stays one word
        ("SEI PUTIH BARAT - MEDAN PETISAH KOTAMEDAN", "SEI PUTIH BARAT - MEDAN PETISAH KOTA MEDAN"),
        ("PURBAYAN, KOTAGEDE, KOTA YOGYAKARTA", "PURBAYAN, KOTAGEDE, KOTA YOGYAKARTA"),
        ("JL. MELATI KOTABARU", "JL. MELATI KOTABARU"),
        # the city's name followed by its postcode, or by its province and postcode
        ("PURBAYAN, KOTAGEDE KOTAYOGYAKARTA 55224", "PURBAYAN, KOTAGEDE KOTA YOGYAKARTA 55224"),
        ("LEMOE KOTAMEDAN SUMATERA UTARA 20111", "LEMOE KOTA MEDAN SUMATERA UTARA 20111"),
        ("JL. KOTAMAS 3 BANDUNG", "JL. KOTAMAS 3 BANDUNG"),  # no city's name follows
    ],
)
def test_a_regency_prefix_glued_to_the_word_before_it_is_spaced(read, printed):
    assert unglue_regency(read) == printed


def test_districts_and_villages_are_loaded_under_their_regency():
    yogyakarta = regency_codes("KOTA YOGYAKARTA")
    assert yogyakarta == {"3471"}
    assert regency_codes("BANDUNG") == {"3204", "3273"}  # a place: the kabupaten and the kota
    assert regency_codes("KOTA ATLANTIS") == frozenset()
    assert len(local_names("district", yogyakarta)) == 14
    assert "UMBULHARJO" in local_names("district", yogyakarta)
    assert "GEDONGKIWO" in local_names("village", yogyakarta)


@pytest.mark.parametrize(
    ("read", "kind", "regency", "expected"),
    [
        # one look-alike letter off the one name of the card's regency
        ("UMBULHARIO", "district", "KOTA YOGYAKARTA", "UMBULHARJO"),
        ("OUBENG", "district", "KOTA SURABAYA", "GUBENG"),
        ("CAKRANEGARA BARAI", "village", "KOTA MATARAM", "CAKRANEGARA BARAT"),
        ("KARANG PILANC", "district", "KOTA SURABAYA", "KARANG PILANG"),
        ("KARANGPILANC", "district", "KOTA SURABAYA", "KARANGPILANG"),  # spaced as read
        # a blurred photo's J read as T or U, its B as W
        ("SOKARATA", "district", "KABUPATEN BANYUMAS", "SOKARAJA"),
        ("BANTARMASIN TENGAH", "district", "KOTA BANJARMASIN", "BANJARMASIN TENGAH"),
        ("WANUHAMPU", "district", "KABUPATEN AGAM", "BANUHAMPU"),
        ("PURWOKERTO UTARA", "district", "KABUPATEN BANYUMAS", "PURWOKERTO UTARA"),
        # a name of the regency, spaced as the card prints it
        ("KARANGPILANG", "district", "KOTA SURABAYA", "KARANGPILANG"),
        # printed spellings that differ from Kemendagri's by a vowel or a letter lost or doubled
        ("GUGUK PANJANG", "district", "KOTA BUKITTINGGI", "GUGUK PANJANG"),
        ("SOMBA OPU", "district", "KABUPATEN GOWA", "SOMBA OPU"),
        ("SELAPARANG", "district", "KOTA MATARAM", "SELAPARANG"),
        # the name of another regency's district is not the card's
        ("UMBULHARIO", "district", "KOTA SURABAYA", "UMBULHARIO"),
        # a letter off a district is no village
        ("UMBULHARIO", "village", "KOTA YOGYAKARTA", "UMBULHARIO"),
        ("OUBEN", "district", "KOTA SURABAYA", "OUBEN"),  # a letter lost stays lost
        # but a thin ``I`` a blurred photo lost inside a name, and ``IJ`` read as one ``U``
        ("SDOARJO", "district", "KABUPATEN SIDOARJO", "SIDOARJO"),
        ("KALUATEN", "village", "KABUPATEN SIDOARJO", "KALIJATEN"),
        # and ``LI`` read as one ``U`` (a face setting the I against the L's foot)
        ("BAUKPAPAN TENGAH", "district", "KOTA BALIKPAPAN", "BALIKPAPAN TENGAH"),
        ("BAUKPAPAN TENGAH", "district", "KOTA SAMARINDA", "BAUKPAPAN TENGAH"),
        # not a name's last ``I``: a roman one is a word, and the words before it a name too
        ("ILIR BARAT", "district", "KOTA PALEMBANG", "ILIR BARAT"),
        ("TEGALSARI", "village", "KOTA MEDAN", "TEGALSARI"),  # TEGAL SARI II is a village there
        # a roman numeral glued to the word before it is a word of its own where the name has it
        ("ILIR BARATI", "district", "KOTA PALEMBANG", "ILIR BARAT I"),
        ("ILIR TIMURII", "district", "KOTA PALEMBANG", "ILIR TIMUR II"),
        ("ILIR BARATI", "district", "KOTA SURABAYA", "ILIR BARATI"),
    ],
)
def test_a_district_or_village_a_look_alike_letter_off_its_regency_s_name_is_mended(
    read, kind, regency, expected
):
    assert mend_local(read, kind, regency_codes(regency)) == expected


def test_a_read_a_look_alike_letter_off_two_names_is_left_as_read():
    # Bireuen has the villages GEURUGOK and CEURUCOK: GEURUCOK is a letter off each
    regency = regency_codes("KABUPATEN BIREUEN")
    assert {"GEURUGOK", "CEURUCOK"} <= local_names("village", regency)
    assert mend_local("GEURUCOK", "village", regency) == "GEURUCOK"
    assert mend_local("GEURUCOK", "village", regency_codes("KABUPATEN ACEH BESAR")) == "GEURUCOK"


@pytest.mark.parametrize(
    ("read", "expected"),
    [
        (
            "JL. ANTASARI NO. 107 RT 014/RW 010 DESA BANJARANYAR KEC. SOKARAIA KAB. BANYUMAS",
            "JL. ANTASARI NO. 107 RT 014/RW 010 DESA BANJARANYAR KEC. SOKARAJA KAB. BANYUMAS",
        ),
        (
            "JL. PASUNDAN NO. 5 RT.022 KEL. GRAHA INOAH KEC. BALIKPAPAN UTARA KOTA BALIKPAPAN",
            "JL. PASUNDAN NO. 5 RT.022 KEL. GRAHA INDAH KEC. BALIKPAPAN UTARA KOTA BALIKPAPAN",
        ),
        # without markers, the village and district follow the RT/RW
        (
            "PERUM BUMI INDAH BLOK G1/22 RT 002 RW 006 TIMBULHARIO, SEWON KABUPATEN BANTUL",
            "PERUM BUMI INDAH BLOK G1/22 RT 002 RW 006 TIMBULHARJO, SEWON KABUPATEN BANTUL",
        ),
        (
            "JL. MARGONDA NO. 32 RT.010 RW.003 TANGKERANG TENGAH MARPOYAN DAMAL, KOTA PEKANBARU",
            "JL. MARGONDA NO. 32 RT.010 RW.003 TANGKERANG TENGAH MARPOYAN DAMAI, KOTA PEKANBARU",
        ),
        # a street is no district: only what follows a marker or the RT/RW is mended
        ("JL. SOKARAIA NO. 1 KAB. BANYUMAS", "JL. SOKARAIA NO. 1 KAB. BANYUMAS"),
        (
            "JL. SOKARAIA NO. 1 RT 002/003 KAB. BANYUMAS",
            "JL. SOKARAIA NO. 1 RT 002/003 KAB. BANYUMAS",
        ),
        # no regency named: nothing to mend by
        ("DESA BANJARANYAR KEC. SOKARAIA", "DESA BANJARANYAR KEC. SOKARAIA"),
    ],
)
def test_an_npwp_address_s_district_and_village_are_mended_within_its_regency(read, expected):
    assert mend_address(read, address_regencies(read)) == expected


@pytest.mark.parametrize(
    ("value", "raw", "expected"),
    [
        # Palembang's villages are numbered: the number is part of the name
        ("ILIR D. II", "20 ILIR D. II", "20 ILIR D. II"),
        ("ULU", "3 / 4 ULU", "3 / 4 ULU"),
        # a speck before a name that opens with no number stays dropped
        ("TALANG SEMUT", "1 TALANG SEMUT", "TALANG SEMUT"),
        # a number no village of the regency opens with is not given back
        ("ILIR D. II", "99 ILIR D. II", "ILIR D. II"),
    ],
)
def test_a_village_named_with_a_number_keeps_it(value, raw, expected):
    assert numbered_local(value, raw, "village", regency_codes("KOTA PALEMBANG")) == expected


@pytest.mark.parametrize(
    ("read", "joined"),
    [
        ("KPP PRATAMA SERP ONG", "KPP PRATAMA SERPONG"),
        ("KPP PRATAMA JAKARTA CE NGKARE NG", "KPP PRATAMA JAKARTA CENGKARENG"),
        # a district Kemendagri spells in two words, printed as one (PAL MERAH, PALMERAH)
        ("KPP PRATAMA JAKARTA P ALMERAH", "KPP PRATAMA JAKARTA PALMERAH"),
        ("KPP PRATAMA JAKARTA PAL MERAH", "KPP PRATAMA JAKARTA PAL MERAH"),
        # words that are each a place's word stay apart, as printed
        ("KPP PRATAMA KOTA BARU", "KPP PRATAMA KOTA BARU"),
        ("KPP PRATAMA BANDAR LAMPUNG SATU", "KPP PRATAMA BANDAR LAMPUNG SATU"),
        ("KPP MADYA JAKARTA BARAT", "KPP MADYA JAKARTA BARAT"),
    ],
)
def test_a_place_word_split_by_an_engine_is_joined(read, joined):
    assert places.join_split_words(read) == joined


def test_the_tax_office_read_with_a_split_place_word_is_the_office_as_printed():
    lines = [
        ("NPWP : 74.601.658.3-074.000", "npwp"),
        "PAIMAN",
        "KOMP. GRAHA PERMAI NO. 38",
        "KPP PRATAMA SERP ONG",
    ]

    assert parse_npwp(lines_to_ocr(lines))["kpp"].value == "KPP PRATAMA SERPONG"


@pytest.mark.parametrize(
    ("read", "split"),
    [
        ("KPP PRATAMA BANDAACEH", "KPP PRATAMA BANDA ACEH"),
        ("KPP PRATAMA BANDARLAMPUNG SATU", "KPP PRATAMA BANDAR LAMPUNG SATU"),
        # a place's word as Kemendagri writes it, a district of two words written as one (as
        # offices print PALMERAH), and a word no split makes two places, stay
        ("KPP PRATAMA PALMERAH", "KPP PRATAMA PALMERAH"),
        ("KPP PRATAMA LUBUKPAKAM", "KPP PRATAMA LUBUKPAKAM"),
        ("KPP PRATAMA GIANYAR", "KPP PRATAMA GIANYAR"),
        ("KPP PRATAMA XYZABCDEF", "KPP PRATAMA XYZABCDEF"),
        # a doubled word is written whole as often as apart: printed whole, it stays whole
        ("KPP PRATAMA PAREPARE", "KPP PRATAMA PAREPARE"),
        ("KPP PRATAMA BAUBAU", "KPP PRATAMA BAUBAU"),
    ],
)
def test_two_place_words_read_as_one_are_split(read, split):
    assert places.split_glued_words(read) == split


@pytest.mark.parametrize(
    ("office_row", "office"),
    [
        # the office line read with no space in it, on a navy band: the address ends before it
        ("KPPPRATAMAGIANYAR", "KPP PRATAMA GIANYAR"),
        ("KPP PRATAMALUBUK PAKAM", "KPP PRATAMA LUBUK PAKAM"),
        ("KPP PRATAMA BANDAACEH", "KPP PRATAMA BANDA ACEH"),
    ],
)
def test_the_tax_office_read_with_its_words_glued_is_the_office_as_printed(office_row, office):
    lines = [("NPWP : 74.601.658.3-074.000", "npwp"), "I GUSTI MADE ADNYANA"]
    lines += ["BR. TENGAH RT.010/RW.009 UBUD, UBUD", "KAB. GIANYAR, BALI", office_row]

    fields = parse_npwp(lines_to_ocr(lines))

    assert fields["kpp"].value == office
    assert fields["alamat"].value == "BR. TENGAH RT.010/RW.009 UBUD, UBUD KAB. GIANYAR, BALI"


def test_every_word_the_dot_look_up_checks_is_an_address_abbreviation_of_the_parser():
    # the OCR layer cannot import the parser's list: its own must stay a part of it, so a dot
    # the card's pixels give back is never one the address clean-up then takes for a comma
    assert dots.ABBREVIATIONS <= ADDRESS_ABBREVIATIONS
