"""End-to-end load test: the whole stack on this machine, an open-loop load mix, a reconciliation.

    .venv/bin/python benchmarks/load/run.py --duration 60 --rate 20
    .venv/bin/python benchmarks/load/run.py --steps 10,20,40,80 --step-duration 30

The script re-executes itself under ``scripts/with-services.sh`` (throwaway PostgreSQL and
Redis, removed at the end), then: ``manage.py migrate``; client users and a reviewer; the fake
BULI2 (``manage.py fake_buli2``); gunicorn with 2 workers; Celery workers on ``ocr_gpu`` (-c 1)
and ``default,partner`` (-c 1). A pool of generated KTP/NPWP cards is rendered before the clock
starts; every ``--camera-every``-th (4) is a 12-megapixel phone photo of the card (3.5-4.5 MB,
half of them turned by EXIF), as users send them. Load, per second, at ``--rate`` R (uploads
per second):

* R uploads (``POST /api/v1/documents/``, a unique ``Idempotency-Key`` each), reported as a
  whole (``upload``) and split into ``upload_card`` and ``upload_camera``;
* R x ``--poll-ratio`` polls (``GET /api/v1/documents/{id}/``) of a random accepted document that
  has not yet been seen in a final state or ``in_review``;
* ``--reviewer-rate`` admin queue listings (``GET /admin/reviews/manualreview/``, staff session);
* ``--callback-rate`` signed BULI2 callbacks; 10 % re-send an earlier event (same ``webhook-id``)
  and must answer ``duplicate``. A new event approves a review that is open in the database;
  when none is open it names an unknown review id and must answer 404 (signature still checked).

Requests are sent on schedule by a thread pool (open loop): a slow server does not slow the
arrivals. Latency is measured from the scheduled send time, so queueing in the client counts.
After the load, a drain phase (``--drain-timeout``) waits for the OCR backlog; then PostgreSQL is
checked: every accepted upload is in the database, documents by status, verification results,
OCR runs and reviews per document. A table is printed and JSON written to ``--out``.

Throttles are raised in the server's environment (THROTTLE_UPLOADS=100000/hour,
THROTTLE_USER=100000/minute, THROTTLE_AUTH=10000/minute) so the limiter does not dominate.
"""

from __future__ import annotations

import argparse
import base64
import concurrent.futures
import contextlib
import hashlib
import hmac
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg2
import redis
import requests

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.charts import load_chart  # noqa: E402 (after the path is set)

PYTHON = sys.executable
VENV_BIN = Path(PYTHON).parent
MARKER = "FILOT_LOAD_UNDER_SERVICES"
PASSWORD = "Load-test-pass-9f3k2!"  # noqa: S105 - throwaway users in a throwaway database
REVIEWER_EMAIL = "reviewer@load.test"
CALLBACK_SECRET = "whsec_" + base64.b64encode(b"load-test-buli2-secret-0123456789ab").decode()
OUTBOUND_SECRET = "load-test-filot-outbound-secret-0123456789abcdef"  # noqa: S105
DONE = {"auto_approved", "auto_rejected", "approved", "rejected", "in_review", "failed"}
PROCESSED = {"auto_approved", "auto_rejected", "approved", "rejected", "in_review"}
# "upload" is every upload; "upload_card" and "upload_camera" split it by what was sent.
ENDPOINTS = ("upload", "upload_card", "upload_camera", "poll", "review_queue", "callback")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


# --- the stack ---------------------------------------------------------------------------------


