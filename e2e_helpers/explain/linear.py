"""A readable linear model: its decision split into one additive part per input feature.

:func:`linear_contributions` takes a fitted binary linear classifier (or a
``Pipeline`` ending in one) and says how much each feature adds to each row's
decision score; the parts and the intercept sum to the score exactly.
:func:`l1_logistic` is the sparse logistic regression that keeps only a few
features, L1-penalised on every scikit-learn the package supports.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from sklearn.linear_model import LogisticRegression

__all__ = ["linear_contributions", "l1_logistic"]


def l1_logistic(C: float = 1.0, **options: Any) -> LogisticRegression:
    """An L1-penalised (sparse) ``LogisticRegression`` on any supported scikit-learn.

    scikit-learn 1.8 deprecated ``penalty`` (``l1_ratio=1`` now means pure
    L1); before 1.8, ``l1_ratio`` is ignored (with a warning) unless
    ``penalty="elasticnet"``, so ``l1_ratio=1.0`` alone fits an L2 model that
    keeps every feature. This picks the spelling the installed version
    understands. *options* go to ``LogisticRegression`` (e.g. ``max_iter``);
    the solver is ``saga`` unless given (``liblinear`` is much faster on small
    binary problems).
    """
    if "penalty" in options or "l1_ratio" in options:
        raise ValueError("l1_logistic sets the penalty itself: leave out penalty and l1_ratio.")
    options.setdefault("solver", "saga")
    if LogisticRegression().get_params().get("penalty", "deprecated") == "deprecated":
        return LogisticRegression(C=C, l1_ratio=1.0, **options)
    return LogisticRegression(C=C, penalty="l1", **options)


def linear_contributions(model: Any, X: ArrayLike) -> tuple[np.ndarray, float]:
    """How much each feature adds to a linear model's decision score, row by row.

    *model* is a fitted binary linear classifier (``coef_``, ``intercept_``)
    or a ``Pipeline`` ending in one (e.g. ``StandardScaler`` then
    ``LogisticRegression``). Returns ``(contributions, intercept)`` with
    ``contributions[i, j] = coef[j] * x'[i, j]`` for the transformed features
    ``x'``, so ``contributions[i].sum() + intercept`` is the decision score
    (the log-odds of the positive class for logistic regression).
    """
    steps = getattr(model, "steps", None)
    head = steps[-1][1] if steps else model
    coef = getattr(head, "coef_", None)
    if coef is None or np.ndim(coef) != 2 or np.shape(coef)[0] != 1:
        raise ValueError(
            "linear_contributions needs a fitted binary linear classifier (coef_ of shape (1, "
            "n_features)), "
            "or a Pipeline ending in one, e.g. make_pipeline(StandardScaler(), "
            "LogisticRegression())."
        )
    Z = np.asarray(X, dtype=np.float64)
    for _, step in (steps or [])[:-1]:
        Z = step.transform(Z)
    if Z.ndim != 2 or Z.shape[1] != coef.shape[1]:
        raise ValueError(
            f"X must be 2-D with {coef.shape[1]} features after the pipeline's transforms, got "
            f"shape {Z.shape}."
        )
    return Z * coef[0], float(np.ravel(head.intercept_)[0])
