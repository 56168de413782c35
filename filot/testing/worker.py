"""A real Celery worker in a child process, for tests that depend on queue behaviour.

The worker runs this project's code against the same PostgreSQL test database and Redis as the
test process, so a test that uses ``transactional_db`` sees what the worker commits.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from django.db import connection


def database_url_for_tests() -> str:
    """A URL for the database pytest-django created (``test_<name>``)."""
    params = connection.settings_dict
    user = params.get("USER") or ""
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    host = params.get("HOST") or "127.0.0.1"
    port = f":{params['PORT']}" if params.get("PORT") else ""
    return f"postgres://{auth}{host}{port}/{params['NAME']}"


class CeleryWorker:
    """``celery -A filot worker`` with one pool process, started and stopped by a test."""

    def __init__(
        self,
        *,
        queues: str,
        env: Mapping[str, str],
        log_path: Path,
        name: str = "test",
    ) -> None:
        self.queues = queues
        self.env = dict(env)
        self.log_path = log_path
        self.name = name
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, *, ready_timeout: float = 60.0) -> CeleryWorker:
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "filot",
            "worker",
            "-Q",
            self.queues,
            "-P",
            "prefork",  # as in production: time limits and worker-lost handling need it
            "-c",
            "1",
            "-n",
            f"{self.name}-{os.getpid()}-{time.monotonic_ns()}@localhost",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            self.env.get("LOG_LEVEL", "INFO"),
        ]
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(  # noqa: S603  (our own interpreter and arguments)
            command,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: a kill reaches Tesseract too
            cwd=Path(__file__).resolve().parents[2],
        )
        log.close()
        deadline = time.monotonic() + ready_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"celery worker exited at start:\n{self.log()}")
            if " ready." in self.log():
                return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"celery worker not ready after {ready_timeout}s:\n{self.log()}")

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def kill(self) -> None:
        """SIGKILL the worker and everything it started, as a crash or an OOM kill would."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # warm shutdown, as systemd would ask
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        if self.process:
            with contextlib.suppress(ProcessLookupError):  # nothing it started outlives it
                os.killpg(self.process.pid, signal.SIGKILL)


def wait_for(
    condition: Callable[[], Any], *, timeout: float = 60.0, interval: float = 0.1, what: str = ""
) -> Any:
    """Poll ``condition`` until it returns something truthy; fail the test after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what or condition}")
        time.sleep(interval)
