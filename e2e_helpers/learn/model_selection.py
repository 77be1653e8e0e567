"""The course's one protocol for choosing settings: on the training data only, never on the test
set.

Every setting the notebooks choose (features, a classifier and its C / gamma /
alpha, a network's recipe and epochs) is chosen the same way:

1. carve a **validation** part out of the *training* data (a stratified
   hold-out fraction, or stratified k-fold cross-validation when the training
   set is small),
2. fit every candidate setting on the rest and score it on the validation part,
3. refit the best setting on the *whole* training set,
4. score that one final model on the test set, once.

:func:`validated_search` is that protocol as a scikit-learn ``GridSearchCV``
(so it is itself an estimator: it can go into :func:`~e2e_helpers.learn.learning_curves`,
which then re-tunes at every training-set size on that size's data alone);
:func:`validation_scheme` says which split a training set of a given size
gets; :func:`validation_table` shows what was tried and what won.

>>> from sklearn.linear_model import LogisticRegression
>>> search = validated_search(LogisticRegression(max_iter=200), {"C": [0.1, 1.0]})
>>> type(search).__name__, search.refit
('GridSearchCV', True)
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator
from sklearn.metrics import get_scorer_names
from sklearn.model_selection import GridSearchCV, StratifiedKFold, StratifiedShuffleSplit

from .._checks import Check, Interval, validate_params
from .._tables import markdown_table

__all__ = [
    "PROTOCOL",
    "validated_search",
    "validation_split",
    "validation_table",
]

#: The protocol in one sentence, for notebooks and the README to state.
PROTOCOL = (
    "Every setting is chosen on a validation split carved from the training data (or by "
    "cross-validation "
    "inside it); the best setting is refitted on the whole training set, and the test set is used "
    "once, "
    "to score that final model."
)


def _is_scorer(value: object) -> bool:
    return callable(value) or (isinstance(value, str) and value in get_scorer_names())


_CONSTRAINTS = {
    "fraction": [Interval(float, 0.0, 1.0, closed="neither")],
    "folds": [Interval(int, 2)],
    "small": [Interval(int, 1)],
    "random_state": [None, Interval(int, 0)],
    "top": [None, Interval(int, 1)],
    "scoring": [
        None,
        Check(_is_scorer, "a scorer name (sklearn.metrics.get_scorer_names()) or callable"),
    ],
}

Grid = Mapping[str, Sequence[object]] | Sequence[Mapping[str, Sequence[object]]]


def validation_scheme(
    n_samples: int,
    *,
    fraction: float = 0.2,
    folds: int = 3,
    small: int = 2000,
    random_state: int = 0,
) -> StratifiedShuffleSplit | StratifiedKFold:
    """The validation split for a training set of *n_samples*.

    Small sets (fewer than *small* samples) get stratified *folds*-fold
    cross-validation, because a single hold-out of a few dozen examples is
    too noisy to choose by; larger ones a single stratified hold-out of
    *fraction* of the training data (cheaper, and precise enough).
    """
    settings = {"fraction": fraction, "folds": folds, "small": small, "random_state": random_state}
    validate_params(settings, _CONSTRAINTS)
    if not (isinstance(n_samples, (int, np.integer)) and n_samples >= 2):
        raise ValueError(
            f"n_samples must be an int >= 2 (the training-set size), got {n_samples!r}."
        )
    if n_samples < small:
        return StratifiedKFold(n_splits=folds, shuffle=True, random_state=random_state)
    return StratifiedShuffleSplit(n_splits=1, test_size=fraction, random_state=random_state)


class _SizedSplit:
    """A CV splitter that picks :func:`validation_scheme` from the size of the data it is given."""

    def __init__(self, fraction: float, folds: int, small: int, random_state: int) -> None:
        self.fraction, self.folds, self.small, self.random_state = (
            fraction,
            folds,
            small,
            random_state,
        )

    def _scheme(self, y: ArrayLike) -> StratifiedShuffleSplit | StratifiedKFold:
        _, counts = np.unique(np.asarray(y), return_counts=True)
        if len(counts) < 2:
            raise ValueError(
                f"y holds a single class ({np.asarray(y)[:1].tolist()}, all {len(y)} labels): "
                "choosing a classifier's settings needs at least 2 classes; check the labels."
            )
        if counts.min() < 2:
            raise ValueError(
                f"choosing settings on the training data needs at least 2 examples of every class, "
                f"but one class has "
                f"{counts.min()} in these {len(y)}: train on more examples, or fix the settings "
                f"instead of searching."
            )
        # stratified folds need one example of each class per fold
        folds = min(self.folds, int(counts.min()))
        return validation_scheme(
            len(y),
            fraction=self.fraction,
            folds=folds,
            small=self.small,
            random_state=self.random_state,
        )

    def split(
        self, X: ArrayLike, y: ArrayLike, groups: object = None
    ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        return self._scheme(y).split(X, y, groups)

    def get_n_splits(
        self, X: ArrayLike | None = None, y: ArrayLike | None = None, groups: object = None
    ) -> int:
        if y is None:
            raise ValueError("the course's validation split needs y, to stratify by class.")
        return self._scheme(y).get_n_splits(X, y, groups)

    def __repr__(self) -> str:
        return (
            f"validation split (fraction={self.fraction}, or {self.folds}-fold CV below "
            f"{self.small} samples, random_state={self.random_state})"
        )


def validated_search(
    estimator: BaseEstimator,
    grid: Grid,
    *,
    fraction: float = 0.2,
    folds: int = 3,
    small: int = 2000,
    scoring: str | None = None,
    random_state: int = 0,
    n_jobs: int | None = None,
) -> GridSearchCV:
    """*estimator* tuned over *grid* by the course's protocol (:data:`PROTOCOL`), as a
    ``GridSearchCV``.

    *grid* is a scikit-learn parameter grid (a dict, or a list of dicts to
    compare different models in one search, e.g. ``{"svm": [SVC()], ...}``).
    The split is chosen from the size of the data ``fit`` receives
    (:func:`validation_scheme`), so the same search object re-tunes correctly
    on a subset of 50 images or on 60,000. After ``fit``, ``best_params_`` is
    the choice and ``best_estimator_`` the final model, refitted on all the
    data ``fit`` was given; ``score`` / ``predict`` use it.
    """
    settings = {"fraction": fraction, "folds": folds, "small": small, "random_state": random_state}
    validate_params({**settings, "scoring": scoring}, _CONSTRAINTS)
    if (
        isinstance(estimator, type)
        or not hasattr(estimator, "fit")
        or not hasattr(estimator, "get_params")
    ):
        raise TypeError(
            f"estimator must be a scikit-learn estimator instance such as LogisticRegression(), "
            f"got {estimator!r:.80}."
        )
    known = estimator.get_params(deep=True)
    if isinstance(grid, Mapping):
        grids = [grid]
    elif isinstance(grid, Sequence) and not isinstance(grid, str) and grid:
        grids = list(grid)
    else:
        raise ValueError(
            f"grid must be a dict of setting -> candidate values, or a non-empty list of such "
            f"dicts, got {grid!r}."
        )
    for one in grids:
        if not isinstance(one, Mapping) or not one:
            raise ValueError(
                f"each grid must be a non-empty dict of setting -> candidate values, got {one!r}."
            )
        for name, values in one.items():
            listed = isinstance(values, Sequence) or (
                isinstance(values, np.ndarray) and values.ndim == 1
            )
            if isinstance(values, str) or not listed or not len(values):
                raise ValueError(
                    f"grid[{name!r}] must be a non-empty list of candidate values, got {values!r}."
                )
            if str(name).split("__")[0] not in known:
                raise ValueError(
                    f"grid names {name!r}, which {type(estimator).__name__} has no setting of: "
                    f"use one of {sorted(k for k in known if '__' not in k)}."
                )
    return GridSearchCV(
        estimator,
        grids if len(grids) > 1 else grids[0],
        scoring=scoring,
        cv=_SizedSplit(fraction, folds, small, random_state),
        refit=True,
        n_jobs=n_jobs,
        error_score="raise",
    )


def validation_split(
    y: ArrayLike, *, fraction: float = 0.2, random_state: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Indices ``(fit_rows, validation_rows)``: a stratified hold-out of *fraction* of the training
    labels *y*.

    For choices that a grid search cannot make cheaply, such as a network's
    number of epochs read off one training run's validation curve.
    """
    validate_params({"fraction": fraction, "random_state": random_state}, _CONSTRAINTS)
    labels = np.asarray(y)
    if labels.ndim != 1 or len(labels) < 2:
        raise ValueError(
            f"y must be a 1-D array of at least 2 training labels, got shape {labels.shape}."
        )
    classes, counts = np.unique(labels, return_counts=True)
    held_out = int(np.ceil(fraction * len(labels)))
    if counts.min() < 2 or not len(classes) <= held_out <= len(labels) - len(classes):
        raise ValueError(
            f"a stratified validation split of {fraction} of these {len(labels)} labels needs at "
            f"least 2 examples of every class and room for each of the {len(classes)} classes on "
            f"both sides (the rarest has {counts.min()}): use more examples or another fraction."
        )
    splitter = StratifiedShuffleSplit(n_splits=1, test_size=fraction, random_state=random_state)
    fit_rows, validation_rows = next(splitter.split(np.zeros(len(labels)), labels))
    return np.sort(fit_rows), np.sort(validation_rows)


