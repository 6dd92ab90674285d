# Plauen Digital. `make run` serves the demo; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
export DJANGO_SETTINGS_MODULE := plauen_digital.settings

.PHONY: install install-dev translations run migrate seed worker beat test lint format check bench screenshots clean

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

screenshots: install-dev  ## every main page as each demo role at 1280 and 390 px: var/screenshots/<role>/<page>-<width>.png
	$(PY) scripts/screenshots.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles var
