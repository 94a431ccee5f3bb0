# Tawthiq: two commands for a fresh machine.
#   make run    create .venv, install, ingest the corpus into tawthiq.db (SQLite), extract, group, write report.html
#   make test   create .venv, install, run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
CORPUS ?= $(if $(wildcard ../shared/corpus/*),../shared/corpus,tawthiq/data/demo)
DB     ?= tawthiq.db
REPORT ?= report.html

.PHONY: run test lint bench system-deps clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

system-deps:
	./scripts/system-deps.sh

run: $(VENV)/.installed
	$(BIN)/tawthiq --db $(DB) run $(CORPUS) --report $(REPORT)

test: $(VENV)/.installed system-deps
	$(BIN)/python -m pytest

lint: $(VENV)/.installed
	$(BIN)/ruff check tawthiq tests benchmarks
	$(BIN)/mypy tawthiq
	$(BIN)/codespell tawthiq docs README.md

bench: $(VENV)/.installed
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) $(DB) $(REPORT) .pytest_cache .mypy_cache .hypothesis
