"""An uploader learns nothing about other users' documents: a card whose NIK is already on
someone else's document goes to a reviewer, and its owner sees only a neutral reason."""

from __future__ import annotations

import json

import pytest

from conftest import bearer_for
from verification.tests.flow import URL, card_bytes, ktp_fields, process, upload

pytestmark = pytest.mark.slow


def test_a_registered_nik_is_not_revealed_to_the_uploader(auth_client, api_client, make_user):
    victim = ktp_fields(61)
    process(upload(auth_client, card_bytes("ktp", victim), "ktp"))
    api_client.credentials(HTTP_AUTHORIZATION=bearer_for(make_user()))
    probe = ktp_fields(62, nik=victim["nik"])  # another person's card carrying the same NIK

    result = process(upload(api_client, card_bytes("ktp", probe, seed=7), "ktp"))

    assert "duplicate_identity" in result.reason_codes  # the reviewer is told
    body = api_client.get(f"{URL}{result.document_id}/").json()
    text = json.dumps(body).lower()
    assert "duplicate" not in text and "other user" not in text
    verification = body["verification"]
    assert "manual_review" in verification["reason_codes"]
    reason = next(r for r in verification["reasons"] if r["code"] == "manual_review")
    assert reason == {
        "code": "manual_review",
        "retryable": False,
        "message": "A FiLot reviewer checks this document; the outcome will appear here.",
    }
    assert "duplicates" not in verification["score_breakdown"]["components"]
    assert "rule" not in verification["score_breakdown"]
    listed = api_client.get(URL).json()["results"][0]["verification"]
    assert "duplicate" not in json.dumps(listed).lower()
