# One command for each way of using the book (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: setup test test-fast lint book book-quick quarto bench clean-book

setup: $(VENV)/.installed

# Reinstalled only when the package's requirements change. The lock file pins what made the
# committed cache; pip installs the project itself on top.
$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e ".[dev]"
	touch $@

# The linter first (its rules are in pyproject.toml), then every test.
test: lint
	$(PY) -m pytest

# The unit tests alone, in under a minute: what trains, renders or runs the command line is
# marked slow (pytest markers, tests/conftest.py).
test-fast: lint
	$(PY) -m pytest -m "not slow"

lint: setup
	$(PY) -m ruff check code tests bench

# Quarto: on PATH, else the project's own install (.tools/quarto, see README), else the
# quarto-cli package from PyPI, installed into the virtual environment now.
quarto: setup
	@command -v quarto >/dev/null || test -x .tools/quarto/bin/quarto || test -x $(VENV)/bin/quarto || \
	  { echo "make: no Quarto found; installing the quarto-cli package from PyPI into $(VENV)"; \
	    $(PY) -m pip install --quiet "quarto-cli>=1.9" >/dev/null 2>&1 || \
	    { echo "make: Quarto is not installed and the quarto-cli package could not be installed; install Quarto >= 1.9 (https://quarto.org/docs/get-started/) and run make book again" >&2; exit 2; }; }

# Both editions of the published (full-profile) book, HTML and PDF, from the committed cache;
# each chapter is executed once per edition (code/latentdigits/build.py).
book: quarto
	$(PY) -m latentdigits.build en zh

# The whole book in minutes on a CPU: small data slices, two epochs (never committed).
book-quick: quarto
	$(PY) -m latentdigits.build --profile quick en zh

# Training speed on this machine (CUDA when present): writes bench/results/<device>.{json,md}.
bench: setup
	$(PY) bench/run.py

clean-book:
	rm -rf _book _freeze .quarto
