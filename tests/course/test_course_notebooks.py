"""The course notebooks: each runs in fast mode, keeps its meaning, and committed ones are clean.

The fast-mode run checks each notebook's figures against the rules it declares
(``e2e_helpers.course.invariants``). With ``E2E_FAST_FIGURES`` set (``make test-course``,
``make test-colab``) the figures are saved there; with ``E2E_REFERENCE_FIGURES``
set (``make test-colab``) they must also agree with the main environment's saved there.

The harness itself (``e2e_helpers.course.notebook_runner``) is tested on small generated
notebooks, so these tests mean something before the course has notebooks.
"""

from __future__ import annotations

import os
import re
import textwrap
from pathlib import Path

import nbformat
import pytest
from nbclient.exceptions import CellExecutionError

from e2e_helpers.course import colab_replica, invariants, notebook_runner
from e2e_helpers.course import results as course_results

ROOT = Path(__file__).resolve().parents[2]
COURSE = notebook_runner.notebook_paths(ROOT / "notebooks")
CELL_TIMEOUT = 300


def _notebook(*sources: str):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# A test notebook")]
    nb.cells += [nbformat.v4.new_code_cell(source) for source in sources]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    return nb


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    path = tmp_path / "notebooks" / "01_sample.ipynb"
    path.parent.mkdir()
    nbformat.write(
        _notebook(
            "import os\nfrom e2e_helpers import config, course",
            "print(config.mode(), os.getcwd(), config.data_dir())",
            "course.record('01_sample', phone_models=42, hog_accuracy=0.5)",
        ),
        path,
    )
    return path


def test_execute_sets_mode_and_folder(sample, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("E2E_DATA_DIR", "relative-data")
    nb, seconds = notebook_runner.execute(sample, fast=True, timeout=CELL_TIMEOUT)
    assert seconds > 0
    text = nb.cells[2].outputs[0]["text"]
    assert text.split()[0] == "fast"
    assert Path(text.split()[1]).resolve() == sample.parent.resolve(), (
        "kernel runs in the notebook's folder"
    )
    assert Path(text.split()[2]) == tmp_path / "relative-data", (
        "a relative data folder keeps its meaning"
    )
    assert notebook_runner.problems(nb) == []
    on_disk = nbformat.read(sample, as_version=4)
    assert on_disk.cells[1].execution_count is None, "execute() never writes the file"


def test_run_course_updates_notebook_and_results(sample, tmp_path):
    results = notebook_runner.run_course(
        [sample], tmp_path / "results", fast=True, timeout=CELL_TIMEOUT
    )
    assert results["01_sample"]["figures"] == {"phone_models": 42, "hog_accuracy": 0.5}
    assert results["01_sample"]["mode"] == "fast"
    assert course_results.load(tmp_path / "results" / "results.json") == results
    assert "| 42 | `phone_models` |" in (tmp_path / "results" / "RESULTS.md").read_text()
    executed = nbformat.read(sample, as_version=4)
    assert [c.get("execution_count") for c in executed.cells if c.cell_type == "code"] == [1, 2, 3]
    assert notebook_runner.problems(executed) == []
    assert sorted(p.name for p in sample.parent.iterdir()) == ["01_sample.ipynb"], (
        "no temporary files left"
    )


def test_failing_notebook_raises_and_is_left_untouched(tmp_path):
    path = tmp_path / "02_broken.ipynb"
    nbformat.write(_notebook("x = 1", "raise ValueError('boom')"), path)
    before = path.read_bytes()
    with pytest.raises(CellExecutionError, match="boom"):
        notebook_runner.run_course([path], tmp_path / "results", fast=True, timeout=CELL_TIMEOUT)
    assert path.read_bytes() == before
    assert not (tmp_path / "results" / "results.json").exists()


def test_problems_finds_errors_widget_state_and_order():
    nb = _notebook("a = 1", "b = 2", "c = 3")
    for count, cell in zip([1, 3, 2], nb.cells[1:]):
        cell.execution_count = count
    nb.cells[1].outputs = [
        nbformat.v4.new_output("error", ename="KeyError", evalue="x", traceback=[])
    ]
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {}}
    found = notebook_runner.problems(nb)
    assert any("widget state" in p for p in found)
    assert any("error output (KeyError)" in p for p in found)
    assert any("execution count 3, expected 2" in p for p in found)


def test_problems_flags_unexecuted_notebook():
    assert "execution count None, expected 1" in notebook_runner.problems(_notebook("a = 1"))[0]


