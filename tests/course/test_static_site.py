"""The rendered course (``make site``), on small generated notebooks."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import nbformat
import pytest

from e2e_helpers.course import colab, static_site
from e2e_helpers.course.results import ResultsError, save
from e2e_helpers.figures import figure, to_png

_OBJECTIVES = "- Build **both** pipelines\n- Measure them"


def _png() -> str:
    fig, ax = figure()
    ax.plot([0, 1])
    return base64.b64encode(to_png(fig)).decode("ascii")


def _notebook(stem: str, *, objectives: bool = True, executed: bool = True):
    nb = nbformat.v4.new_notebook()
    intro = f"# {stem} · A <test> notebook\n\n{colab.badge(stem)}\n"
    if objectives:
        intro += f"\n## Learning objectives\n\n{_OBJECTIVES}\n\n## Setup\n\nMore prose."
    code = nbformat.v4.new_code_cell("show(explorer)")
    code.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={
                "application/vnd.jupyter.widget-view+json": {"version_major": 2, "version_minor": 0, "model_id": "ab12"},
                "image/png": _png(),
                "text/plain": "static picture of an interactive explorer",
            },
        )
    ]
    code.execution_count = 1 if executed else None
    nb.cells = [nbformat.v4.new_markdown_cell(intro), code]
    return nb


def _course(tmp_path: Path, **kwargs) -> list[Path]:
    folder = tmp_path / "notebooks"
    folder.mkdir(exist_ok=True)
    paths = []
    for stem in ("01_first", "02_second"):
        path = folder / f"{stem}.ipynb"
        nbformat.write(_notebook(stem, **kwargs), path)
        paths.append(path)
    return paths


@pytest.fixture
def results(tmp_path: Path) -> Path:
    entry = {"mode": "full", "seconds": 61.2, "device": "cpu", "figures": {"cnn_accuracy": 0.91234, "epochs": 8}}
    return save({"01_first": entry}, tmp_path / "results")[0]


def test_title_and_objectives():
    nb = _notebook("01_first")
    assert static_site.title(nb, "fallback") == "01_first · A <test> notebook"
    assert static_site.learning_objectives(nb) == _OBJECTIVES, "stops at the next heading"
    bare = _notebook("01_first", objectives=False)
    assert static_site.title(nbformat.v4.new_notebook(), "fallback") == "fallback"
    with pytest.raises(static_site.SiteError, match="01_first.ipynb has no '## Learning objectives'"):
        static_site.learning_objectives(bare, "01_first.ipynb")


def test_build_writes_index_and_pages(tmp_path, results):
    out = tmp_path / "build" / "site"
    pages = static_site.build(_course(tmp_path), results, out)
    assert pages == [out / "index.html", out / "01_first.html", out / "02_second.html"]
    assert sorted(p.name for p in out.iterdir()) == ["01_first.html", "02_second.html", "index.html"]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="01_first.html"' in index and 'href="02_second.html"' in index, "relative links"
    assert "file:" not in index and str(tmp_path) not in index, "nothing ties the site to this folder"
    assert "01_first · A &lt;test&gt; notebook" in index, "titles are escaped"
    assert "<li>Build <strong>both</strong> pipelines</li>" in index
    assert "More prose" not in index, "only the objectives section"
    assert "<code>cnn_accuracy</code></td><td>0.9123" in index and "<td>8</td>" in index
    assert "61 s" in index and "No measured results yet" in index
    assert colab.notebook_url("02_second") in index
    page = (out / "01_first.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in page, "a widget shows its static PNG fallback"
    assert "widget-view+json" not in page and "Error displaying widget" not in page
    assert sorted(p.name for p in out.parent.iterdir()) == ["site"], "no temporary folders left"


def test_build_replaces_an_old_site_only_when_complete(tmp_path, results):
    out = tmp_path / "site"
    out.mkdir()
    (out / "stale.html").write_text("old")
    paths = _course(tmp_path)
    nbformat.write(_notebook("02_second", executed=False), paths[1])
    with pytest.raises(static_site.SiteError, match="02_second.ipynb is not a clean executed notebook.*make course"):
        static_site.build(paths, results, out)
    assert [p.name for p in out.iterdir()] == ["stale.html"], "a failed build leaves the old site as it was"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notebooks", "results", "site"]
    nbformat.write(_notebook("02_second"), paths[1])
    static_site.build(paths, results, out)
    assert not (out / "stale.html").exists() and (out / "02_second.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notebooks", "results", "site"]


def test_bad_input_is_a_clear_error(tmp_path, results):
    with pytest.raises(static_site.SiteError, match="no notebooks to render"):
        static_site.build([], results, tmp_path / "site")
    with pytest.raises(static_site.SiteError, match="no such notebook"):
        static_site.build([tmp_path / "03_absent.ipynb"], results, tmp_path / "site")
    paths = _course(tmp_path, objectives=False)
    with pytest.raises(static_site.SiteError, match="Learning objectives"):
        static_site.build(paths, results, tmp_path / "site")
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({"01_first": {"mode": "quick"}}))
    with pytest.raises(ResultsError):
        static_site.build(_course(tmp_path), broken, tmp_path / "site")
    assert not (tmp_path / "site").exists()


def test_cli(tmp_path, results, capsys):
    _course(tmp_path)
    out = tmp_path / "site"
    assert static_site.main(["--notebooks", str(tmp_path / "notebooks"), "--results", str(results), "--out", str(out)]) == 0
    assert "wrote 3 pages" in capsys.readouterr().out
    assert static_site.main(["--notebooks", str(tmp_path / "empty"), "--results", str(results), "--out", str(out)]) == 1
    assert "make site: no notebooks to render" in capsys.readouterr().err
