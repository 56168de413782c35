"""The extraction report: per family, leave-one-family-out, and wrong identities approved."""

from __future__ import annotations

from verification.evaluation import (
    CardResult,
    compare_families,
    field_matches,
    format_comparison,
    summarise,
)


def card(family: str, *, nik_ok: bool = True, decision: str = "auto_approved") -> CardResult:
    return CardResult(
        name=f"{family}.png",
        doc_type="ktp",
        level="clean",
        tamper=None,
        family=family,
        matches={"nik": nik_ok, "nama": True, "tanggal_lahir": True, "alamat": True},
        decision=decision,
    )


def test_a_wrong_nik_approved_counts_as_a_wrong_identity_and_a_reviewed_one_does_not():
    results = [
        card("a"),
        card("a", nik_ok=False),  # approved with a wrong NIK: the worst error
        card("a", nik_ok=False, decision="in_review"),  # a person will look: not counted
    ]

    group = summarise(results)["groups"]["ktp/clean"]

    assert group["wrong_auto_approvals"] == 1
    assert group["number_exact"] == round(100 / 3, 2)
    assert group["auto_approved"] == round(200 / 3, 2)


def test_the_held_out_family_is_reported_beside_the_families_tuned_on():
    results = [card("a"), card("b"), card("c", nik_ok=False, decision="auto_rejected")]

    comparison = compare_families(results, "c")

    assert comparison["tuned_families"] == ["a", "b"]
    tuned = comparison["groups"]["tuned"]["ktp/clean"]
    held = comparison["groups"]["held_out"]["ktp/clean"]
    assert (tuned["cards"], tuned["number_exact"], tuned["auto_approved"]) == (2, 100.0, 100.0)
    assert (held["cards"], held["number_exact"], held["auto_rejected"]) == (1, 0.0, 100.0)
    assert "| ktp/clean | 100% / 0% |" in format_comparison(comparison)


def test_families_are_reported_apart_on_request():
    groups = summarise([card("a"), card("b")], by_family=True)["groups"]

    assert set(groups) == {"a/ktp/clean", "b/ktp/clean"}


def test_a_field_s_share_counts_only_the_cards_that_print_it():
    older = card("a")  # a card without the address line: it cannot miss it
    older.matches.pop("alamat")
    results = [card("a"), card("a"), older, card("a", nik_ok=False)]
    results[1].matches["alamat"] = False

    fields = summarise(results)["groups"]["ktp/clean"]["fields"]

    assert fields["alamat"] == round(200 / 3, 2)
    assert fields["nik"] == 75.0


def test_a_field_the_card_does_not_print_matches_only_an_empty_read():
    # an older NPWP prints no NIK line: its truth gives "" (or null) for the NIK
    assert field_matches(None, "") and field_matches(None, None) and field_matches("", "")
    assert not field_matches("3578200809550164", "")
    assert not field_matches(None, "3578200809550164")
    assert field_matches("3578200809550164", "3578200809550164")
