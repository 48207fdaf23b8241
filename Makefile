# Lodestar: `make run` serves the app with demo data; `make test` runs the whole suite.
# Both create .venv and install what they need on first use.

VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install run test lint fmt bench manage clean-data help lock messages

help:
	@echo "make run      serve Lodestar on http://127.0.0.1:$(PORT)/ with demo data (Ctrl-C stops it)"
	@echo "make test     run the whole test suite, lint (ruff, lint-imports, mypy) and the migrations check"
	@echo "make bench    run the benchmarks (prints BENCH name value lines)"
	@echo "make install  create .venv and install Lodestar and its tools"

$(BIN)/python:
	@PY=$$(scripts/find-python) && echo "lodestar: creating $(VENV) with $$PY" && "$$PY" -m venv $(VENV)

# requirements.lock pins every package, with hashes, for Python 3.12 on Linux x86_64 (and
# requirements-deploy.lock the main dependencies only, for the Dockerfile); `make lock`
# regenerates both after a change to pyproject.toml's dependencies.
$(STAMP): pyproject.toml requirements.lock | $(BIN)/python
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

# The compiled catalogues (locale/*/LC_MESSAGES/django.mo), rebuilt when a .po is newer.
PO_FILES := $(wildcard locale/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)
$(MO_FILES): %.mo: %.po | $(STAMP)
	@$(BIN)/python scripts/compile-messages

lock: | $(BIN)/python
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check uv
	$(BIN)/uv pip compile pyproject.toml --extra embedded --extra dev --generate-hashes \
		--python-version 3.12 --python-platform x86_64-manylinux_2_28 --quiet -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --generate-hashes --python-version 3.12 \
		--python-platform x86_64-manylinux_2_28 --quiet -o requirements-deploy.lock

install: $(STAMP) $(MO_FILES)

run: install
	@PORT=$(PORT) $(BIN)/python -m config.runner

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	PYTHONPATH=. $(BIN)/lint-imports --no-cache --no-logo
	$(BIN)/mypy

fmt: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: install
	@scripts/system-packages
	@$(BIN)/ruff check .
	@$(BIN)/ruff format --check --quiet . || (echo "lodestar: code is not formatted; run make fmt" >&2; exit 1)
	@out=$$(PYTHONPATH=. $(BIN)/lint-imports --no-cache --no-logo 2>&1) || (echo "$$out"; echo "lodestar: an app imports a higher layer (see above; README Architecture)" >&2; exit 1)
	@out=$$($(BIN)/mypy 2>&1) || (echo "$$out"; echo "lodestar: mypy found type errors (see above)" >&2; exit 1)
	@DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run >/dev/null || (echo "lodestar: a model change has no migration; run make manage ARGS=makemigrations" >&2; exit 1)
	@rm -rf .data/html-pages
	$(BIN)/python -m pytest $(PYTEST_ARGS)
	@scripts/check-html

# The translation catalogues (locale/<lang>/LC_MESSAGES/django.po) brought up to date with the
# code and templates; needs GNU gettext (scripts/system-packages installs it). `make install`
# compiles them (scripts/compile-messages, in Python).
LANGS := es nl sv fr de
messages: install
	@scripts/system-packages
	DEBUG=1 $(BIN)/python manage.py makemessages $(addprefix -l ,$(LANGS)) --add-location file \
		--no-obsolete --ignore '.venv/*' --ignore 'tests/*' --ignore '*/tests/*' --ignore 'bench/*' \
		--ignore 'node_modules/*' --ignore '.data/*' --ignore 'scripts/*'

bench: install
	@$(BIN)/python -m bench.run $(BENCH)

manage: install
	$(BIN)/python manage.py $(ARGS)

clean-data:
	rm -rf .data
