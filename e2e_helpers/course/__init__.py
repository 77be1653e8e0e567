"""The course around the notebooks: Colab, running the notebooks, their results and the site.

``colab`` holds the repository's address, the "Open in Colab" badge and the
setup cell every notebook starts with; ``colab_replica`` is what
``make test-colab`` uses (Colab's pinned versions, installing the package as
the setup cell does, each environment's fast-mode figures); ``invariants``
holds the rules each notebook's figures must keep and the tolerances against
the main environment; ``notebook_runner`` executes and checks the notebooks
(``python -m e2e_helpers.course.notebook_runner course|check``, what
``make course`` runs); ``figure_labels`` gives every recorded figure a label
and a unit; ``results`` records each notebook's headline figures and writes
``results.json``, ``RESULTS.md`` and the README's table; ``site`` builds the
course site with Sphinx (``python -m e2e_helpers.course.site``, what
``make site`` runs). The command lines are each module's ``main``, reached
through the module. Importing any of it needs neither torch, scikit-learn nor
matplotlib.
"""

from .._exports import lazy_exports

__all__, __getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "colab": [
            "REPOSITORY",
            "ref",
            "notebook_url",
            "badge",
            "install_spec",
            "pip_arguments",
            "setup_source",
        ],
        "colab_replica": [
            "COLAB_PACKAGES",
            "CONSTRAINTS",
            "parse_freeze",
            "constraints_text",
            "install_changes",
            "install_as_colab",
            "fingerprint",
            "save_fast_figures",
            "load_fast_figures",
        ],
        "invariants": ["TOLERANCES", "THRESHOLDS", "Rule", "RULES", "check"],
        "notebook_runner": ["NOTEBOOK_DIR", "notebook_paths", "execute", "problems", "run_course"],
        "figure_labels": [
            "UNITS",
            "Label",
            "LABELS",
            "label",
            "describe",
            "display",
            "unlabelled",
            "in_order",
        ],
        "results": [
            "ResultsError",
            "record",
            "recorded",
            "make_entry",
            "validate",
            "load",
            "save",
            "to_markdown",
            "readme_block",
            "update_readme",
        ],
        "site": [
            "SiteError",
            "COURSE_TITLE",
            "title",
            "learning_objectives",
            "results_page",
            "index_page",
            "build",
        ],
    },
)
