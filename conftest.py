"""Shared fixtures. The suite runs against real PostgreSQL and Redis (``make test`` starts both)."""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PIL import Image, ImageDraw

# Fixtures that need PostgreSQL, Redis, a worker, a web server or a browser: ``--fast`` leaves
# out every test that uses one (directly or through another fixture).
SERVICE_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
        "live_server",
        "redis_client",
        "celery_worker_factory",
        "page",
        "browser",
    }
)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--fast",
        action="store_true",
        help="unit tests only: none that needs PostgreSQL, Redis, a worker, a browser or is "
        "marked slow (real OCR, processes); no services are started (make test-fast)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption("--fast"):
        return
    kept: list[pytest.Item] = []
    left_out: list[pytest.Item] = []
    for item in items:
        needs_service = SERVICE_FIXTURES & set(getattr(item, "fixturenames", ()))
        if needs_service or item.get_closest_marker("slow") or item.get_closest_marker("django_db"):
            left_out.append(item)
        else:
            kept.append(item)
    config.hook.pytest_deselected(items=left_out)
    items[:] = kept


@pytest.fixture(autouse=True)
def _no_sampled_second_reviews(settings: Any) -> None:
    """A blind second review is opened for a random share of decided cases
    (``SECOND_REVIEW_SHARE``): a test that decides a case would now and then find a second
    case beside it, or claim that one next. Tests of the sampling set the share themselves."""
    settings.SECOND_REVIEW_SHARE = 0.0


def pytest_configure(config: pytest.Config) -> None:
    if not config.pluginmanager.hasplugin("django") or config.getoption("--fast"):
        return
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        raise pytest.UsageError(
            "FiLot's tests run on PostgreSQL and Redis: use `make test`, which starts both, "
            "or set DATABASE_URL and REDIS_URL."
        )
    if not os.environ.get("REDIS_URL"):
        raise pytest.UsageError("REDIS_URL is not set: use `make test`.")


@pytest.fixture(autouse=True)
def _isolated_media_and_redis(request: pytest.FixtureRequest) -> Iterator[None]:
    """Each test gets its own media folder and an empty Redis (cache, throttles, broker)."""
    if not request.config.pluginmanager.hasplugin("django"):
        yield
        return
    settings = request.getfixturevalue("settings")
    tmp_path = request.getfixturevalue("tmp_path")
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    redis_url = settings.REDIS_URL  # captured: a test may point the setting elsewhere
    _flush_redis(redis_url)
    yield
    _flush_redis(redis_url)


def _flush_redis(url: str) -> None:
    import redis

    if url:
        client = redis.Redis.from_url(url)
        client.flushdb()
        client.close()


@pytest.fixture
def redis_client() -> Iterator[Any]:
    import redis
    from django.conf import settings

    client = redis.Redis.from_url(settings.REDIS_URL)
    yield client
    client.close()


@pytest.fixture
def api_client() -> Any:
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def make_user(db: None) -> Callable[..., Any]:
    from filot.models import Role
    from filot.services import user_create

    counter = {"n": 0}

    def _make(
        role: Role = Role.CLIENT, password: str = "correct horse battery staple", **extra: Any
    ) -> Any:
        counter["n"] += 1
        email = extra.pop("email", f"user{counter['n']}@example.test")
        return user_create(email=email, password=password, role=role, **extra)

    return _make


@pytest.fixture
def user(make_user: Callable[..., Any]) -> Any:
    return make_user()


def bearer_for(user: Any) -> str:
    from rest_framework_simplejwt.tokens import RefreshToken

    return f"Bearer {RefreshToken.for_user(user).access_token}"


@pytest.fixture
def auth_client(api_client: Any, user: Any) -> Any:
    api_client.credentials(HTTP_AUTHORIZATION=bearer_for(user))
    api_client.user = user
    return api_client


def card_like_image(width: int = 1012, height: int = 638, fmt: str = "JPEG", **save: Any) -> bytes:
    """A plain picture with some text-like marks: decodable, large enough, not a real card."""
    image = Image.new("RGB", (width, height), (180, 210, 235))
    draw = ImageDraw.Draw(image)
    for row in range(8):
        y = 40 + row * (height // 10)
        draw.rectangle((40, y, width // 2, y + 12), fill=(20, 20, 20))
    buf = io.BytesIO()
    image.save(buf, format=fmt, **save)
    return buf.getvalue()


@pytest.fixture
def jpeg_bytes() -> bytes:
    return card_like_image()


@pytest.fixture
def png_bytes() -> bytes:
    return card_like_image(fmt="PNG")


@pytest.fixture
def celery_worker_factory(
    transactional_db: None, settings: Any, tmp_path: Any, request: pytest.FixtureRequest
) -> Iterator[Callable[..., Any]]:
    """Start real ``celery worker`` processes on this test's database, Redis and media folder.

    ``start(queues="ocr_gpu,default", **env)`` returns a running worker; extra keyword
    arguments become environment variables of the worker (settings it reads at start).
    """
    from filot.testing.worker import CeleryWorker, database_url_for_tests

    workers: list[CeleryWorker] = []

    def start(queues: str = "ocr_gpu,default", **env: str) -> CeleryWorker:
        environment = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("PYTEST", "FILOT_TEST", "COV_"))
        }
        environment.update(
            DJANGO_SETTINGS_MODULE="filot.settings",
            DATABASE_URL=database_url_for_tests(),
            REDIS_URL=settings.REDIS_URL,
            MEDIA_ROOT=str(settings.MEDIA_ROOT),
            CELERY_TASK_ALWAYS_EAGER="false",
            OCR_RETRY_BACKOFF_SECONDS="0.2",
            PYTHONUNBUFFERED="1",
            SECOND_REVIEW_SHARE="0",  # as in-process (``_no_sampled_second_reviews``)
        )
        environment.update({key: str(value) for key, value in env.items()})
        worker = CeleryWorker(
            queues=queues,
            env=environment,
            log_path=tmp_path / f"worker-{len(workers) + 1}.log",
        )
        workers.append(worker)
        return worker.start()

    yield start
    for worker in workers:
        worker.stop()
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        for worker in workers:
            print(f"--- {worker.log_path.name} ---\n{worker.log()[-6000:]}")  # noqa: T201


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
