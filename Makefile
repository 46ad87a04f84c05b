# The two commands: `make run` serves the hub, `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
PORT ?= 5000
export PORT

.PHONY: run test install install-test install-browser install-postgres-rum vendor-assets screenshots lint format bench-data clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# The official JavaScript client for tests/live/test_js_client.py, from the lock file; npm
# writes node_modules/.package-lock.json, which serves as the stamp. Without npm the test
# skips, saying so (fails with HUB_TEST_REQUIRE_SERVICES=1, as in CI).
JS_CLIENT := tests/live/js
$(JS_CLIENT)/node_modules/.package-lock.json: $(JS_CLIENT)/package-lock.json
	cd $(JS_CLIENT) && npm ci --no-audit --no-fund --silent

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test $(if $(shell command -v npm),$(JS_CLIENT)/node_modules/.package-lock.json)

# The browser tests' Chromium: Debian's (never a browser download). Needs root and apt;
# elsewhere it says so, and the browser tests skip with that message (CI fails instead).
install-browser:
	@if command -v chromium >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; \
	else echo "install-browser: install Debian's chromium and chromium-driver to run the browser tests"; fi

# The PostgreSQL search backend's RUM index (hub/search/postgres.py): Debian's package for
# the local PostgreSQL server's version. Needs root and apt; elsewhere it says what to
# install (on the database server), and the PostgreSQL tests skip with that message (CI
# fails instead).
PG_MAJOR ?= $(shell ls /etc/postgresql 2>/dev/null | sort -n | tail -n1)
install-postgres-rum:
	@if [ -z "$(PG_MAJOR)" ]; then \
	  echo "install-postgres-rum: no PostgreSQL server here; install the rum extension on the database server (Debian: postgresql-NN-rum)"; \
	elif [ -e /usr/share/postgresql/$(PG_MAJOR)/extension/rum.control ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-$(PG_MAJOR)-rum; \
	else echo "install-postgres-rum: as root, apt-get install postgresql-$(PG_MAJOR)-rum for PostgreSQL search"; fi

# Refresh the vendored GOV.UK Frontend, socket.io-client, Swagger UI and axe-core at the
# versions in package-lock.json.
vendor-assets:
	bin/vendor-assets

# PNGs of the main pages at 1280 and 390 px into docs/screenshots/, made by headless
# Chromium on a hub seeded with the demo data in a temporary data dir.
screenshots: install-test install-browser
	$(BIN)/python bin/screenshots

run: install
	$(FLASK) db upgrade
	$(FLASK) hub seed --if-empty
	$(FLASK) hub serve --port $(PORT)

# Two pytest workers a core (pytest-xdist): tests spend much of their time waiting on
# PostgreSQL, servers and browsers, so a second worker fills a core's waits (more than two
# a core ran no faster: bench/suite_bench.py times it). PYTEST_WORKERS=0 runs in one process.
# Work stealing: a worker that runs out takes tests queued for another.
PYTEST_WORKERS ?= $(shell echo $$(( 2 * $$(nproc 2>/dev/null || echo 1) )))
test: install-test
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
