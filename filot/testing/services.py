"""Private Redis, PostgreSQL and web-server processes for fault-injection tests.

A test that stops a service must never stop the shared ones the suite runs on, so each of these
starts its own instance on a free loopback port, can stop it (as a crash would) and start it
again on the same port, and removes everything it wrote when closed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from botocore.config import Config

REPO_ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def _wait(condition: Any, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.05)


def subprocess_env(**overrides: str) -> dict[str, str]:
    """This process's environment without pytest's own variables, plus ``overrides``. No blind
    second reviews are sampled unless ``overrides`` asks for them: a test that decides a case
    would now and then find a second case beside it."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST", "FILOT_TEST", "COV_"))
    }
    env["SECOND_REVIEW_SHARE"] = "0"
    env.update(overrides)
    return env


def _workdir(prefix: str) -> Path:
    # Not under pytest's tmp_path: its parents are private to root, and PostgreSQL runs as
    # the ``postgres`` user when the tests run as root.
    path = Path(tempfile.mkdtemp(prefix=prefix))
    path.chmod(0o755)
    return path


class RedisServer:
    """A private ``redis-server`` without persistence."""

    def __init__(self) -> None:
        self.port = free_port()
        self.workdir = _workdir("filot-redis-")
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        self.process = subprocess.Popen(  # noqa: S603
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
                "--logfile",
                str(self.workdir / "redis.log"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait(lambda: port_open(self.port), timeout=10, what="redis-server")
        return self

    def stop(self) -> None:
        """SIGKILL, as a crash or an OOM kill would: nothing is flushed."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        _wait(lambda: not port_open(self.port), timeout=10, what="redis-server to stop")

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)


def _pg_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if not found:
        raise RuntimeError("PostgreSQL server binaries not found under /usr/lib/postgresql")
    return found[-1]


class PostgresCluster:
    """A private PostgreSQL cluster (``initdb`` + ``pg_ctl``) with one database, ``filot``.

    Run as ``postgres`` through ``runuser`` when the tests run as root, as
    ``scripts/with-services.sh`` does.
    """

    def __init__(self, user: str = "filot", database: str = "filot") -> None:
        self.bin = _pg_bin()
        self.port = free_port()
        self.user = user
        self.database = database
        self.workdir = _workdir("filot-pg-")
        self.data = self.workdir / "data"
        self.log = self.workdir / "server.log"
        self.started = False

    @property
    def url(self) -> str:
        return f"postgres://{self.user}@127.0.0.1:{self.port}/{self.database}"

    def _as_pg(self, *args: str) -> list[str]:
        command = [str(self.bin / args[0]), *args[1:]]
        return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command

    def _run(self, *args: str) -> None:
        subprocess.run(self._as_pg(*args), check=True, capture_output=True, timeout=120)  # noqa: S603

    def init(self) -> PostgresCluster:
        self.data.mkdir()
        self.log.touch()
        if os.geteuid() == 0:
            shutil.chown(self.workdir, "postgres")
            shutil.chown(self.data, "postgres")
            shutil.chown(self.log, "postgres")
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            self.user,
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        self.start()
        subprocess.run(  # noqa: S603
            [
                str(self.bin / "createdb"),
                *("-h", "127.0.0.1", "-p", str(self.port), "-U", self.user, self.database),
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )
        return self

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.workdir} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-w",
            "-t",
            "60",
            "-o",
            options,
            "start",
        )
        self.started = True

    def stop(self, mode: str = "immediate") -> None:
        """``immediate`` drops every connection at once, as a crash of the server would."""
        if self.started:
            self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")
            self.started = False

    def copy_database(self, source_url: str) -> None:
        """Load schema and rows of ``source_url`` (pytest-django's test database) into ours."""
        dump = subprocess.run(  # noqa: S603
            [str(self.bin / "pg_dump"), "--no-owner", "--no-privileges", source_url],
            check=True,
            capture_output=True,
            timeout=120,
        )
        subprocess.run(  # noqa: S603
            [str(self.bin / "psql"), "-q", "-v", "ON_ERROR_STOP=1", self.url],
            input=dump.stdout,
            check=True,
            capture_output=True,
            timeout=120,
        )

    def close(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError, subprocess.TimeoutExpired):
            self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)


class WebServer:
    """FiLot under gunicorn (as in the image), with its own environment."""

    def __init__(self, *, env: Mapping[str, str], log_path: Path, workers: int = 1) -> None:
        self.port = free_port()
        self.env = subprocess_env(
            PORT=str(self.port), GUNICORN_WORKERS=str(workers), PYTHONUNBUFFERED="1", **env
        )
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, *, ready_timeout: float = 30.0) -> WebServer:
        command: Sequence[str] = [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "filot/gunicorn.conf.py",
            "filot.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
        ]
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(  # noqa: S603
            command,
            env=self.env,
            cwd=REPO_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()

        def answers() -> bool:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited at start:\n{self.log()}")
            return port_open(self.port)

        _wait(answers, timeout=ready_timeout, what="gunicorn")
        return self

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


def s3_storage(
    endpoint: str,
    bucket: str,
    *,
    connect_timeout: float = 3.0,
    read_timeout: float = 10.0,
    max_attempts: int = 2,
) -> dict[str, Any]:
    """A ``STORAGES["default"]`` entry with the production S3 options (``filot/settings.py``:
    object parameters, checksums, timeouts), pointed at a test S3 server such as moto."""
    from django.conf import settings

    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint,
            "access_key": "testing",
            "secret_key": "testing-secret",
            "region_name": "auto",
            "signature_version": "s3v4",
            "addressing_style": "path",
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
            "object_parameters": settings.R2_OBJECT_PARAMETERS,
            "client_config": Config(
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
                connect_timeout=connect_timeout,
                read_timeout=read_timeout,
                retries={"max_attempts": max_attempts, "mode": "standard"},
            ),
        },
    }
