"""Console benchmark: a reviewer works a queue of clean cases with keys only, in Chromium.

    .venv/bin/python benchmarks/console_bench.py --cases 20

The script re-executes itself under ``scripts/with-services.sh`` (throwaway PostgreSQL and
Redis), then: ``manage.py migrate`` and ``collectstatic``; a reviewer and ``--cases`` clean KTP
cases (generated card pictures stored as upload and straightened card, every field read, one
warning and no failing check, so one key approves); gunicorn with 2 workers, DEBUG off, static
files from WhiteNoise, as in production. Debian's Chromium (Playwright, headless, 1440 x 900)
signs in through the form, opens the queue and then only presses keys: ``N`` on the queue (claim
the next case), then ``A`` on each case as soon as its card image has loaded ("decide and next",
on by default, opens the following case), until the queue is empty. Nobody thinks: the figures
are what the console costs, not how long a reviewer looks at a card.

Per case it records the requests the browser made and the milliseconds from the request that
opened the case (the ``N`` on the queue for the first, the previous decision for the others) to
the answer to its own decision, and the keys pressed. It prints a table and writes JSON to
``--out``; afterwards it checks in PostgreSQL that every case was approved by the reviewer.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import hashlib
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PYTHON = sys.executable
VENV_BIN = Path(PYTHON).parent
MARKER = "FILOT_CONSOLE_BENCH_UNDER_SERVICES"
CHROMIUM = Path(os.environ.get("FILOT_CHROMIUM", "/usr/bin/chromium"))
REVIEWER = "reviewer@console-bench.test"
PASSWORD = "Console-bench-pass-7c2k!"  # noqa: S105 - a throwaway user in a throwaway database
IMAGE_READY = (
    "!!document.getElementById('card-image')"
    " && document.getElementById('card-image').complete"
    " && document.getElementById('card-image').naturalWidth > 0"
)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--cases", type=int, default=20, help="cases in the queue")
    parser.add_argument("--out", default=str(ROOT / "benchmarks/out/console.json"))
    parser.add_argument("--screenshot", default="", help="PNG of the last page, if set")
    parser.add_argument("--keep", action="store_true", help="keep the server's files and logs")
    return parser.parse_args(argv)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def reexec_under_services() -> int:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env[MARKER] = "1"
    argv = ["bash", str(ROOT / "scripts/with-services.sh"), PYTHON, __file__, *sys.argv[1:]]
    return subprocess.call(argv, env=env)


def server_env(workdir: Path, port: int) -> dict[str, str]:
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
            "THROTTLE_USER": "100000/minute",
            "THROTTLE_AUTH": "10000/minute",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=600,
    )


def seed(count: int) -> list[str]:
    """The reviewer and ``count`` open cases, oldest first; returns the review ids.

    Runs in this process (``django.setup()`` against the server's database and media folder)
    before the browser starts.
    """
    import django

    django.setup()
    from django.utils import timezone

    from documents.models import Document
    from documents.status import DocumentStatus
    from documents.storage import card_key, document_key, put_file
    from filot.services import user_create
    from ocr_gpu.models import OcrRun
    from ocr_gpu.testing.cards import make_card
    from reviews.models import ManualReview
    from reviews.services import reviewer_create
    from verification.models import VerificationResult

    reviewer_create(email=REVIEWER, password=PASSWORD)
    passing = [
        {"code": code, "status": "pass", "weight": 5, "message": message, "reason": None}
        for code, message in (
            ("nik_structure", "The NIK has a valid structure."),
            ("nik_birth_date", "The NIK's birth date matches the printed one."),
            ("image_glare", "No glare over the text."),
        )
    ]
    warning = {
        "code": "profile_name",
        "status": "warn",
        "weight": 5,
        "message": "The profile name matches the card name only partly.",
        "reason": "profile_name_mismatch",
    }
    ids = []
    started = timezone.now()
    for n in range(count):
        data, truth = make_card("ktp", "clean", 700_000 + n)
        fields = truth["fields"]
        owner = user_create(
            email=f"client{n}@console-bench.test",
            password=None,
            display_name=fields["nama"].split()[0].title(),
        )
        document_id = uuid.uuid4()
        key = document_key(owner_id=owner.pk, document_id=document_id, extension="jpg")
        put_file(key, data)
        put_file(card_key(storage_key=key, attempt=1), data)
        document = Document.objects.create(
            id=document_id,
            owner=owner,
            doc_type="KTP",
            storage_key=key,
            content_type="image/jpeg",
            size_bytes=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            image_width=1012,
            image_height=638,
            status=DocumentStatus.IN_REVIEW,
            attempts=1,
            attempt_seq=1,
        )
        OcrRun.objects.create(
            document=document,
            attempt=1,
            backend="cpu",
            engine="tesseract",
            result={},
            duration_ms=600,
            card_key=card_key(storage_key=key, attempt=1),
        )
        result = VerificationResult.objects.create(
            document=document,
            attempt=1,
            engine="tesseract",
            preprocessing_backend="cpu",
            detected_type="ktp",
            fields={
                name: {"value": value, "raw": value, "confidence": 92.0, "box": None}
                for name, value in fields.items()
            },
            checks=[*passing, warning],
            quality={"detection": "flat", "rotation": 0, "sharpness": 420.0, "glare": 0.002},
            score=80,
            score_breakdown={"components": {}, "raw_score": 80, "caps": []},
            decision="in_review",
            reason_codes=["profile_name_mismatch"],
            threshold_auto_approve=85,
            threshold_auto_reject=35,
        )
        review = ManualReview.objects.create(document=document, verification_result=result)
        ManualReview.objects.filter(pk=review.pk).update(
            created_at=started - timedelta(minutes=count - n)
        )
        ids.append(str(review.pk))
    return ids


def server_requests(access_log: Path, count: int) -> dict[str, Any]:
    """What reached gunicorn while the queue was worked (from the first claim on), by kind:
    the browser's own cache answers the rest."""
    lines = access_log.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if "/claim-next/" in line)
    kinds: dict[str, int] = {}
    for line in lines[start:]:
        path = line.split('"')[1].split()[1] if '"' in line else ""
        kind = (
            "static"
            if path.startswith("/static/")
            else "image"
            if "/image/" in path
            else "lease"
            if "/lease/" in path
            else "page or decision"
        )
        kinds[kind] = kinds.get(kind, 0) + 1
    total = sum(kinds.values())
    return {"total": total, "per_case": round(total / count, 2), "by_kind": kinds}


