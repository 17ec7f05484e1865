# Takt: `make run` serves the demo factory, `make test` runs every test.
# Both do their own set-up on a fresh machine (virtualenv, packages, PWA build when present).

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
export PICCOLO_CONF := takt.piccolo_conf

.PHONY: run test install pwa chromium migrate seed bench lint types clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Takt needs Python 3.11 or newer"'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

# The PWA: npm ci from the lock file, API types from the backend's OpenAPI document, icons
# drawn with Pillow, then the Vite build. Skipped when nothing it is made from has changed.
PWA_INPUTS = find pwa/src pwa/public pwa/scripts pwa/index.html pwa/package-lock.json \
	pwa/vite.config.ts pwa/tsconfig.json pwa/tsconfig.sw.json var/openapi.json \
	-type f ! -name '*.png' ! -name 'schema.d.ts' | sort | xargs sha1sum | sha1sum
pwa: install
	@if [ -f pwa/package.json ]; then \
	  $(PY) -m takt openapi --out var/openapi.json || exit 1; \
	  hash=$$($(PWA_INPUTS) | cut -c1-16); \
	  if [ "$$(cat pwa/dist/.inputs 2>/dev/null)" = "$$hash" ]; then echo "PWA is up to date."; exit 0; fi; \
	  command -v npm >/dev/null || { echo "Node.js and npm are needed to build the app (apt-get install nodejs npm)."; exit 1; }; \
	  lock=$$(sha1sum pwa/package-lock.json | cut -c1-16); \
	  if [ "$$(cat pwa/node_modules/.lock-hash 2>/dev/null)" != "$$lock" ]; then \
	    (cd pwa && npm ci --no-audit --no-fund) && echo "$$lock" > pwa/node_modules/.lock-hash || exit 1; \
	  fi; \
	  (cd pwa && npx openapi-typescript ../var/openapi.json -o src/api/schema.d.ts) && \
	  $(PY) pwa/scripts/make_icons.py pwa/public/icons && \
	  (cd pwa && npm run build) && echo "$$hash" > pwa/dist/.inputs; \
	fi

# Browser tests drive Debian's Chromium; nothing downloads a browser.
chromium:
	@if ! command -v chromium >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser tests..."; \
	    (apt-get install -y chromium >/dev/null 2>&1 || (apt-get update >/dev/null && apt-get install -y chromium >/dev/null)) \
	      || { echo "Could not install chromium with apt-get: the browser tests cannot run."; exit 1; }; \
	  else \
	    echo "Chromium is missing and cannot be installed here (needs root and apt-get):"; \
	    echo "run 'sudo apt-get install -y chromium', then 'make test' again."; exit 1; \
	  fi; \
	fi

migrate: install
	$(PY) -m takt migrate

seed: migrate
	$(PY) -m takt seed --demo --if-empty

run: install pwa seed
	$(PY) -m takt serve --logins

test: install pwa chromium
	@bash tests/run-legs.sh

# Speed targets (issue 4) on PostgreSQL + Redis against a bare Litestar + asyncpg reference;
# prints a table, writes test-results/bench.json. Not part of make test.
bench: install
	@bash tests/bench/run.sh

lint: install
	$(VENV)/bin/ruff check backend tests pwa/scripts

# mypy over backend/takt with the settings of [tool.mypy] in pyproject.toml.
types: install
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) var pwa/dist pwa/node_modules
