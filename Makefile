# Briefing Desk — `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
export FLASK_APP := app
HOST ?= 127.0.0.1
PORT ?= 5000
DEMO_PASSWORD ?= demo
CATALOGS := $(wildcard app/translations/*/LC_MESSAGES/messages.po app/*/translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGS:.po=.mo)

.PHONY: run test test-pg bench bench-events bench-checklists bench-reminders bench-feeds bench-login lint translations install clean

# Installing is keyed on pyproject.toml: a second `make` reinstalls nothing.
$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed $(COMPILED)

%.mo: %.po $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -i $< -o $@ -l $(notdir $(patsubst %/LC_MESSAGES/messages.po,%,$<))

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

bench: install bench-events bench-checklists bench-reminders bench-feeds bench-login

# Event list, month view and event page with 200 and 20,000 events (DATABASE_URL for PostgreSQL).
bench-events: install
	$(BIN)/python -m bench.events

# Calendar feeds: 10,000 events via gunicorn vs nginx serving the same bytes (see bench/README.md).
bench-feeds: install
	$(BIN)/python -m bench.feeds

# 20,000 events: an idle `reminders send` run (floor < 1 s) and one e-mailing 1,000 reminders.
bench-reminders: install
	$(BIN)/python -m bench.reminders

# Login time of an unknown account against a known one with a wrong password (ratio near 1).
bench-login: install
	$(BIN)/python -m bench.login

# Generate and regenerate the checklists of 20,000 events (see bench/README.md).
bench-checklists: install
	$(BIN)/python -m bench.checklists

lint: install
	$(BIN)/python -m pip install --quiet ruff
	$(BIN)/ruff check app tests bench

# Re-extract strings after changing them; then translate the new entries in vi/messages.po.
# Feature packages may keep their own catalog in app/<feature>/translations (merged at run time).
translations: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --sort-by-file -o app/translations/messages.pot .
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching

clean:
	rm -rf $(VENV) $(COMPILED)
