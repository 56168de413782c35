"""deploy/aws/filot.yaml against FiLot itself: every container starts with what the production
check requires, the alarms say what deploy/prometheus/alerts.yml says, one beat, the OCR worker
on a GPU, autoscaling on queue depth, logs and TLS as the checklist asks. (cfn-lint checks the
template against the CloudFormation schemas in ``make test``.)"""

from __future__ import annotations

import re
import secrets
from typing import Any

import pytest
import yaml
from cryptography.fernet import Fernet

from filot.checks import REQUIRED, production_config_errors
from filot.tests.cfn_template import ROOT, Stack, filot_containers, load, names, resources

APP_SECRETS_ARN = "arn:aws:secretsmanager:ap-southeast-3:123456789012:secret:filot-app-AbCdEf"
R2_SECRETS_ARN = "arn:aws:secretsmanager:ap-southeast-3:123456789012:secret:filot-r2-GhIjKl"
PARAMETERS = {
    "VpcId": "vpc-0123",
    "PublicSubnetIds": "subnet-a,subnet-b",
    "PrivateSubnetIds": "subnet-c,subnet-d",
    "DomainName": "kyc.example.com",
    "CertificateArn": "arn:aws:acm:ap-southeast-3:123456789012:certificate/abc",
    "CorsAllowedOrigins": "https://app.example.com",
    "WebImageRepository": "123456789012.dkr.ecr.ap-southeast-3.amazonaws.com/filot-web",
    "ImageTag": "c0ffee1",
    "OcrImageRepository": "123456789012.dkr.ecr.ap-southeast-3.amazonaws.com/filot-ocr-gpu-worker",
    "OcrImageTag": "c0ffee1",
    "AppSecretsArn": APP_SECRETS_ARN,
    "R2SecretsArn": R2_SECRETS_ARN,
    "CfR2Endpoint": "https://acct.r2.cloudflarestorage.com",
    "CfR2BucketName": "filot-documents",
    "CfAccountId": "acct",
    "Buli2ApiUrl": "https://buli2.example.com",
    "StackProjectId": "stack-project",
    "StackPublishableClientKey": "pck_example",
    "GpuAmiId": "ami-0123",
}
# The checklist's alarms and the Prometheus rules they mirror.
CHECKLIST_ALERTS = {
    "FilotQueueBacklog",
    "FilotOcrWorkerDown",
    "FilotPartnerRetryBacklog",
    "FilotSlowProcessing",
}
# Variables that differ on purpose between FiLot's containers.
PER_ROLE = {
    "OCR_GPU_ENABLED",
    "OCR_ENGINE",
    "PROMETHEUS_MULTIPROC_DIR",
    "WORKER_METRICS_PORT",
    "GUNICORN_WORKERS",
    "GUNICORN_CMD_ARGS",
}


def app_secrets() -> dict[str, str]:
    return {
        "JWT_SECRET": secrets.token_urlsafe(48),
        "SESSION_SECRET": secrets.token_urlsafe(64),
        "SERVICE_INTERNAL_KEY": secrets.token_urlsafe(48),
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "FIELD_HASH_KEY": secrets.token_urlsafe(48),
        "BULI2_API_KEY": secrets.token_urlsafe(32),
        "BULI2_SIGNATURE_SECRET": secrets.token_urlsafe(48),
        "BULI2_OUTBOUND_SIGNATURE_SECRET": secrets.token_urlsafe(48),
        "STACK_SECRET_SERVER_KEY": secrets.token_urlsafe(32),
        "METRICS_TOKEN": secrets.token_urlsafe(32),
    }


def deployed(**parameters: str) -> Stack:
    """The stack as CloudFormation and ECS would resolve it, with generated secrets."""
    stack = Stack(parameters={**PARAMETERS, **parameters})
    stack.secrets.update(
        {
            APP_SECRETS_ARN: app_secrets(),
            R2_SECRETS_ARN: {
                "CF_R2_ACCESS_KEY_ID": secrets.token_hex(16),
                "CF_R2_SECRET_ACCESS_KEY": secrets.token_hex(32),
            },
            stack.ref("DatabaseSecret"): {"username": "filot", "password": secrets.token_hex(20)},
            stack.ref("RedisAuthSecret"): secrets.token_hex(32),
        }
    )
    stack.secrets[stack.ref("DatabaseUrlSecret")] = stack.in_stack_secret("DatabaseUrlSecret")
    return stack


def properties(logical_id: str) -> dict[str, Any]:
    body: dict[str, Any] = load()["Resources"][logical_id]["Properties"]
    return body


def container_of(task_definition: str) -> dict[str, Any]:
    [container] = [c for name, c in filot_containers() if name == task_definition]
    return container


def celery_program(command: list[str]) -> str | None:
    """``worker`` or ``beat`` for ``celery -A filot [--quiet] worker ...``; None otherwise."""
    if command[:3] != ["celery", "-A", "filot"]:
        return None
    return next(word for word in command[3:] if not word.startswith("-"))


