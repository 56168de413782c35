"""The task definitions of deploy/aws/filot.yaml run as written, on this machine: each container's
environment exactly as CloudFormation and ECS would resolve it, its entry point and command,
against PostgreSQL that accepts TLS only (verify-full), Redis with TLS and a password, S3
(moto, standing in for R2) and a stand-in for the ECS task metadata endpoint. What only AWS
can show (IAM, networking, the GPU AMI, CloudWatch) is listed in docs/operations.md."""

from __future__ import annotations

import datetime
import http.server
import ipaddress
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import psycopg2
import pytest
import requests
import yaml
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from moto.server import ThreadedMotoServer

from filot.testing.services import (
    REPO_ROOT,
    PostgresCluster,
    free_port,
    port_open,
    subprocess_env,
)
from filot.testing.worker import wait_for
from filot.tests.cfn_template import ENTRYPOINT, filot_containers
from filot.tests.test_deploy_aws import deployed
from filot.tests.test_deploy_aws_alarms import scrape_config

pytestmark = pytest.mark.slow


def _status(url: str) -> int | None:
    """The status of ``url``'s answer, or None while the server does not answer within five
    seconds."""
    try:
        return requests.get(url, timeout=5).status_code
    except requests.RequestException:
        return None


# What the metadata stand-in reports as the task's address: a loopback address other than
# 127.0.0.1, so that nothing passes only because 127.0.0.1 happens to be allowed.
TASK_IP = "127.0.0.2"
REDIS_PASSWORD = "redis-auth-token-0123456789abcdef0123456789abcdef"


# ------------------------------------------------------------------ stand-ins for AWS services


def write_tls_material(folder: Path) -> dict[str, Path]:
    """A private CA and a server certificate for localhost and 127.0.0.1."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "FiLot test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    names = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    paths = {"ca": folder / "ca.pem", "cert": folder / "server.pem", "key": folder / "server.key"}
    paths["ca"].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths["cert"].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths["key"].write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    paths["key"].chmod(0o600)
    return paths


class TlsOnlyPostgres(PostgresCluster):
    """A private cluster that, like RDS with rds.force_ssl, refuses connections without TLS."""

    def __init__(self, tls: dict[str, Path]) -> None:
        super().__init__()
        self.tls = tls

    def init(self) -> TlsOnlyPostgres:
        super().init()
        self.stop("fast")
        for name in ("cert", "key"):
            target = self.workdir / self.tls[name].name
            shutil.copy(self.tls[name], target)
            target.chmod(0o600)
            if os.geteuid() == 0:
                shutil.chown(target, "postgres")
        (self.data / "pg_hba.conf").write_text(
            "local all all trust\n"
            "hostssl all all 127.0.0.1/32 trust\n"
            "hostssl all all ::1/128 trust\n"
        )
        self.start()
        return self

    def start(self) -> None:
        if (self.workdir / "server.pem").exists():
            options = (
                f"-p {self.port} -k {self.workdir} -c listen_addresses=127.0.0.1 -c fsync=off "
                f"-c ssl=on -c ssl_cert_file={self.workdir / 'server.pem'} "
                f"-c ssl_key_file={self.workdir / 'server.key'}"
            )
            self._run(
                "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-o", options, "start"
            )
            self.started = True
        else:
            super().start()


class MetadataStandIn(http.server.BaseHTTPRequestHandler):
    """The ECS task metadata endpoint (v4) as far as the entry point reads it."""

    def do_GET(self) -> None:
        body = json.dumps({"Networks": [{"IPv4Addresses": [TASK_IP]}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def metadata_url() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), MetadataStandIn)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v4/task-container"
    server.shutdown()


@pytest.fixture
def tls(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("tls")
    folder.chmod(0o755)
    paths = write_tls_material(folder)
    paths["ca"].chmod(0o644)
    return paths


@pytest.fixture
def tls_postgres(tls) -> Iterator[TlsOnlyPostgres]:
    cluster = TlsOnlyPostgres(tls).init()
    yield cluster
    cluster.close()


@pytest.fixture
def tls_redis(tls, tmp_path) -> Iterator[int]:
    port = free_port()
    process = subprocess.Popen(
        [
            shutil.which("redis-server") or "redis-server",
            *("--port", "0", "--tls-port", str(port), "--bind", "127.0.0.1"),
            *("--tls-cert-file", str(tls["cert"]), "--tls-key-file", str(tls["key"])),
            *("--tls-ca-cert-file", str(tls["ca"]), "--tls-auth-clients", "no"),
            *("--requirepass", REDIS_PASSWORD, "--save", "", "--appendonly", "no"),
            *("--dir", str(tmp_path)),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for(lambda: port_open(port), timeout=10, what="redis-server with TLS")
    yield port
    process.kill()
    process.wait(timeout=10)


@pytest.fixture
def r2() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{server.get_host_and_port()[1]}"
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="x",
        aws_secret_access_key="x",
        region_name="us-east-1",
    ).create_bucket(Bucket="filot-documents")
    yield endpoint
    server.stop()


# ------------------------------------------------------------------ running a container here


def task_environment(name: str, *, tls, postgres, redis_port, r2, metadata_url, tmp_path):
    """The container's environment as ECS would start it, pointed at the stand-ins."""
    stack = deployed(
        CfR2Endpoint=r2,
        DatabaseSslMode="verify-full",
        DatabaseSslRootCert=str(tls["ca"]),
    )
    stack.attributes = {
        "Database.Endpoint.Address": "localhost",
        "Database.Endpoint.Port": str(postgres.port),
        "Redis.PrimaryEndPoint.Address": "127.0.0.1",
        "Redis.PrimaryEndPoint.Port": str(redis_port),
    }
    stack.secrets[stack.ref("RedisAuthSecret")] = REDIS_PASSWORD
    stack.secrets[stack.ref("DatabaseUrlSecret")] = stack.in_stack_secret("DatabaseUrlSecret")
    container = dict(filot_containers())[name]
    env = stack.environment(container)
    # What differs on this machine: where files go, ports, and the CA that ElastiCache's
    # certificate chains to (the system store in the image; here the test CA).
    env.update(
        ECS_CONTAINER_METADATA_URI_V4=metadata_url,
        SSL_CERT_FILE=str(tls["ca"]),
        FILOT_VAR_DIR=str(tmp_path / "var"),
        MEDIA_ROOT=str(tmp_path / "media"),
        PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        PYTHONUNBUFFERED="1",
        HOME=str(tmp_path),
    )
    (tmp_path / "var" / "static").mkdir(parents=True, exist_ok=True)  # collectstatic in the image
    if "PROMETHEUS_MULTIPROC_DIR" in env:
        env["PROMETHEUS_MULTIPROC_DIR"] = str(tmp_path / f"metrics-{name}")
    if "WORKER_METRICS_PORT" in env:
        env["WORKER_METRICS_PORT"] = str(free_port())
    started = subprocess_env(**env)
    started.pop("PASSWORD_HASHERS", None)  # `make test`'s fast hasher: no task sets it
    return started, container


