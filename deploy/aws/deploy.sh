#!/usr/bin/env bash
# FiLot on ECS: build, release, verify, roll back and run one-off commands against the stack of
# deploy/aws/filot.yaml. docs/operations.md maps the production checklist to these commands.
#
#   deploy/aws/deploy.sh build TAG       build both images from this checkout, push them to ECR
#   deploy/aws/deploy.sh release TAG     migrate on TAG (one-off task), then move every service
#                                        to TAG and wait until they are stable; then verify
#   deploy/aws/deploy.sh verify          /health/live and /health through the load balancer,
#                                        /metrics closed to the public, scraped by the agent
#   deploy/aws/deploy.sh rollback        every service back to its previous task definition
#                                        revision (the image it ran before); then verify
#   deploy/aws/deploy.sh manage ARGS...  `python manage.py ARGS` as a one-off task, with its log
#   deploy/aws/deploy.sh gpu             the OCR service, its GPU instances and the queue
#
# Environment: FILOT_STACK (stack name, default filot), FILOT_TEMPLATE_BUCKET (an S3 bucket for
# the template, which is over CloudFormation's 51,200-byte inline limit; release only),
# FILOT_WEB_REPOSITORY and FILOT_OCR_REPOSITORY (build before the stack exists; otherwise read
# from its parameters), AWS_REGION / AWS_PROFILE as for the AWS CLI.
set -euo pipefail

STACK=${FILOT_STACK:-filot}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
TEMPLATE="$HERE/filot.yaml"

die() { echo "deploy: $*" >&2; exit 1; }
say() { echo "== $*" >&2; }

output() {
  aws cloudformation describe-stacks --stack-name "$STACK" \
    --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text
}

parameter() {
  aws cloudformation describe-stacks --stack-name "$STACK" \
    --query "Stacks[0].Parameters[?ParameterKey=='$1'].ParameterValue" --output text
}

stack_update() {
  [ -n "${FILOT_TEMPLATE_BUCKET:-}" ] || die "set FILOT_TEMPLATE_BUCKET (the template is uploaded there)"
  aws cloudformation deploy --stack-name "$STACK" --template-file "$TEMPLATE" \
    --s3-bucket "$FILOT_TEMPLATE_BUCKET" --capabilities CAPABILITY_IAM \
    --no-fail-on-empty-changeset --parameter-overrides "$@"
}

