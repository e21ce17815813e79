# Aurora Concierge — `make help` lists every target.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The embedded store lives inside one process: one worker, many threads.
# With MONGO_URI every worker shares the real database, so several may run.
WORKERS ?= $(if $(MONGO_URI),4,1)
THREADS ?= 8
# Where each worker writes its Prometheus counts, so /metrics adds up every worker's
# (emptied at each start by concierge/gunicorn_conf.py).
PROMETHEUS_MULTIPROC_DIR ?= $(CURDIR)/$(VENV)/prometheus
CHROMIUM ?= /usr/bin/chromium
CLAMD ?= /usr/sbin/clamd
REDIS_SERVER ?= /usr/bin/redis-server
# Debian's maintainer scripts ask it before starting a service (101 = do not).
POLICY_RC ?= /usr/sbin/policy-rc.d

export HOST PORT

.PHONY: help install install-test run seed init-db lint test test-fast verify bench fuzz mutate tools browser clamav redis wrk clean messages

help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | \
	  awk -F':.*## ' '{printf "  \033[1m%-12s\033[0m %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: setup.cfg setup.py | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: setup.cfg setup.py | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test,dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed ## create .venv and install the app

install-test: $(VENV)/.installed-test ## install the app with test and dev tools

browser: ## install Debian's Chromium for the browser tests (never a downloaded browser)
	@if [ ! -x $(CHROMIUM) ]; then \
	  echo "Installing Debian's chromium (apt-get)…"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation >/dev/null; \
	fi
	@$(CHROMIUM) --version

# The daemon is only run by the tests and `make verify` (concierge/verify/clamd.py), with its
# own config, socket and one-signature database. The package must not start a system clamd or
# freshclam: a policy-rc.d denying service starts is in place during the install (Docker
# images ship one), and on systemd machines the units it enables are disabled again.
clamav: ## install Debian's clamav-daemon for the real-scanner tests and verify (no service left running)
	@if [ ! -x $(CLAMD) ]; then \
	  echo "Installing Debian's clamav-daemon (apt-get)…"; \
	  policy=$(POLICY_RC); \
	  if [ ! -e $$policy ]; then \
	    trap 'rm -f '$$policy EXIT; printf '#!/bin/sh\nexit 101\n' > $$policy; chmod 755 $$policy; \
	  fi; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clamav-daemon >/dev/null || exit 1; \
	  if [ -d /run/systemd/system ]; then \
	    systemctl disable --now -q clamav-daemon.socket clamav-daemon clamav-freshclam || true; \
	  fi; \
	fi
	@$(CLAMD) --version

# Only the tests run it (tests/support/redis_server.py), each on a free port with a temporary folder.
# The package must not start a system redis-server: the same policy-rc.d guard as clamav.
redis: ## install Debian's redis-server for the shared rate-limit tests (no service left running)
	@if [ ! -x $(REDIS_SERVER) ]; then \
	  echo "Installing Debian's redis-server (apt-get)…"; \
	  policy=$(POLICY_RC); \
	  if [ ! -e $$policy ]; then \
	    trap 'rm -f '$$policy EXIT; printf '#!/bin/sh\nexit 101\n' > $$policy; chmod 755 $$policy; \
	  fi; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null || exit 1; \
	  if [ -d /run/systemd/system ]; then \
	    systemctl disable --now -q redis-server || true; \
	  fi; \
	fi
	@$(REDIS_SERVER) --version

wrk: ## install Debian's wrk, the load generator of make bench
	@if ! command -v wrk >/dev/null; then \
	  echo "Installing Debian's wrk (apt-get)…"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	fi
	@wrk -v 2>&1 | head -1

tools: browser clamav redis ## install the Debian tools the tests and verify run (Chromium, ClamAV, Redis)

run: install ## serve the app on HOST:PORT (embedded store unless MONGO_URI is set)
	@echo "Aurora Concierge: open http://$(HOST):$(PORT)/demo  (API: http://$(HOST):$(PORT)/api/concierge/health)"
	@echo "Store: $(if $(MONGO_URI),MongoDB at MONGO_URI,embedded: documents on disk in $(or $(CONCIERGE_DATA_DIR),var/) (back up: .venv/bin/flask --app wsgi concierge backup FILE))"
	PROMETHEUS_MULTIPROC_DIR=$(PROMETHEUS_MULTIPROC_DIR) \
	  $(BIN)/gunicorn --bind $(HOST):$(PORT) --workers $(WORKERS) --threads $(THREADS) \
	  -c python:concierge.gunicorn_conf wsgi:app

