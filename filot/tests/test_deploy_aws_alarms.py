"""One source of truth for alerting: the CloudWatch alarms of deploy/aws/filot.yaml say what
deploy/prometheus/alerts.yml says (thresholds and hold times), read metrics the CloudWatch
agent really publishes, and autoscaling reads the same queue depths."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import yaml

from filot.metrics import QUEUES
from filot.tests.cfn_template import ROOT, Stack, filot_containers, load, resources

RULES = {
    rule["alert"]: rule
    for group in yaml.safe_load((ROOT / "deploy/prometheus/alerts.yml").read_text())["groups"]
    for rule in group["rules"]
}
CHECKLIST_ALERTS = (
    "FilotQueueBacklog",
    "FilotOcrWorkerDown",
    "FilotPartnerRetryBacklog",
    "FilotSlowProcessing",
)
GREATER_THAN = re.compile(r"(?<![<>=!])>\s*(-?[0-9.]+)")


def alarms() -> dict[str, dict[str, Any]]:
    found = {}
    for body in resources("AWS::CloudWatch::Alarm").values():
        alert = body.get("Metadata", {}).get("PrometheusAlert")
        if alert:
            found[alert] = body["Properties"]
    return found


def seconds(duration: str) -> int:
    value, unit = int(duration[:-1]), duration[-1]
    return value * {"s": 1, "m": 60, "h": 3600}[unit]


def limits(expression: str) -> set[float]:
    """The numbers an expression compares against with '>' (PromQL or CloudWatch math)."""
    return {float(n) for n in GREATER_THAN.findall(expression)}


def metric_stats(alarm: dict[str, Any]) -> list[dict[str, Any]]:
    """(namespace, name, dimensions, period) of every metric an alarm reads."""
    if "Metrics" not in alarm:
        return [
            {
                "namespace": alarm["Namespace"],
                "name": alarm["MetricName"],
                "dimensions": {d["Name"]: d["Value"] for d in alarm.get("Dimensions", [])},
                "period": alarm["Period"],
            }
        ]
    return [
        {
            "namespace": query["MetricStat"]["Metric"]["Namespace"],
            "name": query["MetricStat"]["Metric"]["MetricName"],
            "dimensions": {
                d["Name"]: d["Value"] for d in query["MetricStat"]["Metric"].get("Dimensions", [])
            },
            "period": query["MetricStat"]["Period"],
        }
        for query in alarm["Metrics"]
        if "MetricStat" in query
    ]


def expression(alarm: dict[str, Any]) -> str:
    [returned] = [q for q in alarm["Metrics"] if q.get("ReturnData")]
    return " ".join(returned["Expression"].split())


def agent_container() -> dict[str, Any]:
    [container] = [
        c
        for c in load()["Resources"]["MetricsAgentTaskDefinition"]["Properties"][
            "ContainerDefinitions"
        ]
        if c["Name"] == "cloudwatch-agent"
    ]
    return container


def agent_setting(name: str) -> Any:
    [value] = [e["Value"] for e in agent_container()["Environment"] if e["Name"] == name]
    return value


def scrape_config() -> dict[str, Any]:
    config: dict[str, Any] = yaml.safe_load(agent_setting("PROMETHEUS_CONFIG_CONTENT"))
    return config


def metric_declarations() -> list[dict[str, Any]]:
    text = Stack(parameters={}).resolve(agent_setting("CW_CONFIG_CONTENT"))
    prometheus = json.loads(text)["logs"]["metrics_collected"]["prometheus"]
    assert prometheus["emf_processor"]["metric_namespace"] == "FiLot"
    declarations: list[dict[str, Any]] = prometheus["emf_processor"]["metric_declaration"]
    return declarations


def published(name: str, dimensions: set[str]) -> bool:
    """Whether the agent publishes ``name`` with exactly these dimension names."""
    return any(
        any(re.fullmatch(selector, name) for selector in declaration["metric_selectors"])
        and dimensions in [set(d) for d in declaration["dimensions"]]
        for declaration in metric_declarations()
    )


# ------------------------------------------------------------------ alarms and rules


def test_every_checklist_alarm_mirrors_its_prometheus_rule():
    assert set(CHECKLIST_ALERTS) <= set(alarms())
    assert set(alarms()) <= set(RULES)


def test_queue_backlog_alarm_has_the_rule_threshold_hold_time_and_every_queue():
    rule, alarm = RULES["FilotQueueBacklog"], alarms()["FilotQueueBacklog"]
    stats = metric_stats(alarm)

    assert limits(rule["expr"]) == {alarm["Threshold"]} == {100}
    assert alarm["ComparisonOperator"] == "GreaterThanThreshold"
    assert {s["dimensions"]["queue"] for s in stats} == set(QUEUES)
    assert expression(alarm).startswith("MAX(")
    assert {s["period"] for s in stats} == {60}
    assert 60 * alarm["DatapointsToAlarm"] == seconds(rule["for"])


def test_ocr_worker_down_alarm_compares_against_the_rule_limits():
    rule, alarm = RULES["FilotOcrWorkerDown"], alarms()["FilotOcrWorkerDown"]
    math = expression(alarm)

    assert limits(rule["expr"]) == limits(math) == {0, 600, 120}
    assert "absent(" in rule["expr"]
    assert "FILL(heartbeat, -1) < 0 AND depth > 0" in math  # absent() while work waits
    assert "EPOCH(depth)" in math and "time()" in rule["expr"]
    assert alarm["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
    assert alarm["Threshold"] == 1
    assert {s["period"] for s in metric_stats(alarm)} == {60}
    assert 60 * alarm["DatapointsToAlarm"] == seconds(rule["for"])


def test_partner_backlog_alarm_has_the_rule_threshold_and_hold_time():
    rule, alarm = RULES["FilotPartnerRetryBacklog"], alarms()["FilotPartnerRetryBacklog"]

    assert limits(rule["expr"]) == {alarm["Threshold"]} == {50}
    assert 'status="pending"' in rule["expr"]
    assert metric_stats(alarm)[0]["dimensions"]["status"] == "pending"
    assert alarm["Statistic"] == "Maximum"
    assert alarm["Period"] * alarm["DatapointsToAlarm"] == seconds(rule["for"])


def test_slow_processing_alarm_takes_the_rule_quantile_window_and_threshold():
    rule, alarm = RULES["FilotSlowProcessing"], alarms()["FilotSlowProcessing"]
    quantile = float(re.search(r"histogram_quantile\(([0-9.]+)", rule["expr"]).group(1))
    window = seconds(re.search(r"\[(\d+[smh])\]", rule["expr"]).group(1))

    assert limits(rule["expr"]) == {alarm["Threshold"]} == {60}
    assert alarm["ExtendedStatistic"] == f"p{quantile * 100:g}"
    assert alarm["Period"] == window
    # A percentile over a window cannot be held minute by minute; consecutive windows must
    # cover the rule's window plus its hold time.
    assert alarm["Period"] * alarm["DatapointsToAlarm"] >= window + seconds(rule["for"])


def test_the_latency_alarm_reads_the_metric_the_decision_log_line_feeds():
    alarm = alarms()["FilotSlowProcessing"]
    [metric_filter] = [body["Properties"] for body in resources("AWS::Logs::MetricFilter").values()]
    [transformation] = metric_filter["MetricTransformations"]

    assert metric_filter["LogGroupName"] == {"Ref": "BackendLogGroup"}
    assert '$.message = "document decided"' in metric_filter["FilterPattern"]
    assert transformation["MetricValue"] == "$.pipeline_seconds"
    assert (transformation["MetricNamespace"], transformation["MetricName"]) == (
        alarm["Namespace"],
        alarm["MetricName"],
    )


@pytest.mark.parametrize("alert", CHECKLIST_ALERTS)
def test_alarms_notify_and_stay_quiet_without_data(alert):
    alarm = alarms()[alert]

    assert alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}]
    assert alarm["TreatMissingData"] == "notBreaching"
    runbook = RULES[alert]["annotations"]["runbook"]
    assert runbook in alarm["AlarmDescription"]


# ------------------------------------------------------------------ metrics the agent publishes


def test_every_scraped_metric_an_alarm_reads_is_published_with_its_dimensions():
    used = [
        stat
        for alarm in alarms().values()
        for stat in metric_stats(alarm)
        if stat["namespace"] == "FiLot" and stat["name"] != "filot_pipeline_seconds"
    ]

    assert used
    for stat in used:
        assert published(stat["name"], set(stat["dimensions"])), stat


def test_the_scrape_keeps_every_published_metric_and_carries_the_bearer_token():
    config = scrape_config()
    [job] = config["scrape_configs"]
    [keep] = [r for r in job["metric_relabel_configs"] if r["action"] == "keep"]
    selectors = [s.strip("^$") for d in metric_declarations() for s in d["metric_selectors"]]
    token_writer = load()["Resources"]["MetricsAgentTaskDefinition"]["Properties"][
        "ContainerDefinitions"
    ][0]
    credentials = job["authorization"]["credentials_file"]

    assert all(re.fullmatch(keep["regex"], name) for name in selectors)
    assert job["authorization"]["type"] == "Bearer"
    assert f"> {credentials}" in token_writer["Command"][0]
    assert token_writer["Secrets"][0]["Name"] == "METRICS_TOKEN"
    for container in (token_writer, agent_container()):
        [mount] = container["MountPoints"]
        assert credentials.startswith(mount["ContainerPath"] + "/")
    assert agent_container()["DependsOn"] == [
        {"ContainerName": token_writer["Name"], "Condition": "SUCCESS"}
    ]


def test_the_agent_finds_filot_by_the_docker_labels_its_declarations_match():
    jobs = {
        name: container["DockerLabels"]["ECS_PROMETHEUS_JOB_NAME"]
        for name, container in filot_containers()
        if "DockerLabels" in container
    }
    matchers = {d["label_matcher"] for d in metric_declarations()}

    assert jobs["WebTaskDefinition"] == "filot-web"
    assert all(any(re.fullmatch(m, job) for job in jobs.values()) for m in matchers)
    web = dict(filot_containers())["WebTaskDefinition"]
    assert web["DockerLabels"]["ECS_PROMETHEUS_EXPORTER_PORT"] == str(
        web["PortMappings"][0]["ContainerPort"]
    )


# ------------------------------------------------------------------ autoscaling on queue depth

SCALED = [
    (
        "DefaultWorkerScalableTarget",
        "DefaultWorkerBacklogScaling",
        "DefaultWorkerService",
        "default",
        "DefaultWorker",
    ),
    ("OcrWorkerScalableTarget", "OcrWorkerBacklogScaling", "OcrWorkerService", "ocr_gpu", "Ocr"),
]


@pytest.mark.parametrize(("target", "policy", "service", "queue", "prefix"), SCALED)
def test_workers_scale_on_messages_waiting_per_running_task(target, policy, service, queue, prefix):
    scalable = load()["Resources"][target]["Properties"]
    config = load()["Resources"][policy]["Properties"]["TargetTrackingScalingPolicyConfiguration"]
    queries = {q["Id"]: q for q in config["CustomizedMetricSpecification"]["Metrics"]}
    depth = queries["depth"]["MetricStat"]["Metric"]
    tasks = queries["tasks"]["MetricStat"]["Metric"]
    [returned] = [q for q in queries.values() if q.get("ReturnData")]

    assert service in scalable["ResourceId"]["Fn::Sub"]
    assert scalable["MinCapacity"] == {"Ref": f"{prefix}MinTasks"}
    assert scalable["MaxCapacity"] == {"Ref": f"{prefix}MaxTasks"}
    assert config["TargetValue"] == {"Ref": f"{prefix}BacklogPerTask"}
    assert config["ScaleOutCooldown"] == {"Ref": f"{prefix}ScaleOutCooldown"}
    assert config["ScaleInCooldown"] == {"Ref": f"{prefix}ScaleInCooldown"}
    assert {d["Name"]: d["Value"] for d in depth["Dimensions"]}["queue"] == queue
    assert published(depth["MetricName"], {d["Name"] for d in depth["Dimensions"]})
    assert tasks["MetricName"] == "RunningTaskCount"
    assert {"Name": "ServiceName", "Value": {"Fn::GetAtt": [service, "Name"]}} in tasks[
        "Dimensions"
    ]
    assert "depth / tasks" in returned["Expression"]
    cluster = load()["Resources"]["Cluster"]["Properties"]["ClusterSettings"]
    assert {"Name": "containerInsights", "Value": "enabled"} in cluster