def test_cli_check_and_missing_notebook(sample, capsys):
    assert notebook_runner.main(["check", str(sample)]) == 1
    assert "execution count None" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        notebook_runner.main(["check", str(sample.with_name("99_absent.ipynb"))])


@pytest.mark.notebook
@pytest.mark.parametrize("path", COURSE, ids=[p.stem for p in COURSE])
def test_course_notebook_runs_in_fast_mode(path, tmp_path, real_data_dir):
    """Every notebook runs top to bottom in fast mode, offline, on the real data, and its figures
    keep their meaning."""
    try:
        notebook_runner.execute(path, fast=True, results_dir=tmp_path, timeout=CELL_TIMEOUT)
    except CellExecutionError as exc:
        if exc.ename == "DataUnavailableError":
            pytest.skip(f"{path.name} needs data that is not here (offline): {exc.evalue}")
        raise
    figures = course_results.recorded(path.stem, tmp_path)
    assert figures, f"{path.name} recorded no figures"
    if os.environ.get("E2E_FAST_FIGURES"):
        colab_replica.save_fast_figures(
            Path(os.environ["E2E_FAST_FIGURES"]), path.stem, figures, ROOT
        )
    reference = None
    if os.environ.get("E2E_REFERENCE_FIGURES"):
        reference = colab_replica.load_fast_figures(
            Path(os.environ["E2E_REFERENCE_FIGURES"]), path.stem, ROOT
        )
    assert invariants.check(path.stem, figures, reference) == []


@pytest.mark.parametrize("path", COURSE, ids=[p.stem for p in COURSE])
def test_committed_notebook_is_clean(path):
    """No error outputs, no widget state, executed top to bottom."""
    assert notebook_runner.problems(nbformat.read(path, as_version=4)) == []


COURSE_NAMES = ["01_intuition", "02_speech_recognition", "03_image_classification", "04_challenges"]


def test_course_has_notebooks_or_says_so():
    if not COURSE:
        pytest.skip("notebooks/ holds no course notebooks yet; the harness is tested above")
    assert {p.stem for p in COURSE} <= set(COURSE_NAMES), "notebook names are fixed by DESIGN.md"


@pytest.mark.parametrize("path", COURSE, ids=[p.stem for p in COURSE])
def test_notebook_has_the_course_structure(path):
    """Objectives, what you need first, environment line, one seeding call, recorded figures,
    what you can now do, at least three exercises with revealable solutions, references."""
    nb = nbformat.read(path, as_version=4)
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    for heading in ("Learning objectives", "You can now", "Exercises", "References"):
        assert f"## {heading}" in markdown, f"{path.name} lacks a '## {heading}' section"
    opening = nb.cells[0].source
    assert "**What you need first.**" in opening and "**Reading time:**" in opening, (
        f"{path.name} opens with what you need first and its reading time"
    )
    assert "READING" not in opening, "the reading time is measured, not left as a placeholder"
    assert markdown.count("<details>") >= 3, "at least three exercises with <details> solutions"
    assert "environment_summary()" in code
    assert code.count("seed_everything(") == 1, "one seeding call per notebook"
    assert re.search(rf"record\(\s*\"{path.stem}\"", code), (
        f"{path.name} records its figures with course.record"
    )
    assert "plt.show()" not in code and "def " not in code, (
        "notebooks explain; functions live in e2e_helpers"
    )


def _solutions(nb) -> list[str]:
    """The Python code blocks inside the exercises' ``<details>`` solutions."""
    blocks = []
    for cell in nb.cells:
        if cell.cell_type == "markdown" and "<details>" in cell.source:
            blocks += [
                textwrap.dedent(b)
                for b in re.findall(r"```python\n(.*?)```", cell.source, flags=re.S)
            ]
    return blocks


WITH_SOLUTIONS = [p for p in COURSE if _solutions(nbformat.read(p, as_version=4))]


@pytest.mark.notebook
@pytest.mark.parametrize("path", WITH_SOLUTIONS, ids=[p.stem for p in WITH_SOLUTIONS])
def test_exercise_solutions_run_after_the_notebook_in_fast_mode(path, tmp_path, real_data_dir):
    """Each exercise's code solution runs, in fast mode, in the state the notebook leaves behind."""
    nb = nbformat.read(path, as_version=4)
    nb.cells += [nbformat.v4.new_code_cell(code) for code in _solutions(nb)]
    # beside the notebook: the same relative paths
    copy = path.parent / f".{path.stem}.solutions.ipynb"
    nbformat.write(nb, copy)
    try:
        notebook_runner.execute(copy, fast=True, results_dir=tmp_path, timeout=CELL_TIMEOUT)
    finally:
        copy.unlink()
