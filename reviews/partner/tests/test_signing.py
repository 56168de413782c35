"""The Standard Webhooks v1 scheme: known answers computed by hand, and the verifier's refusals."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

from reviews.partner import signing

NOW = 1_767_225_600  # 2026-01-01T00:00:00Z


def test_standard_webhooks_published_vector():
    # The example from the Standard Webhooks specification.
    key = signing.secret_key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
    body = b'{"test": 2432232314}'

    sig = signing.signature(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body)

    assert sig == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_worked_example_of_docs_partner_api_md_by_hand():
    # docs/partner-api.md, "Worked example": a raw (non-whsec_) secret is used as UTF-8 bytes.
    secret = "filot-example-secret-0123456789abcdef"
    msg_id = "msg_2Jk8YwQ1example"
    body = (
        b'{"type":"review.decided","data":{"review_id":"7d3f1e6a-2b4c-4d8e-9f10-1a2b3c4d5e6f",'
        b'"decision":"approved"}}'
    )
    content = msg_id.encode() + b"." + str(NOW).encode() + b"." + body
    by_hand = base64.b64encode(hmac.new(secret.encode(), content, hashlib.sha256).digest())

    assert by_hand == b"R8eV5W/oH1YoNBGh26MNizfQieFWAHLh9oJAIkK3XUc="
    assert signing.signature(signing.secret_key(secret), msg_id, NOW, body) == (
        "v1," + by_hand.decode()
    )


def headers_for(key: bytes, body: bytes, *, ts: int = NOW, msg_id: str = "msg_1") -> dict:
    return signing.sign_headers(key, msg_id, ts, body)


def test_verify_accepts_any_of_several_signatures_and_keys():
    old, new = b"old-key", b"new-key"
    body = b'{"a":1}'
    headers = headers_for(new, body)
    headers["webhook-signature"] = "v1,AAAA v2,zzz " + headers["webhook-signature"]

    verified = signing.verify(headers, body, [old, new], now=NOW, tolerance_seconds=300)

    assert verified.msg_id == "msg_1"
    assert verified.timestamp == NOW


@pytest.mark.parametrize(
    ("mutate", "code", "status"),
    [
        (lambda h: h.pop("webhook-id"), "webhook_header_missing", 400),
        (lambda h: h.pop("webhook-timestamp"), "webhook_header_missing", 400),
        (lambda h: h.pop("webhook-signature"), "webhook_header_missing", 400),
        (lambda h: h.update({"webhook-id": "has space"}), "webhook_id_invalid", 400),
        (lambda h: h.update({"webhook-timestamp": "12.5"}), "webhook_timestamp_invalid", 400),
        (lambda h: h.update({"webhook-timestamp": "-1"}), "webhook_timestamp_invalid", 400),
        (lambda h: h.update({"webhook-signature": "garbage"}), "webhook_signature_malformed", 400),
        (lambda h: h.update({"webhook-signature": "v1,!!!"}), "webhook_signature_malformed", 400),
        (lambda h: h.update({"webhook-signature": "v1,AAAA"}), "invalid_signature", 401),
    ],
)
def test_verify_refuses_malformed_headers_with_a_code(mutate, code, status):
    body = b"{}"
    headers = headers_for(b"key", body)
    mutate(headers)

    with pytest.raises(signing.SignatureError) as caught:
        signing.verify(headers, body, [b"key"], now=NOW, tolerance_seconds=300)

    assert (caught.value.code, caught.value.status) == (code, status)


@pytest.mark.parametrize("offset", [-301, 301])
def test_verify_refuses_timestamps_outside_tolerance(offset):
    body = b"{}"
    headers = headers_for(b"key", body, ts=NOW + offset)

    with pytest.raises(signing.SignatureError) as caught:
        signing.verify(headers, body, [b"key"], now=NOW, tolerance_seconds=300)

    assert caught.value.code == "webhook_timestamp_out_of_tolerance"


def test_verify_refuses_a_one_byte_change_of_the_body():
    body = b'{"decision":"approved"}'
    headers = headers_for(b"key", body)

    with pytest.raises(signing.SignatureError):
        signing.verify(
            headers, body.replace(b"approved", b"approvee"), [b"key"], now=NOW, tolerance_seconds=5
        )


def test_whsec_secret_must_be_base64():
    with pytest.raises(ValueError):
        signing.secret_key("whsec_not base64!")
    assert signing.secret_key("whsec_" + base64.b64encode(b"k").decode()) == b"k"
    assert signing.secret_key("plain") == b"plain"


def test_retry_after_accepts_seconds_and_http_dates():
    from reviews.partner.client import parse_retry_after

    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("Thu, 01 Jan 2026 00:01:00 GMT", now=NOW) == 60.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None
