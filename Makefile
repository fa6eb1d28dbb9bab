# Two commands do everything on a fresh machine (see README):
#   make run   — virtualenv, dependencies, SQLite database, catalogue and demo data, server on :8000
#   make test  — lint, types, migrations check and the whole test suite (DATABASE_URL if set)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
MANAGE := $(BIN)/python manage.py
PORT ?= 8000
# The embedded setup: SQLite file in the repo, Celery tasks run in-process, no server needed.
LOCAL_ENV := DEBUG=true DEMO=true DATABASE_URL=sqlite:///$(CURDIR)/db.sqlite3 CELERY_BROKER_URL= CELERY_TASK_ALWAYS_EAGER=true

.PHONY: run setup test lint install clean-db debian-deps bench bench-data bench-pages bench-export bench-reports fuzz
# The benchmarks' own PostgreSQL database, made by bench/generate.py; never DATABASE_URL's.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/srcn_bench
BENCH_SCALE ?= 1

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Нужен Python 3.11 или новее: $(PYTHON) — " + sys.version)'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP)

setup: $(STAMP)
	$(LOCAL_ENV) $(MANAGE) migrate --noinput
	$(LOCAL_ENV) $(MANAGE) load_demo

run: setup
	$(LOCAL_ENV) $(MANAGE) runserver 127.0.0.1:$(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=true $(BIN)/mypy .
	DEBUG=true $(MANAGE) makemigrations --check --dry-run

# The suite on every core and one worker more (pytest-xdist; PYTEST_WORKERS=0 runs it in one
# process): the browser journeys and the live server wait on Chromium, and the extra worker
# keeps the cores busy meanwhile (on 2 cores 3 workers ended sooner than 2 or 4). A module
# stays on one worker, so that its module-wide fixtures (the demo centre) are built once.
# Bytecode is kept (Python's default, which some environments switch off): each worker imports
# every test module, and compiling them and pytest's assertion rewriting take 3 s a worker.
PYTEST_WORKERS ?= $(shell $(PYTHON) -c 'import os; print(len(os.sched_getaffinity(0)) + 1)' 2>/dev/null || echo auto)
test: lint
	env -u PYTHONDONTWRITEBYTECODE DEBUG=true $(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadscope

fuzz:  # the form fuzzer with many examples per form (FUZZ_EXAMPLES to change)
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-100} DEBUG=true $(BIN)/pytest -q tests/demo_centre/test_fuzz_forms.py

clean-db:
	rm -f db.sqlite3 db.sqlite3-wal db.sqlite3-shm

# WeasyPrint's libraries and Debian's Chromium for the browser tests (run as root).
debian-deps:
	apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core chromium poppler-utils

# A generated centre (scale 1: 5,000 children, 1,000,000 journal records) in its own database.
bench-data: $(STAMP)
	DEBUG=true $(BIN)/python bench/generate.py --url $(BENCH_DATABASE_URL) --scale $(BENCH_SCALE) --reuse

# Every page at scale: queries, median/p95, req/s under gunicorn -> bench/results.md.
bench-pages: bench-data
	DEBUG=true DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/pages_bench.py

# 100,000 journal rows to XLSX: seconds and peak memory.
bench-export: bench-data
	DEBUG=true DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/export_bench.py

# A quarter's statistical report against its raw SQL; the dashboards cold and warm.
bench-reports: bench-data
	DEBUG=true DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/reports_bench.py

# Every benchmark runs against the bench database only (DATABASE_URL is overridden).
bench: bench-pages bench-export bench-reports
	for f in bench/journal_bench.py bench/deadlines_bench.py; do \
		DEBUG=true DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python $$f || exit 1; done