def validation_table(search: GridSearchCV, *, top: int | None = None) -> str:
    """A Markdown table of a fitted search: every setting tried, its validation score and fit time,
    best first."""
    validate_params({"top": top}, _CONSTRAINTS)
    if not hasattr(search, "cv_results_"):
        raise ValueError(
            "validation_table needs a fitted search: call search.fit(X_train, y_train) first."
        )
    results = search.cv_results_
    order = np.argsort(results["rank_test_score"], kind="stable")[:top]
    names = sorted({key[len("param_") :] for key in results if key.startswith("param_")})
    rows = [
        [_short(results[f"param_{name}"][i]) for name in names]
        + [
            f"{results['mean_test_score'][i]:.4f}",
            f"{results['std_test_score'][i]:.4f}",
            f"{results['mean_fit_time'][i]:.1f}",
        ]
        for i in order
    ]
    header = [*names, "validation score", "± (folds)", "fit seconds"]
    return markdown_table(header, rows, align="l" * len(names) + "rrr")


def _short(value: object) -> str:
    """A grid value as a table cell: estimators by class name, masked (unused) values as a dash."""
    if value is np.ma.masked:
        return "-"
    if isinstance(value, BaseEstimator):
        return type(value).__name__
    return f"{value:g}" if isinstance(value, float) else str(value)
