"""`manage.py fake_buli2` serves a stand-in BULI2 that checks FiLot's key and signature."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import requests
from django.conf import settings

from filot.testing.worker import wait_for
from reviews.partner.signing import secret_key, sign_headers

ROOT = Path(__file__).resolve().parents[3]
API_KEY = "fake-buli2-test-api-key-0123456789"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_fake_buli2_accepts_a_signed_escalation_once_and_refuses_a_bad_key(tmp_path):
    port = free_port()
    log = (tmp_path / "fake.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "manage.py", "fake_buli2", "--port", str(port)],
        cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1", "BULI2_API_KEY": API_KEY},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        url = f"http://127.0.0.1:{port}/internal/reviews"

        def listening() -> bool:
            try:
                requests.get(f"http://127.0.0.1:{port}/", timeout=1)
            except requests.ConnectionError:
                return False
            return True

        wait_for(listening, timeout=30, what="fake BULI2 to listen")
        body = json.dumps({"reviewId": str(uuid.uuid4()), "documentType": "KTP"}).encode()
        event = f"msg_{uuid.uuid4().hex}"
        headers = {
            "Authorization": f"Bearer {API_KEY}",
            "Idempotency-Key": event,
            "Content-Type": "application/json",
            **sign_headers(
                secret_key(settings.BULI2_OUTBOUND_SIGNATURE_SECRET), event, int(time.time()), body
            ),
        }
        first = requests.post(url, data=body, headers=headers, timeout=5)
        again = requests.post(url, data=body, headers=headers, timeout=5)
        other = f"msg_{uuid.uuid4().hex}"
        other_headers = {
            **headers,
            "Authorization": "Bearer not-the-key",
            "Idempotency-Key": other,
            **sign_headers(
                secret_key(settings.BULI2_OUTBOUND_SIGNATURE_SECRET), other, int(time.time()), body
            ),
        }
        wrong_key = requests.post(url, data=body, headers=other_headers, timeout=5)

        assert first.status_code == 201
        assert again.json() == first.json()  # the same idempotency key, the same answer
        assert re.fullmatch(r"buli2-[0-9a-f]{12}", first.json()["taskId"])
        assert wrong_key.status_code == 401
    finally:
        server.terminate()
        server.wait(timeout=10)
