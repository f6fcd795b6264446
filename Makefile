# The LKT portal's commands. Only `python3` (3.11+) and `make` are needed; everything else is
# installed into .venv from the hash-pinned requirements.lock.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum requirements.lock | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast test-e2e lint check install lock messages clean-run bench-spc bench-import help

help:
	@echo "make run    – start the portal with demo data on http://$(HOST):$(PORT)/ (Ctrl-C stops it)"
	@echo "make test   – run the whole test suite"
	@echo "make test-fast – the suite without the slow tests (real workers, faults, scale)"
	@echo "make lint   – ruff, import contracts, mypy, Django's checks, migrations, docker-compose.yml"
	@echo "make test-e2e, bench, bench-spc, bench-import, load, faults, backup, restore – see README"

$(STAMP): requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	@rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

run: $(STAMP)
	@export DEBUG=$${DEBUG:-True}; set -e; \
	export SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)}; \
	$(BIN)/python manage.py migrate --noinput; \
	$(BIN)/python manage.py load_demo; \
	$(BIN)/python manage.py reminders; \
	$(BIN)/celery -A lkt_portal worker --beat --pool=threads --concurrency=2 --loglevel=INFO \
	  --without-gossip --without-mingle & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	echo; echo "  LKT-portalen: http://$(HOST):$(PORT)/   (Ctrl-C stopper web-server og baggrundsjob)"; echo; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The suite without the tests marked `slow` (Celery worker processes, stopped servers, scale).
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow and not e2e" $(PYTEST_ARGS)

# The browser journeys (Playwright driving Debian's Chromium at /usr/bin/chromium, axe-core checks).
test-e2e: $(STAMP)
	$(BIN)/python -m pytest -m e2e tests/e2e $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	SECRET_KEY=lint-only $(BIN)/mypy
	SECRET_KEY=lint-only-$$RANDOM$$RANDOM $(BIN)/python manage.py check --fail-level WARNING
	SECRET_KEY=lint-only-$$RANDOM$$RANDOM $(BIN)/python manage.py makemigrations --check --dry-run
	@if command -v docker-compose >/dev/null; then \
	  echo "docker-compose config --quiet"; SECRET_KEY=lint-only docker-compose config --quiet; \
	else \
	  echo "docker-compose.yml not checked: docker-compose is missing (apt-get install -y docker-compose)"; \
	fi

# Regenerate both locks after changing pyproject.toml (needs `pip install uv`): requirements.lock
# (everything, for .venv) and requirements-runtime.lock (no dev extra, for the Docker image), the
# second held to the first's pins (tests/test_image.py checks that they agree).
lock:
	uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -o requirements.lock
	uv pip compile pyproject.toml --generate-hashes --python-version 3.11 -c requirements.lock \
	  -o requirements-runtime.lock

messages: $(STAMP)
	DEBUG=True $(BIN)/python manage.py makemessages -l en --ignore=.venv --ignore=tests --ignore=bench --ignore=var
	DEBUG=True $(BIN)/python manage.py compilemessages --ignore=.venv

# Forgets the development database, job queue and collected files; keeps var/backups.
clean-run:
	rm -rf var/db.sqlite3 var/broker var/celerybeat-schedule* var/staticfiles

# Benchmarks print figures (nothing is asserted); each starts its own PostgreSQL.
bench-import: $(STAMP)
	$(BIN)/python bench/bench_import.py

bench-spc: $(STAMP)
	$(BIN)/python bench/bench_spc.py

# The pages people use at national scale (430,000 measurements) under gunicorn, with Redis.
.PHONY: bench
bench: $(STAMP)
	@command -v wrk >/dev/null || echo "wrk is not installed (apt-get install -y wrk); using a Python client."
	$(BIN)/python bench/bench_overview.py

# What one signed-in request costs, middleware by middleware (time and queries).
.PHONY: bench-request
bench-request: $(STAMP)
	$(BIN)/python bench/bench_request.py

# Load and faults (bench/load.py, bench/faults.py): gunicorn with production settings on a
# throwaway PostgreSQL; figures printed, exit code 1 when a request failed or a write is missing.
.PHONY: load faults backup restore
load: $(STAMP)
	$(BIN)/python bench/load.py

faults: $(STAMP)
	$(BIN)/python bench/faults.py

# Backups of DATABASE_URL's PostgreSQL database (pg_dump -Fc) in var/backups/ (or BACKUP_DIR),
# and back: `make restore FILE=var/backups/lkt-….dump` (asks first; YES=1 does not).
backup: $(STAMP)
	$(BIN)/python bench/backup.py dump

restore: $(STAMP)
	@test -n "$(FILE)" || { echo "Brug: make restore FILE=var/backups/lkt-<tidspunkt>.dump"; exit 2; }
	$(BIN)/python bench/backup.py restore "$(FILE)" $(if $(YES),--yes)
