#!/bin/sh
# Entry point of every FiLot container on ECS (deploy/aws/filot.yaml): prepares the container,
# then runs its command in place of this shell.
#
# 1. The load balancer's health checks and the metrics agent address a task by its private IP,
#    and Django answers 400 to a Host it does not know, so the task's own addresses (from the
#    ECS task metadata endpoint) are added to ALLOWED_HOSTS.
# 2. PROMETHEUS_MULTIPROC_DIR, when set, is created empty: every gunicorn or Celery pool
#    process writes its metrics there and the exporter sums them.
set -eu

if [ -n "${ECS_CONTAINER_METADATA_URI_V4:-}" ]; then
  addresses=$(python -c '
import json, os, urllib.request
with urllib.request.urlopen(os.environ["ECS_CONTAINER_METADATA_URI_V4"], timeout=5) as reply:
    meta = json.load(reply)
print(",".join(a for net in meta.get("Networks", []) for a in net.get("IPv4Addresses", [])))
') || { echo "ecs-entrypoint: cannot read the task address from the ECS metadata endpoint" >&2; exit 1; }
  if [ -z "$addresses" ]; then
    echo "ecs-entrypoint: the ECS metadata endpoint lists no IPv4 address" >&2
    exit 1
  fi
  ALLOWED_HOSTS="${ALLOWED_HOSTS:+$ALLOWED_HOSTS,}$addresses"
  export ALLOWED_HOSTS
fi

if [ -n "${PROMETHEUS_MULTIPROC_DIR:-}" ]; then
  mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
  find "$PROMETHEUS_MULTIPROC_DIR" -maxdepth 1 -name '*.db' -delete
fi

exec "$@"
