# Takt: `make run` serves the demo factory, `make test` runs every test.
# Both do their own set-up on a fresh machine (virtualenv, packages, PWA build when present).

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
export PICCOLO_CONF := takt.piccolo_conf

.PHONY: run test install pwa migrate seed bench lint clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Takt needs Python 3.11 or newer"'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

# The PWA (pwa/) is built when it exists; until then the backend serves a small front door.
pwa:
	@if [ -f pwa/package.json ]; then cd pwa && npm ci --no-audit --no-fund && npm run build; fi

migrate: install
	$(PY) -m takt migrate

seed: migrate
	$(PY) -m takt seed --demo --if-empty

run: install pwa seed
	$(PY) -m takt serve --logins

test: install pwa
	@bash tests/run-legs.sh

bench: install
	@echo "No benchmarks yet: speed targets will live in tests/bench and run here."

lint: install
	$(VENV)/bin/ruff check backend tests

clean:
	rm -rf $(VENV) var pwa/dist pwa/node_modules
