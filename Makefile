# The two commands a new user runs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME_STAMP := $(VENV)/.runtime-installed
DEV_STAMP := $(VENV)/.dev-installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint browser-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUNTIME_STAMP): requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(RUNTIME_STAMP) $@

run: $(RUNTIME_STAMP)
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_demo --with-users
	@echo ""
	@echo "Veraz is starting on http://$(HOST):$(PORT)/"
	@echo "  Reader site:     http://$(HOST):$(PORT)/   (Spanish: http://$(HOST):$(PORT)/es/)"
	@echo "  Newsroom admin:  http://$(HOST):$(PORT)/admin/   (log in with a demo account above)"
	@echo "  REST API:        http://$(HOST):$(PORT)/api/v1/   (docs: http://$(HOST):$(PORT)/api/docs/)"
	@echo "  Health checks:   http://$(HOST):$(PORT)/healthz  http://$(HOST):$(PORT)/readyz"
	@echo ""
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

# Runs against SQLite, or against PostgreSQL when DATABASE_URL is set.
test: $(DEV_STAMP) browser-deps lint
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

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache
