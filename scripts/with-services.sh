#!/usr/bin/env bash
# Run a command with throwaway PostgreSQL and Redis servers on free loopback ports.
# A DATABASE_URL or REDIS_URL already in the environment is used as given instead.
# The servers and their data are removed when the command ends.
set -euo pipefail

workdir=$(mktemp -d "${TMPDIR:-/tmp}/filot-services.XXXXXX")
chmod 755 "$workdir"
pg_data="$workdir/pg"
pg_started=""
redis_pid=""

as_pg() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cleanup() {
  status=$?
  if [ -n "$pg_started" ]; then as_pg "$PGBIN/pg_ctl" -D "$pg_data" -m immediate stop >/dev/null 2>&1 || true; fi
  if [ -n "$redis_pid" ]; then kill "$redis_pid" >/dev/null 2>&1 || true; fi
  rm -rf "$workdir"
  exit $status
}
trap cleanup EXIT INT TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

if [ -z "${DATABASE_URL:-}" ]; then
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$PGBIN" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }
  export PGBIN
  pg_port=$(free_port)
  mkdir -p "$pg_data"
  touch "$workdir/pg-server.log"
  if [ "$(id -u)" = "0" ]; then chown postgres "$pg_data" "$workdir" "$workdir/pg-server.log"; fi
  as_pg "$PGBIN/initdb" -D "$pg_data" -U filot --auth=trust -E UTF8 --locale=C.UTF-8 >"$workdir/initdb.log" 2>&1 \
    || { cat "$workdir/initdb.log" >&2; exit 1; }
  as_pg "$PGBIN/pg_ctl" -D "$pg_data" -l "$workdir/pg-server.log" -w -t 60 \
    -o "-p $pg_port -k $workdir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null || { cat "$workdir/pg-server.log" >&2; exit 1; }
  pg_started=1
  "$PGBIN/createdb" -h 127.0.0.1 -p "$pg_port" -U filot filot
  export DATABASE_URL="postgres://filot@127.0.0.1:$pg_port/filot"
  export FILOT_TEST_PG_DATA="$pg_data" FILOT_TEST_PG_PORT="$pg_port" FILOT_TEST_PG_SOCKET_DIR="$workdir"
  echo "PostgreSQL on 127.0.0.1:$pg_port" >&2
fi

if [ -z "${REDIS_URL:-}" ]; then
  command -v redis-server >/dev/null || { echo "redis-server not found (apt-get install redis-server)" >&2; exit 1; }
  redis_port=$(free_port)
  redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no \
    --dir "$workdir" --logfile "$workdir/redis.log" &
  redis_pid=$!
  for _ in $(seq 50); do
    redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break
    sleep 0.1
  done
  export REDIS_URL="redis://127.0.0.1:$redis_port/0"
  export FILOT_TEST_REDIS_PORT="$redis_port"
  echo "Redis on 127.0.0.1:$redis_port" >&2
fi

"$@"
