#!/usr/bin/env bash
# Install the system packages FiLot needs, when they are missing and we are root on Debian.
#   scripts/install-system-deps.sh run    what `make run` needs (Tesseract with ind data, and its
#                                         library's headers and a compiler: `make venv` builds the
#                                         in-process binding, tesserocr, against it)
#   scripts/install-system-deps.sh test   plus PostgreSQL and Redis servers for the test suite
# Both install the fonts of the card generator (`manage.py generate_cards`, the tests' cards):
# DejaVu is required, the others are optional (the generator falls back to DejaVu without them).
set -euo pipefail
purpose="${1:-run}"
missing=()
optional=()
fonts=/usr/share/fonts

command -v tesseract >/dev/null || missing+=(tesseract-ocr)
if ! tesseract --list-langs 2>/dev/null | grep -qx ind; then missing+=(tesseract-ocr-ind); fi
if ! tesseract --list-langs 2>/dev/null | grep -qx eng; then missing+=(tesseract-ocr-eng); fi
command -v pkg-config >/dev/null || missing+=(pkg-config)
pkg-config --exists tesseract lept 2>/dev/null || missing+=(libtesseract-dev libleptonica-dev)
command -v g++ >/dev/null || missing+=(g++)
[ -e $fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
[ -e $fonts/truetype/croscore/Arimo-Regular.ttf ] || optional+=(fonts-croscore)
[ -e $fonts/truetype/freefont/FreeSans.ttf ] || optional+=(fonts-freefont-ttf)
[ -e $fonts/opentype/ocr-b/OCRB.otf ] || optional+=(fonts-ocr-b)
[ -e $fonts/truetype/open-sans/OpenSans-Regular.ttf ] || optional+=(fonts-open-sans)
[ -e $fonts/truetype/crosextra/Carlito-Regular.ttf ] || optional+=(fonts-crosextra-carlito)
[ -e $fonts/opentype/b612/B612Mono-Bold.otf ] || optional+=(fonts-b612)
[ -e $fonts/truetype/noto/NotoSansMono-Bold.ttf ] || optional+=(fonts-noto-mono)
[ -e $fonts/truetype/lato/Lato-Regular.ttf ] || optional+=(fonts-lato)
[ -e $fonts/truetype/roboto/unhinted/RobotoTTF/Roboto-Regular.ttf ] || optional+=(fonts-roboto-unhinted)
[ -e $fonts/truetype/hack/Hack-Bold.ttf ] || optional+=(fonts-hack)
[ -e $fonts/truetype/jetbrains-mono/JetBrainsMono-Bold.ttf ] || optional+=(fonts-jetbrains-mono)
if [ "$purpose" = "test" ]; then
  ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || missing+=(postgresql)
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v make >/dev/null || missing+=(make)
  command -v promtool >/dev/null || missing+=(prometheus)
  [ -x /usr/bin/chromium ] || missing+=(chromium)
fi

[ ${#missing[@]} -eq 0 ] && [ ${#optional[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  missing+=("${optional[@]}")
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
  if [ ${#optional[@]} -gt 0 ]; then
    echo "Optional card fonts missing (cards fall back to DejaVu): ${optional[*]}" >&2
  fi
  [ ${#missing[@]} -eq 0 ] && exit 0
  echo "Missing system packages: ${missing[*]} (install them, e.g. apt-get install ${missing[*]})" >&2
  exit 1
fi