def env_value(container: dict[str, Any], name: str) -> Any:
    [value] = [e["Value"] for e in container["Environment"] if e["Name"] == name]
    return value


# ------------------------------------------------------------------ environment and secrets


def test_every_container_running_filot_is_found():
    assert {name for name, _ in filot_containers()} == {
        "WebTaskDefinition",
        "MigrateTaskDefinition",
        "DefaultWorkerTaskDefinition",
        "PartnerWorkerTaskDefinition",
        "BeatTaskDefinition",
        "OcrWorkerTaskDefinition",
    }


@pytest.mark.parametrize("task_definition", [name for name, _ in filot_containers()])
def test_every_variable_the_production_check_requires_is_set(task_definition):
    container = container_of(task_definition)

    missing = (set(REQUIRED) | {"FILOT_ENV", "METRICS_TOKEN"}) - names(container)

    assert not missing, f"{task_definition} lacks {sorted(missing)}"
    assert env_value(container, "FILOT_ENV") == "production"


@pytest.mark.parametrize("task_definition", [name for name, _ in filot_containers()])
def test_the_environment_a_container_starts_with_passes_the_production_check(task_definition):
    stack = deployed()
    env = stack.environment(container_of(task_definition))

    assert production_config_errors(env) == []
    assert env["REDIS_URL"].startswith("rediss://")
    assert "ssl_cert_reqs=required" in env["REDIS_URL"]
    assert "sslmode=require" in env["DATABASE_URL"]
    assert env["ALLOWED_HOSTS"] == "kyc.example.com"
    assert env["BULI2_CALLBACK_URL"] == "https://kyc.example.com/api/v1/partners/buli2/callbacks/"


def test_verify_full_puts_the_ca_bundle_into_the_database_url():
    stack = deployed(DatabaseSslMode="verify-full", DatabaseSslRootCert="/etc/ssl/rds.pem")

    url = stack.environment(container_of("WebTaskDefinition"))["DATABASE_URL"]

    assert url.endswith("/filot?sslmode=verify-full&sslrootcert=/etc/ssl/rds.pem")


@pytest.mark.parametrize("task_definition", [name for name, _ in filot_containers()])
def test_secrets_come_from_secrets_manager_never_from_plain_environment(task_definition):
    container = container_of(task_definition)
    plain = {e["Name"] for e in container["Environment"]}
    secret_like = {n for n in names(container) if re.search(r"SECRET|KEY|TOKEN|PASSWORD", n)}
    # Publishable or identifying, not secret: shown to browsers or part of URLs.
    secret_like -= {"STACK_PUBLISHABLE_CLIENT_KEY", "CF_R2_BUCKET_NAME"}

    assert not (secret_like & plain), f"in plain environment: {sorted(secret_like & plain)}"
    assert "DATABASE_URL" not in plain


def test_filot_containers_share_one_environment_apart_from_their_role():
    def shared(container: dict[str, Any]) -> dict[str, Any]:
        env = {e["Name"]: e["Value"] for e in container["Environment"] if e["Name"] not in PER_ROLE}
        return {"env": env, "secrets": container["Secrets"]}

    [first, *others] = [shared(c) for _, c in filot_containers()]
    for other in others:
        assert other == first


def test_the_ocr_worker_is_the_only_one_asked_to_use_the_gpu_and_the_engine_choice():
    gpu = {name: env_value(c, "OCR_GPU_ENABLED") for name, c in filot_containers()}

    assert gpu.pop("OcrWorkerTaskDefinition") == "true"
    assert set(gpu.values()) == {"false"}
    assert env_value(container_of("OcrWorkerTaskDefinition"), "OCR_ENGINE") == "auto"


# ------------------------------------------------------------------ services


def test_the_ocr_worker_runs_on_a_gpu_instance_from_the_ecs_gpu_ami():
    task = properties("OcrWorkerTaskDefinition")
    container = container_of("OcrWorkerTaskDefinition")
    service = properties("OcrWorkerService")
    launch = properties("GpuLaunchTemplate")["LaunchTemplateData"]
    ami = load()["Parameters"]["GpuAmiId"]

    assert task["RequiresCompatibilities"] == ["EC2"]
    assert container["ResourceRequirements"] == [{"Type": "GPU", "Value": "1"}]
    assert celery_program(container["Command"]) == "worker"
    assert container["Command"][container["Command"].index("-Q") + 1] == "ocr_gpu"
    assert "--prefetch-multiplier=1" in container["Command"]
    assert service["CapacityProviderStrategy"] == [
        {"CapacityProvider": {"Ref": "GpuCapacityProvider"}, "Weight": 1}
    ]
    assert launch["ImageId"] == {"Ref": "GpuAmiId"}
    assert ami["Type"] == "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>"
    assert ami["Default"].startswith("/aws/service/ecs/optimized-ami/")
    assert "/gpu/" in ami["Default"]
    assert "ECS_ENABLE_GPU_SUPPORT=true" in launch["UserData"]["Fn::Base64"]["Fn::Sub"]
    assert (
        properties("GpuCapacityProvider")["AutoScalingGroupProvider"]["ManagedScaling"]["Status"]
        == "ENABLED"
    )


