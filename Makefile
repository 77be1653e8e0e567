# The course's commands. `make lab` and `make test` are all a learner needs;
# both create the virtual environment .venv on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
KERNEL := e2e-course
# Extra JupyterLab options, e.g. make lab LAB_ARGS=--no-browser; root (containers) needs --allow-root.
LAB_ARGS ?=
ROOT_ARGS := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root)

# The Colab replica: Colab's Python and package versions (constraints-colab.txt).
# pyenv's shim says "command not found" unless 3.13 is selected, so its folder is tried too.
ifeq ($(origin COLAB_PYTHON),undefined)
COLAB_PYTHON := $(firstword $(foreach p,python3.13 $(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3.13),\
                  $(shell $(p) -c 'import sys; assert sys.version_info[:2] == (3, 13); print("$(p)")' 2>/dev/null)))
endif
COLAB_VENV  := .venv-colab
COLAB_BIN   := $(COLAB_VENV)/bin
COLAB_STAMP := $(COLAB_VENV)/.installed
# The test tools, not part of Colab, at the pins of constraints.txt.
REPLICA_TOOLS = $(shell grep -i -E '^(pytest|pytest-timeout|hypothesis)==' constraints.txt)
# Each environment's fast-mode figures, saved by the notebook tests and compared by make test-colab.
FAST_MAIN  := build/fast-figures/main
FAST_COLAB := build/fast-figures/colab

.PHONY: lab lint test test-course test-all test-colab fast-figures course site pics lock clean-venv help
.DEFAULT_GOAL := help

help:
	@echo "make lab     - set up .venv (first time) and open the course in JupyterLab"
	@echo "make test    - set up .venv (first time); lint, unit tests and doctests (a few minutes)"
	@echo "make test-course - every notebook in fast mode with its exercises, and the browser tests"
	@echo "make test-all - make test, then make test-course: everything CI runs in this environment"
	@echo "make lint    - ruff check and ruff format --check over the package, tests and notebooks"
	@echo "make test-colab - the Colab replica: .venv-colab with Colab's versions (Python 3.13), the package"
	@echo "               installed as the setup cell does, unit tests and every notebook in fast mode, compared"
	@echo "make course  - execute every notebook in full mode, in place, and write results/"
	@echo "make site    - build the course site (Sphinx + MyST-NB, offline) in build/site"
	@echo "make pics    - redraw the pipeline diagrams in pic/ (PNG and SVG)"
	@echo "make lock    - rewrite constraints.txt from the current .venv"

# The environment: rebuilt when the package's requirements or pins change.
$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11, 4) else "Python 3.11.4 or newer is needed (found " + sys.version.split()[0] + "); set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -c constraints.txt -e '.[dev]'
	touch $(STAMP)

lab: $(STAMP)
	$(BIN)/python -m ipykernel install --user --name $(KERNEL) --display-name "Python (e2e course)" >/dev/null
	$(BIN)/jupyter lab notebooks/ $(ROOT_ARGS) $(LAB_ARGS)

# Style: one linter and formatter over the package, the tests and the notebooks (pyproject.toml).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# pytest exits with 5 when it collects no tests: that is a failure, said out loud.
# The fast loop: lint, every unit test and doctest; the notebooks and browsers are test-course's.
test: lint
	@$(BIN)/python -m pytest -m "not notebook and not browser"; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected NO tests - failing on purpose" >&2; fi; \
	exit $$rc

# The slow part: every notebook in fast mode with its exercises, and the browser tests.
test-course: $(STAMP)
	@E2E_FAST_FIGURES=$(FAST_MAIN) $(BIN)/python -m pytest -m "notebook or browser"; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test-course: pytest collected NO tests - failing on purpose" >&2; fi; \
	exit $$rc

test-all: test test-course

# The replica's environment: Colab's packages, then the test tools (rebuilt when the pins change).
$(COLAB_STAMP): constraints-colab.txt constraints.txt
	@test -n "$(COLAB_PYTHON)" || { echo "make test-colab needs Python 3.13 (Colab's): install it (e.g. pyenv install 3.13) or set COLAB_PYTHON=/path/to/python3.13" >&2; exit 1; }
	rm -rf $(COLAB_VENV)
	$(COLAB_PYTHON) -m venv $(COLAB_VENV)
	$(COLAB_BIN)/python -m pip install --quiet -r constraints-colab.txt $(REPLICA_TOOLS)
	touch $(COLAB_STAMP)

# The main environment's fast-mode figures, when missing or older than the notebooks and package.
fast-figures: $(STAMP)
	@if $(BIN)/python -m e2e_helpers.course.colab_replica stale $(FAST_MAIN); then \
	  E2E_FAST_FIGURES=$(FAST_MAIN) $(BIN)/python -m pytest -q -p no:cacheprovider -m notebook -k fast_mode \
	    tests/course/test_course_notebooks.py; fi

# The replica: install the package as the setup cell does (failing if that changed any of Colab's
# packages), then the unit tests and every notebook in fast mode, compared with the main environment.
# Not here: the site and the browser tests (they need the lab/dev extras, which Colab does not have).
test-colab: $(COLAB_STAMP) fast-figures
	$(COLAB_BIN)/python -m e2e_helpers.course.colab_replica install
	E2E_FAST_FIGURES=$(FAST_COLAB) E2E_REFERENCE_FIGURES=$(FAST_MAIN) $(COLAB_BIN)/python -m pytest -p no:cacheprovider \
	  -m "not browser" --ignore=tests/course/test_browser.py --ignore=tests/course/test_site.py

course: $(STAMP)
	$(BIN)/python -m e2e_helpers.course.notebook_runner course --results results

site: $(STAMP)
	$(BIN)/python -m e2e_helpers.course.site --notebooks notebooks --results results/results.json --out build/site

pics: $(STAMP)
	$(BIN)/python -m e2e_helpers.figures --out pic

lock: $(STAMP)
	{ echo "# Exact pins for the local virtual environment and CI (pip install -c constraints.txt)."; \
	  echo "# Regenerate with: make lock   (pip freeze of a fresh .venv, minus the package itself)"; \
	  $(BIN)/python -m pip freeze --exclude-editable | grep -v -i '^e2e' | LC_ALL=C sort -f; } > constraints.txt.tmp
	mv constraints.txt.tmp constraints.txt && touch $(STAMP)

clean-venv:
	rm -rf $(VENV) $(COLAB_VENV)
