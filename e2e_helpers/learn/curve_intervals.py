"""How sure a learning curve is: 95% intervals over seeds *and* test examples, and the crossover
they support.

A point of a learning curve is luck twice over: which training images the
seed drew (and, for a network, its initial weights and batch order), and
which test images happen to be in the test set. :func:`seed_interval`
resamples both, seeds and test examples, from the per-example results that
:func:`~e2e_helpers.learn.learning_curves` keeps with ``record_correct=True``
(a hierarchical bootstrap); :func:`seed_difference` does the same for the gap
between two pipelines, paired by seed (seed *k* of both was fitted on the same
subset) and by test example. :func:`interval_crossover` reads the crossover
off those intervals, and only where they separate (:func:`crossover_bracket`: between which
measured sizes); :func:`curve_verdict`
writes the sentence they support and :func:`interval_table` the table; :func:`recheck_verdicts`
puts each verdict to its strongest check (the losing side on twice its budget) and
:func:`recheck_table` tabulates it.
:func:`auc_interval` resamples seeds and test examples for the AUC of each seed's scores (and
the paired AUC difference of two systems).

>>> right = np.array([[1, 1, 0, 1] * 25, [1, 0, 0, 1] * 25], dtype=bool)
>>> round(seed_interval(right).value, 3)
0.625
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

from .._tables import markdown_table
from .intervals import Estimate, bootstrap_interval, check_bootstrap_settings, percentile_estimate
from .learning_curve import LearningCurves
from .verdicts import leader, leads_sentence

__all__ = [
    "auc_interval",
    "accuracy_intervals",
    "accuracy_differences",
    "interval_crossover",
    "crossover_bracket",
    "curve_verdict",
    "interval_table",
    "recheck_verdicts",
    "recheck_table",
]


def _results(correct: ArrayLike, name: str) -> np.ndarray:
    values = np.asarray(correct)
    if values.ndim != 2 or 0 in values.shape:
        raise ValueError(
            f"{name} must be a (seeds, test examples) array of per-example results (1 = right, 0 = "
            f"wrong), "
            f"got shape {values.shape}: use learning_curves(..., record_correct=True)."
        )
    if values.dtype.kind not in "biuf" or not np.isin(values, (0, 1)).all():
        raise ValueError(
            f"{name} must hold 1 (right) or 0 (wrong) per test example, got values such as "
            f"{values.ravel()[~np.isin(values, (0, 1)).ravel()][:3].tolist()}: "
            "use learning_curves(..., record_correct=True)."
        )
    return values.astype(np.float64)


def seed_interval(
    correct: ArrayLike, *, confidence: float = 0.95, n_resamples: int = 2000, seed: int = 0
) -> Estimate:
    """Mean accuracy over seeds, with an interval that resamples both the seeds and the test
    examples.

    *correct* is ``(seeds, test examples)``: 1 where that seed's model got
    that example right (:func:`~e2e_helpers.learn.bootstrap_interval` of it).
    With one seed the interval covers the test set only.
    """
    return bootstrap_interval(
        _results(correct, "correct"), confidence=confidence, n_resamples=n_resamples, seed=seed
    )


def seed_difference(
    correct_a: ArrayLike,
    correct_b: ArrayLike,
    *,
    confidence: float = 0.95,
    n_resamples: int = 2000,
    seed: int = 0,
) -> Estimate:
    """``accuracy(a) - accuracy(b)``, paired by seed and by test example, with a hierarchical
    bootstrap interval.

    Row *k* of both arrays must come from models fitted on the same training
    subset (seed *k* of :func:`~e2e_helpers.learn.learning_curves`), scored on
    the same test examples, so the per-seed, per-example differences are
    resampled (seeds and examples) as one array.
    """
    a, b = _results(correct_a, "correct_a"), _results(correct_b, "correct_b")
    if a.shape != b.shape:
        raise ValueError(
            f"a paired difference needs the same seeds and test examples for both, got shapes "
            f"{a.shape} and {b.shape}."
        )
    return bootstrap_interval(
        a - b, confidence=confidence, n_resamples=n_resamples, seed=seed, difference=True
    )


def _seed_rows(scores: ArrayLike, name: str, n: int) -> np.ndarray:
    values = np.asarray(scores, dtype=np.float64)
    values = values[None] if values.ndim == 1 else values
    if values.ndim != 2 or values.shape[1] != n or not len(values):
        raise ValueError(
            f"{name} must hold one score per test example ({n}), or one row of them per seed, got "
            f"shape {np.shape(scores)}: pass predict_proba(X_test)[:, 1] of each seed's model."
        )
    if not np.isfinite(values).all():
        raise ValueError(f"{name} holds non-finite scores: score every example with a number.")
    return values


def _resampled_aucs(values: np.ndarray, picks: np.ndarray, n_positive: int) -> np.ndarray:
    """``(resamples, seeds)``: each seed's AUC on each resample (positives first in *picks*), by
    the rank-sum (Mann-Whitney) formula."""
    n_negative = picks.shape[1] - n_positive
    out = np.empty((len(picks), len(values)))
    for j, row in enumerate(values):
        ranks = stats.rankdata(row[picks], axis=1)
        out[:, j] = ranks[:, :n_positive].sum(axis=1) - n_positive * (n_positive + 1) / 2
    return out / (n_positive * n_negative)


def auc_interval(
    scores: ArrayLike,
    labels: ArrayLike,
    *,
    minus: ArrayLike | None = None,
    confidence: float = 0.95,
    n_resamples: int = 2000,
    seed: int = 0,
) -> Estimate:
    """Mean AUC over seeds, with an interval that resamples the test examples and the seeds.

    *scores* is ``(seeds, test examples)`` (or one row): each seed's score for the positive class;
    *labels* the 0/1 truth. The examples are resampled within each class (every resample keeps
    both), the seeds with replacement, so the interval covers the test set's sampling error and
    run-to-run variation. With *minus* (another system's scores on the same examples) it is the
    difference ``AUC(scores) - AUC(minus)``, paired by example (and by seed when both have as many
    rows: seed *k* of both fitted on the same subset), with the p-value of "no difference".

    >>> y = np.r_[np.zeros(20), np.ones(20)]
    >>> round(auc_interval(np.r_[np.zeros(20), np.ones(20)], y).value, 2)
    1.0
    """
    truth = np.asarray(labels)
    if truth.ndim != 1 or not np.isin(truth, (0, 1)).all() or len(np.unique(truth)) != 2:
        raise ValueError(
            f"labels must be a 1-D array of 0 (negative) and 1 (positive) holding both classes, "
            f"got {truth[:5].tolist()}... of shape {truth.shape}."
        )
    first = _seed_rows(scores, "scores", len(truth))
    second = None if minus is None else _seed_rows(minus, "minus", len(truth))
    check_bootstrap_settings(confidence, n_resamples, seed)
    rng = np.random.default_rng(seed)
    positive, negative = np.flatnonzero(truth == 1), np.flatnonzero(truth == 0)
    picks = np.hstack(
        [
            rng.choice(positive, size=(n_resamples, len(positive))),
            rng.choice(negative, size=(n_resamples, len(negative))),
        ]
    )
    whole = np.r_[positive, negative][None]
    rows = rng.integers(0, len(first), size=(n_resamples, len(first)))
    value = _mean_auc(first, whole, None, len(positive))[0]
    resampled = _mean_auc(first, picks, rows, len(positive))
    if second is None:
        return percentile_estimate(value, resampled, confidence)
    if len(second) != len(first):  # not paired by seed: each system's seeds resampled on their own
        rows = rng.integers(0, len(second), size=(n_resamples, len(second)))
    value -= _mean_auc(second, whole, None, len(positive))[0]
    resampled = resampled - _mean_auc(second, picks, rows, len(positive))
    return percentile_estimate(value, resampled, confidence, difference=True)


def _mean_auc(
    values: np.ndarray, picks: np.ndarray, rows: np.ndarray | None, n_positive: int
) -> np.ndarray:
    """Per resample of examples (*picks*), the mean AUC over the seeds drawn in *rows* (all the
    seeds where None)."""
    per_seed = _resampled_aucs(values, picks, n_positive)
    return per_seed.mean(axis=1) if rows is None else np.take_along_axis(per_seed, rows, 1).mean(1)


def _correct(curves: LearningCurves, name: str) -> list[np.ndarray]:
    if not isinstance(curves, LearningCurves):
        raise TypeError(
            f"curves must be LearningCurves (learn.learning_curves), got {type(curves).__name__}."
        )
    if name not in curves.correct:
        known = (
            list(curves.correct) or "none: fit them with learning_curves(..., record_correct=True)"
        )
        raise KeyError(f"no per-example results for {name!r}; the curves that have them: {known}")
    return curves.correct[name]


def accuracy_intervals(
    curves: LearningCurves, name: str, *, confidence: float = 0.95, seed: int = 0
) -> list[Estimate]:
    """:func:`seed_interval` of *name* at every size of *curves*."""
    return [seed_interval(c, confidence=confidence, seed=seed) for c in _correct(curves, name)]


def accuracy_differences(
    curves: LearningCurves, ahead: str, behind: str, *, confidence: float = 0.95, seed: int = 0
) -> list[Estimate]:
    """:func:`seed_difference` ``ahead - behind`` at every size of *curves*."""
    return [
        seed_difference(a, b, confidence=confidence, seed=seed)
        for a, b in zip(_correct(curves, ahead), _correct(curves, behind))
    ]


def recheck_verdicts(
    curves: LearningCurves,
    ahead: str,
    behind: str,
    rechecks: Sequence[dict],
    *,
    confidence: float = 0.95,
) -> list[dict]:
    """Each verdict put to its strongest check: the losing side refitted on twice its budget.

    Each of *rechecks* is ``{"size", "loser", "budget", "right"}``: at that size of *curves*, the
    loser (*ahead* or *behind*) refitted with *budget* on the same seeds, ``right`` its
    ``(seeds, test examples)`` results. Returns each check's dict with the paired ``ahead -
    behind`` differences ``before`` and ``after`` added, and who is clearly ahead at *confidence*
    before and after (``was``, ``now``: a name or None); the verdict holds where ``now == was``.
    """
    sizes = [int(s) for s in curves.sizes]
    verdicts = []
    for check in rechecks:
        i = sizes.index(int(check["size"]))
        results = {name: _correct(curves, name)[i] for name in (ahead, behind)}
        before = seed_difference(results[ahead], results[behind], confidence=confidence)
        results[check["loser"]] = np.asarray(check["right"])
        after = seed_difference(results[ahead], results[behind], confidence=confidence)
        was, now = leader(ahead, behind, before), leader(ahead, behind, after)
        verdicts.append({**check, "size": sizes[i], "before": before, "after": after})
        verdicts[-1].update(was=was, now=now)
    return verdicts


def recheck_table(
    curves: LearningCurves,
    ahead: str,
    behind: str,
    rechecks: Sequence[dict],
    *,
    confidence: float = 0.95,
    unit: str = "images",
) -> str:
    """A Markdown table of :func:`recheck_verdicts`: each verdict again, with the losing side
    refitted on twice its budget (a size where neither was clearly ahead at this *confidence* has
    no verdict to check)."""
    rows = []
    for v in recheck_verdicts(curves, ahead, behind, rechecks, confidence=confidence):
        budget = ", ".join(f"{k}={value}" for k, value in v["budget"].items())
        rows.append(
            [f"{v['size']:,}", v["was"] or "neither", f"{v['loser']}: {budget}"]
            + [
                f"{100 * e.value:+.1f} ({100 * e.low:+.1f} to {100 * e.high:+.1f})"
                for e in (v["before"], v["after"])
            ]
            + [_holds(v["was"], v["now"])]
        )
    header = [f"training {unit}", "clearly ahead", "loser refitted with"]
    header += [f"{ahead} - {behind}, before (points)", "after", "verdict holds"]
    return markdown_table(header, rows, align="rllrrl")


def interval_crossover(sizes: Sequence[int], differences: Sequence[Estimate]) -> int:
    """The training-set size from which *ahead* is clearly ahead for good, after *behind* was
    clearly ahead; else -1.

    *differences* are ``ahead - behind`` at each of the increasing *sizes*
    (:func:`accuracy_differences`). A crossover needs both separations: some size
    where the whole interval is below zero, then a size from which every
    interval is above zero. Returned is that first measured size (the crossover
    lies between it and the size before); -1 when the intervals never cross so.
    """
    sizes = np.asarray(sizes)
    if sizes.ndim != 1 or len(sizes) != len(differences) or not len(sizes):
        raise ValueError(
            f"need one difference per size, got {len(sizes)} sizes and {len(differences)} "
            f"differences."
        )
    if np.any(np.diff(sizes) <= 0):
        raise ValueError(f"sizes must be increasing, got {sizes.tolist()}.")
    verdicts = [leader("ahead", "behind", d) for d in differences]
    first = len(verdicts)
    while first > 0 and verdicts[first - 1] == "ahead":
        first -= 1
    if first == len(verdicts) or "behind" not in verdicts[:first]:
        return -1
    return int(sizes[first])


def crossover_bracket(sizes: Sequence[int], differences: Sequence[Estimate]) -> tuple[int, int]:
    """``(low, high)``: the measured sizes the crossover lies between, or ``(-1, -1)`` without one.

    *high* is :func:`interval_crossover`, *low* the measured size before it: the curves were not
    measured in between, so the crossover is known only to lie in that bracket.

    >>> d = [Estimate(-0.05, -0.08, -0.02), Estimate(0.0, -0.01, 0.01), Estimate(0.03, 0.01, 0.05)]
    >>> crossover_bracket([50, 500, 5000], d)
    (500, 5000)
    """
    high = interval_crossover(sizes, differences)
    if high < 0:
        return -1, -1
    return int(max(s for s in sizes if s < high)), high


def curve_verdict(
    sizes: Sequence[int],
    differences: Sequence[Estimate],
    ahead: str,
    behind: str,
    unit: str = "images",
) -> str:
    """The sentences the intervals support: at which sizes each pipeline is clearly ahead, and the
    crossover.

    >>> d = [Estimate(-0.05, -0.08, -0.02), Estimate(0.0, -0.01, 0.01), Estimate(0.03, 0.01, 0.05)]
    >>> print(curve_verdict([50, 500, 5000], d, "the CNN", "HOG"))  # doctest: +NORMALIZE_WHITESPACE
    HOG is clearly ahead at 50 images; the CNN is clearly ahead at 5,000 images; neither is clearly
    ahead at 500 images. The intervals cross: the CNN is clearly ahead from 5,000 images on, after
    HOG was clearly ahead at smaller sizes (the crossover lies between 500 and 5,000 images).
    """
    previous, crossing = crossover_bracket(sizes, differences)
    text = leads_sentence(sizes, [leader(ahead, behind, d) for d in differences], unit)
    if crossing > 0:
        return text + (
            f" The intervals cross: {ahead} is clearly ahead from {crossing:,} {unit} on, after "
            f"{behind} was clearly "
            f"ahead at smaller sizes (the crossover lies between {previous:,} and {crossing:,} "
            f"{unit})."
        )
    return text + (
        f" The intervals never cross from {behind} clearly ahead to {ahead} clearly ahead for "
        f"good, "
        "so there is no crossover to report (recorded as -1)."
    )


def _holds(was: str | None, now: str | None) -> str:
    if was is None:
        return "no verdict at this level to check"
    return "yes" if now == was else f"no: {now or 'neither'} clearly ahead"


def interval_table(
    curves: LearningCurves,
    behind: str,
    ahead: str,
    unit: str = "images",
    *,
    confidence: float = 0.95,
    seed: int = 0,
) -> str:
    """A Markdown table: per size, the seeds, both pipelines' accuracy and their difference, each
    with its *confidence* interval."""
    level = {"confidence": confidence, "seed": seed}
    first, second = (
        accuracy_intervals(curves, behind, **level),
        accuracy_intervals(curves, ahead, **level),
    )
    gaps = accuracy_differences(curves, ahead, behind, **level)
    rows = []
    for i, size in enumerate(curves.sizes):
        cells = [f"{e.value:.3f} ({e.low:.3f}-{e.high:.3f})" for e in (first[i], second[i])]
        gap = gaps[i]
        rows.append(
            [f"{int(size):,}", str(curves.n_seeds(ahead)[i]), *cells]
            + [f"{100 * gap.value:+.1f} ({100 * gap.low:+.1f} to {100 * gap.high:+.1f})"]
            + [leader(ahead, behind, gap) or "neither"]
        )
    header = [f"training {unit}", "seeds", behind, ahead, f"{ahead} - {behind} (points)"]
    return markdown_table([*header, "clearly ahead"], rows, align="rrllll")
