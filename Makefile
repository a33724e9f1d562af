# The two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test stop install lint format check messages clean-db bench backup restore

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Cần Python 3.11 ($(PYTHON))"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

## `$(WITH_DB) COMMAND` runs COMMAND with the embedded PostgreSQL (var/pgdata) when DATABASE_URL
## is unset: it starts the server, and stops it when COMMAND ends (Ctrl+C included) unless it
## was running already (it says so, and `make stop` stops it). See longbien/embedded_db.py; -P
## keeps the project's package from being imported.
EMBEDDED_DB := $(PY) -P longbien/embedded_db.py
WITH_DB := $(EMBEDDED_DB) run --

## Run the portal with demo data on the embedded PostgreSQL (or DATABASE_URL when set).
run: install
	@$(WITH_DB) $(SHELL) -ec '\
		$(PY) manage.py migrate --noinput; \
		$(PY) manage.py seed_demo; \
		$(PY) manage.py demo_logins; \
		echo "Mở http://127.0.0.1:8000 (Ctrl+C để dừng)"; \
		DJANGO_DEBUG=$${DJANGO_DEBUG:-0} exec $(PY) manage.py runserver 127.0.0.1:8000'

## Run the whole test suite (DATABASE_URL / REDIS_URL when set, else the embedded PostgreSQL).
## One process per core (TEST_WORKERS=0: in this process), the tests of a file together.
TEST_WORKERS ?= auto
test: install
	@$(WITH_DB) $(PY) -m pytest -q -n $(TEST_WORKERS) --dist loadfile

## Stop the embedded PostgreSQL (one that `make run` found running, or that manage.py started).
stop: install
	@$(EMBEDDED_DB) stop

## The checks of CI's lint stage (and of pre-commit): ruff, djLint on the templates, mypy on
## the services and selectors. mypy imports the settings only: without DATABASE_URL a
## placeholder keeps the embedded PostgreSQL from starting.
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint . --check --lint
	DATABASE_URL=$${DATABASE_URL:-postgres://mypy@127.0.0.1:5432/unused} $(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(VENV)/bin/djlint . --reformat --quiet || test $$? -eq 1  # 1: templates were reformatted

## Extract the UI strings of every app into locale/vi and locale/en, then compile them (the .mo
## files are committed). One pass over the whole tree: --no-obsolete drops what it does not see;
## locations without line numbers keep the diffs (and merges) small.
## The sources are Vietnamese, so new vi entries get msgstr = msgid (plural ones by hand);
## translate the new en entries (and third-party strings in vi), then run it again.
## tests/core/test_translations.py lists anything left untranslated or fuzzy.
VI_PO := locale/vi/LC_MESSAGES/django.po
messages: install
	$(PY) manage.py makemessages -l vi -l en --no-obsolete --add-location file \
		--ignore '.venv/*' --ignore 'var/*' \
		--ignore '*/migrations/*' --ignore 'tests/*' --ignore 'bench/*'
	msgattrib --clear-fuzzy --empty --clear-previous -o $(VI_PO) $(VI_PO)
	msgen -o $(VI_PO) $(VI_PO)
	$(PY) manage.py compilemessages --ignore '.venv/*' --ignore 'var/*'

check: install
	$(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=longbien.settings.production DJANGO_SECRET_KEY=$$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 60) \
		$(PY) manage.py check --deploy --fail-level WARNING

bench: install
	$(PY) -m pip install -q -e ".[dev,bench]"
	$(PY) bench/run.py

## Delete the embedded PostgreSQL's data (refused while the server runs).
clean-db: install
	@$(EMBEDDED_DB) clean

## Back up the database (pg_dump, custom format) and the media files into one .tar with a
## manifest (migrations, row counts, the audit log's checksum): FILE=… or var/backups/.
## The embedded PostgreSQL, or DATABASE_URL when set. See longbien/core/backup.py.
backup: install
	@$(WITH_DB) $(PY) manage.py backup $(if $(FILE),--output "$(FILE)")

## Restore FILE=… into an empty database (FORCE=1 replaces a non-empty one), restore the media
## files and check both against the manifest; a difference is an error.
restore: install
	@test -n "$(FILE)" || { echo "Cần chỉ định tệp sao lưu: make restore FILE=var/backups/….tar [FORCE=1]"; exit 2; }
	@$(WITH_DB) $(PY) manage.py restore "$(FILE)" $(if $(filter 1 yes true,$(FORCE)),--force)
