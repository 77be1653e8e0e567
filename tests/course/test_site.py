"""The course site (``make site``: Sphinx + MyST-NB + Sphinx Book Theme), on small generated
notebooks, offline."""

from __future__ import annotations

import base64
import json
import socket
from pathlib import Path

import nbformat
import pytest

from e2e_helpers.course import colab, site
from e2e_helpers.course.results import ResultsError, save
from e2e_helpers.figures import figure
from e2e_helpers.figures.canvas import to_png

_OBJECTIVES = "- Build **both** pipelines\n- Measure them with an [HMM](GLOSSARY.md#hmm)"


def _png() -> str:
    fig, ax = figure()
    ax.plot([0, 1])
    return base64.b64encode(to_png(fig)).decode("ascii")


def _notebook(stem: str, *, objectives: bool = True, executed: bool = True):
    nb = nbformat.v4.new_notebook()
    intro = f"# {stem} · A test & its notebook\n\n{colab.badge(stem)}\n"
    if objectives:
        intro += f"\n## Learning objectives\n\n{_OBJECTIVES}\n\n"
        intro += "## Setup\n\nMore prose about spectrograms and [HMMs](GLOSSARY.md#hmm)."
    code = nbformat.v4.new_code_cell("show(explorer)")
    code.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={
                "application/vnd.jupyter.widget-view+json": {
                    "version_major": 2,
                    "version_minor": 0,
                    "model_id": "ab12",
                },
                "image/png": _png(),
                "text/plain": "static picture of an interactive explorer",
            },
        )
    ]
    code.execution_count = 1 if executed else None
    nb.cells = [nbformat.v4.new_markdown_cell(intro), code]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    return nb


def _course(folder: Path, **kwargs) -> list[Path]:
    (folder / "notebooks").mkdir(parents=True, exist_ok=True)
    glossary = (
        "# Glossary\n\n## Speech\n\n### HMM\n*Also:* hidden Markov model\n"
        "A model. Taught in 02, §2.4.\n"
    )
    (folder / "notebooks" / "GLOSSARY.md").write_text(glossary, encoding="utf-8")
    paths = []
    for stem in ("01_first", "02_second"):
        path = folder / "notebooks" / f"{stem}.ipynb"
        nbformat.write(_notebook(stem, **kwargs), path)
        paths.append(path)
    return paths


def _results(folder: Path) -> Path:
    entry = {
        "mode": "full",
        "seconds": 61.2,
        "device": "cpu",
        "figures": {"cnn_accuracy": 0.91234, "crossover_high": -1, "phone_models": 19},
    }
    return save({"01_first": entry}, folder / "results")[0]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, list[Path]]:
    """The site of the generated course, built once with every network connection refused."""
    folder = tmp_path_factory.mktemp("course")
    out = folder / "build" / "site"
    with pytest.MonkeyPatch.context() as patch:

        def refuse(*args, **kwargs):
            raise OSError("the site build tried to reach the network")

        patch.setattr(socket.socket, "connect", refuse)
        patch.setattr(socket, "create_connection", refuse)
        pages = site.build(_course(folder), _results(folder), out)
    return out, pages


def test_title_and_objectives():
    nb = _notebook("01_first")
    assert site.title(nb, "fallback") == "01_first · A test & its notebook"
    assert site.learning_objectives(nb) == _OBJECTIVES, "stops at the next heading"
    bare = _notebook("01_first", objectives=False)
    assert site.title(nbformat.v4.new_notebook(), "fallback") == "fallback"
    with pytest.raises(site.SiteError, match="01_first.ipynb has no '## Learning objectives'"):
        site.learning_objectives(bare, "01_first.ipynb")


