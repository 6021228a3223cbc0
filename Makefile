# make run  — set up everything, load the demo data and serve on http://127.0.0.1:8000
# make test — the whole suite (with CI=true also against a throwaway PostgreSQL server)

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CATALOGUES := $(patsubst %.po,%.mo,$(shell find locale -name django.po))

.PHONY: run test test-postgres install messages lint clean browser pdf-deps db-roles audit-key

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

messages: $(CATALOGUES)

%.mo: %.po
	@command -v msgfmt >/dev/null || scripts/apt-install gettext
	msgfmt --check -o $@ $<

run: install messages pdf-deps
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	# The timer loop runs beside the web server and stops with it.
	$(BIN)/python manage.py run_scheduler & scheduler=$$!; \
	trap 'kill $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# PostgreSQL with two roles: DATABASE_URL names the application's role, MIGRATE_DATABASE_URL the
# owner. Migrates as the owner, then gives the application role its rights (audit: SELECT, INSERT).
db-roles: install
	$(BIN)/python manage.py db_migrate --noinput

# The audit chain's HMAC key, made once into var/audit_hmac_key (kept if it exists).
audit-key: install
	$(BIN)/python manage.py audit_key

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python manage.py makemigrations --check --dry-run

test: install messages lint browser pdf-deps
	$(BIN)/python -m pytest
	@if [ "$$CI" = "true" ]; then $(MAKE) --no-print-directory test-postgres; fi

# Debian's chromium for the browser tests (Playwright drives it; no browser download),
# and a CJK font so that screenshots show the Chinese interface.
browser:
	@command -v chromium >/dev/null 2>&1 && fc-list :lang=zh | grep -q . || \
		scripts/apt-install chromium fonts-noto-cjk

# Pango for WeasyPrint (case-file PDFs) and poppler-utils to read the PDFs back in tests.
pdf-deps:
	@command -v pdftotext >/dev/null 2>&1 && ldconfig -p | grep -q libpangoft2-1.0 || \
		scripts/apt-install poppler-utils libpango-1.0-0 libpangoft2-1.0-0

test-postgres: install messages browser pdf-deps
	scripts/with-postgres $(BIN)/python -m pytest

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* $(CATALOGUES) test-artifacts
