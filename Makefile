# rangemap: two commands.
#   make app   -> set up .venv and open the dashboard on the bundled default scenario
#   make test  -> set up .venv (and Chromium) and run lint, types, unit and browser tests
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.rangemap-installed

.PHONY: app test setup lint types unit chromium data bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "rangemap needs Python 3.11+"'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

app: $(STAMP)
	$(VENV)/bin/streamlit run app.py

chromium:
	sh scripts/install_chromium.sh

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

types: $(STAMP)
	$(VENV)/bin/mypy

# One process: with pytest-xdist (`pytest -n auto --dist loadgroup`, see tests/conftest.py)
# the suite takes half the time, but on 2 cores a cold dashboard competing with other tests
# overran its 20 s build budget on a fresh clone.
unit: $(STAMP)
	$(VENV)/bin/pytest

test: $(STAMP) chromium lint types unit

data: $(STAMP)
	$(PY) scripts/build_all.py

bench: $(STAMP)
	for b in bench/*.py; do $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) test-output .pytest_cache .mypy_cache .ruff_cache
