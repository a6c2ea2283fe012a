# Every target sets itself up: a fresh clone needs nothing but Python 3.11+ and make.
#
# Installs come from uv.lock (exact versions and hashes), so a new upstream release
# never changes what `make test` runs. Upgrades are deliberate: `make lock` refreshes
# the lock, `make test-latest` runs everything against the newest allowed releases.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
STAMP ?= $(VENV)/.installed
LATEST := .venv-latest

# uv itself is pinned and bootstrapped into .tools/ with the machine's Python, unless
# the caller names one (make UV=uv test).
UV_VERSION := 0.13.9
TOOLS := .tools
UV ?= $(TOOLS)/bin/uv
BOOTSTRAP_UV = $(filter $(TOOLS)/bin/uv,$(UV))
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := $(PYTHON)
# Compiled once at install, as pip does: start-up then never compiles the libraries,
# even where PYTHONDONTWRITEBYTECODE is set (`interlock --help`: ~500 ms against ~200 ms).
export UV_COMPILE_BYTECODE := 1

.PHONY: demo test check lint typecheck pytest lock test-latest bench clean

$(TOOLS)/bin/uv:
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(STAMP): pyproject.toml uv.lock | $(BOOTSTRAP_UV)
	UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --locked --quiet
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python examples/demo.py

test: $(STAMP)
	$(MAKE) --no-print-directory check STAMP=

check: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks examples
	$(BIN)/ruff format --check src tests benchmarks examples
	$(BIN)/lint-imports
	$(BIN)/vulture

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest -q

lock: | $(BOOTSTRAP_UV)
	$(UV) lock --upgrade

# The newest releases pyproject.toml allows, in a venv of their own; uv.lock is untouched.
test-latest: | $(BOOTSTRAP_UV)
	$(UV) venv --quiet --allow-existing $(LATEST)
	$(UV) pip install --quiet --python $(LATEST)/bin/python --upgrade --group dev -e .
	$(MAKE) --no-print-directory check VENV=$(LATEST) STAMP=

bench: $(STAMP)
	$(BIN)/python benchmarks/validate_corpus.py

clean:
	rm -rf $(VENV) $(LATEST) $(TOOLS) .mypy_cache .pytest_cache .ruff_cache
