"""Learning curves: test accuracy of several pipelines as the training set grows.

:func:`learning_curves` fits fresh clones of scikit-learn estimators (any of
them: a ``Pipeline``, a :class:`~e2e_helpers.learn.TorchClassifier`) on
stratified random subsets of the training data, several seeds per size, and
scores each fit on one fixed test set. :func:`crossover` then finds, by
interpolation in log(size), the training-set size where one pipeline's mean
accuracy overtakes another's. The sizes, seeds and budgets come from
:mod:`~e2e_helpers.learn.curve_plan`. A sweep too long for a notebook stores
its per-item results packed, 8 to a byte (:func:`packed_right`,
:func:`unpacked_right`), and :meth:`LearningCurves.from_record` reads its
curves back.

>>> unpacked_right(packed_right([1, 0, 0, 1, 1])).tolist()
[1, 0, 0, 1, 1]
"""

from __future__ import annotations

import base64
import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import clone
from sklearn.metrics import check_scoring
from sklearn.model_selection import train_test_split
from tqdm.auto import tqdm

from .._tables import markdown_table

#: A scikit-learn scorer name, ``scorer(fitted, X, y) -> float``, or None for ``estimator.score``.
Scoring = str | Callable[[object, object, np.ndarray], float] | None

__all__ = [
    "stratified_subset",
    "learning_curves",
    "crossover",
    "LearningCurves",
    "packed_right",
    "unpacked_right",
]


@dataclass
class LearningCurves:
    """Per-size results of :func:`learning_curves`.

    ``scores[name][i]`` and ``fit_seconds[name][i]`` hold one value per seed
    fitted at ``sizes[i]``. With several scorers, ``metrics[metric][name][i]``
    holds each one's values (``scores`` is the first metric). With
    ``record_correct``, ``correct[name][i]`` is a boolean array ``(seeds, test
    examples)``: which test examples each seed's model got right (for
    intervals over seeds *and* test examples, :mod:`~e2e_helpers.learn.curve_intervals`).
    """

    sizes: np.ndarray
    scores: dict[str, list[np.ndarray]] = field(default_factory=dict)
    fit_seconds: dict[str, list[np.ndarray]] = field(default_factory=dict)
    metrics: dict[str, dict[str, list[np.ndarray]]] = field(default_factory=dict)
    correct: dict[str, list[np.ndarray]] = field(default_factory=dict)

    @classmethod
    def from_record(cls, sizes: Sequence[int], curves: Mapping[str, Mapping]) -> LearningCurves:
        """The curves a sweep recorded at *sizes*: *curves* maps a name to ``{"fit_seconds":
        [[per seed] per size], "right": [[packed_right per seed] per size]}``; the scores are the
        accuracies of those per-item results."""
        result = cls(sizes=np.asarray(sizes, dtype=int))
        for name, record in curves.items():
            if len(record["right"]) != len(sizes) or len(record["fit_seconds"]) != len(sizes):
                raise ValueError(f"curve {name!r} must hold one entry per size ({len(sizes)}).")
            right = [
                np.array([unpacked_right(r) for r in seeds], bool) for seeds in record["right"]
            ]
            result.correct[name] = right
            result.scores[name] = [r.mean(axis=1) for r in right]
            result.fit_seconds[name] = [np.asarray(s, dtype=float) for s in record["fit_seconds"]]
        result.metrics = {"score": result.scores}
        return result

    @property
    def names(self) -> tuple[str, ...]:
        """The curves' names, in the order the estimators were given."""
        return tuple(self.scores)

    def mean(self, name: str, metric: str | None = None) -> np.ndarray:
        """Mean test score of *name* at each size (of *metric*, default the first)."""
        return np.array([s.mean() for s in self._get(self._table(metric), name)])

    def std(self, name: str, metric: str | None = None) -> np.ndarray:
        """Standard deviation over seeds (0 where one seed was fitted)."""
        return np.array([s.std() for s in self._get(self._table(metric), name)])

    def _table(self, metric: str | None) -> dict[str, list[np.ndarray]]:
        if metric is None:
            return self.scores
        if metric not in self.metrics:
            raise KeyError(f"no metric named {metric!r}; the metrics are {list(self.metrics)}")
        return self.metrics[metric]

    def seconds(self, name: str) -> np.ndarray:
        """Mean fit time of *name* at each size, in seconds."""
        return np.array([s.mean() for s in self._get(self.fit_seconds, name)])

    def n_seeds(self, name: str) -> np.ndarray:
        """Number of seeds fitted for *name* at each size."""
        return np.array([len(s) for s in self._get(self.scores, name)])

    def crossover(self, behind: str, ahead: str) -> float:
        """:func:`crossover` of the mean curves: where *ahead* overtakes *behind*."""
        return crossover(self.sizes, self.mean(behind), self.mean(ahead))

    def at(self, name: str, size: float) -> float:
        """Mean accuracy of *name* at *size*, interpolated linearly in log(size)."""
        return float(np.interp(np.log(size), np.log(self.sizes), self.mean(name)))

    def table(self, unit: str = "images") -> str:
        """A Markdown table: one row per size, mean ± std score per pipeline (*unit*: what the sizes
        count)."""

        def cell(n: str, i: int) -> str:
            return f"{self.mean(n)[i]:.3f} ± {self.std(n)[i]:.3f} ({self.n_seeds(n)[i]} seeds)"

        rows = [[f"{s:,}", *(cell(n, i) for n in self.names)] for i, s in enumerate(self.sizes)]
        return markdown_table([f"training {unit}", *self.names], rows, align="r")

    def _get(self, table: dict[str, list[np.ndarray]], name: str) -> list[np.ndarray]:
        if name not in table:
            raise KeyError(f"no curve named {name!r}; the curves are {list(table)}")
        return table[name]


