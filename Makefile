# Two commands matter: `make run` and `make test`. Both set everything up first.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PORT ?= 8000
VENV := .venv
PYTHON := $(VENV)/bin/python
MANAGE := $(PYTHON) manage.py
# Development runs with DEBUG on; production sets its own environment (docker-compose.yml).
export DEBUG ?= true

.PHONY: help setup run test lint editor stop-db backup restore bench browser clean audit

help:
	@echo "make run      set up, load the seed data and serve http://127.0.0.1:$(PORT)"
	@echo "make test     set up and run every check (ruff, Django checks, pytest, browser tests)"
	@echo "make editor   create an editor account (asks for a name and a password)"
	@echo "make bench    run the benchmarks in bench/ (STATEMENTS=1000000 for the full-size run)"
	@echo "make audit    run axe-core in Chromium on every kind of public page"
	@echo "make stop-db  stop the embedded PostgreSQL server"
	@echo "make backup   write the database to var/backups/ (or FILE=...), pg_dump custom format"
	@echo "make restore FILE=...  replace the database's contents with a backup"

# The virtual environment is rebuilt when pyproject.toml changes. Python >= 3.12 is found
# through .python-version (pyenv) or as python3.13 / python3.12 on the PATH.
$(VENV)/.installed: pyproject.toml
	@py=""; for candidate in python3 python3.14 python3.13 python3.12; do \
	  if command -v $$candidate >/dev/null 2>&1 && \
	     $$candidate -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	    py=$$candidate; break; fi; done; \
	if [ -z "$$py" ]; then \
	  echo "ERROR: Python 3.12 or newer is needed (Django 6). Found: $$(python3 --version 2>&1)." >&2; \
	  echo "Install Python 3.12+ (or run 'pyenv install 3.12') and run make again." >&2; exit 1; fi; \
	if [ -x $(PYTHON) ] && ! $(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then \
	  rm -rf $(VENV); fi; \
	[ -x $(PYTHON) ] || $$py -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --upgrade "pip>=25.1"
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --group test
	@touch $@

setup: $(VENV)/.installed
	$(MANAGE) migrate --no-input
	$(MANAGE) load_seed_data

run: setup
	@echo ""
	@echo "Editors sign in at http://127.0.0.1:$(PORT)/admin/ . To create an editor account, run"
	@echo "  make editor        (or: $(MANAGE) create_editor NAME)"
	@echo "in another terminal; no account or password is built in."
	@echo ""
	@# The worker beside the site (refolds and large merges); Ctrl-C or a TERM stops both.
	$(MANAGE) run_worker --follow --verbosity 0 & worker=$$!; \
	$(MANAGE) runserver 127.0.0.1:$(PORT) & server=$$!; \
	trap 'kill $$worker $$server 2>/dev/null' EXIT INT TERM; \
	wait $$server

# Debian's Chromium for the browser tests; installed only where we are root and have apt.
# Elsewhere the browser tests skip loudly (and fail under CI=true).
browser:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: $(VENV)/.installed browser lint
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run
	$(VENV)/bin/pytest

editor: setup
	$(MANAGE) create_editor

# The accessibility audit alone: axe-core (bundled with pytest-playwright-axe) on every kind
# of public page at desktop and phone widths. CI=true: a missing Chromium fails, never skips.
audit: $(VENV)/.installed browser
	CI=true $(VENV)/bin/pytest tests/test_browser_a11y.py

# STATEMENTS=1000000 runs the scale benchmark at the issue's target size (about ten minutes to
# generate the first time; the database is kept for later runs). wrk and nginx (Debian) measure
# throughput, valgrind counts instructions; installed where we are root and have apt.
STATEMENTS ?= 10000
bench: setup
	@if { ! command -v wrk || ! command -v nginx || ! command -v valgrind; } >/dev/null 2>&1 \
	    && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx-light valgrind >/dev/null; \
	fi
	@echo "== bench/scale.py --statements $(STATEMENTS)"; $(PYTHON) bench/scale.py --statements $(STATEMENTS)
	@echo "== bench/instructions.py --statements $(STATEMENTS)"; $(PYTHON) bench/instructions.py --statements $(STATEMENTS)
	@echo "== bench/exports.py --statements $(STATEMENTS)"; $(PYTHON) bench/exports.py --statements $(STATEMENTS)
	@echo "== bench/refold.py --statements $(STATEMENTS)"; $(PYTHON) bench/refold.py --statements $(STATEMENTS)
	@echo "== bench/admin.py --statements $(STATEMENTS)"; $(PYTHON) bench/admin.py --statements $(STATEMENTS)
	@echo "== bench/merge.py --statements $(STATEMENTS)"; $(PYTHON) bench/merge.py --statements $(STATEMENTS)
	@echo "== bench/ceiling.py --statements $(STATEMENTS)"; $(PYTHON) bench/ceiling.py --statements $(STATEMENTS)
	@for script in bench/*.py; do case $$script in bench/scale.py|bench/instructions.py|bench/exports.py|bench/refold.py|bench/admin.py|bench/merge.py|bench/ceiling.py) continue;; esac; \
	  echo "== $$script"; $(PYTHON) $$script || exit 1; done

# Stops it whichever process started it (pg_ctl); fails with a clear message if it cannot.
stop-db: $(VENV)/.installed
	$(PYTHON) -c "import sys; from pathlib import Path; from armscontrol import embedded_db; \
	  sys.exit(embedded_db.stop_or_explain(Path('var/postgres')))"

backup: $(VENV)/.installed
	$(MANAGE) backup_database $(FILE)

restore: $(VENV)/.installed
	@if [ -z "$(FILE)" ]; then echo "Usage: make restore FILE=var/backups/....dump" >&2; exit 2; fi
	$(MANAGE) restore_database "$(FILE)"

clean: stop-db
	rm -rf $(VENV) var staticfiles
