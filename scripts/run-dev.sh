#!/usr/bin/env bash
# Serve FiLot on embedded defaults: SQLite and files under var/, tasks in-process.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
mkdir -p var/media
$PY manage.py migrate --noinput >/dev/null
$PY manage.py seed_demo
$PY manage.py seed_demo_history
echo "FiLot on http://127.0.0.1:${PORT:-8000}  (admin: /admin/, API docs: /api/docs/)"
exec $PY manage.py runserver "127.0.0.1:${PORT:-8000}"
