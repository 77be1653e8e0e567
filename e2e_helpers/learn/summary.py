"""Side-by-side comparison of fitted pipelines: what people chose vs what was learned.

:func:`learned_parameters` counts the numbers a fitted estimator learned from
data (network weights, linear coefficients, scaler statistics); :func:`stored_examples` the
training examples it keeps to compare new ones with (a kernel's landmarks, an SVM's support
vectors), which are copied, not fitted;
:func:`chosen_settings` lists the settings a person picked;
:func:`summary_table` puts accuracy, times and both counts in one Markdown table.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from .._tables import markdown_table

__all__ = ["learned_parameters", "stored_examples", "chosen_settings", "timed", "summary_table"]

#: Fitted attributes of scikit-learn estimators that hold learned numbers
#: (``var_`` is left out: it duplicates ``scale_``).
LEARNED_ATTRIBUTES = ("coef_", "intercept_", "mean_", "scale_", "dual_coef_")
#: Fitted attributes that hold training examples kept as they are, one per row (a Nyström kernel's
#: landmarks, an SVM's support vectors); a PCA's ``components_`` are not examples, and not listed.
_STORED = {"Nystroem": "components_", "SVC": "support_vectors_"}


def learned_parameters(estimator: Any) -> int:
    """How many numbers *estimator* learned from the training data.

    A ``Pipeline`` sums its steps; a fitted torch network (``module_``, as in
    :class:`~e2e_helpers.learn.TorchClassifier`) counts its trainable
    parameters; other estimators count the arrays in :data:`LEARNED_ATTRIBUTES`.
    A transformer that learns nothing (e.g. ``HOGFeatures``) counts 0.
    """
    steps = getattr(estimator, "steps", None)
    if steps is not None:
        return sum(
            learned_parameters(step) for _, step in steps if step not in (None, "passthrough")
        )
    module = getattr(estimator, "module_", None)
    if module is not None and hasattr(module, "parameters"):
        return int(sum(p.numel() for p in module.parameters() if p.requires_grad))
    if not hasattr(estimator, "fit"):
        raise TypeError(f"expected a scikit-learn estimator, got {type(estimator).__name__}")
    total = 0
    for name in LEARNED_ATTRIBUTES + (("components_",) if _kind(estimator) not in _STORED else ()):
        value = getattr(estimator, name, None)
        if value is not None and np.ndim(value) >= 0 and not callable(value):
            total += int(np.size(value))
    return total


def stored_examples(estimator: Any) -> int:
    """How many training examples *estimator* keeps to compare new inputs with (0 for a network).

    A ``Pipeline`` sums its steps; a Nyström kernel map counts its landmarks, an SVM its support
    vectors: numbers copied from the training data rather than fitted to it.
    """
    steps = getattr(estimator, "steps", None)
    if steps is not None:
        return sum(stored_examples(step) for _, step in steps if step not in (None, "passthrough"))
    kept = getattr(estimator, _STORED.get(_kind(estimator), ""), None)
    return 0 if kept is None else int(np.shape(kept)[0])


def _kind(estimator: Any) -> str:
    return type(estimator).__name__


def chosen_settings(estimator: Any, names: Sequence[str]) -> dict[str, Any]:
    """The values of the settings *names* (``get_params`` keys, e.g.
    ``"hogfeatures__orientations"``)."""
    params = estimator.get_params(deep=True)
    missing = [n for n in names if n not in params]
    if missing:
        raise ValueError(
            f"{type(estimator).__name__} has no settings {missing}; it has {sorted(params)}"
        )
    return {name: params[name] for name in names}


def timed(function: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, float]:
    """``(function(*args, **kwargs), seconds it took)`` (wall clock)."""
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


_COLUMNS = {
    "accuracy": ("test accuracy", "{:.3f}"),
    "train_seconds": ("training (s)", "{:.1f}"),
    "predict_seconds": ("prediction, test set (s)", "{:.2f}"),
    "settings": ("hand-chosen settings", "{:d}"),
    "parameters": ("learned parameters", "{:,d}"),
    "stored": ("training examples stored", "{:,d}"),
}


def summary_table(rows: Mapping[str, Mapping[str, Any]]) -> str:
    """A Markdown table with one row per pipeline.

    Each row maps ``accuracy``, ``train_seconds``, ``predict_seconds``,
    ``settings`` (a count, or a dict/list of the settings themselves),
    ``parameters`` (a count, :func:`learned_parameters`) and ``stored`` (a count,
    :func:`stored_examples`) to values.
    """
    if not rows:
        raise ValueError("rows is empty: pass {pipeline name: {accuracy: ..., ...}}")
    table = []
    for name, row in rows.items():
        missing = sorted(set(_COLUMNS) - set(row))
        if missing:
            raise ValueError(f"row {name!r} lacks {missing}; each row needs {list(_COLUMNS)}")
        cells = []
        for key, (_, fmt) in _COLUMNS.items():
            value = row[key]
            if key == "settings" and not isinstance(value, (int, np.integer)):
                value = len(value)
            cells.append(
                fmt.format(
                    int(value) if key in ("settings", "parameters", "stored") else float(value)
                )
            )
        table.append([name, *cells])
    header = ["pipeline", *(title for title, _ in _COLUMNS.values())]
    return markdown_table(header, table, align="l" + "r" * len(_COLUMNS))
