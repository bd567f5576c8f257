# xianjie: `make run` runs the system with demo data, `make test` runs every check and the test suite.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test install messages check-messages makemessages lint migrate demo lock bench clean

$(STAMP): requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.lock
	touch $(STAMP)

install: $(STAMP)

# Compiled messages are built, never committed.
messages: $(STAMP)
	$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=var -v0

makemessages: $(STAMP)
	$(BIN)/python manage.py makemessages -l zh_Hans -l en --ignore=.venv --ignore=var --ignore=bench --ignore=tests --no-obsolete --add-location=file

check-messages: $(STAMP)
	$(BIN)/python manage.py check_translations

migrate: $(STAMP)
	$(BIN)/python manage.py migrate --no-input -v0

demo: migrate messages
	$(BIN)/python manage.py seed_demo

# Web server and background worker together; Ctrl-C stops both.
run: demo
	@echo "xianjie on http://127.0.0.1:8000/admin/ (Ctrl-C stops the web server and the worker)"
	$(BIN)/python manage.py rundev 127.0.0.1:8000

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=xianjie.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

# With TEST_DATABASE_URL, the SQLite and PostgreSQL runs go side by side (the SQLite run's output follows the
# PostgreSQL run's); each prints the guarantees it measured, and both are printed again at the end.
test: lint messages check-messages
	@rm -f var/guarantees-*.txt var/test-sqlite.*
	@mkdir -p var
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== test suite on SQLite and on PostgreSQL ($$TEST_DATABASE_URL), side by side =="; \
		( env -u TEST_DATABASE_URL $(BIN)/pytest > var/test-sqlite.log 2>&1; echo $$? > var/test-sqlite.rc ) & \
		echo "== test suite on PostgreSQL =="; \
		$(BIN)/pytest; pg=$$?; wait; \
		echo "== test suite on SQLite =="; cat var/test-sqlite.log; sqlite=$$(cat var/test-sqlite.rc); \
		if [ $$pg -eq 0 ]; then echo "PostgreSQL run passed."; fi; \
		if [ $$sqlite -eq 0 ]; then echo "SQLite run passed."; fi; \
		test $$pg -eq 0 -a $$sqlite -eq 0; \
	else \
		echo "== test suite on SQLite =="; \
		env -u TEST_DATABASE_URL $(BIN)/pytest || exit 1; \
		echo "== PostgreSQL run SKIPPED: TEST_DATABASE_URL is not set =="; \
	fi
	@cat var/guarantees-*.txt 2>/dev/null || true

# Refresh the lock file after changing dependencies in pyproject.toml.
lock: $(STAMP)
	$(BIN)/pip-compile -q --extra dev --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml

bench: $(STAMP) messages
	$(BIN)/python bench/run.py

clean:
	rm -rf var $(VENV)