def check_outcome(ids: list[str]) -> dict[str, Any]:
    from reviews.models import ManualReview

    decided = ManualReview.objects.filter(pk__in=ids, state="decided", decided_by__email=REVIEWER)
    return {
        "cases": len(ids),
        "approved_by_the_reviewer": decided.filter(decision="approved").count(),
    }


def _another_case(previous: str, url: str) -> bool:
    return url.endswith("/case/") and url != previous


def work_the_queue(base: str, count: int, screenshot: str) -> dict[str, Any]:
    """Sign in, open the queue, press N once and A per case; time and count everything."""
    from playwright.sync_api import sync_playwright

    requests: list[tuple[float, str, str, str]] = []  # (time, method, url, resource type)
    decisions: list[float] = []  # when each decision's POST was answered
    ready: list[float] = []  # when each case's card image had loaded
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        page = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
        page.set_default_timeout(30_000)
        page.goto(f"{base}/admin/login/")
        page.fill("#id_username", REVIEWER)
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_url(f"{base}/admin/")
        page.goto(f"{base}/admin/reviews/manualreview/")
        page.wait_for_selector("#claim-next")

        def on_request(request: Any) -> None:
            requests.append(
                (time.perf_counter(), request.method, request.url, request.resource_type)
            )

        def is_decision(response: Any) -> bool:
            return bool(response.request.method == "POST" and response.url.endswith("/case/"))

        page.on("request", on_request)
        keys = 1
        started = time.perf_counter()
        page.keyboard.press("n")
        previous = page.url
        for _ in range(count):
            page.wait_for_url(functools.partial(_another_case, previous))
            previous = page.url
            # The load event waits for the card image (the related cards below load lazily).
            page.wait_for_load_state("load")
            if not page.evaluate(IMAGE_READY):
                raise RuntimeError("the card image did not load")
            ready.append(time.perf_counter())
            with page.expect_response(is_decision):
                page.keyboard.press("a")
                keys += 1
            decisions.append(time.perf_counter())
        page.wait_for_selector("text=The queue is empty.")
        if screenshot:
            page.screenshot(path=screenshot, full_page=False)
        browser.close()

    cases: list[dict[str, Any]] = []
    for index, decided in enumerate(decisions):
        opened = started if index == 0 else decisions[index - 1]
        mine = [r for r in requests if opened <= r[0] <= decided and not (index and r[0] == opened)]
        cases.append(
            {
                "ms": round(1000 * (decided - opened), 1),
                "ms_to_image": round(1000 * (ready[index] - opened), 1),
                "requests": len(mine),
                "by_type": {
                    kind: sum(1 for r in mine if r[3] == kind)
                    for kind in sorted({r[3] for r in mine})
                },
                "keys": 2 if index == 0 else 1,  # N then A; later only A
            }
        )
    total = decisions[-1] - started
    steady = cases[1:] or cases
    return {
        "cases": cases,
        "first_case": cases[0],
        "steady": {
            "ms_p50": statistics.median(c["ms"] for c in steady),
            "ms_p95": _pct([c["ms"] for c in steady], 0.95),
            "ms_to_image_p50": statistics.median(c["ms_to_image"] for c in steady),
            "requests_p50": statistics.median(c["requests"] for c in steady),
            "requests_max": max(c["requests"] for c in steady),
            "keys_per_case": 1,
        },
        "keys_total": keys,
        "seconds_total": round(total, 2),
        "decisions_per_minute": round(60 * count / total, 1),
    }