def packed_right(right: ArrayLike) -> dict[str, object]:
    """A 1-D list of right (1) / wrong (0) per item as ``{"n": items, "bits": base64 text}``."""
    values = np.asarray(right)
    if values.ndim != 1 or not np.isin(values, (0, 1)).all():
        raise ValueError(
            f"right must be a 1-D list of 0 (wrong) and 1 (right) per item, got shape "
            f"{values.shape} with values such as {np.unique(values)[:3].tolist()}."
        )
    bits = np.packbits(values.astype(np.uint8))
    return {"n": int(values.size), "bits": base64.b64encode(bits.tobytes()).decode("ascii")}


def unpacked_right(packed: Mapping[str, object]) -> np.ndarray:
    """The 0/1 integer array :func:`packed_right` stored."""
    if not isinstance(packed, Mapping) or set(packed) != {"n", "bits"}:
        raise ValueError(
            f"expected {{'n': items, 'bits': text}} from packed_right, got {packed!r:.80}."
        )
    raw = np.frombuffer(base64.b64decode(str(packed["bits"])), dtype=np.uint8)
    return np.unpackbits(raw)[: int(packed["n"])].astype(int)


def stratified_subset(y: Sequence, size: int, seed: int) -> np.ndarray:
    """Indices of *size* samples of *y*, drawn with the class proportions of *y* (sorted)."""
    y = np.asarray(y)
    if not 0 < size <= len(y):
        raise ValueError(f"size must be in 1..{len(y)} (the number of samples), got {size!r}")
    if size == len(y):
        return np.arange(len(y))
    n_classes = len(np.unique(y))
    stratify = y if size >= n_classes and len(y) - size >= n_classes else None
    chosen, _ = train_test_split(
        np.arange(len(y)), train_size=size, stratify=stratify, random_state=seed
    )
    return np.sort(chosen)


