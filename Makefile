# synergy-book: the two commands are `make book` and `make test` (see README.md).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
JB     := $(VENV)/bin/jupyter-book
CHROMIUM ?= chromium
QUICK  := build/quick
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Every step prints its wall time ("[time] 12.3 s").
SHELL := /bin/bash
export TIMEFORMAT := [time] %R s

.PHONY: venv test unit book quick-book chromium clean

venv: $(STAMP)

# The virtual environment installs the library (editable) with its test and book
# extras; constraints.txt pins the CPU build of torch on our own machines only.
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e ".[test,book]"
	touch $(STAMP)

unit: $(STAMP)
	time $(PY) -m pytest -q

# `make test`: unit tests, then the whole book with the quick parameters, built in
# build/quick/ (book/ is left alone), warnings as errors, every page rendered and
# checked in headless Chromium.
test: unit quick-book

quick-book: $(STAMP) chromium
	rm -rf $(QUICK) build/screenshots/quick
	time $(PY) scripts/run_notebooks.py --profile quick --out $(QUICK)/book
	SYNERGY_EXECUTED_BOOK=$(QUICK)/book $(PY) -m pytest -q -p no:cacheprovider tests/test_exercises.py -k executed_solutions
	time $(JB) build -q -W -n --keep-going --all $(QUICK)
	time $(PY) scripts/check_site.py $(QUICK)/_build/html --chromium $(CHROMIUM) --screenshots build/screenshots/quick

# `make book`: the published book. Executes every chapter with the full parameters
# into book/, builds _build/html, then checks every page.
book: $(STAMP) chromium
	time $(PY) scripts/run_notebooks.py --profile full
	time $(JB) build -q -W -n --keep-going --all .
	rm -rf build/screenshots/full
	time $(PY) scripts/check_site.py _build/html --chromium $(CHROMIUM) --screenshots build/screenshots/full

# The site check renders pages in Debian's Chromium; install it when missing.
chromium:
	@command -v $(CHROMIUM) >/dev/null 2>&1 || { \
	  echo "chromium not found: installing it with apt-get"; \
	  $(SUDO) apt-get update -q && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; }

clean:
	rm -rf _build book/_build build
