# Lodestar: `make run` serves the app with demo data; `make test` runs the whole suite.
# Both create .venv and install what they need on first use.

VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install run test lint fmt bench manage clean-data help

help:
	@echo "make run      serve Lodestar on http://127.0.0.1:$(PORT)/ with demo data (Ctrl-C stops it)"
	@echo "make test     run the whole test suite, lint and the migrations check"
	@echo "make bench    run the benchmarks (prints BENCH name value lines)"
	@echo "make install  create .venv and install Lodestar and its tools"

$(BIN)/python:
	@PY=$$(scripts/find-python) && echo "lodestar: creating $(VENV) with $$PY" && "$$PY" -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[embedded,dev]"
	@touch $(STAMP)

install: $(STAMP)

run: install
	@PORT=$(PORT) $(BIN)/python -m config.runner

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: install
	@$(BIN)/ruff check .
	@$(BIN)/ruff format --check --quiet . || (echo "lodestar: code is not formatted; run make fmt" >&2; exit 1)
	@DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run >/dev/null || (echo "lodestar: a model change has no migration; run make manage ARGS=makemigrations" >&2; exit 1)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install
	@$(BIN)/python -m bench.run $(BENCH)

manage: install
	$(BIN)/python manage.py $(ARGS)

clean-data:
	rm -rf .data