def test_index_lists_the_notebooks_with_their_objectives(built):
    out, pages = built
    assert pages == [
        out / "index.html",
        out / "notebooks" / "01_first.html",
        out / "notebooks" / "02_second.html",
        out / "results.html",
        out / "notebooks" / "GLOSSARY.html",
    ]
    assert all(page.is_file() for page in pages)
    first = (out / "notebooks" / "01_first.html").read_text(encoding="utf-8")
    assert 'href="GLOSSARY.html#hmm"' in first, "a notebook's glossary link reaches its entry"
    assert 'id="hmm"' in (out / "notebooks" / "GLOSSARY.html").read_text(encoding="utf-8")
    index = (out / "index.html").read_text(encoding="utf-8")
    assert (
        'href="notebooks/01_first.html"' in index and 'href="notebooks/02_second.html"' in index
    ), "relative links"
    assert "file:" not in index and str(out.parent) not in index, (
        "nothing ties the site to this folder"
    )
    assert "01_first · A test &amp; its notebook" in index, "titles are escaped"
    assert "<li><p>Build <strong>both</strong> pipelines</p></li>" in index
    assert 'href="notebooks/GLOSSARY.html#hmm"' in index, "the objectives' glossary links work"
    assert "More prose" not in index, "only the objectives section"
    assert sorted(p.name for p in out.parent.iterdir()) == ["site"], "no temporary folders left"


def test_results_page_shows_labels_and_units(built):
    text = (built[0] / "results.html").read_text(encoding="utf-8")
    assert "<td><p>Test accuracy, CNN</p></td>\n<td><p>91.23 %</p></td>" in text
    assert (
        "<td><p>never (the intervals do not separate)</p></td>" in text and "<td><p>-1" not in text
    )
    assert "cnn_accuracy" not in text, "no raw figure names for learners"
    assert "61 s" in text and "No measured results yet" in text


def test_notebook_page_has_outputs_navigation_and_colab_button(built):
    page = (built[0] / "notebooks" / "01_first.html").read_text(encoding="utf-8")
    assert colab.notebook_url("01_first") in page, (
        "the theme's Colab button opens this notebook at the tag"
    )
    assert "_images/" in page or "data:image/png" in page, (
        "the executed outputs (a widget's static PNG) are shown"
    )
    assert "Error displaying widget" not in page and "model_id" not in page, "no widget stub"
    assert 'href="02_second.html"' in page, "next page"
    assert 'href="../search.html"' in page, "search"


def test_search_index_finds_words_of_the_notebooks(built):
    index = (built[0] / "searchindex.js").read_text(encoding="utf-8")
    assert "spectrogram" in index and "notebooks/01_first" in index


def test_build_replaces_an_old_site_only_when_complete(tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    (out / "stale.html").write_text("old")
    paths = _course(tmp_path)
    nbformat.write(_notebook("02_second", executed=False), paths[1])
    with pytest.raises(
        site.SiteError, match="02_second.ipynb is not a clean executed notebook.*make course"
    ):
        site.build(paths, _results(tmp_path), out)
    assert [p.name for p in out.iterdir()] == ["stale.html"], (
        "a failed build leaves the old site as it was"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notebooks", "results", "site"], (
        "no temporary folders left"
    )


def test_bad_input_is_a_clear_error(tmp_path):
    results = _results(tmp_path)
    with pytest.raises(site.SiteError, match="no notebooks to render"):
        site.build([], results, tmp_path / "site")
    with pytest.raises(site.SiteError, match="no such notebook"):
        site.build([tmp_path / "03_absent.ipynb"], results, tmp_path / "site")
    paths = _course(tmp_path, objectives=False)
    with pytest.raises(site.SiteError, match="Learning objectives"):
        site.build(paths, results, tmp_path / "site")
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({"01_first": {"mode": "quick"}}))
    with pytest.raises(ResultsError):
        site.build(_course(tmp_path), broken, tmp_path / "site")
    assert not (tmp_path / "site").exists()


def test_cli_reports_errors(tmp_path, capsys):
    results = _results(tmp_path)
    assert (
        site.main(
            [
                "--notebooks",
                str(tmp_path / "empty"),
                "--results",
                str(results),
                "--out",
                str(tmp_path / "site"),
            ]
        )
        == 1
    )
    assert "make site: no notebooks to render" in capsys.readouterr().err
