# make run  — set up everything, load the demo data and serve on http://127.0.0.1:8000 as in
#            production (gunicorn, the background worker, the scheduler; DEBUG off)
# make dev  — the same with DEBUG on and the auto-reloading development server
# make test — the whole suite (with CI=true also against a throwaway PostgreSQL server)

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CATALOGUES := $(patsubst %.po,%.mo,$(shell find locale -name 'django*.po'))

SECRET_FILE := var/secret_key

.PHONY: run dev secret test test-postgres install messages lint clean browser pdf-deps db-roles \
	audit-key vendor

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

messages: $(CATALOGUES)

# Front-end libraries from the npm registry (package-lock.json), copied into build/static/ (not
# committed), which the static files include: pages fetch nothing from anywhere else.
VENDOR := build/static/vendor/echarts/echarts.min.js

vendor: $(VENDOR)

$(VENDOR): package.json package-lock.json
	@command -v npm >/dev/null || scripts/apt-install nodejs npm
	npm ci --omit=dev --no-audit --no-fund --ignore-scripts --loglevel=error
	mkdir -p $(dir $@)
	cp node_modules/echarts/LICENSE $(dir $@)LICENSE
	cp node_modules/echarts/dist/echarts.min.js $@

%.mo: %.po
	@command -v msgfmt >/dev/null || scripts/apt-install gettext
	msgfmt --check -o $@ $<

# A local secret key, generated once and kept (git ignores var/); production sets its own.
secret: $(SECRET_FILE)

$(SECRET_FILE):
	mkdir -p $(dir $@)
	umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

# The demo's users share a published password, so the demo asks managers and administrators for
# no TOTP code unless TWO_FACTOR_REQUIRED=true is given (production's default is true).
DEMO_ENV := TWO_FACTOR_REQUIRED=$${TWO_FACTOR_REQUIRED:-false}

run: install messages vendor pdf-deps $(SECRET_FILE)
	$(BIN)/python manage.py audit_key
	$(BIN)/python manage.py db_migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py seed_demo
	$(DEMO_ENV) scripts/serve

dev: install messages vendor pdf-deps $(SECRET_FILE)
	DEBUG=true $(BIN)/python manage.py audit_key
	DEBUG=true $(BIN)/python manage.py db_migrate --noinput
	DEBUG=true $(BIN)/python manage.py seed_demo
	DEBUG=true $(DEMO_ENV) scripts/serve dev

# PostgreSQL with two roles: DATABASE_URL names the application's role, MIGRATE_DATABASE_URL the
# owner. Migrates as the owner, then gives the application role its rights (audit: SELECT, INSERT).
db-roles: install $(SECRET_FILE)
	$(BIN)/python manage.py db_migrate --noinput

# The audit chain's HMAC key, made once into var/audit_hmac_key (kept if it exists).
audit-key: install $(SECRET_FILE)
	$(BIN)/python manage.py audit_key

lint: install $(SECRET_FILE)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python manage.py makemigrations --check --dry-run

# With CI=true the SQLite and the PostgreSQL suites run side by side (scripts/test-both).
test: install messages vendor lint browser pdf-deps
	@if [ "$$CI" = "true" ]; then scripts/test-both; else $(BIN)/python -m pytest; fi

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
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* $(CATALOGUES) test-artifacts staticfiles node_modules build
