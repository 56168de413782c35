# FiLot: `make run` serves it on embedded defaults; `make test` runs every check.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test test-fast check lint imports typecheck security audit migrations-check alerts cfn-lint pytest system-deps-run system-deps-test venv bench clean

$(VENV)/.installed: requirements.txt requirements-dev.txt requirements-models.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	$(PY) -m pip install -q --disable-pip-version-check --no-deps --require-hashes -r requirements-models.txt
	@touch $@

venv: $(VENV)/.installed

system-deps-run:
	@bash scripts/install-system-deps.sh run

system-deps-test:
	@bash scripts/install-system-deps.sh test

run: system-deps-run venv
	@PORT=$(PORT) bash scripts/run-dev.sh

test: system-deps-test venv
	@bash scripts/with-services.sh $(MAKE) --no-print-directory check

# The edit-run loop: unit tests that need no PostgreSQL, Redis, worker or browser, and no real
# OCR (conftest.py's --fast); no services are started.
test-fast: venv
	$(VENV)/bin/pytest --fast -q $(PYTEST_ARGS)

check: lint imports typecheck security migrations-check alerts cfn-lint pytest

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The apps' dependencies point one way (pyproject.toml's import contracts).
imports:
	$(VENV)/bin/lint-imports

typecheck:
	$(VENV)/bin/mypy .

security:
	$(PY) scripts/run-bandit.py -q -r filot documents ocr_gpu verification reviews erasure insights api workflows -x '*/tests/*,*/migrations/*' -ll

# Known-vulnerability audit of the pinned dependencies. Not part of `make test`: it needs the
# vulnerability database online, which CI machines cannot reach.
audit:
	$(VENV)/bin/pip-audit -r requirements.txt --no-deps --disable-pip --progress-spinner off
	$(VENV)/bin/pip-audit -r requirements-models.txt --no-deps --disable-pip --progress-spinner off

migrations-check:
	$(PY) manage.py makemigrations --check --dry-run
	@# Every FiLot migration goes back and forth on PostgreSQL (the rollback plan relies on it).
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py migrate insights zero --noinput -v 0
	$(PY) manage.py migrate partner zero --noinput -v 0
	$(PY) manage.py migrate reviews zero --noinput -v 0
	$(PY) manage.py migrate verification zero --noinput -v 0
	$(PY) manage.py migrate ocr_gpu zero --noinput -v 0
	$(PY) manage.py migrate documents zero --noinput -v 0
	$(PY) manage.py migrate --noinput -v 0
	@echo "migrations: forward, back to zero and forward again"

alerts:
	cd deploy/prometheus && promtool check rules alerts.yml && promtool test rules alerts.test.yml \
		&& promtool check config --syntax-only prometheus.yml

# The AWS deployment (deploy/aws/) against CloudFormation's resource schemas and best practices.
cfn-lint:
	$(VENV)/bin/cfn-lint deploy/aws/*.yaml

# Passwords are hashed with MD5 in the tests (Django's advice for test speed: PBKDF2's million
# rounds cost half a second per user made or logged in), in every process the tests start; a
# production start refuses it (filot/checks.py).
pytest:
	PASSWORD_HASHERS=django.contrib.auth.hashers.MD5PasswordHasher $(VENV)/bin/pytest $(PYTEST_ARGS)

bench: system-deps-run venv
	$(PY) benchmarks/intake_bench.py --repeats 15 --out benchmarks/out/intake.json
	$(PY) benchmarks/ocr_bench.py --per-level 60 --repeats 3 --out benchmarks/out/ocr.json
	rm -rf benchmarks/out/cards && $(PY) manage.py generate_cards benchmarks/out/cards --count 150 --seed 5000
	$(PY) manage.py evaluate_extraction benchmarks/out/cards --workers 2 --today 2026-11-29 --add-tampered 50 \
		--by-family --json > benchmarks/out/extraction.json
	$(PY) benchmarks/charts.py extraction benchmarks/out/extraction.json

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .import_linter_cache test-artifacts
