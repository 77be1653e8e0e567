"""Run and check the course notebooks (``make course`` and the notebook tests).

``python -m e2e_helpers.course.notebook_runner course [--fast] [--results DIR] [NOTEBOOK ...]``
executes notebooks top to bottom *in place* (a notebook is only replaced when
its whole run succeeded), then writes ``results.json`` and ``RESULTS.md``.
``python -m e2e_helpers.course.notebook_runner check [NOTEBOOK ...]`` reports committed
notebooks with error outputs, widget state or an out-of-order run.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import config
from .._files import atomic_path
from .results import load, make_entry, save, update_readme

if TYPE_CHECKING:
    from nbformat import NotebookNode

# main, the command line, is reached through the module: notebook_runner.main([...])
__all__ = [
    "NOTEBOOK_DIR",
    "notebook_paths",
    "execute",
    "problems",
    "run_course",
]

NOTEBOOK_DIR = Path("notebooks")


def notebook_paths(folder: Path = NOTEBOOK_DIR) -> list[Path]:
    """The course notebooks in *folder*, in order (``NN_name.ipynb``)."""
    return sorted(p for p in Path(folder).glob("[0-9][0-9]_*.ipynb") if p.is_file())


def _read(path: Path) -> NotebookNode:
    """The notebook at *path* (as version 4); ``ValueError`` naming the file when it is not one."""
    import nbformat

    try:
        return nbformat.read(path, as_version=4)
    except (
        ValueError,
        AttributeError,
        TypeError,
        KeyError,
        nbformat.ValidationError,
    ) as exc:  # not JSON, not a notebook
        raise ValueError(
            f"{path} is not a readable Jupyter notebook ({type(exc).__name__}: "
            f"{str(exc).strip()[:200]}): "
            f"restore it (e.g. `git checkout -- {path}`) or save it again from JupyterLab."
        ) from exc


def execute(
    path: Path,
    *,
    fast: bool,
    results_dir: Path | None = None,
    timeout: int = 900,
    kernel_name: str = "python3",
) -> tuple[NotebookNode, float]:
    """Execute the notebook at *path* in a fresh kernel; returns ``(notebook, seconds)``.

    The kernel runs in the notebook's folder with ``E2E_FAST`` set from *fast*,
    ``E2E_DATA_DIR`` made absolute, and ``E2E_RESULTS_DIR`` set to
    *results_dir* (when given); *timeout* is the
    limit per cell in seconds. A failing cell raises
    ``nbclient.exceptions.CellExecutionError``; the file is never modified.
    """
    from nbclient import NotebookClient

    path = Path(path)
    nb = _read(path)
    # The kernel runs in the notebook's folder: hand it absolute paths.
    env = {**os.environ, "E2E_FAST": "1" if fast else "0", "E2E_DATA_DIR": str(config.data_dir())}
    env.pop("E2E_RESULTS_DIR", None)
    if results_dir is not None:
        env["E2E_RESULTS_DIR"] = str(Path(results_dir).resolve())
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name=kernel_name,
        resources={"metadata": {"path": str(path.parent.resolve())}},
        store_widget_state=True,  # nbclient's Output-widget capture (interact) needs it
        record_timing=False,
    )
    start = time.perf_counter()
    client.execute(env=env)
    seconds = time.perf_counter() - start
    nb.metadata.pop("widgets", None)
    return nb, seconds


def problems(nb: NotebookNode) -> list[str]:
    """What is wrong with a committed notebook: errors, widget state, run order."""
    found = []
    if "widgets" in nb.get("metadata", {}):
        found.append("notebook metadata carries widget state (re-run with `make course`)")
    expected = 1
    for index, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "code" or not "".join(cell.get("source", "")).strip():
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                found.append(f"cell {index} has an error output ({output.get('ename')})")
        count = cell.get("execution_count")
        if count != expected:
            found.append(
                f"cell {index} has execution count {count}, expected {expected}: "
                f"the notebook was not run top to bottom in one go (re-run with `make course`)"
            )
            break
        expected += 1
    return found


def run_course(
    paths: Sequence[Path], results_folder: Path, *, fast: bool = False, timeout: int = 900
) -> dict[str, Any]:
    """Execute *paths* in place and merge their figures into *results_folder*."""
    import nbformat

    results_folder = Path(results_folder)
    results = load(results_folder / "results.json")
    mode = "fast" if fast else "full"
    for path in paths:
        path = Path(path)
        print(f"running {path} ({mode} mode) ...", flush=True)
        with tempfile.TemporaryDirectory(prefix="e2e-figures-") as figures:
            nb, seconds = execute(path, fast=fast, results_dir=Path(figures), timeout=timeout)
            results[path.stem] = make_entry(path.stem, Path(figures), seconds, mode)
        with atomic_path(path) as tmp:
            nbformat.write(nb, tmp)
        save(results, results_folder)
        print(f"  done in {seconds:.0f} s: {results[path.stem]['figures']}", flush=True)
    return results


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``course`` or ``check``."""
    parser = argparse.ArgumentParser(
        prog="python -m e2e_helpers.course.notebook_runner", description=__doc__.splitlines()[0]
    )
    sub = parser.add_subparsers(dest="command", required=True)
    course = sub.add_parser("course", help="execute notebooks in place and write results")
    course.add_argument(
        "notebooks", nargs="*", type=Path, help="default: every notebook in notebooks/"
    )
    course.add_argument("--fast", action="store_true", help="smoke-run sizes (E2E_FAST=1)")
    course.add_argument(
        "--results", type=Path, default=Path("results"), help="folder for results.json"
    )
    course.add_argument("--timeout", type=int, default=900, help="seconds allowed per cell")
    check = sub.add_parser("check", help="report problems in committed notebooks")
    check.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args(argv)

    paths = args.notebooks or notebook_paths()
    if not paths:
        print(f"no notebooks found in {NOTEBOOK_DIR}/", file=sys.stderr)
        return 1
    missing = [p for p in paths if not p.is_file()]
    if missing:
        parser.error(f"no such notebook: {', '.join(map(str, missing))}")
    if args.command == "course":
        results = run_course(paths, args.results, fast=args.fast, timeout=args.timeout)
        if not args.fast and Path("README.md").is_file():
            update_readme(Path("README.md"), results)
        return 0
    failed = False
    for path in paths:
        try:
            found = [f"{path}: {problem}" for problem in problems(_read(path))]
        except ValueError as exc:
            found = [str(exc)]
        for line in found:
            print(line)
        failed = failed or bool(found)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
