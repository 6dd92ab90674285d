# Plauen Digital. `make run` serves the demo; `make check` runs what CI runs (CONTRIBUTING.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
export DJANGO_SETTINGS_MODULE := plauen_digital.settings

# Security lint scope and options; accepted findings carry "# nosec <id>" and a test
# (docs/benchmarks.md, Security).
BANDIT_ARGS := -q -r core accounts strategy participation schools_wg finance plauen_digital -x '*/migrations/*' -ll

.PHONY: install install-dev translations run migrate seed worker beat test lint check format lock bench report-preview screenshots clean

install: $(VENV)/.installed translations  ## virtual environment with the locked runtime dependencies

$(VENV)/.installed: requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet --require-hashes -r requirements.lock
	touch $@

install-dev: $(VENV)/.installed-dev translations  ## plus the test and lint tools

$(VENV)/.installed-dev: requirements-dev.lock $(VENV)/.installed
	$(PIP) install --quiet --require-hashes -r requirements-dev.lock
	touch $@

translations: $(VENV)/.installed  ## compile the German catalogues (Babel: no gettext needed)
	@for dir in locale */locale plauen_digital/*/locale; do \
	  if [ -d "$$dir/de" ]; then $(VENV)/bin/pybabel -q compile -d "$$dir" -D django || exit 1; fi; \
	done

migrate: install
	DEBUG=true $(PY) manage.py migrate --noinput

seed: migrate
	DEBUG=true $(PY) manage.py seed_demo

run: seed  ## SQLite, in-process tasks, demo data, http://127.0.0.1:8000
	DEBUG=true $(PY) manage.py runserver 127.0.0.1:8000

# A real Celery worker and scheduler beside `make run`: they need a broker (REDIS_URL) and the
# same database (DATABASE_URL, default db.sqlite3), whose tables `migrate` creates.
worker: migrate  ## a real Celery worker (needs REDIS_URL)
	@test -n "$$REDIS_URL$$CELERY_BROKER_URL" || { echo "set REDIS_URL (e.g. redis://127.0.0.1:6379/0)"; exit 1; }
	$(VENV)/bin/celery -A plauen_digital worker --loglevel=info

beat: migrate  ## the Celery scheduler (needs REDIS_URL; schedules live in the database)
	@test -n "$$REDIS_URL$$CELERY_BROKER_URL" || { echo "set REDIS_URL (e.g. redis://127.0.0.1:6379/0)"; exit 1; }
	$(VENV)/bin/celery -A plauen_digital beat --loglevel=info

test: install-dev  ## the whole suite; Postgres/Redis/browser tests skip locally without them
	$(PY) -m pytest -n $${PYTEST_WORKERS:-2} --dist loadfile

lint: install-dev  ## the static checks: style, security, migrations, system checks, layers, types
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit $(BANDIT_ARGS)
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

check: lint test  ## exactly what CI (.ci/run) runs: the static checks, then the suite

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The lock files, resolved against PyPI alone: the machine's pip configuration (local indexes,
# find-links, constraints) is switched off so that none of it lands in them. pip-tools is pinned
# and lives in a throwaway virtual environment under var/. Pins already in the lock files are
# kept; `make lock UPGRADE=1` upgrades everything, `make lock UPGRADE="-P django"` one package.
PIP_TOOLS := pip==26.3 pip-tools==7.7.0
LOCK_VENV := var/pip-tools
LOCK_ENV := PIP_CONFIG_FILE=/dev/null CUSTOM_COMPILE_COMMAND="make lock"
LOCK_ARGS := --quiet --generate-hashes --no-emit-index-url --no-emit-find-links --strip-extras --allow-unsafe \
	$(if $(filter 1,$(UPGRADE)),--upgrade,$(UPGRADE))
lock:  ## regenerate requirements.lock and requirements-dev.lock from pyproject.toml
	@if [ "$$(cat $(LOCK_VENV)/.tools 2>/dev/null)" != "$(PIP_TOOLS)" ]; then \
	  rm -rf $(LOCK_VENV) && mkdir -p var && $(PYTHON) -m venv $(LOCK_VENV) && \
	  $(LOCK_ENV) $(LOCK_VENV)/bin/pip install --quiet $(PIP_TOOLS) && \
	  echo "$(PIP_TOOLS)" > $(LOCK_VENV)/.tools; \
	fi
	$(LOCK_ENV) $(LOCK_VENV)/bin/pip-compile $(LOCK_ARGS) --output-file=requirements.lock pyproject.toml
	$(LOCK_ENV) $(LOCK_VENV)/bin/pip-compile $(LOCK_ARGS) --extra=test --output-file=requirements-dev.lock pyproject.toml
	@! grep -n -e 'file://' -e '--extra-index-url' -e '--index-url' -e '--find-links' requirements.lock requirements-dev.lock

bench: install-dev  ## performance figures (see docs/benchmarks.md); needs PostgreSQL
	mkdir -p var
	$(PY) bench/bench_engine.py
	bash bench/run_bench.sh

# The status report of the demo data as PNG pages, to look at: var/report-preview/page-01.png …
# A database of its own (fresh demo data each time); needs pdftoppm (Debian: poppler-utils).
PREVIEW := var/report-preview
report-preview: install  ## the demo report as PNG pages in var/report-preview/
	@command -v pdftoppm >/dev/null || { echo "pdftoppm is missing: apt-get install poppler-utils"; exit 1; }
	rm -rf $(PREVIEW) && mkdir -p $(PREVIEW)
	export DEBUG=true DATABASE_URL=sqlite:///$(CURDIR)/$(PREVIEW)/demo.sqlite3 MEDIA_ROOT=$(CURDIR)/$(PREVIEW)/files; \
	  $(PY) manage.py migrate --noinput -v 0 && \
	  $(PY) manage.py seed_demo >/dev/null && \
	  $(PY) manage.py status_report --output $(PREVIEW)/report.pdf
	pdftoppm -png -r 60 $(PREVIEW)/report.pdf $(PREVIEW)/page
	@echo "$(PREVIEW): $$(ls $(PREVIEW)/page-*.png | wc -l) pages"

# Playwright drives Debian's Chromium; no browser is downloaded.
screenshots: install-dev  ## every main page as each demo role at 1280 and 390 px: var/screenshots/<role>/<page>-<width>.png
	@test -x /usr/bin/chromium || { echo "/usr/bin/chromium is missing: apt-get install chromium"; exit 1; }
	mkdir -p var/screenshots
	$(PY) scripts/screenshots.py

clean:  ## remove the virtual environment, the local database, compiled catalogues and var/
	rm -rf $(VENV) db.sqlite3 db.sqlite3-journal staticfiles var
	rm -rf .mypy_cache .ruff_cache .pytest_cache .hypothesis test-results
	find . -path ./node_modules -prune -o -path '*/LC_MESSAGES/*.mo' -type f -exec rm -f {} +
