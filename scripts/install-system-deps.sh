#!/usr/bin/env bash
# Install the system packages FiLot needs, when they are missing and we are root on Debian.
#   scripts/install-system-deps.sh run    what `make run` needs (Tesseract with ind data)
#   scripts/install-system-deps.sh test   plus PostgreSQL and Redis servers for the test suite
set -euo pipefail
purpose="${1:-run}"
missing=()

command -v tesseract >/dev/null || missing+=(tesseract-ocr)
if ! tesseract --list-langs 2>/dev/null | grep -qx ind; then missing+=(tesseract-ocr-ind); fi
if ! tesseract --list-langs 2>/dev/null | grep -qx eng; then missing+=(tesseract-ocr-eng); fi
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
if [ "$purpose" = "test" ]; then
  ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || missing+=(postgresql)
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v make >/dev/null || missing+=(make)
  command -v promtool >/dev/null || missing+=(prometheus)
  [ -x /usr/bin/chromium ] || missing+=(chromium)
fi

[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing system packages: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The Debian postgresql package starts a cluster of its own; the tests use their own servers.
  if printf '%s\n' "${missing[@]}" | grep -qx postgresql; then
    service postgresql stop >/dev/null 2>&1 || true
  fi
  # Only promtool is wanted from the prometheus package, not a running server.
  if printf '%s\n' "${missing[@]}" | grep -qx prometheus; then
    service prometheus stop >/dev/null 2>&1 || true
  fi
else
  echo "Missing system packages: ${missing[*]} (install them, e.g. apt-get install ${missing[*]})" >&2
  exit 1
fi
