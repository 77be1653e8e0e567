"""Sweeps too long for a notebook's budget, run once by a ``benchmarks/`` script and shipped with
the package (so they reach Colab too).

A notebook reads one with :func:`recorded_sweep` and computes its verdicts from the per-item
results inside; the file says which command recomputes it. Long right/wrong lists are stored
packed, 8 items a byte (:func:`packed_right`, read back by :func:`unpacked_right`).

>>> unpacked_right(packed_right([1, 0, 0, 1, 1])).tolist()
[1, 0, 0, 1, 1]
"""

from __future__ import annotations

import base64
import json
import re
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from ..learn import LearningCurves

__all__ = ["recorded_sweep", "save_sweep", "packed_right", "unpacked_right", "recorded_curves"]


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


def packed_right(right: Any) -> dict[str, Any]:
    """A 1-D list of right (1) / wrong (0) per item as ``{"n": items, "bits": base64 text}``."""
    values = np.asarray(right)
    if values.ndim != 1 or not np.isin(values, (0, 1)).all():
        raise ValueError(
            f"right must be a 1-D list of 0 (wrong) and 1 (right) per item, got shape "
            f"{values.shape} with values such as {np.unique(values)[:3].tolist()}."
        )
    bits = np.packbits(values.astype(np.uint8))
    return {"n": int(values.size), "bits": base64.b64encode(bits.tobytes()).decode("ascii")}


def unpacked_right(packed: dict[str, Any]) -> np.ndarray:
    """The 0/1 integer array :func:`packed_right` stored."""
    if not isinstance(packed, dict) or set(packed) != {"n", "bits"}:
        raise ValueError(
            f"expected {{'n': items, 'bits': text}} from packed_right, got {packed!r:.80}."
        )
    raw = np.frombuffer(base64.b64decode(packed["bits"]), dtype=np.uint8)
    return np.unpackbits(raw)[: int(packed["n"])].astype(int)


def recorded_curves(sizes: Any, curves: dict[str, Any]) -> LearningCurves:
    """The :class:`~e2e_helpers.learn.LearningCurves` a sweep recorded at *sizes*.

    *curves*: name -> ``{"fit_seconds": [[per seed] per size], "right": [[packed_right per seed]
    per size]}``; the scores are the accuracies of those per-item results.
    """
    from ..learn import LearningCurves  # here: the course's tools import neither torch nor sklearn

    sizes = np.asarray(sizes, dtype=int)
    result = LearningCurves(sizes=sizes)
    for name, record in curves.items():
        if len(record["right"]) != len(sizes) or len(record["fit_seconds"]) != len(sizes):
            raise ValueError(f"curve {name!r} must hold one entry per size ({len(sizes)}).")
        right = [np.array([unpacked_right(r) for r in seeds], bool) for seeds in record["right"]]
        result.correct[name] = right
        result.scores[name] = [r.mean(axis=1) for r in right]
        result.fit_seconds[name] = [np.asarray(s, dtype=float) for s in record["fit_seconds"]]
    result.metrics = {"score": result.scores}
    return result
