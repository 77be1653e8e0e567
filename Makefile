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

.PHONY: lab test course site pics lock clean-venv help
.DEFAULT_GOAL := help

help:
	@echo "make lab     - set up .venv (first time) and open the course in JupyterLab"
	@echo "make test    - set up .venv (first time) and run the whole test suite"
	@echo "make course  - execute every notebook in full mode, in place, and write results/"
	@echo "make site    - render the executed notebooks and results to a static HTML site in build/site"
	@echo "make pics    - redraw the pipeline diagrams in pic/ (PNG and SVG)"
	@echo "make lock    - rewrite constraints.txt from the current .venv"

# The environment: rebuilt when the package's requirements or pins change.
$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "Python 3.10 or newer is needed (found " + sys.version.split()[0] + "); set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -c constraints.txt -e '.[dev]'
	touch $(STAMP)

lab: $(STAMP)
	$(BIN)/python -m ipykernel install --user --name $(KERNEL) --display-name "Python (e2e course)" >/dev/null
	$(BIN)/jupyter lab notebooks/ $(ROOT_ARGS) $(LAB_ARGS)

# pytest exits with 5 when it collects no tests: that is a failure, said out loud.
test: $(STAMP)
	@$(BIN)/python -m pytest; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected NO tests - failing on purpose" >&2; fi; \
	exit $$rc

course: $(STAMP)
	$(BIN)/python -m e2e_helpers.course.notebook_runner course --results results

site: $(STAMP)
	$(BIN)/python -m e2e_helpers.course.static_site --notebooks notebooks --results results/results.json --out build/site

pics: $(STAMP)
	$(BIN)/python -m e2e_helpers.figures.diagrams --out pic

lock: $(STAMP)
	{ echo "# Exact pins for the local virtual environment and CI (pip install -c constraints.txt)."; \
	  echo "# Regenerate with: make lock   (pip freeze of a fresh .venv, minus the package itself)"; \
	  $(BIN)/python -m pip freeze --exclude-editable | grep -v -i '^e2e' | LC_ALL=C sort -f; } > constraints.txt.tmp
	mv constraints.txt.tmp constraints.txt && touch $(STAMP)

clean-venv:
	rm -rf $(VENV)
