# The Civic Innovation Office site. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Test processes (pytest-xdist); each module stays on one process so its shared fixtures load once.
TEST_WORKERS ?= 2
export DJANGO_SETTINGS_MODULE ?= site_core.settings.dev

.DEFAULT_GOAL := help
.PHONY: help run setup test test-fast audit bench bulk lint format freeze clean screenshots stack html-checker

help: ## Show this help
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed ## Install dependencies, compile translations, migrate the database
	$(PY) manage.py compile_translations
	$(PY) manage.py migrate --no-input -v 0

run: setup ## Install, migrate, load demo content, create the admin user and serve on http://127.0.0.1:8000
	$(PY) manage.py load_demo_content
	$(PY) manage.py ensure_admin
	@echo "Serving on http://$(HOST):$(PORT)/en/  (admin: http://$(HOST):$(PORT)/admin/)"
	$(PY) manage.py runserver $(HOST):$(PORT)

# The Nu HTML Checker, pinned in devtools/html_checker/package.json, from the npm registry (its install
# script, which would download a Java runtime, is not run: Debian's JRE runs it).
VNU_JAR := devtools/html_checker/node_modules/vnu-jar/build/dist/vnu.jar
$(VNU_JAR): devtools/html_checker/package.json
	npm install --prefix devtools/html_checker --no-package-lock --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

html-checker: ## Install the Nu HTML Checker for tests/test_html_validity.py (needs npm; Java runs it)
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory $(VNU_JAR); \
	else echo "npm is missing: the HTML validity tests will skip (apt-get install -y npm default-jre-headless)"; fi

test: $(VENV)/.installed html-checker ## Run every test (browser tests included) on SQLite, or on DATABASE_URL when set
	$(PY) manage.py compile_translations
	DJANGO_SETTINGS_MODULE=site_core.settings.test $(PY) -m pytest -n $(TEST_WORKERS) --dist loadscope

test-fast: $(VENV)/.installed html-checker ## Run the tests without the browser
	DJANGO_SETTINGS_MODULE=site_core.settings.test $(PY) -m pytest -n $(TEST_WORKERS) --dist loadscope -m "not browser"

audit: $(VENV)/.installed ## Check the pinned requirements for known vulnerabilities (pip-audit); says loudly when it could not ask
	$(PY) .ci/audit_dependencies.py

bench: $(VENV)/.installed ## Measure the 5,000-application scores export and email alerts to 20,000 subscribers, then load-test gunicorn, the cache and nginx on PostgreSQL, then a publish under load (BENCH_ONLY=exports|alerts|load|publish|render; BENCH_RUNS=1 BENCH_SECONDS=3 quick)
	$(PY) bench/run.py

stack: $(VENV)/.installed ## The production shape by hand: nginx over TLS, gunicorn (production settings), PostgreSQL, Redis, SMTP sink, with faults to inject (https://localhost:8443/)
	$(PY) manage.py compile_translations
	$(PY) -m devtools.stack

bulk: setup ## Add performance volume (10,000 releases, 500 challenges, ...) to the database; BULK_ARGS="--news 2000" for less
	$(PY) manage.py load_demo_content
	$(PY) manage.py generate_bulk_content $(BULK_ARGS)

screenshots: setup ## Retake the editors' guide screenshots (docs/screenshots/) from the real admin in Chromium
	$(PY) manage.py load_demo_content
	$(PY) docs/screenshots/take_screenshots.py

lint: $(VENV)/.installed ## ruff (lint and format check) and Django's system checks
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

format: $(VENV)/.installed ## Format the code with ruff
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

freeze: $(VENV)/.installed ## Print the installed versions (to refresh the pins after a deliberate upgrade)
	$(PY) -m pip freeze

clean: ## Remove the virtualenv, the SQLite database and collected files
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache devtools/html_checker/node_modules