# Run the one-off task (task definition filot-migrate) with an optional command; print its log
# and fail when its container did not exit 0.
one_off() {
  local cluster task_definition subnets group overrides task_arn task_id code
  cluster=$(output ClusterName)
  task_definition=$(output MigrateTaskDefinition)
  subnets=$(output TaskSubnets)
  group=$(output TaskSecurityGroup)
  overrides='{}'
  if [ $# -gt 0 ]; then
    overrides=$(python3 -c 'import json, sys; print(json.dumps({"containerOverrides": [{"name": "manage", "command": sys.argv[1:]}]}))' "$@")
  fi
  task_arn=$(aws ecs run-task --cluster "$cluster" --task-definition "$task_definition" \
    --launch-type FARGATE --started-by deploy.sh \
    --network-configuration "awsvpcConfiguration={subnets=[$subnets],securityGroups=[$group],assignPublicIp=DISABLED}" \
    --overrides "$overrides" --query 'tasks[0].taskArn' --output text)
  [ -n "$task_arn" ] && [ "$task_arn" != "None" ] || die "the one-off task did not start"
  say "one-off task $task_arn: ${*:-migrate}"
  aws ecs wait tasks-stopped --cluster "$cluster" --tasks "$task_arn"
  task_id=${task_arn##*/}
  aws logs get-log-events --log-group-name /ecs/filot-backend \
    --log-stream-name "manage/manage/$task_id" --start-from-head \
    --query 'events[].message' --output text || true
  code=$(aws ecs describe-tasks --cluster "$cluster" --tasks "$task_arn" \
    --query 'tasks[0].containers[0].exitCode' --output text)
  [ "$code" = "0" ] || die "one-off task ${*:-migrate} exited with ${code}"
}

cmd_build() {
  local tag=${1:?usage: deploy.sh build TAG} web ocr registry
  web=${FILOT_WEB_REPOSITORY:-$(parameter WebImageRepository)}
  ocr=${FILOT_OCR_REPOSITORY:-$(parameter OcrImageRepository)}
  registry=${web%%/*}
  aws ecr get-login-password | docker login --username AWS --password-stdin "$registry"
  docker build -t "$web:$tag" "$ROOT"
  docker build -f "$ROOT/Dockerfile.gpu" -t "$ocr:$tag" "$ROOT"
  docker push "$web:$tag"
  docker push "$ocr:$tag"
}

cmd_release() {
  local tag=${1:?usage: deploy.sh release TAG}
  say "1/3 migration task on $tag (services keep their current image)"
  stack_update "MigrationImageTag=$tag"
  one_off
  say "2/3 web, workers, beat and the OCR worker to $tag"
  stack_update "ImageTag=$tag" "OcrImageTag=$tag" "MigrationImageTag=$tag"
  say "3/3 verify"
  cmd_verify
}

cmd_verify() {
  local url cluster status
  url=$(output PublicUrl)
  cluster=$(output ClusterName)
  curl -fsS --max-time 10 "$url/health/live" >/dev/null || die "$url/health/live does not answer 200"
  curl -fsS --max-time 10 "$url/health" || die "$url/health is not ready (a dependency is down)"
  echo
  status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$url/metrics")
  [ "$status" = "404" ] || die "$url/metrics answers $status to the public; expected 404"
  # /metrics is scraped inside the VPC with METRICS_TOKEN: the agent published the queue depth.
  local since
  since=$(python3 -c 'import datetime as d; print((d.datetime.now(d.UTC) - d.timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M:%SZ"))')
  [ "$(aws cloudwatch get-metric-statistics --namespace FiLot --metric-name filot_queue_depth \
        --dimensions "Name=ClusterName,Value=$cluster" Name=queue,Value=ocr_gpu \
        --start-time "$since" --end-time "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --period 60 \
        --statistics Maximum --query 'length(Datapoints)' --output text)" != "0" ] \
    || die "no filot_queue_depth in CloudWatch for 10 minutes: the agent does not scrape /metrics"
  say "verified: live, ready, /metrics private and scraped"
}

cmd_rollback() {
  local cluster service current family revision previous
  cluster=$(output ClusterName)
  for service in $(output ServiceNames | tr ',' ' '); do
    current=$(aws ecs describe-services --cluster "$cluster" --services "$service" \
      --query 'services[0].taskDefinition' --output text)
    family=${current##*/}; family=${family%:*}
    revision=${current##*:}
    previous=$(aws ecs list-task-definitions --family-prefix "$family" --status ACTIVE \
      --sort DESC --query 'taskDefinitionArns' --output text | tr '\t' '\n' \
      | awk -F: -v current="$revision" '$NF + 0 < current + 0 { print; exit }')
    [ -n "$previous" ] || die "$service: no ACTIVE revision of $family before $revision"
    say "$service: $family:$revision -> ${previous##*/}"
    aws ecs update-service --cluster "$cluster" --service "$service" \
      --task-definition "$previous" --query 'service.taskDefinition' --output text >/dev/null
  done
  aws ecs wait services-stable --cluster "$cluster" --services $(output ServiceNames | tr ',' ' ')
  say "the stack still names the newer revisions: the next 'deploy.sh release TAG' replaces them"
  cmd_verify
}

cmd_gpu() {
  local cluster
  cluster=$(output ClusterName)
  aws ecs describe-services --cluster "$cluster" --services filot-ocr-gpu-worker \
    --query 'services[0].{desired:desiredCount,running:runningCount,pending:pendingCount,taskDefinition:taskDefinition,events:events[:5].message}'
  local instances
  instances=$(aws ecs list-container-instances --cluster "$cluster" --query 'containerInstanceArns' --output text)
  if [ -n "$instances" ] && [ "$instances" != "None" ]; then
    # shellcheck disable=SC2086
    aws ecs describe-container-instances --cluster "$cluster" --container-instances $instances \
      --query 'containerInstances[].{instance:ec2InstanceId,agentConnected:agentConnected,gpus:registeredResources[?name==`GPU`].stringSetValue|[0],gpusFree:remainingResources[?name==`GPU`].stringSetValue|[0]}'
  fi
  one_off python manage.py queue_stats
}

command=${1:-}
shift || true
case "$command" in
  build) cmd_build "$@" ;;
  release) cmd_release "$@" ;;
  verify) cmd_verify ;;
  rollback) cmd_rollback ;;
  manage) [ $# -gt 0 ] || die "usage: deploy.sh manage COMMAND [ARGS]"; one_off python manage.py "$@" ;;
  gpu) cmd_gpu ;;
  *) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 2 ;;
esac
