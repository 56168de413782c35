"""deploy/aws/deploy.sh decides the order of a release and what a rollback returns to. AWS cannot
run here, so the AWS CLI and curl are stand-ins that answer from a small state file and record
every call; the script itself runs unchanged."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest

from filot.tests.cfn_template import ROOT, load

SCRIPT = ROOT / "deploy/aws/deploy.sh"
TASK_ARN = "arn:aws:ecs:ap-southeast-3:123456789012:task/filot/0f1e2d3c"
FAMILIES = ["filot-web", "filot-worker-default", "filot-worker-partner", "filot-beat"]

FAKE_AWS = r"""
import json, os, re, sys
state_path = os.environ["FAKE_STATE"]
state = json.load(open(state_path))
args = sys.argv[1:]
with open(os.environ["FAKE_CALLS"], "a") as calls:
    calls.write(json.dumps(["aws", *args]) + "\n")
def opt(name):
    return args[args.index(name) + 1] if name in args else None
service, operation = args[0], args[1]
if operation == "describe-stacks":
    key = re.search(r"=='(\w+)'", opt("--query")).group(1)
    print(state["outputs"].get(key) or state["parameters"][key])
elif operation == "run-task":
    print(state["task_arn"])
elif operation == "describe-tasks":
    print(state["exit_code"])
elif operation == "describe-services":
    print(state["services"][opt("--services")])
elif operation == "list-task-definitions":
    family = opt("--family-prefix")
    print("\t".join(f"arn:aws:ecs:r:1:task-definition/{family}:{n}" for n in state["active"]))
elif operation == "get-metric-statistics":
    print(state["datapoints"])
elif operation == "get-log-events":
    print("Applying migrations... OK")
elif operation == "get-login-password":
    print("password")
"""

FAKE_CURL = r"""
import json, os, sys
state = json.load(open(os.environ["FAKE_STATE"]))
with open(os.environ["FAKE_CALLS"], "a") as calls:
    calls.write(json.dumps(["curl", *sys.argv[1:]]) + "\n")
url = sys.argv[-1]
if "-w" in sys.argv:
    print(state["public_metrics_status"], end="")
elif url.endswith("/health"):
    print(json.dumps({"status": "ok"}))