def learning_curves(
    estimators: Mapping[str, object],
    X_train: ArrayLike,
    y_train: ArrayLike,
    X_test: ArrayLike,
    y_test: ArrayLike,
    sizes: Sequence[int],
    *,
    seeds: int | Sequence[int] = 3,
    features: Mapping[str, tuple[object, object]] | None = None,
    params: Callable[[str, int], Mapping[str, object]] | None = None,
    known: Mapping[str, Mapping[int, tuple[float, float]]] | None = None,
    scoring: Scoring | Mapping[str, Scoring] | None = None,
    keep: Callable[[tuple[str, int, int], object], None] | None = None,
    record_correct: bool = False,
    progress: bool = True,
) -> LearningCurves:
    """Test score (accuracy by default) of each estimator fitted on growing stratified subsets.

    Parameters
    ----------
    estimators : name -> unfitted scikit-learn estimator (cloned for every fit).
    X_train, y_train, X_test, y_test : the data; subsets are drawn from the training part.
    sizes : training-set sizes (e.g. :func:`~e2e_helpers.learn.log_sizes`).
    seeds : seeds per size: one int for all sizes, or one int per size
    (:func:`~e2e_helpers.learn.curve_plan.seed_counts`).
        Seed *k* draws subset *k* and, where the estimator has ``random_state``, seeds it.
    features : name -> ``(train_features, test_features)`` to use instead of
        ``X_train``/``X_test`` for that estimator: precompute a fixed,
        data-independent transform (such as HOG) once, rows aligned with ``X``.
    params : ``params(name, size)`` -> parameters to set before fitting (e.g. epochs per size).
    known : name -> {size: (accuracy, fit_seconds)}: results already measured
        (one seed), used instead of fitting; with *record_correct*,
        ``(accuracy, fit_seconds, predictions on X_test)``.
    scoring : a scikit-learn scorer name such as ``"roc_auc"``, or
        ``scorer(fitted, X_test, y_test) -> float``; default: the estimator's ``score`` (accuracy).
        A mapping ``{metric: scorer}`` scores every fit with each (``None`` = ``score``):
        the first fills ``scores``, all of them ``metrics``.
    keep : ``keep((name, size, seed), fitted)`` is called after each fit, e.g.
        ``keep=models.__setitem__`` to reuse the fitted models instead of fitting them again.
    record_correct : also keep which test examples each fit got right (``correct``);
        the default score (accuracy) is then computed from those predictions.
    progress : show a ``tqdm`` progress bar over the fits.
    """
    scorers = dict(scoring) if isinstance(scoring, Mapping) else {"score": scoring}
    if not scorers:
        raise ValueError(
            "scoring is an empty mapping: pass {metric: scorer}, e.g. {'accuracy': None, 'auc': "
            "'roc_auc'}"
        )
    if known and len(scorers) > 1:
        raise ValueError(
            "known results hold one score per fit: use them with a single scoring, not several "
            "metrics"
        )
    if not estimators:
        raise ValueError("estimators is empty: pass {name: estimator}")
    sizes = np.asarray(sizes, dtype=int)
    y_train, y_test = np.asarray(y_train), np.asarray(y_test)
    if len(X_train) != len(y_train) or len(X_test) != len(y_test):
        raise ValueError("X_train/y_train and X_test/y_test must have the same number of rows")
    if sizes.ndim != 1 or sizes.size == 0 or sizes.min() < 1 or sizes.max() > len(y_train):
        raise ValueError(
            f"sizes must be a non-empty list of ints in 1..{len(y_train)}, got {sizes.tolist()}"
        )
    n_classes = len(np.unique(y_train))
    if sizes.min() < n_classes:
        raise ValueError(
            f"size {sizes.min()} is too small for the {n_classes} classes of y_train: a training "
            f"subset needs "
            f"at least one sample of each class, so every size must be >= {n_classes}, got "
            f"{sizes.tolist()}"
        )
    counts = (
        np.full(len(sizes), seeds, dtype=int)
        if np.isscalar(seeds)
        else np.asarray(seeds, dtype=int)
    )
    if counts.shape != sizes.shape or counts.min() < 1:
        raise ValueError(
            f"seeds must be an int >= 1 or one int >= 1 per size ({len(sizes)}), got {seeds!r}"
        )
    features = dict(features or {})
    known = {name: dict(v) for name, v in (known or {}).items()}
    unknown = (set(features) | set(known)) - set(estimators)
    if unknown:
        raise ValueError(f"features/known name estimators that are not given: {sorted(unknown)}")
    for name, (f_train, f_test) in features.items():
        if len(f_train) != len(y_train) or len(f_test) != len(y_test):
            raise ValueError(f"features[{name!r}] must have one row per training / test sample")
    for name, results in known.items():
        for size, result in results.items():
            if len(result) != (3 if record_correct else 2) or (
                record_correct and len(result[2]) != len(y_test)
            ):
                raise ValueError(
                    f"known[{name!r}][{size}] must be (accuracy, fit_seconds)"
                    + (
                        f" plus the {len(y_test)} test predictions, because record_correct is on"
                        if record_correct
                        else ""
                    )
                    + f", got {len(result)} items"
                )

    jobs = [
        (name, i, k)
        for name in estimators
        for i, size in enumerate(sizes)
        for k in (range(1) if int(size) in known.get(name, {}) else range(counts[i]))
    ]
    result = LearningCurves(sizes=sizes)
    values = {metric: {name: [[] for _ in sizes] for name in estimators} for metric in scorers}
    secs = {name: [[] for _ in sizes] for name in estimators}
    right = {name: [[] for _ in sizes] for name in estimators}
    bar = _bar(len(jobs), progress)
    for name, i, k in jobs:
        size = int(sizes[i])
        if size in known.get(name, {}):
            score, seconds, *predicted = known[name][size]
            measured = {next(iter(scorers)): score}
            if record_correct:
                right[name][i].append(np.asarray(predicted[0]) == y_test)
        else:
            Xa, Xb = features.get(name, (X_train, X_test))
            rows = stratified_subset(y_train, size, seed=k)
            model = clone(estimators[name])
            extra = dict(params(name, size)) if params else {}
            if "random_state" in model.get_params():
                extra.setdefault("random_state", k)
            model.set_params(**extra)
            start = time.perf_counter()
            try:
                model.fit(_take(Xa, rows), y_train[rows])
            except ValueError as error:
                present = len(np.unique(y_train[rows]))
                raise ValueError(
                    f"{name!r} could not be fitted on the training subset of size {size} (seed "
                    f"{k}, "
                    f"{present} of {n_classes} classes present): {error}"
                ) from error
            seconds = time.perf_counter() - start
            if record_correct:
                right[name][i].append(np.asarray(model.predict(Xb)) == y_test)
            measured = {
                m: float(right[name][i][-1].mean())
                if record_correct and f is None
                else float(check_scoring(model, scoring=f)(model, Xb, y_test))
                for m, f in scorers.items()
            }
            if keep is not None:
                keep((name, size, k), model)
        for metric, value in measured.items():
            values[metric][name][i].append(value)
        secs[name][i].append(seconds)
        if bar is not None:
            bar.set_postfix_str(f"{name} n={size}")
            bar.update()
    if bar is not None:
        bar.close()
    result.metrics = {
        m: {n: [np.asarray(v, dtype=float) for v in per] for n, per in table.items()}
        for m, table in values.items()
    }
    result.scores = result.metrics[next(iter(scorers))]
    result.fit_seconds = {n: [np.asarray(v, dtype=float) for v in per] for n, per in secs.items()}
    if record_correct:
        result.correct = {n: [np.asarray(v, dtype=bool) for v in per] for n, per in right.items()}
    return result


