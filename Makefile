# Two commands for users: `make report` and `make test`. Both set up their own environment.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
INVOER ?= sample_responses
UITVOER ?= output

.PHONY: report gate test test-slow test-all validate review bench samples lock clean

# The stamp is rebuilt only when the package definition or the pinned versions change.
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[test]'
	touch $(STAMP)

# The PDF needs a browser (chromium, Chrome or Edge); without one the rest is made and one line says how to get it.
report: $(STAMP)
	@if $(BIN)/python -m monitor_aoj.report.which_browser >/dev/null 2>&1; then pdf=--pdf; else pdf=; \
	  echo "PDF overgeslagen: geen browser gevonden. Installeer chromium (Debian: sudo apt-get install chromium) of gebruik Edge of Chrome (Windows), en draai 'make report' opnieuw."; fi; \
	$(BIN)/monitor-aoj rapport --invoer $(INVOER) --uitvoer $(UITVOER) $$pdf

validate: $(STAMP)
	$(BIN)/monitor-aoj valideer --invoer $(INVOER) --uitvoer $(UITVOER)

review: $(STAMP)
	$(BIN)/monitor-aoj beoordeling --invoer $(INVOER) --uitvoer $(UITVOER)

# Tests. Each target runs the gate first (ruff, and mypy on the package and tools/bench.py, see pyproject.toml's
# [tool.mypy]; seconds once mypy's cache is warm), then pytest on two cores (pytest-xdist).
#   make test       the gate and every test not marked slow: the daily check, under four minutes on two cores
#   make test-slow  the gate and only the slow tests (browser, LibreOffice, wheel install, pipeline runs with
#                   their own inputs or options; each takes 15 s or more)
#   make test-all   the gate and every test (CI runs the same set as `make test` then `make test-slow`, .ci/run)
# PYTEST_ARGS picks tests or adds options (CI runs a selection again on 3.13); XDIST="" runs in one process.
XDIST ?= -n 2 --dist loadgroup
gate: $(STAMP)
	$(BIN)/ruff check monitor_aoj tests tools
	$(BIN)/mypy

test: gate
	$(BIN)/python -m pytest $(XDIST) -m "not slow" $(PYTEST_ARGS)

test-slow: gate
	$(BIN)/python -m pytest $(XDIST) -m slow $(PYTEST_ARGS)

test-all: gate
	$(BIN)/python -m pytest $(XDIST) $(PYTEST_ARGS)

samples: $(STAMP)
	$(BIN)/monitor-aoj voorbeelddata --overschrijf --uitvoer $(INVOER)

# The national size (300 regions x 3 waves) against the targets; it may take many minutes. BENCH_ARGS passes
# options, e.g. BENCH_ARGS="--regios 40 --herhaal 3 --json a.json" or "--export-mb 200" (issue 10's large export).
BENCH_ARGS ?=
bench: $(STAMP)
	$(BIN)/python tools/bench.py $(BENCH_ARGS)

# Refresh requirements.lock from a clean resolve of pyproject.toml (maintainers only).
lock:
	rm -rf /tmp/monitor_aoj_lock && $(PYTHON) -m venv /tmp/monitor_aoj_lock
	/tmp/monitor_aoj_lock/bin/python -m pip install --quiet --upgrade pip
	/tmp/monitor_aoj_lock/bin/python -m pip install --quiet '.[test]'
	/tmp/monitor_aoj_lock/bin/python -m pip freeze --exclude monitor_aoj > requirements.lock

clean:
	rm -rf $(VENV) build *.egg-info