"""


@pytest.fixture
def aws(tmp_path) -> Any:
    """Run deploy.sh with the stand-ins; returns (result, calls)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, body in (("aws", FAKE_AWS), ("curl", FAKE_CURL)):
        (bin_dir / name).write_text(f"#!{sys.executable}{body}")
        (bin_dir / name).chmod(0o755)
    state: dict[str, Any] = {
        "outputs": {
            "ClusterName": "filot-Cluster-abc",
            "MigrateTaskDefinition": "arn:aws:ecs:r:1:task-definition/filot-migrate:12",
            "TaskSubnets": "subnet-c,subnet-d",
            "TaskSecurityGroup": "sg-workers",
            "ServiceNames": ",".join(FAMILIES),
            "PublicUrl": "https://kyc.example.com",
        },
        "parameters": {},
        "task_arn": TASK_ARN,
        "exit_code": "0",
        "services": {f: f"arn:aws:ecs:r:1:task-definition/{f}:7" for f in FAMILIES},
        "active": [7, 6, 5],
        "datapoints": "3",
        "public_metrics_status": "404",
    }

    def run(*arguments: str, **changes: Any) -> tuple[subprocess.CompletedProcess[str], list]:
        state.update(changes)
        (tmp_path / "state.json").write_text(json.dumps(state))
        calls_file = tmp_path / "calls.jsonl"
        calls_file.write_text("")
        env = {
            **os.environ,
            "PATH": f"{bin_dir}:{os.environ['PATH']}",
            "FAKE_STATE": str(tmp_path / "state.json"),
            "FAKE_CALLS": str(calls_file),
            "FILOT_TEMPLATE_BUCKET": "filot-templates",
        }
        result = subprocess.run(
            ["bash", str(SCRIPT), *arguments],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        calls = [json.loads(line) for line in calls_file.read_text().splitlines()]
        return result, calls

    return run


def position(calls: list[list[str]], *words: str) -> int:
    for index, call in enumerate(calls):
        if all(word in call for word in words):
            return index
    raise AssertionError(f"no call with {words}")


def stack_updates(calls: list[list[str]]) -> list[list[str]]:
    return [call[call.index("--parameter-overrides") + 1 :] for call in calls if "deploy" in call]


def test_a_release_migrates_on_the_new_image_before_any_service_moves(aws):
    result, calls = aws("release", "c0ffee1")

    assert result.returncode == 0, result.stderr
    assert stack_updates(calls) == [
        ["MigrationImageTag=c0ffee1"],
        ["ImageTag=c0ffee1", "OcrImageTag=c0ffee1", "MigrationImageTag=c0ffee1"],
    ]
    first, second = [i for i, call in enumerate(calls) if "deploy" in call]
    migrate = position(calls, "run-task", "arn:aws:ecs:r:1:task-definition/filot-migrate:12")
    waited = position(calls, "wait", "tasks-stopped")
    checked = position(calls, "describe-tasks")
    assert first < migrate < waited < checked < second
    assert "--s3-bucket" in calls[first]
    assert position(calls, "curl", "https://kyc.example.com/health") > second


def test_a_failed_migration_stops_the_release_before_the_services_move(aws):
    result, calls = aws("release", "c0ffee1", exit_code="1")

    assert result.returncode == 1
    assert "exited with 1" in result.stderr
    assert stack_updates(calls) == [["MigrationImageTag=c0ffee1"]]


def test_rollback_returns_every_service_to_its_previous_revision(aws):
    result, calls = aws("rollback")

    updated = {
        call[call.index("--service") + 1]: call[call.index("--task-definition") + 1]
        for call in calls
        if "update-service" in call
    }
    assert result.returncode == 0, result.stderr
    assert updated == {f: f"arn:aws:ecs:r:1:task-definition/{f}:6" for f in FAMILIES}
    assert position(calls, "wait", "services-stable") > max(
        i for i, call in enumerate(calls) if "update-service" in call
    )


def test_rollback_skips_a_revision_that_is_no_longer_active(aws):
    result, calls = aws("rollback", active=[7, 5, 3])

    targets = {
        call[call.index("--task-definition") + 1] for call in calls if "update-service" in call
    }
    assert result.returncode == 0, result.stderr
    assert targets == {f"arn:aws:ecs:r:1:task-definition/{f}:5" for f in FAMILIES}


def test_rollback_refuses_when_there_is_nothing_to_return_to(aws):
    result, calls = aws("rollback", active=[7])

    assert result.returncode == 1
    assert "no ACTIVE revision" in result.stderr
    assert not [call for call in calls if "update-service" in call]


def test_queue_clean_up_runs_filot_commands_as_one_off_tasks(aws):
    result, calls = aws("manage", "purge_queue", "ocr_gpu", "--dry-run")

    run_task = calls[position(calls, "run-task")]
    overrides = json.loads(run_task[run_task.index("--overrides") + 1])
    assert result.returncode == 0, result.stderr
    assert overrides == {
        "containerOverrides": [
            {
                "name": "manage",
                "command": ["python", "manage.py", "purge_queue", "ocr_gpu", "--dry-run"],
            }
        ]
    }
    assert (
        "awsvpcConfiguration={subnets=[subnet-c,subnet-d],securityGroups=[sg-workers]"
        in (run_task[run_task.index("--network-configuration") + 1])
    )
    assert "Applying migrations" in result.stdout  # the task's log is printed


def test_verify_fails_when_metrics_are_public_or_not_scraped(aws):
    public, _ = aws("verify", public_metrics_status="200")
    unscraped, _ = aws("verify", public_metrics_status="404", datapoints="0")
    fine, _ = aws("verify", datapoints="2")

    assert public.returncode == 1
    assert "/metrics answers 200" in public.stderr
    assert unscraped.returncode == 1
    assert "does not scrape /metrics" in unscraped.stderr
    assert fine.returncode == 0, fine.stderr


def test_the_one_off_log_stream_is_where_the_task_definition_writes(aws):
    [container] = load()["Resources"]["MigrateTaskDefinition"]["Properties"]["ContainerDefinitions"]
    _, calls = aws("manage", "queue_stats")
    logs = calls[position(calls, "get-log-events")]
    prefix = container["LogConfiguration"]["Options"]["awslogs-stream-prefix"]

    assert logs[logs.index("--log-stream-name") + 1] == f"{prefix}/{container['Name']}/0f1e2d3c"
    assert logs[logs.index("--log-group-name") + 1] == "/ecs/filot-backend"
