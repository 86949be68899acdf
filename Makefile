# Briefing Desk — `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
export FLASK_APP := app
HOST ?= 127.0.0.1
PORT ?= 5000
DEMO_PASSWORD ?= demo
CATALOGS := $(wildcard app/translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGS:.po=.mo)

.PHONY: run test test-pg bench bench-events bench-checklists bench-reminders bench-feeds bench-login bench-accel bench-soak bench-api bench-oversight bench-monitoring-feeds lint translations install clean

# Installing is keyed on pyproject.toml: a second `make` reinstalls nothing.
$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed $(COMPILED)

%.mo: %.po $(VENV)/.installed
	$(BIN)/pybabel compile -i $< -o $@ -l $(notdir $(patsubst %/LC_MESSAGES/messages.po,%,$<))

run: install
	FLASK_DEBUG=1 $(BIN)/flask db upgrade
	FLASK_DEBUG=1 $(BIN)/flask demo load --password '$(DEMO_PASSWORD)'
	@echo
	@echo "Briefing Desk is starting on http://$(HOST):$(PORT)/"
	@echo "Log in as admin@demo.example (or protocol@, focal@, spokesperson@, liaison@, steering@, viewer@demo.example) with the password '$(DEMO_PASSWORD)'."
	@echo
	FLASK_DEBUG=1 $(BIN)/flask run --host $(HOST) --port $(PORT) --no-debugger --no-reload

test: install
	@test -x /usr/bin/chromium || echo "NOTE: /usr/bin/chromium is missing: browser tests will be skipped (apt-get install chromium)."
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The same suite against PostgreSQL (each run creates and drops its own database).
test-pg: install
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} $(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install bench-events bench-checklists bench-reminders bench-feeds bench-login bench-api bench-oversight bench-monitoring-feeds

# Event list, month view and event page with 200 and 20,000 events (DATABASE_URL for PostgreSQL).
bench-events: install
	$(BIN)/python -m bench.events

# Calendar feeds: 10,000 events via gunicorn vs nginx serving the same bytes (see bench/README.md).
bench-feeds: install
	$(BIN)/python -m bench.feeds

# The same feed through nginx with X-Accel-Redirect against nginx serving it statically (>= 0.9x).
bench-accel: install
	$(BIN)/python -m bench.accel

# locust: 50 users for 3 minutes, 2 hosts (gunicorn + nginx each) on PostgreSQL, 20,000 events.
bench-soak: install
	$(BIN)/python -m bench.soak

# 20,000 events: an idle `reminders send` run (floor < 1 s) and one e-mailing 1,000 reminders.
bench-reminders: install
	$(BIN)/python -m bench.reminders

# Login time of an unknown account against a known one with a wrong password (ratio near 1).
bench-login: install
	$(BIN)/python -m bench.login

# GET /api/v1/events with 20,000 events: first and last page of 50 (cursor, not OFFSET).
bench-api: install
	$(BIN)/python -m bench.api
# Oversight dashboard and report: a year of 200 vs 20,000 events (see bench/README.md).
bench-oversight: install
	$(BIN)/python -m bench.oversight

# Monitoring clocks in a unit's feed: a log of 200 vs 20,000 cases (ratio <= 1.5).
bench-monitoring-feeds: install
	$(BIN)/python -m bench.monitoring_feeds

# Generate and regenerate the checklists of 20,000 events (see bench/README.md).
bench-checklists: install
	$(BIN)/python -m bench.checklists

# The linters, pinned in the `dev` extra (installed once per change of pyproject.toml).
$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	touch $@

# ruff on all Python code, mypy on app/ (settings in pyproject.toml); both must be clean.
lint: $(VENV)/.installed-dev
	$(BIN)/ruff check app tests bench tools migrations
	$(BIN)/mypy

# Re-extract strings after changing them, then translate the new entries of the one catalog,
# app/translations/vi/LC_MESSAGES/messages.po (written sorted, without line numbers or dates).
translations: $(VENV)/.installed
	$(BIN)/python tools/translate.py update
	@$(BIN)/python tools/translate.py missing

clean:
	rm -rf $(VENV) $(COMPILED)
