"""A fake BULI2: a real HTTP server on loopback, for tests and demos.

It accepts escalations (``POST /internal/reviews``) and decisions (``POST /internal/decisions``),
checks the bearer key and FiLot's Standard Webhooks signature, and counts what it accepted by
``Idempotency-Key``: a repeated key gets the first answer again and is not counted twice, as a
real idempotent partner would. ``mode`` makes it misbehave: answer a status (5xx, 4xx, 429 with
``Retry-After``), answer slowly, or drop the connection. ``send_callback`` posts a signed
decision to FiLot like BULI2 would.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import requests

from reviews.partner import signing

PATHS = ("/internal/reviews", "/internal/decisions", "/internal/cancellations")


@dataclass(frozen=True)
class Mode:
    """How to answer. ``status`` None means behave (201 for reviews, 200 for decisions)."""

    status: int | None = None
    delay: float = 0.0
    retry_after: int | None = None
    drop: bool = False


@dataclass
class Record:
    path: str
    idempotency_key: str
    authorized: bool
    signature_ok: bool
    answered: int | str
    at: float = field(default_factory=time.monotonic)


class FakeBuli2:
    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        api_key: str = "",
        verify_secret: str = "",
        callback_secret: str = "",
    ) -> None:
        self.host = host
        self.port = port
        self.api_key = api_key
        self.verify_secret = verify_secret
        self.callback_secret = callback_secret
        self.mode = Mode()
        self._lock = threading.Lock()
        self._records: list[Record] = []
        self._accepted: dict[str, int] = {}
        self._answers: dict[str, tuple[int, dict[str, Any]]] = {}
        self._bodies: dict[str, dict[str, Any]] = {}
        self._started: list[str] = []
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle -------------------------------------------------------------------------
    def start(self) -> FakeBuli2:
        self._server = ThreadingHTTPServer((self.host, self.port), self._handler_class())
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeBuli2:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        shown = "127.0.0.1" if self.host in ("", "0.0.0.0") else self.host  # noqa: S104 # nosec B104 # compares, binds nothing
        return f"http://{shown}:{self.port}"

    # --- what it saw -----------------------------------------------------------------------
    def records(self) -> list[Record]:
        with self._lock:
            return list(self._records)

    def accepted(self) -> dict[str, int]:
        """Idempotency-Key -> how many times BULI2 acted on it (1 for a well-behaved sender)."""
        with self._lock:
            return dict(self._accepted)

    def hits(self, key: str | None = None) -> int:
        with self._lock:
            return sum(1 for r in self._records if key is None or r.idempotency_key == key)

    def started(self) -> list[str]:
        """Idempotency-Keys of requests that arrived (recorded before any delay or drop)."""
        with self._lock:
            return list(self._started)

    def body(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            return self._bodies.get(key)

    # --- callbacks -------------------------------------------------------------------------
    def send_callback(
        self,
        url: str,
        data: dict[str, Any],
        *,
        msg_id: str | None = None,
        timestamp: int | None = None,
        secret: str | None = None,
    ) -> requests.Response:
        """POST a signed ``review.decided`` event to FiLot."""
        msg_id = msg_id or f"msg_{uuid.uuid4().hex}"
        timestamp = timestamp if timestamp is not None else int(time.time())
        body = json.dumps({"type": "review.decided", "data": data}).encode()
        key = signing.secret_key(secret if secret is not None else self.callback_secret)
        headers = {
            "Content-Type": "application/json",
            **signing.sign_headers(key, msg_id, timestamp, body),
        }
        return requests.post(url, data=body, headers=headers, timeout=(3, 10))

    # --- the server ------------------------------------------------------------------------
    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        key = handler.headers.get("Idempotency-Key", "")
        mode = self.mode
        with self._lock:
            self._started.append(key)
        if handler.path not in PATHS:
            self._answer(handler, 404, {"error": "not found"}, key=key, ok=(False, False))
            return
        authorized = not self.api_key or (
            handler.headers.get("Authorization") == f"Bearer {self.api_key}"
        )
        signature_ok = self._signature_ok(handler, body)
        if mode.delay:
            time.sleep(mode.delay)
        if mode.drop:
            with self._lock:
                self._records.append(Record(handler.path, key, authorized, signature_ok, "drop"))
            handler.close_connection = True
            handler.connection.shutdown(socket.SHUT_RDWR)
            return
        if not authorized or not signature_ok:
            self._answer(handler, 401, {"error": "unauthorized"}, key=key, ok=(authorized, False))
            return
        if mode.status is not None:
            headers = {}
            if mode.retry_after is not None:
                headers["Retry-After"] = str(mode.retry_after)
            self._answer(
                handler, mode.status, {"error": "scripted"}, key=key, ok=(True, True), **headers
            )
            return
        with self._lock:
            previous = self._answers.get(key)
            if previous is None:
                self._accepted[key] = self._accepted.get(key, 0) + 1
                try:
                    self._bodies[key] = json.loads(body)
                except ValueError:
                    self._bodies[key] = {}
                if handler.path == "/internal/reviews":
                    previous = (201, {"taskId": f"buli2-{uuid.uuid4().hex[:12]}", "status": "ok"})
                else:
                    previous = (200, {"status": "received"})
                self._answers[key] = previous
        self._answer(handler, previous[0], previous[1], key=key, ok=(True, True))

    def _signature_ok(self, handler: BaseHTTPRequestHandler, body: bytes) -> bool:
        if not self.verify_secret:
            return True
        headers = {name.lower(): value for name, value in handler.headers.items()}
        try:
            signing.verify(
                headers,
                body,
                [signing.secret_key(self.verify_secret)],
                now=time.time(),
                tolerance_seconds=300,
            )
        except signing.SignatureError:
            return False
        return True

    def _answer(
        self,
        handler: BaseHTTPRequestHandler,
        status: int,
        body: dict[str, Any],
        *,
        key: str,
        ok: tuple[bool, bool],
        **headers: str,
    ) -> None:
        with self._lock:
            self._records.append(Record(handler.path, key, ok[0], ok[1], status))
        raw = json.dumps(body).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(raw)))
        for name, value in headers.items():
            handler.send_header(name.replace("_", "-"), value)
        handler.end_headers()
        handler.wfile.write(raw)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                fake._handle(self)

            def log_message(self, format: str, *args: Any) -> None:
                return  # quiet: tests read the records instead

        return Handler
