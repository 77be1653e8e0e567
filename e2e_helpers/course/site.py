"""The course site (``make site``): Sphinx with MyST-NB and the Sphinx Book Theme, built offline.

``python -m e2e_helpers.course.site --out build/site`` lays out a Sphinx
project in a temporary folder: an index page (every notebook with its
learning objectives), one page per executed notebook (its committed outputs,
never re-executed), the glossary, and a results page that shows every figure by its label and
unit (:mod:`.figure_labels`). The theme gives the navigation between pages,
full-text search and an "Open in Colab" button per notebook page, which points
where the notebooks' own badge does (:func:`.colab.notebook_url`). Nothing is
fetched over the network while building. Widget state is not stored in the
notebooks, so every explorer shows its static picture. The built site replaces
*out* only when every page was written.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._files import replace_folder
from .._tables import markdown_table
from .colab import REPOSITORY, ref
from .figure_labels import describe, display, in_order
from .notebook_runner import NOTEBOOK_DIR, notebook_paths, problems
from .results import ResultsError, load

if TYPE_CHECKING:
    from nbformat import NotebookNode

__all__ = [
    "SiteError",
    "COURSE_TITLE",
    "title",
    "learning_objectives",
    "results_page",
    "index_page",
    "build",
]
# main, the command line, is reached through the module: site.main([...])

COURSE_TITLE = "End-to-End Deep Learning, hands-on"
OBJECTIVES = "## Learning objectives"
_HEADING = re.compile(r"^#{1,2}\s", re.M)

# The Sphinx configuration; the theme's launch button opens a notebook page in Colab.
_CONF = """\
project = {title!r}
html_title = {title!r}
author = "the course's authors"
extensions = ["myst_nb"]
nb_execution_mode = "off"          # the committed outputs of `make course`, never re-run here
# No widget state is stored: an explorer shows its static picture, not its widget (a JSON stub).
nb_mime_priority_overrides = [("*", "application/vnd.jupyter.widget-view+json", None)]
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3           # the glossary's entries: [HMM](GLOSSARY.md#hmm)
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
html_theme = "sphinx_book_theme"
html_theme_options = {{
    "repository_url": "https://github.com/{repository}",
    "repository_branch": {branch!r},
    "path_to_docs": "",
    "use_repository_button": True,
    "launch_buttons": {{"colab_url": "https://colab.research.google.com"}},
    "show_toc_level": 2,
}}
html_last_updated_fmt = None
"""


class SiteError(ValueError):
    """A notebook or folder the site cannot be built from."""


def _markdown(nb: NotebookNode) -> list[str]:
    return [cell.source for cell in nb.cells if cell.cell_type == "markdown"]


def title(nb: NotebookNode, fallback: str) -> str:
    """The notebook's first ``# `` heading, else *fallback*."""
    for source in _markdown(nb):
        found = re.search(r"^#\s+(.+?)\s*$", source, re.M)
        if found:
            return found.group(1)
    return fallback


def learning_objectives(nb: NotebookNode, name: str = "notebook") -> str:
    """The Markdown under the ``## Learning objectives`` heading, up to the next heading."""
    for source in _markdown(nb):
        start = source.find(OBJECTIVES)
        if start < 0:
            continue
        body = source[start + len(OBJECTIVES) :]
        end = _HEADING.search(body)
        return (body[: end.start()] if end else body).strip()
    raise SiteError(
        f"{name} has no '{OBJECTIVES}' section: every course notebook needs one (see DESIGN.md)."
    )


def results_page(results: dict[str, Any], titles: dict[str, str]) -> str:
    """The results page (MyST Markdown): per notebook, each figure by its label, in its unit."""
    lines = [
        "# Measured results",
        "",
        "What `make course` measured when it last ran every notebook in full mode "
        "(`results/results.json`).",
        "",
    ]
    for stem, heading in titles.items():
        lines += [f"## {heading}", ""]
        entry = results.get(stem)
        if entry is None:
            lines += ["No measured results yet: run `make course`.", ""]
            continue
        lines += [
            f"{entry['mode'].capitalize()} mode on {entry['device']}, whole notebook "
            f"{entry['seconds']:.0f} s ([the notebook](notebooks/{stem}.ipynb)).",
            "",
            markdown_table(
                ["figure", "value"],
                [
                    [describe(name), display(name, entry["figures"][name])]
                    for name in in_order(entry["figures"])
                ],
            ),
            "",
        ]
    return "\n".join(lines)