def run_container(env, container, command=None, **kwargs):
    argv = [*container["EntryPoint"], *(command or container["Command"])]
    return subprocess.run(
        argv, env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=180, **kwargs
    )


def start_container(env, container, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            [*container["EntryPoint"], *container["Command"]],
            env=env,
            cwd=REPO_ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, 15)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait(timeout=10)


# ------------------------------------------------------------------ tests


def test_the_entry_point_lets_health_checks_by_task_address_through(metadata_url, tmp_path):
    env = subprocess_env(
        ALLOWED_HOSTS="kyc.example.com",
        DEBUG="false",
        FILOT_VAR_DIR=str(tmp_path),
        PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "metrics"),
    )
    (tmp_path / "metrics").mkdir()
    (tmp_path / "metrics" / "counter_1.db").write_text("left by an earlier process")
    probe = [
        sys.executable,
        "-c",
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'filot.settings');"
        "django.setup(); from django.test import Client;"
        f"print(Client().get('/health/live', HTTP_HOST='{TASK_IP}:8080').status_code)",
    ]

    without = subprocess.run(probe, env=env, cwd=REPO_ROOT, capture_output=True, text=True)
    through = subprocess.run(
        ["sh", ENTRYPOINT, *probe],
        env={**env, "ECS_CONTAINER_METADATA_URI_V4": metadata_url},
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )
    unreachable = subprocess.run(
        ["sh", ENTRYPOINT, "true"],
        env={**env, "ECS_CONTAINER_METADATA_URI_V4": f"http://127.0.0.1:{free_port()}/v4"},
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )

    assert without.stdout.split()[-1] == "400"
    assert through.stdout.split()[-1] == "200", through.stderr
    assert not (tmp_path / "metrics" / "counter_1.db").exists()
    assert unreachable.returncode == 1
    assert "cannot read the task address" in unreachable.stderr