def crossover(sizes: Sequence[float], behind: Sequence[float], ahead: Sequence[float]) -> float:
    """The training-set size from which *ahead* stays more accurate than *behind*.

    Finds the last point where ``ahead - behind`` turns from <= 0 to > 0 and
    interpolates linearly in log(size) between the two measured sizes around
    it. Returns ``nan`` when there is no such crossing in the measured range:
    *ahead* is never better at the largest size (it never overtakes), or it is
    better at every size (it was ahead from the start).
    """
    sizes = np.asarray(sizes, dtype=float)
    behind, ahead = np.asarray(behind, dtype=float), np.asarray(ahead, dtype=float)
    if sizes.ndim != 1 or not sizes.shape == behind.shape == ahead.shape or len(sizes) < 2:
        raise ValueError("sizes, behind and ahead must be 1-D with the same length >= 2")
    if np.any(sizes <= 0) or np.any(np.diff(sizes) <= 0):
        raise ValueError("sizes must be positive and increasing")
    gap = ahead - behind
    if not np.all(np.isfinite(gap)):
        raise ValueError("scores must be finite")
    if gap[-1] <= 0 or np.all(gap > 0):
        return math.nan
    i = int(np.flatnonzero(gap <= 0)[-1])  # last size where *ahead* is not ahead
    x0, x1 = np.log(sizes[i]), np.log(sizes[i + 1])
    g0, g1 = gap[i], gap[i + 1]
    return float(np.exp(x0 + (x1 - x0) * (0 - g0) / (g1 - g0)))


def _take(X: ArrayLike, rows: np.ndarray) -> ArrayLike:
    """Rows of X: of a DataFrame by position, else of the array."""
    return X.iloc[rows] if hasattr(X, "iloc") else np.asarray(X)[rows]


def _bar(total: int, progress: bool) -> tqdm | None:
    if not progress:
        return None
    return tqdm(total=total, desc="learning curves", unit="fit")