def main() -> int:
    args = parse_args()
    if not os.environ.get(MARKER):
        return reexec_under_services()
    workdir = Path(tempfile.mkdtemp(prefix="filot-console-bench-"))
    port = _free_port()
    env = server_env(workdir, port)
    os.environ.update({k: env[k] for k in ("DEBUG", "FILOT_VAR_DIR", "MEDIA_ROOT", "LOG_LEVEL")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "filot.settings")
    print("migrate, collectstatic, seed ...", flush=True)
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    ids = seed(args.cases)
    log = (workdir / "gunicorn.log").open("wb")
    server = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "-c",
            "filot/gunicorn.conf.py",
            "filot.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            str(workdir / "access.log"),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        import requests

        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{base}/health/live", timeout=2).status_code == 200:
                    break
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.3)
        print(f"{args.cases} cases; working the queue in Chromium ...", flush=True)
        figures = work_the_queue(base, args.cases, args.screenshot)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
    figures["server"] = server_requests(workdir / "access.log", args.cases)
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    figures["outcome"] = check_outcome(ids)
    figures["setup"] = {"gunicorn_workers": 2, "viewport": "1440x900", "cases": args.cases}
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, indent=2))

    first, steady = figures["first_case"], figures["steady"]
    print(
        f"first case, queue -> decision: {first['requests']} browser fetches, "
        f"{first['ms']:.0f} ms, 2 keys"
    )
    print(
        f"each next case: {steady['requests_p50']:.0f} browser fetches "
        f"(max {steady['requests_max']}), "
        f"{steady['ms_p50']:.0f} ms p50 / {steady['ms_p95']:.0f} ms p95 "
        f"(card image shown after {steady['ms_to_image_p50']:.0f} ms), 1 key"
    )
    print(
        f"{args.cases} cases in {figures['seconds_total']:.1f} s: "
        f"{figures['decisions_per_minute']:.1f} decisions per minute, {figures['keys_total']} keys"
    )
    print(f"reached the server: {figures['server']}")
    print(f"outcome: {figures['outcome']}")
    ok = figures["outcome"]["approved_by_the_reviewer"] == args.cases
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