def test_exactly_one_beat_runs_and_a_deploy_never_starts_a_second():
    beats = [
        name
        for name, container in filot_containers()
        if celery_program(container["Command"]) == "beat"
    ]
    service = properties("BeatService")
    scaled = {
        properties(name)["ResourceId"]["Fn::Sub"]
        for name in resources("AWS::ApplicationAutoScaling::ScalableTarget")
    }

    assert beats == ["BeatTaskDefinition"]
    assert service["DesiredCount"] == 1
    assert service["DeploymentConfiguration"]["MaximumPercent"] == 100
    assert service["DeploymentConfiguration"]["MinimumHealthyPercent"] == 0
    assert service["AvailabilityZoneRebalancing"] == "DISABLED"
    assert not any("BeatService" in target for target in scaled)


def test_each_worker_service_consumes_its_queue():
    queues = {}
    for name, container in filot_containers():
        command = container["Command"]
        if celery_program(command) == "worker":
            queues[name] = command[command.index("-Q") + 1]

    assert queues == {
        "DefaultWorkerTaskDefinition": "default",
        "PartnerWorkerTaskDefinition": "partner",
        "OcrWorkerTaskDefinition": "ocr_gpu",
    }


def test_the_web_is_behind_the_load_balancer_with_liveness_as_target_health():
    group = properties("WebTargetGroup")
    container = container_of("WebTaskDefinition")
    service = properties("WebService")

    assert group["HealthCheckPath"] == "/health/live"
    assert group["Port"] == container["PortMappings"][0]["ContainerPort"] == 8080
    assert service["LoadBalancers"][0]["TargetGroupArn"] == {"Ref": "WebTargetGroup"}
    assert properties("HttpsListener")["Protocol"] == "HTTPS"
    assert "/health/live" in container["HealthCheck"]["Command"][1]
    blocked = properties("MetricsNotPublicRule")
    assert blocked["Conditions"][0]["PathPatternConfig"]["Values"][0] == "/metrics"


def test_the_migration_task_runs_migrate_on_the_new_image_before_the_services_move():
    container = container_of("MigrateTaskDefinition")
    stack = deployed(ImageTag="old", MigrationImageTag="new")

    assert container["Command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert stack.resolve(container["Image"]).endswith("/filot-web:new")
    assert stack.resolve(container_of("WebTaskDefinition")["Image"]).endswith("/filot-web:old")
    assert deployed(ImageTag="same").resolve(container["Image"]).endswith(":same")


# ------------------------------------------------------------------ logs


def test_log_groups_have_the_checklist_names_and_a_retention():
    groups = {
        properties(name)["LogGroupName"]: properties(name)["RetentionInDays"]
        for name in resources("AWS::Logs::LogGroup")
    }

    assert groups["/ecs/filot-backend"] == {"Ref": "LogRetentionDays"}
    assert groups["/ecs/filot-ocr-gpu-worker"] == {"Ref": "LogRetentionDays"}
    assert all(
        isinstance(days, int) or days == {"Ref": "LogRetentionDays"} for days in groups.values()
    )


@pytest.mark.parametrize("task_definition", [name for name, _ in filot_containers()])
def test_filot_containers_log_to_their_checklist_group(task_definition):
    options = container_of(task_definition)["LogConfiguration"]
    expected = (
        "OcrWorkerLogGroup" if task_definition == "OcrWorkerTaskDefinition" else "BackendLogGroup"
    )

    assert options["LogDriver"] == "awslogs"
    assert options["Options"]["awslogs-group"] == {"Ref": expected}


def test_gunicorn_logs_json_through_filot_formatter():
    args = env_value(container_of("WebTaskDefinition"), "GUNICORN_CMD_ARGS")
    config_path = args.split("--log-config-json", 1)[1].split()[0]
    config = yaml.safe_load((ROOT / config_path).read_text())

    assert config["formatters"]["json"]["()"] == "filot.logging.JsonFormatter"
    assert "redact" in config["handlers"]["stdout"]["filters"]


# ------------------------------------------------------------------ TLS


def test_redis_has_tls_and_a_password_and_postgresql_refuses_plain_connections():
    redis = properties("Redis")
    database = properties("DatabaseParameterGroup")

    assert redis["TransitEncryptionEnabled"] is True
    assert "RedisAuthSecret" in redis["AuthToken"]["Fn::Sub"]
    assert database["Parameters"]["rds.force_ssl"] == "1"
    assert properties("RedisParameterGroup")["Properties"]["maxmemory-policy"] == "noeviction"
    assert properties("Database")["StorageEncrypted"] is True


def test_an_update_keeps_the_previous_task_definition_revisions_for_a_rollback():
    kept = {
        name: (body.get("UpdateReplacePolicy"), body.get("DeletionPolicy"))
        for name, body in resources("AWS::ECS::TaskDefinition").items()
    }

    assert set(kept.values()) == {("Retain", "Retain")}, kept
