"""The course around the notebooks: Colab, running the notebooks, their results and the rendered site.

``colab`` holds the repository's address, the "Open in Colab" badge and the
setup cell every notebook starts with; ``notebook_runner`` executes and checks
the notebooks (``python -m e2e_helpers.course.notebook_runner course|check``,
what ``make course`` runs); ``results`` records each notebook's headline
figures and writes ``results.json``, ``RESULTS.md`` and the README's table;
``static_site`` renders the executed notebooks as HTML
(``python -m e2e_helpers.course.static_site``, what ``make site`` runs). The
two command lines are each module's ``main``, reached through the module
(``notebook_runner.main``, ``static_site.main``). Importing any of it needs
neither torch, scikit-learn nor matplotlib.
"""

from .._exports import lazy_exports

__all__, __getattr__, __dir__ = lazy_exports(__name__, {
    "colab": ["REPOSITORY", "ref", "notebook_url", "badge", "install_spec", "setup_source"],
    "notebook_runner": ["NOTEBOOK_DIR", "notebook_paths", "execute", "problems", "run_course"],
    "results": [
        "ResultsError",
        "record",
        "recorded",
        "make_entry",
        "validate",
        "load",
        "save",
        "format_value",
        "to_markdown",
        "readme_block",
        "update_readme",
    ],
    "static_site": ["SiteError", "title", "learning_objectives", "notebook_page", "results_html", "index_page",
                    "build"],
})