def test_the_task_definitions_run_filot_over_tls(
    tls, tls_postgres, tls_redis, r2, metadata_url, tmp_path
):
    def environment(name: str):
        return task_environment(
            name,
            tls=tls,
            postgres=tls_postgres,
            redis_port=tls_redis,
            r2=r2,
            metadata_url=metadata_url,
            tmp_path=tmp_path,
        )

    # Plain connections are refused, as with rds.force_ssl and ElastiCache in-transit TLS.
    with pytest.raises(psycopg2.OperationalError, match="no encryption"):
        psycopg2.connect(f"{tls_postgres.url}?sslmode=disable", connect_timeout=5)

    # The one-off task: migrate, then a manage.py command through a command override.
    manage_env, manage = environment("MigrateTaskDefinition")
    assert "sslmode=verify-full" in manage_env["DATABASE_URL"]
    assert manage_env["REDIS_URL"].startswith("rediss://")
    migrated = run_container(manage_env, manage)
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    checked = run_container(
        manage_env, manage, ["python", "manage.py", "check_production_config", "--json"]
    )
    report = json.loads(checked.stdout.strip().splitlines()[-1])
    assert report["ok"], report
    assert report["services"]["database"]["detail"] == "postgresql"

    # The web: gunicorn as the image runs it, reached by its task address.
    web_env, web = environment("WebTaskDefinition")
    web_env["PORT"] = str(free_port())
    base = f"http://{TASK_IP}:{web_env['PORT']}"
    web_process = start_container(web_env, web, tmp_path / "web.log")
    worker_env, worker = environment("DefaultWorkerTaskDefinition")
    worker_process = start_container(worker_env, worker, tmp_path / "worker.log")
    try:
        wait_for(lambda: port_open(int(web_env["PORT"])), timeout=60, what="gunicorn")
        # the port opens before a worker has loaded Django: on a busy machine the first
        # answer takes a while, so the probe is retried as ECS's health check is
        live = wait_for(lambda: _status(f"{base}/health/live"), timeout=90, what="/health/live")
        assert live == 200
        local = requests.get(f"http://127.0.0.1:{web_env['PORT']}/health/live", timeout=10)
        assert local.status_code == 400  # not an allowed host...
        web_check = web["HealthCheck"]["Command"][1].replace("8080", web_env["PORT"])
        probe = run_container(web_env, web, ["sh", "-c", web_check])
        assert probe.returncode == 0, probe.stdout + probe.stderr  # ...so the check names one
        # the checks by dependency are for the service key (the public answer is the status)
        service_key = web_env["SERVICE_INTERNAL_KEY"].split(",")[0]
        health = requests.get(f"{base}/health", headers={"X-Service-Key": service_key}, timeout=10)
        assert health.status_code == 200, health.text
        assert {k for k, v in health.json()["checks"].items() if v["ok"]} == {
            "database",
            "redis",
            "storage",
        }

        # A Celery worker over rediss:// with the password, and its container health check.
        wait_for(
            lambda: " ready." in (tmp_path / "worker.log").read_text(errors="replace"),
            timeout=90,
            what="the default worker",
        )
        ping = run_container(worker_env, worker, ["sh", "-c", worker["HealthCheck"]["Command"][1]])
        assert ping.returncode == 0, ping.stdout + ping.stderr

        scraped = scrape_like_the_agent(base, web_env["METRICS_TOKEN"], tmp_path)
        assert {"ocr_gpu", "default", "partner"} <= scraped["filot_queue_depth"]
        assert "pending" in scraped["filot_partner_outbox"]
        assert not any(name.startswith("django_") for name in scraped)
    finally:
        stop(worker_process)
        stop(web_process)

    web_log = (tmp_path / "web.log").read_text()
    assert web_log.strip()
    for line in web_log.splitlines():
        json.loads(line)  # every line the web container writes is JSON
    worker_log = (tmp_path / "worker.log").read_text()
    assert "[config]" not in worker_log  # no start-up banner (--quiet)
    [ready] = [line for line in worker_log.splitlines() if " ready." in line]
    assert json.loads(ready)["logger"] == "celery.apps.worker"


def scrape_like_the_agent(base: str, token: str, tmp_path: Path) -> dict[str, set[str]]:
    """Run Prometheus with the agent's scrape config (same relabelling, same bearer token
    file) against the web container; return each kept metric with its label values."""
    config = scrape_config()
    [job] = config["scrape_configs"]
    token_file = tmp_path / "metrics-token"
    token_file.write_text(token)
    token_file.chmod(0o600)
    targets = tmp_path / "cwagent_ecs_auto_sd.yaml"
    targets.write_text(
        yaml.safe_dump(
            [{"targets": [base.removeprefix("http://")], "labels": {"job": "filot-web"}}]
        )
    )
    job["file_sd_configs"] = [{"files": [str(targets)]}]
    job["authorization"]["credentials_file"] = str(token_file)
    config["global"] = {"scrape_interval": "1s", "scrape_timeout": "1s"}
    config_file = tmp_path / "prometheus.yml"
    config_file.write_text(yaml.safe_dump(config))
    port = free_port()
    prometheus = subprocess.Popen(
        [
            shutil.which("prometheus") or "prometheus",
            f"--config.file={config_file}",
            f"--storage.tsdb.path={tmp_path / 'tsdb'}",
            f"--web.listen-address=127.0.0.1:{port}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    api = f"http://127.0.0.1:{port}/api/v1/query"

    def series() -> list[dict[str, Any]] | None:
        try:
            found = requests.get(api, params={"query": '{job="filot-web"}'}, timeout=5).json()
        except requests.RequestException:
            return None
        metrics = found.get("data", {}).get("result", [])
        return (
            metrics
            if any(m["metric"]["__name__"] == "filot_queue_depth" for m in metrics)
            else None
        )

    try:
        result = wait_for(series, timeout=60, what="Prometheus to scrape the web")
    finally:
        prometheus.terminate()
        prometheus.wait(timeout=30)
    kept: dict[str, set[str]] = {}
    for item in result:
        labels = item["metric"]
        values = kept.setdefault(labels["__name__"], set())
        values.update(labels[key] for key in ("queue", "status") if key in labels)
    return kept