seed: install ## load seed_data/ into MONGO_URI (idempotent) and print counts
	$(BIN)/flask --app wsgi concierge seed

init-db: install ## create every index in MONGO_URI (idempotent)
	$(BIN)/flask --app wsgi concierge init-db

# One catalogue for the server's pages and emails and the widget's script strings (t/nt in
# static/widget/); the compiled .mo files are committed so a fresh clone runs without this.
TRANSLATIONS := concierge/translations
LOCALES := fr de es
messages: install ## extract the words to translate, update the fr/de/es catalogues, compile them
	$(BIN)/pybabel extract -F babel.cfg -k _l -k t -k tn -k nt:1,2 --no-wrap --sort-by-file \
	  --add-comments=Translators: --project="Aurora Concierge" -o $(TRANSLATIONS)/messages.pot .
	for locale in $(LOCALES); do \
	  $(BIN)/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) -l $$locale \
	    --init-missing --no-wrap --previous --ignore-pot-creation-date || exit 1; \
	done
	$(BIN)/pybabel compile -d $(TRANSLATIONS) --statistics

# ruff for the code; import-linter for the layers (setup.cfg [importlinter]): a cycle or an
# import that points up fails.
LINT = $(BIN)/ruff check concierge tests seed_data wsgi.py setup.py && $(BIN)/lint-imports
lint: install-test ## ruff and import-linter (the layers of docs/architecture.md)
	$(LINT)

# Most tests wait on servers, browsers and clocks rather than the CPU: TEST_WORKERS pytest
# processes (pytest-xdist, one test file each at a time) keep CI near 4 minutes on 2 cores.
TEST_WORKERS ?= 4
test: install-test tools ## install test tools, Chromium, ClamAV and Redis, lint, then run the whole suite
	$(LINT)
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

test-fast: install-test ## lint, then every test not marked slow (no servers, browsers or timers)
	$(LINT)
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile -m "not slow" $(PYTEST_ARGS)

verify: install-test tools ## produce reports/verification.md from real runs (exit 1 on any failure)
	$(BIN)/flask --app wsgi concierge verify $(VERIFY_ARGS)

# FUZZ_MAX_EXAMPLES bounds the examples per operation and phase (CI uses fewer).
fuzz: install-test ## schemathesis, every check, against a server it starts (exit 1 on any failure)
	$(BIN)/python -m tests.fuzz $(FUZZ_ARGS)

# BENCH=short (CI): shorter runs, failing only below half of a target.
bench: install-test browser wrk ## widget byte budgets, hot-read throughput vs a bare route, decay after 100k events, search cost at 10x, platform webhook p95
	$(BIN)/pytest tests/browser/test_budgets.py -q -s
	BENCH=$(or $(BENCH),full) $(BIN)/python -m tests.bench
	BENCH=$(or $(BENCH),full) $(BIN)/python -m tests.bench.search
	BENCH=$(or $(BENCH),full) $(BIN)/python -m tests.bench.webhooks
	@if [ -f tests/bench/upload_memory.py ]; then $(BIN)/python -m tests.bench.upload_memory; fi

# Not in CI (too slow). mutmut group by group (tests/mutation.py GROUPS: each group's modules
# with only its own tests selected), at most MUTATE_CHILDREN test processes (2 cores shared),
# niced; each mutant runs only the tests that cover its function. MUTATE_GROUPS="flags orders"
# runs those groups again and keeps the other groups' last results; the score covers every module.
MUTATE_CHILDREN ?= 2
MUTATE_GROUPS ?=
mutate: install-test ## mutation-test the guarantee modules (slow; not in CI); score per module
	$(if $(MUTATE_GROUPS),,rm -rf mutants && )mkdir -p mutants
	$(BIN)/python -m tests.mutation run $(MUTATE_GROUPS) --children $(MUTATE_CHILDREN)
	$(BIN)/python -m tests.mutation score

clean: ## remove .venv, caches and reports
	rm -rf $(VENV) .pytest_cache .ruff_cache .import_linter_cache reports mutants *.egg-info
