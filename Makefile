# One command for each way of using the book (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: setup test book book-quick bench clean-book

setup: $(VENV)/.installed

# Reinstalled only when the package's requirements change.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

test: setup
	$(PY) -m pytest

# Both editions of the published (full-profile) book; Quarto runs the chapters with the
# virtual environment's Python, and the committed cache means no training.
book: setup
	QUARTO_PYTHON=$(PY) quarto render --profile en
	QUARTO_PYTHON=$(PY) quarto render --profile zh

# The whole book in minutes on a CPU: small data slices, two epochs (never committed).
book-quick: setup
	QUARTO_PYTHON=$(PY) quarto render --profile quick,en
	QUARTO_PYTHON=$(PY) quarto render --profile quick,zh

# Training speed on this machine (CUDA when present): writes bench/results/<device>.{json,md}.
bench: setup
	$(PY) bench/run.py

clean-book:
	rm -rf _book _freeze .quarto
