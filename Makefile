# The two commands of the README: `make demo` and `make test`. Everything they need is installed here.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP_PY := $(VENV)/.installed
STAMP_NODE := node_modules/.installed

.PHONY: setup demo serve test lint typecheck bench clean

setup: $(STAMP_PY) $(STAMP_NODE)

$(STAMP_PY): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

$(STAMP_NODE): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

demo: setup
	$(PY) app.py demo

serve: setup
	$(PY) app.py serve

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

typecheck: setup
	$(PY) -m mypy .

test: setup lint typecheck
	$(PY) -m pytest

bench: setup
	$(PY) -m bench.fanout
	$(PY) -m bench.themes --quick
	$(PY) -m bench.inbound
	$(PY) -m bench.scoring

clean:
	rm -rf $(VENV) node_modules data dist .pytest_cache .mypy_cache .ruff_cache
