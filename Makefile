# The two commands of the README: `make demo` and `make test`. Everything they need is installed here.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP_PY := $(VENV)/.installed
STAMP_NODE := node_modules/.installed

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup browser demo serve test lint typecheck bench clean

setup: $(STAMP_PY) $(STAMP_NODE)

$(STAMP_PY): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

$(STAMP_NODE): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Debian's chromium: the browser tests open the annual report in it, and `report --format pdf` prints with it.
# Installed from Debian's archive when missing (browsers are never downloaded any other way).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core; }

demo: setup
	$(PY) app.py demo

serve: setup
	$(PY) app.py serve

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

typecheck: setup
	$(PY) -m mypy .

test: setup browser lint typecheck
	$(PY) -m pytest

bench: setup
	$(PY) -m bench.fanout
	$(PY) -m bench.themes --quick
	$(PY) -m bench.inbound
	$(PY) -m bench.scoring
	$(PY) -m bench.report

clean:
	rm -rf $(VENV) node_modules data dist .pytest_cache .mypy_cache .ruff_cache
