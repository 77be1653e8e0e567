"""Sweeps too long for a notebook's budget, run once by a ``benchmarks/`` script and shipped with
the package (so they reach Colab too).

A notebook reads one with :func:`recorded_sweep` and computes its verdicts from the per-item
results inside; the file says which command recomputes it (long right/wrong lists are stored
packed by :func:`e2e_helpers.learn.packed_right`).
"""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = ["recorded_sweep", "save_sweep"]


def _folder() -> Path:
    return Path(str(resources.files(__package__).joinpath("recorded")))


def recorded_sweep(name: str) -> dict[str, Any]:
    """The recorded sweep *name* (e.g. ``"speech_choices"``): ``command`` and the results."""
    known = sorted(p.stem for p in _folder().glob("*.json"))
    if name not in known:
        raise ValueError(f"no recorded sweep {name!r}; recorded: {', '.join(known) or 'none'}.")
    return json.loads((_folder() / f"{name}.json").read_text(encoding="utf-8"))


def save_sweep(name: str, command: str, **results: Any) -> str:
    """Write the sweep *name* next to this module (what a ``benchmarks/`` script does); its path.

    The file is written whole, then moved into place, so a failed run leaves the old one.
    """
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise ValueError(f"name must be a plain name such as 'speech_sweeps', got {name!r}.")
    path = _folder() / f"{name}.json"
    text = json.dumps({"command": command, **results}, indent=1, sort_keys=True)
    partial = path.with_suffix(".json.partial")
    partial.write_text(text + "\n", encoding="utf-8")
    partial.replace(path)
    return str(path)
