"""The rendered course: a small static HTML site of the executed notebooks (``make site``).

``python -m e2e_helpers.course.static_site --out build/site`` writes
``index.html`` (every notebook with its learning objectives and its measured
results from ``results/results.json``) and one page per notebook, rendered by
nbconvert's ``HTMLExporter`` from the committed outputs. Widget state is not stored in the
notebooks, so every explorer shows its static PNG picture (see
:func:`e2e_helpers.figures.show`). Links are relative, so the folder can be
opened from anywhere, and the site is built in a temporary folder that
replaces *out* only when every page was written.
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from .._files import replace_folder
from .colab import notebook_url
from .notebook_runner import NOTEBOOK_DIR, notebook_paths, problems
from .results import ResultsError, format_value, load

if TYPE_CHECKING:
    from nbformat import NotebookNode

__all__ = ["SiteError", "title", "learning_objectives", "notebook_page", "results_html", "index_page", "build"]
# main, the command line, is reached through the module: static_site.main([...])

OBJECTIVES = "## Learning objectives"
_HEADING = re.compile(r"^#{1,2}\s", re.M)

_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
section { border-top: 1px solid #ccc; padding-top: 0.5rem; margin-top: 1.5rem; }
table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: 0.2rem 0.6rem; text-align: left; }
.links a { margin-right: 1rem; }
"""


class SiteError(ValueError):
    """A notebook or folder the site cannot be rendered from."""


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
        body = source[start + len(OBJECTIVES):]
        end = _HEADING.search(body)
        return (body[: end.start()] if end else body).strip()
    raise SiteError(f"{name} has no '{OBJECTIVES}' section: every course notebook needs one (see DESIGN.md).")


def notebook_page(nb: NotebookNode, folder: Path) -> str:
    """The notebook as one self-contained HTML page (images embedded; *folder* resolves relative pictures)."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab", embed_images=True)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"path": str(folder)}})
    return body


def results_html(entry: dict[str, Any] | None) -> str:
    """One notebook's measured results (an entry of ``results.json``) as an HTML table."""
    if entry is None:
        return "<p><em>No measured results yet: run <code>make course</code>.</em></p>"
    rows = "".join(
        f"<tr><td><code>{html.escape(name)}</code></td><td>{format_value(value)}</td></tr>"
        for name, value in sorted(entry["figures"].items())
    )
    return (
        f"<p>Measured in <strong>{html.escape(entry['mode'])}</strong> mode on {html.escape(entry['device'])}, "
        f"whole notebook {entry['seconds']:.0f} s:</p>"
        f"<table><tr><th>figure</th><th>value</th></tr>{rows}</table>"
    )


def _page(heading: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(heading)}</title><style>{_STYLE}</style></head>\n"
        f"<body><h1>{html.escape(heading)}</h1>\n{body}\n</body></html>\n"
    )


def index_page(entries: Sequence[tuple[str, str, str, dict[str, Any] | None]]) -> str:
    """The index: for each ``(stem, title, objectives Markdown, results entry)`` a section with links."""
    from nbconvert.filters.markdown import markdown2html

    sections = []
    for stem, heading, objectives, entry in entries:
        sections.append(
            f'<section id="{stem}"><h2><a href="{stem}.html">{html.escape(heading)}</a></h2>\n'
            f'<p class="links"><a href="{stem}.html">read the executed notebook</a>'
            f'<a href="{html.escape(notebook_url(stem))}">open in Colab</a></p>\n'
            f"<h3>Learning objectives</h3>\n{markdown2html(objectives)}\n"
            f"<h3>Measured results</h3>\n{results_html(entry)}</section>"
        )
    intro = (
        "<p>The course notebooks with the outputs of their last full run (<code>make course</code>). "
        "Interactive explorers show their static picture here; run the notebooks in JupyterLab or Colab "
        "to move them.</p>"
    )
    return _page("End-to-End Deep Learning, hands-on", intro + "\n".join(sections))


def build(paths: Sequence[Path], results_file: Path, out: Path) -> list[Path]:
    """Render the notebooks at *paths* and the index into *out*; returns the pages written.

    Every notebook must have been executed top to bottom without errors
    (:func:`e2e_helpers.course.notebook_runner.problems`) and have learning objectives;
    otherwise :class:`SiteError` says which and nothing is written.
    """
    import nbformat

    if not paths:
        raise SiteError("no notebooks to render: expected NN_name.ipynb files (e.g. notebooks/01_intuition.ipynb).")
    results = load(results_file)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    built = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.new."))
    try:
        entries = []
        for path in map(Path, paths):
            if not path.is_file():
                raise SiteError(f"no such notebook: {path}")
            nb = nbformat.read(path, as_version=4)
            found = problems(nb)
            if found:
                raise SiteError(f"{path.name} is not a clean executed notebook ({found[0]}); run `make course` first.")
            heading = title(nb, path.stem)
            entries.append((path.stem, heading, learning_objectives(nb, path.name), results.get(path.stem)))
            (built / f"{path.stem}.html").write_text(notebook_page(nb, path.parent.resolve()), encoding="utf-8")
        (built / "index.html").write_text(index_page(entries), encoding="utf-8")
        built.chmod(0o755)  # mkdtemp makes it private; a site is meant to be read
        replace_folder(built, out)
    except BaseException:
        shutil.rmtree(built, ignore_errors=True)
        raise
    return [out / "index.html", *(out / f"{stem}.html" for stem, *_ in entries)]


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m e2e_helpers.course.static_site [--notebooks DIR] [--results FILE] --out DIR``."""
    parser = argparse.ArgumentParser(
        prog="python -m e2e_helpers.course.static_site", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--notebooks", type=Path, default=NOTEBOOK_DIR, help="folder of NN_name.ipynb files")
    parser.add_argument("--results", type=Path, default=Path("results/results.json"), help="measured results")
    parser.add_argument("--out", type=Path, default=Path("build/site"), help="the site's folder (replaced)")
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
