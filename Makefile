# Plauen Digital. `make run` serves the demo; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
export DJANGO_SETTINGS_MODULE := plauen_digital.settings

.PHONY: install install-dev translations run migrate seed worker beat test lint format check bench report-preview screenshots clean

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

worker: install  ## a real Celery worker (needs REDIS_URL)
	$(VENV)/bin/celery -A plauen_digital worker --loglevel=info

beat: install
	$(VENV)/bin/celery -A plauen_digital beat --loglevel=info

test: install-dev  ## the whole suite; Postgres/Redis/browser tests skip locally without them
	$(PY) -m pytest -n $${PYTEST_WORKERS:-2} --dist loadfile

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install-dev  ## performance figures (see docs/benchmarks.md); needs PostgreSQL
	$(PY) bench/bench_engine.py
	bash bench/run_bench.sh

# The status report of the demo data as PNG pages, to look at: var/report-preview/page-01.png …
# A database of its own (fresh demo data each time); needs `make install` first and pdftoppm
# (Debian: poppler-utils).
PREVIEW := var/report-preview
report-preview:  ## the demo report as PNG pages in var/report-preview/
	@command -v pdftoppm >/dev/null || { echo "pdftoppm is missing: apt-get install poppler-utils"; exit 1; }
	rm -rf $(PREVIEW) && mkdir -p $(PREVIEW)
	export DEBUG=true DATABASE_URL=sqlite:///$(CURDIR)/$(PREVIEW)/demo.sqlite3 MEDIA_ROOT=$(CURDIR)/$(PREVIEW)/files; \
	  $(PY) manage.py migrate --noinput -v 0 && \
	  $(PY) manage.py seed_demo >/dev/null && \
	  $(PY) manage.py status_report --output $(PREVIEW)/report.pdf
	pdftoppm -png -r 60 $(PREVIEW)/report.pdf $(PREVIEW)/page
	@echo "$(PREVIEW): $$(ls $(PREVIEW)/page-*.png | wc -l) pages"
screenshots: install-dev  ## every main page as each demo role at 1280 and 390 px: var/screenshots/<role>/<page>-<width>.png
	$(PY) scripts/screenshots.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles var
