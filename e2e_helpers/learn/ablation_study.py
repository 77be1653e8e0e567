"""An ablation study: the same model and protocol on several feature sets, to measure what each part
adds.

Each row of an ablation is one feature set (a pair of train / test matrices
of the same images). Every row goes through the course's one protocol
(:func:`~e2e_helpers.learn.validated_search`): its settings are chosen on a
validation split of the training rows, the best is refitted on all of them,
and the test set scores that one final model. :class:`Ablation` keeps, per
row, the validation score and which validation images the chosen setting got
right (what may be used to *choose* between rows: :meth:`Ablation.best` keeps
the simplest row within noise of the best), the test accuracy with its
bootstrap interval and the per-example correctness, so that
:meth:`Ablation.gain` can measure "with minus without" a stage as a paired
difference on the same test images.

>>> import numpy as np
>>> from sklearn.linear_model import LogisticRegression
>>> rng = np.random.default_rng(0)
>>> y = np.arange(200) % 2
>>> good, noise = y[:, None] + rng.normal(0, 0.5, (200, 1)), rng.normal(0, 1, (200, 1))
>>> study = ablation({"signal": (good[:100], good[100:]), "noise": (noise[:100], noise[100:])},
...                  LogisticRegression(), {"C": [1.0]}, y[:100], y[100:])
>>> study.best()
'signal'
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator, clone
from sklearn.model_selection import GridSearchCV

from .._tables import markdown_table
from .intervals import Estimate, bootstrap_interval, paired_difference
from .model_selection import Grid, validated_search
from .verdicts import compare, simplest_within_noise

__all__ = [
    "Ablation",
    "ablation",
]


@dataclass(frozen=True)
class AblationRow:
    """One feature set's result: its fitted search, validation score (and per validation image: 1
    where the chosen setting was right), test accuracy (with interval), fit time."""

    name: str
    search: GridSearchCV
    validation: float
    validation_correct: np.ndarray
    test: Estimate
    correct: np.ndarray
    n_features: int
    seconds: float


class Ablation:
    """The rows of an ablation study, in the order they were run (see :func:`ablation`)."""

    def __init__(self, rows: Mapping[str, AblationRow]) -> None:
        if not rows:
            raise ValueError("an ablation needs at least one row.")
        self.rows = dict(rows)

    def __getitem__(self, name: str) -> AblationRow:
        if name not in self.rows:
            raise KeyError(
                f"no row {name!r} in this ablation; its rows are {', '.join(map(repr, self.rows))}."
            )
        return self.rows[name]

    def best(self, among: list[str] | None = None) -> str:
        """The row to keep, among *among* (default: all), judged on *validation* images only.

        The simplest row whose validation results are within one standard
        error of the best row's (:func:`~e2e_helpers.learn.simplest_within_noise`,
        paired on the same validation images), where simpler means listed
        earlier: list simpler rows first, so a stage that does not validate
        clearly better is left out.
        """
        names = list(self.rows) if among is None else list(among)
        if not names:
            raise ValueError(f"among is empty: name some of the rows {list(self.rows)}, or None.")
        results = [self[name].validation_correct for name in names]  # a clear error if unknown
        if len({len(r) for r in results}) > 1:
            raise ValueError("the rows were validated on different images: rerun them together.")
        return names[simplest_within_noise(results, list(range(len(names))))]

    def gain(
        self, with_: str, without: str, *, confidence: float = 0.95, seed: int = 0
    ) -> Estimate:
        """Test accuracy of row *with_* minus row *without*, with a paired bootstrap interval over
        test images (at *confidence*)."""
        a, b = self[with_].correct, self[without].correct
        return paired_difference(a, b, confidence=confidence, seed=seed)

    def verdict(self, with_: str, without: str, *, confidence: float = 0.95, seed: int = 0) -> str:
        """The sentence the paired difference of :meth:`gain` supports
        (:func:`~e2e_helpers.learn.compare`)."""
        return compare(with_, without, self.gain(with_, without, confidence=confidence, seed=seed))

    def table(self, *, settings: bool = True) -> str:
        """A Markdown table: per row, the features, validation score, chosen settings, test accuracy
        (95% interval), seconds."""
        head = ["features", "number", "validation accuracy", "test accuracy (95% interval)"]
        head += ["chosen settings", "fit seconds"] if settings else ["fit seconds"]
        lines = []
        for row in self.rows.values():
            cells = [
                row.name,
                f"{row.n_features:,}",
                f"{row.validation:.4f}",
                f"{row.test.value:.4f} ({row.test.low:.4f}-{row.test.high:.4f})",
            ]
            if settings:
                cells.append(
                    ", ".join(
                        f"{k.split('__')[-1]}={_short(v)}"
                        for k, v in sorted(row.search.best_params_.items())
                    )
                )
            cells.append(f"{row.seconds:.1f}")
            lines.append(cells)
        return markdown_table(head, lines, align="lrrl" + ("lr" if settings else "r"))


def ablation(
    features: Mapping[str, tuple[ArrayLike, ArrayLike]],
    estimator: BaseEstimator,
    grid: Grid,
    y_train: ArrayLike,
    y_test: ArrayLike,
    *,
    grids: Mapping[str, Grid] | None = None,
    n_jobs: int | None = None,
) -> Ablation:
    """Run *estimator* on every feature set of *features* (``{name: (X_train, X_test)}``) through
    the one protocol.

    Each row gets ``validated_search(clone(estimator), grid)`` (or
    ``grids[name]`` where given, e.g. a row that also chooses how many
    features to keep), fitted on its ``X_train`` and scored once on its
    ``X_test``. All rows must describe the same training and test images.
    Every row and grid is checked before the first is fitted.
    """
    y_train, y_test = np.asarray(y_train), np.asarray(y_test)
    for label, y in (("y_train", y_train), ("y_test", y_test)):
        if y.ndim != 1 or len(y) < 2:
            raise ValueError(f"{label} must be a 1-D array of 2+ labels, got shape {y.shape}.")
    if not features:
        raise ValueError("features is empty: pass {row name: (X_train, X_test)}.")
    unknown = set(grids or {}) - set(features)
    if unknown:
        raise ValueError(f"grids names rows that are not in features: {sorted(unknown)}.")
    checked = {name: _row(name, pair, y_train, y_test) for name, pair in features.items()}
    searches = {
        name: validated_search(clone(estimator), (grids or {}).get(name, grid), n_jobs=n_jobs)
        for name in features
    }
    rows = {}
    for name, (train, test) in checked.items():
        search = searches[name]
        start = time.perf_counter()
        search.fit(train, y_train)
        seconds = time.perf_counter() - start
        correct = (search.predict(test) == y_test).astype(float)
        rows[name] = AblationRow(
            name,
            search,
            float(search.best_score_),
            _validation_correct(search, train, y_train),
            bootstrap_interval(correct),
            correct,
            int(train.shape[1]),
            seconds,
        )
    return Ablation(rows)


def _validation_correct(search: GridSearchCV, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """1 where the chosen setting, fitted without them, gets each validation image right (in the
    order of the images); every row of an ablation shares the split, so rows are paired."""
    right, seen = np.zeros(len(y)), np.zeros(len(y), bool)
    for fit_rows, val_rows in search.cv.split(X, y):
        model = clone(search.estimator).set_params(**search.best_params_)
        right[val_rows] = model.fit(X[fit_rows], y[fit_rows]).predict(X[val_rows]) == y[val_rows]
        seen[val_rows] = True
    return right[seen]


def _row(
    name: str, pair: object, y_train: np.ndarray, y_test: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Row *name*'s ``(X_train, X_test)``, checked: 2-D, finite, one row per label, same columns."""
    if not isinstance(pair, (tuple, list)) or len(pair) != 2:
        raise ValueError(f"features[{name!r}] must be a pair (X_train, X_test), got {pair!r:.60}.")
    train, test = np.asarray(pair[0]), np.asarray(pair[1])
    if train.ndim != 2 or test.ndim != 2 or train.shape[1] != test.shape[1]:
        raise ValueError(
            f"row {name!r} needs 2-D X_train and X_test with the same columns, got shapes "
            f"{train.shape} and {test.shape}: one row per image, one column per feature."
        )
    if len(train) != len(y_train) or len(test) != len(y_test):
        raise ValueError(
            f"row {name!r} has {len(train)} training and {len(test)} test rows, "
            f"but there are {len(y_train)} training and {len(y_test)} test labels."
        )
    for part, X in (("X_train", train), ("X_test", test)):
        if X.dtype.kind not in "biuf" or not np.isfinite(X).all():
            raise ValueError(
                f"row {name!r}: {part} must hold finite numbers (no NaN or inf, no text): "
                "impute or drop the missing values first."
            )
    return train, test


def _short(value: object) -> str:
    return f"{value:.3g}" if isinstance(value, float) else str(value)
