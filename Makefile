# Mozaïekcoach — two commands on a fresh machine:
#   make run    set up and start the app (index built on first run)
#   make test   set up and run all tests
PY      ?= python3.11
VENV    := .venv
BIN     := $(VENV)/bin
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False

.PHONY: run test setup setup-test system-deps ingest evals load clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# torch first: `torch==2.13.0` takes the CPU wheel on disk here; an unpinned torch would pull a
# multi-GB CUDA build as a dependency of sentence-transformers.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

setup: $(VENV)/.installed

# Debian's chromium for the browser tests (never a downloaded browser); strace for the privacy test.
system-deps:
	@command -v chromium >/dev/null 2>&1 && command -v strace >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium strace >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium strace >/dev/null; fi; }

setup-test: $(VENV)/.installed-test system-deps

run: setup
	$(BIN)/python app.py

ingest: setup
	$(BIN)/python ingest.py

test: setup-test
	$(BIN)/python -m pytest

evals: setup
	$(BIN)/python -m evals

load: setup-test
	$(BIN)/python -m evals.load --users 20 --seconds 60 --report

clean:
	rm -rf $(VENV) data