class Stack:
    """The processes this script starts; each in its own session so it can be stopped whole."""

    def __init__(self, workdir: Path, env: dict[str, str]) -> None:
        self.workdir = workdir
        self.env = env
        self.procs: list[tuple[str, subprocess.Popen[bytes]]] = []

    def manage(self, *args: str, extra_env: dict[str, str] | None = None) -> str:
        result = subprocess.run(
            [PYTHON, str(ROOT / "manage.py"), *args],
            cwd=ROOT,
            env={**self.env, **(extra_env or {})},
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {args[0]} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def start(self, name: str, argv: list[str]) -> None:
        log = (self.workdir / f"{name}.log").open("wb")
        proc = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.procs.append((name, proc))

    def check_alive(self) -> None:
        for name, proc in self.procs:
            if proc.poll() is not None:
                tail = (self.workdir / f"{name}.log").read_text(errors="replace")[-3000:]
                raise RuntimeError(f"{name} exited with {proc.returncode}:\n{tail}")

    def wait_for_log(self, name: str, pattern: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        path = self.workdir / f"{name}.log"
        while time.monotonic() < deadline:
            self.check_alive()
            if path.exists() and re.search(pattern, path.read_text(errors="replace")):
                return
            time.sleep(0.3)
        raise RuntimeError(f"{name} not ready after {timeout}s")

    def stop(self) -> None:
        for _, proc in reversed(self.procs):
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        for _, proc in self.procs:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def _server_env(workdir: Path, port: int, buli2_port: int) -> dict[str, str]:
    # Every process of the stack writes its metrics here, manage.py commands included (as the
    # containers' entry point, which creates it, does).
    (workdir / "prom").mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.update(
        {
            "DEBUG": "false",
            "LOG_LEVEL": "WARNING",
            "FILOT_VAR_DIR": str(workdir / "var"),
            "MEDIA_ROOT": str(workdir / "media"),
            "PROMETHEUS_MULTIPROC_DIR": str(workdir / "prom"),
            "PORT": str(port),
            "GUNICORN_WORKERS": "2",
            "THROTTLE_UPLOADS": "100000/hour",
            "THROTTLE_USER": "100000/minute",
            "THROTTLE_AUTH": "10000/minute",
            "JWT_ACCESS_MINUTES": "240",
            "BULI2_API_URL": f"http://127.0.0.1:{buli2_port}",
            "BULI2_API_KEY": "load-test-buli2-api-key",
            "BULI2_SIGNATURE_SECRET": CALLBACK_SECRET,
            "BULI2_OUTBOUND_SIGNATURE_SECRET": OUTBOUND_SECRET,
            "BULI2_CALLBACK_URL": f"http://127.0.0.1:{port}/api/v1/partners/buli2/callbacks/",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


SETUP_USERS = """
import os
from filot.models import Role
from filot.services import user_create
for i in range(int(os.environ["LOAD_CLIENTS"])):
    user_create(
        email=f"client{i}@load.test", password=os.environ["LOAD_PASSWORD"], role=Role.CLIENT
    )
"""


def start_stack(stack: Stack, port: int, buli2_port: int, clients: int) -> None:
    print("migrate ...", flush=True)
    stack.manage("migrate", "--noinput")
    stack.manage(
        "shell",
        "-c",
        SETUP_USERS,
        extra_env={"LOAD_CLIENTS": str(clients), "LOAD_PASSWORD": PASSWORD},
    )
    stack.manage(
        "create_reviewer",
        REVIEWER_EMAIL,
        "--password-from-env",
        "LOAD_PASSWORD",
        extra_env={"LOAD_PASSWORD": PASSWORD},
    )
    print("starting fake BULI2, gunicorn, celery ...", flush=True)
    stack.start("fake_buli2", [PYTHON, "manage.py", "fake_buli2", "--port", str(buli2_port)])
    stack.start(
        "gunicorn",
        [
            str(VENV_BIN / "gunicorn"),
            "-c",
            "filot/gunicorn.conf.py",
            "filot.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "-",
        ],
    )
    celery = [str(VENV_BIN / "celery"), "-A", "filot", "worker", "--without-mingle"]
    stack.start("celery_ocr", [*celery, "-Q", "ocr_gpu", "-c", "1", "-n", "ocr@%h"])
    stack.start("celery_default", [*celery, "-Q", "default,partner", "-c", "1", "-n", "dflt@%h"])
    # Each worker stamps filot:heartbeat:<queue> in Redis when it is ready (filot/celery.py).
    broker = redis.Redis.from_url(os.environ["REDIS_URL"])
    deadline = time.monotonic() + 120
    while not all(broker.exists(f"filot:heartbeat:{q}") for q in ("ocr_gpu", "default", "partner")):
        stack.check_alive()
        if time.monotonic() > deadline:
            raise RuntimeError("celery workers not ready after 120s")
        time.sleep(0.3)
    stack.wait_for_log("fake_buli2", r"listening", 60)
    deadline = time.monotonic() + 60
    while True:
        stack.check_alive()
        try:
            if requests.get(f"http://127.0.0.1:{port}/health", timeout=5).status_code == 200:
                break
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError("gunicorn /health not 200 after 60s")
        time.sleep(0.3)


# --- the load ----------------------------------------------------------------------------------


@dataclass
class Sample:
    endpoint: str
    step: int
    scheduled: float
    started: float
    ended: float
    status: int  # 0: exception
    ok: bool
    note: str = ""


@dataclass
class State:
    base: str
    tokens: list[str]
    admin_cookie: str
    pool: list[tuple[str, bytes, str]]  # doc type, file, "card" or "camera"
    dsn: str
    lock: threading.Lock = field(default_factory=threading.Lock)
    samples: list[Sample] = field(default_factory=list)
    accepted: dict[str, tuple[int, float]] = field(default_factory=dict)  # id -> (client, t)
    pending: list[str] = field(default_factory=list)
    seen_done: dict[str, tuple[str, float]] = field(default_factory=dict)
    sent_events: list[tuple[str, bytes]] = field(default_factory=list)
    open_reviews: list[str] = field(default_factory=list)
    used_reviews: set[str] = field(default_factory=set)
    callback_outcomes: Counter[str] = field(default_factory=Counter)
    upload_counter: int = 0


_local = threading.local()


def _session() -> requests.Session:
    session = getattr(_local, "session", None)
    if session is None:
        session = requests.Session()
        _local.session = session
    return session


def _sign(msg_id: str, body: bytes) -> dict[str, str]:
    key = base64.b64decode(CALLBACK_SECRET.removeprefix("whsec_"))
    timestamp = int(time.time())
    content = f"{msg_id}.{timestamp}.".encode() + body
    digest = base64.b64encode(hmac.new(key, content, hashlib.sha256).digest()).decode()
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": f"v1,{digest}",
        "Content-Type": "application/json",
    }


def op_upload(st: State) -> tuple[int, bool, str, str]:
    """One upload; the fourth value names the sample ``upload_card`` or ``upload_camera``."""
    with st.lock:
        st.upload_counter += 1
        n = st.upload_counter
    client = n % len(st.tokens)
    doc_type, data, kind = st.pool[n % len(st.pool)]
    name = f"IMG_{n:04d}.jpg" if kind == "camera" else "card.jpg"
    response = _session().post(
        f"{st.base}/api/v1/documents/",
        headers={
            "Authorization": f"Bearer {st.tokens[client]}",
            "Idempotency-Key": uuid.uuid4().hex,
        },
        data={"doc_type": doc_type},
        files={"file": (name, data, "image/jpeg")},
        timeout=60,
    )
    label = f"upload_{kind}"
    if response.status_code == 202:
        doc_id = response.json()["id"]
        with st.lock:
            st.accepted[doc_id] = (client, time.time())
            st.pending.append(doc_id)
        return 202, True, "", label
    return response.status_code, False, response.text[:200], label


def op_poll(st: State) -> tuple[int, bool, str] | None:
    with st.lock:
        if not st.pending:
            return None
        doc_id = random.choice(st.pending)
        client = st.accepted[doc_id][0]
    response = _session().get(
        f"{st.base}/api/v1/documents/{doc_id}/",
        headers={"Authorization": f"Bearer {st.tokens[client]}"},
        timeout=60,
    )
    if response.status_code != 200:
        return response.status_code, False, response.text[:200]
    status = response.json().get("status", "")
    if status in DONE:
        with st.lock:
            if doc_id not in st.seen_done:
                st.seen_done[doc_id] = (status, time.time())
                st.pending.remove(doc_id)
    return 200, True, status


def op_review_queue(st: State) -> tuple[int, bool, str]:
    response = _session().get(
        f"{st.base}/admin/reviews/manualreview/",
        headers={"Cookie": st.admin_cookie},
        allow_redirects=False,
        timeout=60,
    )
    ok = response.status_code == 200 and "manualreview" in response.text
    return response.status_code, ok, "" if ok else response.text[:200]


def op_callback(st: State) -> tuple[int, bool, str]:
    duplicate = None
    with st.lock:
        if st.sent_events and random.random() < 0.10:
            duplicate = random.choice(st.sent_events)
        elif st.open_reviews:
            review_id = st.open_reviews.pop()
            kind = "known"
        else:
            review_id = str(uuid.uuid4())
            kind = "unknown"
    if duplicate is not None:
        msg_id, body = duplicate
        kind = "duplicate"
    else:
        msg_id = f"msg_{uuid.uuid4().hex}"
        body = json.dumps(
            {
                "type": "review.decided",
                "data": {"review_id": review_id, "decision": "approved", "task_id": "load"},
            },
            separators=(",", ":"),
        ).encode()
    response = _session().post(
        f"{st.base}/api/v1/partners/buli2/callbacks/",
        data=body,
        headers=_sign(msg_id, body),
        timeout=60,
    )
    code = response.status_code
    answer = response.json().get("status", "") if code == 200 else ""
    if kind == "duplicate":
        ok = code == 200 and answer == "duplicate"
    elif kind == "known":
        ok = code == 200 and answer == "applied"
    else:
        ok = code == 404
    with st.lock:
        st.callback_outcomes[f"{kind}:{code}:{answer}"] += 1
        if duplicate is None and code in (200, 404):
            st.sent_events.append((msg_id, body))
    return code, ok, kind if ok else f"{kind}: {response.text[:200]}"


def review_feeder(st: State, stop: threading.Event) -> None:
    """Keep a short list of review ids open in the database, for callbacks to decide."""
    conn = psycopg2.connect(st.dsn)
    conn.autocommit = True
    try:
        while not stop.wait(1.0):
            with conn.cursor() as cur:
                cur.execute(
                    "SELECT id::text FROM manual_reviews WHERE state = 'open' "
                    "ORDER BY created_at LIMIT 500"
                )
                ids = [row[0] for row in cur.fetchall()]
            with st.lock:
                fresh = [i for i in ids if i not in st.used_reviews]
                st.used_reviews.update(fresh)
                st.open_reviews.extend(fresh)
    finally:
        conn.close()


OPS = {
    "upload": op_upload,
    "poll": op_poll,
    "review_queue": op_review_queue,
    "callback": op_callback,
}


def _run_op(st: State, endpoint: str, step: int, scheduled: float) -> None:
    started = time.monotonic()
    try:
        result = OPS[endpoint](st)
    except Exception as exc:  # noqa: BLE001 - every failure is a measured error
        result = (0, False, f"{type(exc).__name__}: {exc}"[:200])
    if result is None:
        return
    if len(result) == 4:  # the operation names its own sample (uploads by kind)
        endpoint, result = result[3], result[:3]
    sample = Sample(endpoint, step, scheduled, started, time.monotonic(), *result)
    with st.lock:
        st.samples.append(sample)


def schedule(rates: dict[str, float], duration: float) -> list[tuple[float, str]]:
    events: list[tuple[float, str]] = []
    for offset, (endpoint, rate) in enumerate(rates.items()):
        if rate <= 0:
            continue
        interval = 1.0 / rate
        t = interval * (offset + 1) / (len(rates) + 1)
        while t < duration:
            events.append((t, endpoint))
            t += interval
    events.sort()
    return events


def run_load(
    st: State, steps: list[tuple[float, float]], args: argparse.Namespace
) -> list[dict[str, Any]]:
    """Send each step's schedule, then let its requests finish before the next step starts."""
    windows = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.threads) as pool:
        for index, (rate, duration) in enumerate(steps):
            rates = {
                "upload": rate,
                "poll": rate * args.poll_ratio,
                "review_queue": args.reviewer_rate,
                "callback": args.callback_rate,
            }
            print(f"step {index}: {rate:g} uploads/s for {duration:g}s {rates}", flush=True)
            start = time.monotonic()
            wall_start = time.time()
            futures = []
            for t, endpoint in schedule(rates, duration):
                delay = start + t - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                futures.append(pool.submit(_run_op, st, endpoint, index, start + t))
            time.sleep(max(0.0, start + duration - time.monotonic()))
            wall_end = time.time()
            end = time.monotonic()
            concurrent.futures.wait(futures, timeout=args.step_settle)
            settle = time.monotonic() - end
            with st.lock:
                done = [s for s in st.samples if s.step == index]
            in_window = sum(1 for s in done if s.ended <= end)
            windows.append(
                {
                    "step": index,
                    "rate": rate,
                    "duration_s": duration,
                    "start": wall_start,
                    "end": wall_end,
                    "completed_in_window_rps": in_window / duration,
                    "settle_s": round(settle, 1),
                    "loadavg_1m": os.getloadavg()[0],
                }
            )
            print(
                f"  completed {in_window / duration:.1f} req/s in the window; "
                f"the rest finished {settle:.1f}s after it",
                flush=True,
            )
        print("waiting for requests in flight ...", flush=True)
    return windows


# --- results -----------------------------------------------------------------------------------


def latency_table(samples: list[Sample], elapsed: float) -> dict[str, dict[str, float]]:
    table: dict[str, dict[str, float]] = {}
    groups: dict[str, list[Sample]] = defaultdict(list)
    for s in samples:
        groups[s.endpoint].append(s)
        if s.endpoint.startswith("upload_"):
            groups["upload"].append(s)
        groups["all"].append(s)
    for endpoint in (*ENDPOINTS, "all"):
        rows = groups.get(endpoint, [])
        lat = [(s.ended - s.scheduled) * 1000 for s in rows]
        service = [(s.ended - s.started) * 1000 for s in rows]
        errors = sum(1 for s in rows if not s.ok)
        table[endpoint] = {
            "requests": len(rows),
            "rps": len(rows) / elapsed if elapsed else 0.0,
            "p50_ms": _pct(lat, 0.50),
            "p95_ms": _pct(lat, 0.95),
            "p99_ms": _pct(lat, 0.99),
            "max_ms": max(lat, default=0.0),
            "mean_ms": statistics.fmean(lat) if lat else 0.0,
            "service_p95_ms": _pct(service, 0.95),
            "errors": errors,
            "error_rate": errors / len(rows) if rows else 0.0,
        }
    return table


def db_counts(dsn: str, ids: list[str]) -> dict[str, Any]:
    conn = psycopg2.connect(dsn)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT id::text, status FROM documents")
            docs = dict(cur.fetchall())
            cur.execute("SELECT document_id::text, count(*) FROM verification_results GROUP BY 1")
            vr = dict(cur.fetchall())
            cur.execute("SELECT document_id::text, count(*) FROM ocr_runs GROUP BY 1")
            ocr = dict(cur.fetchall())
            cur.execute("SELECT document_id::text, count(*) FROM manual_reviews GROUP BY 1")
            reviews = dict(cur.fetchall())
            cur.execute("SELECT state, count(*) FROM manual_reviews GROUP BY 1")
            review_states = dict(cur.fetchall())
            cur.execute("SELECT status, count(*) FROM partner_outbox GROUP BY 1")
            outbox = dict(cur.fetchall())
            cur.execute(
                "SELECT count(*), extract(epoch FROM min(created_at)), "
                "extract(epoch FROM max(created_at)) FROM document_transitions "
                "WHERE from_status = 'processing' AND to_status <> 'queued'"
            )
            processed, first, last = cur.fetchone() or (0, None, None)
    finally:
        conn.close()
    accepted = set(ids)
    statuses = Counter(docs[i] for i in accepted if i in docs)
    lost = sorted(accepted - docs.keys())
    unexpected = sorted(docs.keys() - accepted)
    waiting = [i for i in accepted if docs.get(i) in ("queued", "processing")]
    vr_bad = {
        i: vr.get(i, 0)
        for i in accepted
        if (docs.get(i) in PROCESSED and vr.get(i, 0) != 1)
        or (docs.get(i) in ("queued", "processing") and vr.get(i, 0) != 0)
        or vr.get(i, 0) > 1
    }
    return {
        "accepted_uploads": len(accepted),
        "documents_in_db": len(docs),
        "lost": len(lost),
        "lost_ids": lost[:20],
        "unexpected_documents": len(unexpected),
        "by_status": dict(sorted(statuses.items())),
        "still_waiting": len(waiting),
        "reached_final_or_in_review": sum(statuses[s] for s in PROCESSED),
        "failed": statuses.get("failed", 0),
        "verification_results_per_document": dict(
            sorted(Counter(vr.get(i, 0) for i in accepted).items())
        ),
        "verification_result_violations": len(vr_bad),
        "verification_result_violation_ids": sorted(vr_bad)[:20],
        "ocr_runs_total": sum(ocr.get(i, 0) for i in accepted),
        "ocr_runs_per_document": dict(sorted(Counter(ocr.get(i, 0) for i in accepted).items())),
        "documents_with_more_than_one_ocr_run": sum(1 for i in accepted if ocr.get(i, 0) > 1),
        "reviews_per_document": dict(sorted(Counter(reviews.get(i, 0) for i in accepted).items())),
        "review_states": review_states,
        "partner_outbox": outbox,
        "processed_transitions": int(processed or 0),
        "first_processed_at": float(first) if first is not None else None,
        "last_processed_at": float(last) if last is not None else None,
    }


def drain(dsn: str, ids: list[str], timeout: float) -> dict[str, Any]:
    conn = psycopg2.connect(dsn)
    conn.autocommit = True
    start = time.monotonic()
    waiting = -1
    try:
        while True:
            with conn.cursor() as cur:
                cur.execute(
                    "SELECT count(*) FROM documents WHERE id = ANY(%s::uuid[]) "
                    "AND status IN ('queued', 'processing')",
                    (ids,),
                )
                row = cur.fetchone()
                waiting = int(row[0]) if row else 0
            elapsed = time.monotonic() - start
            if waiting == 0 or elapsed >= timeout:
                break
            print(f"  drain {elapsed:5.0f}s: {waiting} documents waiting", flush=True)
            time.sleep(min(5.0, max(0.5, timeout - elapsed)))
    finally:
        conn.close()
    return {
        "drain_seconds": round(time.monotonic() - start, 1),
        "drained": waiting == 0,
        "waiting_at_end": waiting,
        "timeout_s": timeout,
    }


def print_report(report: dict[str, Any]) -> None:
    def table(title: str, rows: dict[str, dict[str, float]]) -> None:
        print(f"\n{title}")
        print(
            f"{'endpoint':<14}{'req':>7}{'rps':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
            f"{'max ms':>9}{'errors':>8}{'err %':>7}"
        )
        for name, r in rows.items():
            print(
                f"{name:<14}{r['requests']:>7.0f}{r['rps']:>8.1f}{r['p50_ms']:>9.0f}"
                f"{r['p95_ms']:>9.0f}{r['p99_ms']:>9.0f}{r['max_ms']:>9.0f}{r['errors']:>8.0f}"
                f"{100 * r['error_rate']:>7.2f}"
            )

    for step in report["steps"]:
        table(
            f"step {step['step']}: target {step['rate']:g} uploads/s for {step['duration_s']:g}s;"
            f" {step['completed_in_window_rps']:.1f} req/s completed in the window, the rest"
            f" {step['settle_s']}s later; load avg {step['loadavg_1m']:.1f}"
            f" (latency from the scheduled send time)",
            step["latency"],
        )
    if len(report["steps"]) > 1:
        table("whole run", report["latency"])
    t = report["throughput"]
    r = report["reconciliation"]
    d = report["drain"]
    print(
        f"\ndocuments processed: {t['processed_during_load']} during the load "
        f"({t['processed_per_minute_during_load']:.1f}/min), {t['processed_total']} in all "
        f"({t['processed_per_minute_overall']:.1f}/min from first to last)"
    )
    print(
        f"drain: {'done' if d['drained'] else 'time limit reached'} after {d['drain_seconds']}s, "
        f"{d['waiting_at_end']} documents still waiting"
        + (
            f" (about {t['estimated_minutes_to_drain']:.1f} more minutes at the measured rate)"
            if not d["drained"] and t["estimated_minutes_to_drain"] is not None
            else ""
        )
    )
    print(
        f"reconciliation: {r['accepted_uploads']} accepted uploads, lost {r['lost']}, "
        f"unexpected {r['unexpected_documents']}, by status {r['by_status']}"
    )
    print(
        f"  verification_results per document {r['verification_results_per_document']} "
        f"(violations {r['verification_result_violations']}); ocr_runs {r['ocr_runs_total']}, "
        f"per document {r['ocr_runs_per_document']}; reviews per document "
        f"{r['reviews_per_document']}; outbox {r['partner_outbox']}"
    )
    q = report["redis_queues"]
    print(
        f"  waiting documents {r['still_waiting']} vs. Celery messages not yet done: "
        f"{q['ocr_gpu'] + q['default'] + q['unacked']} (redis {q}; a waiting document with "
        "no message would be lost work)"
    )
    print(f"callbacks: {report['callbacks']}")
    print(f"verdict: {json.dumps(report['verdict'])}")


# --- main --------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--duration", type=float, default=60, help="seconds (one step)")
    parser.add_argument("--rate", type=float, default=20, help="uploads per second (one step)")
    parser.add_argument("--steps", default="", help="e.g. 10,20,40,80: upload rates in turn")
    parser.add_argument("--step-duration", type=float, default=30, help="seconds per step")
    parser.add_argument("--poll-ratio", type=float, default=1.0, help="polls per upload")
    parser.add_argument("--reviewer-rate", type=float, default=1.0, help="queue listings/s")
    parser.add_argument("--callback-rate", type=float, default=2.0, help="BULI2 callbacks/s")
    parser.add_argument("--clients", type=int, default=20, help="client users")
    parser.add_argument("--pool", type=int, default=200, help="distinct generated cards")
    parser.add_argument(
        "--camera-every",
        type=int,
        default=4,
        help="every Nth upload is a 12 MP camera photo of the card (0: none)",
    )
    parser.add_argument("--threads", type=int, default=128, help="client threads")
    parser.add_argument(
        "--step-settle", type=float, default=180, help="max seconds to let a step's requests end"
    )
    parser.add_argument("--drain-timeout", type=float, default=180, help="seconds")
    parser.add_argument("--keep-logs", action="store_true", help="copy server logs to out dir")
    parser.add_argument("--out", default=str(ROOT / "benchmarks/out/load.json"))
    return parser.parse_args(argv)


def reexec_under_services() -> int:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env[MARKER] = "1"
    argv = [
        "bash",
        str(ROOT / "scripts/with-services.sh"),
        PYTHON,
        str(Path(__file__)),
        *sys.argv[1:],
    ]
    proc = subprocess.Popen(argv, env=env)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.send_signal(signal.SIGINT)
        return proc.wait()


def make_pool(size: int, camera_every: int) -> list[tuple[str, bytes, str]]:
    """Generated cards; every ``camera_every``-th one photographed with a 12 MP phone camera
    (4000 x 3000 JPEG, 3.5-4.5 MB, half of them held upright with EXIF orientation 6)."""
    from filot.testing.images import camera_photo
    from ocr_gpu.testing.cards import make_card

    pool = []
    levels = ("clean", "clean", "mild")  # mostly readable cards, some degraded
    for i in range(size):
        doc_type = "ktp" if i % 2 == 0 else "npwp"
        if camera_every and i % camera_every == camera_every - 1:
            card, _ = make_card(doc_type, "clean", 100_000 + i)
            orientation = 6 if (i // camera_every) % 2 else 1
            photo = camera_photo(card, seed=i, orientation=orientation)
            pool.append((doc_type.upper(), photo, "camera"))
            continue
        data, _ = make_card(doc_type, levels[i % len(levels)], 100_000 + i)  # type: ignore[arg-type]
        pool.append((doc_type.upper(), data, "card"))
    return pool


def main() -> int:
    args = parse_args()
    if not os.environ.get(MARKER):
        return reexec_under_services()

    if args.steps:
        steps = [(float(r), args.step_duration) for r in args.steps.split(",") if r.strip()]
    else:
        steps = [(args.rate, args.duration)]
    dsn = os.environ["DATABASE_URL"]
    workdir = Path(tempfile.mkdtemp(prefix="filot-load."))
    port, buli2_port = _free_port(), _free_port()
    stack = Stack(workdir, _server_env(workdir, port, buli2_port))

    def _terminate(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _terminate)
    try:
        print(
            f"generating {args.pool} cards (every {args.camera_every}th a camera photo) ...",
            flush=True,
        )
        t0 = time.monotonic()
        pool = make_pool(args.pool, args.camera_every)
        print(f"  {time.monotonic() - t0:.1f}s", flush=True)
        start_stack(stack, port, buli2_port, args.clients)
        base = f"http://127.0.0.1:{port}"
        tokens = []
        for i in range(args.clients):
            response = requests.post(
                f"{base}/api/v1/auth/token/",
                json={"email": f"client{i}@load.test", "password": PASSWORD},
                timeout=30,
            )
            response.raise_for_status()
            tokens.append(response.json()["access"])
        admin = requests.Session()
        login = admin.get(f"{base}/admin/login/", timeout=30)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text)
        if not match:
            raise RuntimeError("no CSRF token on the admin login page")
        answer = admin.post(
            f"{base}/admin/login/?next=/admin/",
            data={
                "username": REVIEWER_EMAIL,
                "password": PASSWORD,
                "csrfmiddlewaretoken": match.group(1),
                "next": "/admin/",
            },
            headers={"Referer": f"{base}/admin/login/"},
            allow_redirects=False,
            timeout=30,
        )
        if answer.status_code != 302 or "sessionid" not in admin.cookies:
            raise RuntimeError(f"admin login failed: {answer.status_code} {answer.text[:300]}")
        cookie = f"sessionid={admin.cookies['sessionid']}"

        st = State(base=base, tokens=tokens, admin_cookie=cookie, pool=pool, dsn=dsn)
        stop = threading.Event()
        feeder = threading.Thread(target=review_feeder, args=(st, stop), daemon=True)
        feeder.start()
        loadavg_before = os.getloadavg()
        load_start = time.time()
        windows = run_load(st, steps, args)
        load_end = time.time()
        stop.set()
        stack.check_alive()
        ids = list(st.accepted)
        print(f"load done: {len(ids)} uploads accepted; drain (limit {args.drain_timeout:g}s)")
        drained = drain(dsn, ids, args.drain_timeout)
        stack.check_alive()
        recon = db_counts(dsn, ids)
        queues = {}
        r = redis.Redis.from_url(os.environ["REDIS_URL"])
        for name in ("ocr_gpu", "default", "partner"):
            queues[name] = int(r.llen(name))
        queues["unacked"] = int(r.hlen("unacked"))
    finally:
        print("stopping ...", flush=True)
        stack.stop()
        if args.keep_logs:
            logs = Path(args.out).parent / "load-logs"
            logs.mkdir(parents=True, exist_ok=True)
            for path in workdir.glob("*.log"):
                shutil.copy(path, logs / path.name)
        shutil.rmtree(workdir, ignore_errors=True)

    elapsed = load_end - load_start
    step_reports = []
    for w in windows:
        rows = [s for s in st.samples if s.step == w["step"]]
        step_reports.append({**w, "latency": latency_table(rows, w["end"] - w["start"])})
    first, last = recon["first_processed_at"], recon["last_processed_at"]
    conn = psycopg2.connect(dsn)
    with conn.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM document_transitions WHERE from_status = 'processing' "
            "AND to_status <> 'queued' "
            "AND created_at BETWEEN to_timestamp(%s) AND to_timestamp(%s)",
            (load_start, load_end),
        )
        row = cur.fetchone()
        during = int(row[0]) if row else 0
    conn.close()
    overall_per_min = (
        recon["processed_transitions"] / (last - first) * 60
        if first and last and last > first
        else 0
    )
    throughput = {
        "load_seconds": round(elapsed, 1),
        "processed_during_load": during,
        "processed_per_minute_during_load": during / elapsed * 60 if elapsed else 0.0,
        "processed_total": recon["processed_transitions"],
        "processed_per_minute_overall": overall_per_min,
        "estimated_minutes_to_drain": (
            drained["waiting_at_end"] / overall_per_min if overall_per_min else None
        ),
    }
    total = latency_table(st.samples, elapsed)
    verdict = {
        "steps": [
            {
                "rate": s["rate"],
                "upload_p95_ms": round(s["latency"]["upload"]["p95_ms"], 1),
                "upload_p95_under_300ms": s["latency"]["upload"]["p95_ms"] < 300,
                "upload_camera_p95_ms": round(s["latency"]["upload_camera"]["p95_ms"], 1),
                "error_rate": s["latency"]["all"]["error_rate"],
                "completed_rps_in_window": round(s["completed_in_window_rps"], 1),
            }
            for s in step_reports
        ],
        "no_lost_documents": recon["lost"] == 0,
        "no_doubled_verification": recon["verification_result_violations"] == 0,
        "all_done_or_waiting_in_queue": recon["accepted_uploads"]
        == recon["reached_final_or_in_review"] + recon["failed"] + recon["still_waiting"],
    }
    errors = Counter(f"{s.endpoint} {s.status} {s.note[:80]}" for s in st.samples if not s.ok)
    report = {
        "command": " ".join([Path(PYTHON).name, *sys.argv]),
        "machine": {
            "cpus": os.cpu_count(),
            "loadavg_before_load": loadavg_before,
            "loadavg_at_end": os.getloadavg(),
        },
        "settings": {
            "gunicorn_workers": 2,
            "celery": ["-Q ocr_gpu -c 1", "-Q default,partner -c 1"],
            "throttles": "THROTTLE_UPLOADS=100000/hour THROTTLE_USER=100000/minute "
            "THROTTLE_AUTH=10000/minute",
            **{k: v for k, v in vars(args).items() if k != "out"},
        },
        "steps": step_reports,
        "latency": total,
        "throughput": throughput,
        "drain": drained,
        "reconciliation": recon,
        "redis_queues": queues,
        "callbacks": dict(sorted(st.callback_outcomes.items())),
        "errors": dict(errors.most_common(20)),
        "verdict": verdict,
    }
    print_report(report)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, default=str))
    print(f"\nwrote {out} and {load_chart(report, out.with_suffix('.png'))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