def index_page(entries: Sequence[tuple[str, str, str]], glossary: bool = False) -> str:
    """The index (MyST Markdown): for each ``(stem, title, objectives Markdown)`` a section, and the
    page tree (with the glossary page when *glossary*)."""
    lines = [
        f"# {COURSE_TITLE}",
        "",
        "The course notebooks with the outputs of their last full run (`make course`). Interactive "
        "explorers show their static picture here; open a notebook in JupyterLab or Colab (the "
        "rocket "
        "button at the top of its page) to move them.",
        "",
    ]
    for stem, heading, objectives in entries:
        lines += [
            f"## [{heading}](notebooks/{stem}.ipynb)",
            "",
            "**Learning objectives**",
            "",
            objectives.replace("](GLOSSARY.md", "](notebooks/GLOSSARY.md"),  # from the index
            "",
        ]
    lines += [
        "[Measured results](results.md): every figure of every notebook.",
        "",
        *(
            ["[Glossary](notebooks/GLOSSARY.md): every term, and where it is taught.", ""]
            * glossary
        ),
        "```{toctree}",
        ":hidden:",
        ":maxdepth: 1",
        "",
        *(f"notebooks/{stem}" for stem, _, _ in entries),
        "results",
        *(["notebooks/GLOSSARY"] * glossary),
        "```",
        "",
    ]
    return "\n".join(lines)


def _sphinx_build(source: Path, out: Path) -> None:
    """Build the Sphinx project in *source* as HTML into *out*; warnings are errors."""
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace

    with docutils_namespace():
        app = Sphinx(
            str(source),
            str(source),
            str(out),
            str(source / "_doctrees"),
            "html",
            status=None,
            warningiserror=True,
            freshenv=True,
        )
        app.build()
    if app.statuscode:
        raise SiteError(f"Sphinx failed to build the site from {source} (status {app.statuscode}).")


def build(paths: Sequence[Path], results_file: Path, out: Path) -> list[Path]:
    """Build the site of the notebooks at *paths* and the results in *results_file* into *out*.

    Every notebook must have been executed top to bottom without errors
    (:func:`e2e_helpers.course.notebook_runner.problems`) and have learning
    objectives; otherwise :class:`SiteError` says which and nothing is written.
    The glossary beside the notebooks (``GLOSSARY.md``), if any, becomes a page their links reach.
    Returns the index, the notebook pages, the results page and the glossary's.
    """
    import nbformat

    if not paths:
        raise SiteError(
            "no notebooks to render: expected NN_name.ipynb files (e.g. "
            "notebooks/01_intuition.ipynb)."
        )
    results = load(results_file)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.new."))
    try:
        source = work / "source"
        (source / "notebooks").mkdir(parents=True)
        entries = []
        for path in map(Path, paths):
            if not path.is_file():
                raise SiteError(f"no such notebook: {path}")
            nb = nbformat.read(path, as_version=4)
            found = problems(nb)
            if found:
                raise SiteError(
                    f"{path.name} is not a clean executed notebook ({found[0]}); run `make course` "
                    f"first."
                )
            entries.append((path.stem, title(nb, path.stem), learning_objectives(nb, path.name)))
            shutil.copyfile(path, source / "notebooks" / path.name)
        (source / "conf.py").write_text(
            _CONF.format(title=COURSE_TITLE, repository=REPOSITORY, branch=ref()), encoding="utf-8"
        )
        glossary = Path(paths[0]).parent / "GLOSSARY.md"
        if glossary.is_file():
            shutil.copyfile(glossary, source / "notebooks" / "GLOSSARY.md")
        (source / "index.md").write_text(index_page(entries, glossary.is_file()), encoding="utf-8")
        titles = {stem: heading for stem, heading, _ in entries}
        (source / "results.md").write_text(results_page(results, titles), encoding="utf-8")
        _sphinx_build(source, work / "html")
        (work / "html").chmod(0o755)
        replace_folder(work / "html", out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return [
        out / "index.html",
        *(out / "notebooks" / f"{stem}.html" for stem, _, _ in entries),
        out / "results.html",
        *([out / "notebooks" / "GLOSSARY.html"] * glossary.is_file()),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """Command line:
    ``python -m e2e_helpers.course.site [--notebooks DIR] [--results FILE] --out DIR``."""
    parser = argparse.ArgumentParser(
        prog="python -m e2e_helpers.course.site", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--notebooks", type=Path, default=NOTEBOOK_DIR, help="folder of NN_name.ipynb files"
    )
    parser.add_argument(
        "--results", type=Path, default=Path("results/results.json"), help="measured results"
    )
    parser.add_argument(
        "--out", type=Path, default=Path("build/site"), help="the site's folder (replaced)"
    )
    args = parser.parse_args(argv)
    try:
        pages = build(notebook_paths(args.notebooks), args.results, args.out)
    except (SiteError, ResultsError) as exc:
        print(f"make site: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {len(pages)} pages to {args.out}/ (open {args.out / 'index.html'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
