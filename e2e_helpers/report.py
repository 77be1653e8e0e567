"""Headline figures of each notebook, and the course's results table.

A notebook calls :func:`record` with its figures. When ``E2E_RESULTS_DIR`` is
set (``make course`` sets it), the figures are merged into
``<E2E_RESULTS_DIR>/<notebook>.json``; otherwise they are only returned.
``make course`` then gathers those files into ``results/results.json``::

    {"<notebook stem>": {"mode": "full" | "fast", "seconds": <wall time>,
                         "device": "cpu", "figures": {"<name>": <number>}}}

and renders ``results/RESULTS.md`` from it with :func:`to_markdown`.
"""

from __future__ import annotations

import json
import math
import os
import re
import tempfile
from numbers import Real
from pathlib import Path
from typing import Any

from . import config

__all__ = [
    "ResultsError",
    "record",
    "recorded",
    "make_entry",
    "validate",
    "load",
    "save",
    "to_markdown",
]

_STEM = re.compile(r"^\d\d_[a-z0-9_]+$")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_MODES = ("full", "fast")


class ResultsError(ValueError):
    """Figures or a results file that do not have the documented shape."""


def _check_stem(notebook: str) -> None:
    if not isinstance(notebook, str) or not _STEM.match(notebook):
        raise ResultsError(
            f"notebook name {notebook!r} is not a notebook stem such as '01_intuition' "
            f"(two digits, underscore, lower-case words)."
        )


def _check_figures(figures: dict[str, Any], where: str) -> dict[str, float]:
    checked = {}
    for name, value in figures.items():
        if not isinstance(name, str) or not _NAME.match(name):
            raise ResultsError(f"{where}: figure name {name!r} must be lower_snake_case, e.g. 'cnn_accuracy'.")
        if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
            raise ResultsError(
                f"{where}: figure {name!r} must be a finite number, got {value!r}; "
                f"convert it with float(...) and make sure it is not NaN."
            )
        checked[name] = int(value) if isinstance(value, int) else float(value)
    return checked


def _write_text(path: Path, text: str) -> None:
    """Write *text* atomically: a temporary file renamed into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_json(path: Path, data: dict) -> None:
    _write_text(path, json.dumps(data, indent=2, sort_keys=True) + "\n")


def record(notebook: str, **figures: float) -> dict[str, float]:
    """Record headline *figures* of *notebook*; returns every figure recorded so far.

    >>> record("01_intuition", cnn_accuracy=0.921, cnn_train_seconds=48.3)  # doctest: +SKIP
    """
    _check_stem(notebook)
    new = _check_figures(figures, notebook)
    folder = config.results_dir()
    if folder is None:
        return new
    path = folder / f"{notebook}.json"
    previous = recorded(notebook, folder)
    entry = {
        "mode": config.mode(),
        "device": config.device().type,
        "figures": {**previous, **new},
    }
    _write_json(path, entry)
    return entry["figures"]


def recorded(notebook: str, folder: Path | None = None) -> dict[str, float]:
    """Figures *notebook* has recorded in *folder* (default ``E2E_RESULTS_DIR``)."""
    _check_stem(notebook)
    folder = folder if folder is not None else config.results_dir()
    path = folder / f"{notebook}.json" if folder is not None else None
    if path is None or not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return _check_figures(data.get("figures", {}), str(path))


def make_entry(notebook: str, folder: Path, seconds: float, mode: str) -> dict[str, Any]:
    """One notebook's results entry from the figures it recorded in *folder*."""
    path = folder / f"{notebook}.json"
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    entry = {
        "mode": mode,
        "seconds": round(float(seconds), 1),
        "device": data.get("device", "cpu"),
        "figures": recorded(notebook, folder),
    }
    validate({notebook: entry})
    return entry


def validate(results: Any) -> dict[str, Any]:
    """Check that *results* has the documented shape; returns it unchanged."""
    if not isinstance(results, dict):
        raise ResultsError("results must be a JSON object keyed by notebook stem.")
    for notebook, entry in results.items():
        _check_stem(notebook)
        if not isinstance(entry, dict) or set(entry) != {"mode", "seconds", "device", "figures"}:
            raise ResultsError(
                f"results[{notebook!r}] must have exactly the keys mode, seconds, device, figures."
            )
        if entry["mode"] not in _MODES:
            raise ResultsError(f"results[{notebook!r}]['mode'] must be 'full' or 'fast', got {entry['mode']!r}.")
        _check_figures({"seconds": entry["seconds"]}, notebook)
        if not isinstance(entry["device"], str):
            raise ResultsError(f"results[{notebook!r}]['device'] must be a string such as 'cpu'.")
        if not isinstance(entry["figures"], dict):
            raise ResultsError(f"results[{notebook!r}]['figures'] must be an object of name: number.")
        _check_figures(entry["figures"], notebook)
    return results


def load(path: Path) -> dict[str, Any]:
    """Read and validate ``results.json``; a missing file is an empty result set."""
    path = Path(path)
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ResultsError(f"{path} is not valid JSON ({exc}); delete it and run `make course` again.") from exc
    return validate(data)


def _format(value: float) -> str:
    if isinstance(value, int):
        return str(value)
    return f"{value:.4g}" if abs(value) < 1000 else f"{value:,.0f}"


def to_markdown(results: dict[str, Any]) -> str:
    """The results as a Markdown document: one table per notebook."""
    validate(results)
    lines = [
        "# Measured results",
        "",
        "Generated by `make course` from `results/results.json`; do not edit by hand.",
    ]
    for notebook in sorted(results):
        entry = results[notebook]
        lines += [
            "",
            f"## {notebook}",
            "",
            f"Mode **{entry['mode']}**, device **{entry['device']}**, "
            f"whole notebook **{entry['seconds']:.1f} s**.",
            "",
            "| figure | value |",
            "|---|---|",
        ]
        lines += [f"| `{name}` | {_format(value)} |" for name, value in sorted(entry["figures"].items())]
    return "\n".join(lines) + "\n"


def save(results: dict[str, Any], folder: Path) -> tuple[Path, Path]:
    """Write ``results.json`` and the generated ``RESULTS.md`` into *folder*, atomically."""
    validate(results)
    folder = Path(folder)
    json_path, md_path = folder / "results.json", folder / "RESULTS.md"
    _write_json(json_path, results)
    _write_text(md_path, to_markdown(results))
    return json_path, md_path
