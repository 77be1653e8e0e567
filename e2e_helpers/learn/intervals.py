"""How sure a measured score is: bootstrap intervals, paired differences, and the sentence they
allow.

A test set is a sample: another 500 strings would give another accuracy.
:func:`bootstrap_interval` resamples the per-example scores (1 = right,
0 = wrong, or any per-example number) with replacement and reports the
middle 95% of the resampled means (the percentile bootstrap);
:func:`paired_difference` does the same for the difference of two systems
scored on the *same* examples, resampling examples, not systems, which is
what makes the comparison paired; :func:`unpaired_difference` compares
two different sets of examples; :func:`sign_flip_interval` is the exact
interval for a few paired units (6 speakers, say). What an interval allows one to say is
in :mod:`~e2e_helpers.learn.verdicts`.

Inputs that do not vary (two deterministic systems over seeds, every example
alike) give a zero-width interval that measures nothing: its ``caveat`` says
so, and the verdicts draw none from it.

>>> right = np.r_[np.ones(90), np.zeros(10)]
>>> round(bootstrap_interval(right).value, 2)
0.9
"""

from __future__ import annotations

import itertools
from dataclasses import astuple, dataclass

import numpy as np
from numpy.typing import ArrayLike

from .._checks import Interval, validate_params

__all__ = [
    "bootstrap_interval",
    "paired_difference",
    "unpaired_difference",
    "sign_flip_interval",
]

_CONSTRAINTS = {
    "confidence": [Interval(float, 0.5, 1.0, closed="left")],
    "n_resamples": [Interval(int, 100)],
    "seed": [Interval(int, 0)],
    "grid": [Interval(int, 2)],
}


@dataclass(frozen=True)
class Estimate:
    """A measured value with its interval ``[low, high]`` at *confidence*; a non-empty *caveat* says
    why the interval has no width and measures nothing (``"no variation over seeds"``)."""

    value: float
    low: float
    high: float
    confidence: float = 0.95
    caveat: str = ""
    #: for a difference, the two-sided p-value of "no difference" (NaN where not computed)
    p: float = float("nan")

    def _key(self) -> tuple:
        return tuple(None if f != f else f for f in astuple(self))  # NaN equals NaN here

    def __eq__(self, other: object) -> bool:
        return self._key() == other._key() if isinstance(other, Estimate) else NotImplemented

    def __hash__(self) -> int:
        return hash(self._key())

    def __str__(self) -> str:
        if self.caveat:
            return f"{self.value:.3f} (no interval: {self.caveat})"
        level = f"{self.confidence:.1%}".replace(".0%", "%")
        return f"{self.value:.3f} ({level} interval {self.low:.3f}-{self.high:.3f})"


def as_estimate(value: object, name: str) -> Estimate:
    """*value*, refused unless it is an :class:`Estimate` (named *name* in the message)."""
    if not isinstance(value, Estimate):
        raise TypeError(
            f"{name} must be an Estimate (learn.paired_difference...), got {value!r:.60}."
        )
    return value


def _scores(values: ArrayLike, name: str, *, seeds: bool = False, least: int = 1) -> np.ndarray:
    shape = "a non-empty 1-D array of per-example scores" + (
        ", or 2-D (seeds, examples)" if seeds else ""
    )
    try:
        scores = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be {shape} (numbers), got {values!r:.80}.") from error
    if scores.ndim not in ((1, 2) if seeds else (1,)) or not scores.size:
        raise ValueError(f"{name} must be {shape}, got shape {scores.shape}.")
    if not np.isfinite(scores).all():
        raise ValueError(
            f"{name} holds {int((~np.isfinite(scores)).sum())} non-finite scores: score every "
            f"example with a number."
        )
    if scores.shape[-1] < least:
        raise ValueError(
            f"{name} holds 1 example: a bootstrap interval needs at least 2, score more examples."
        )
    return scores


def _resampled_means(values: np.ndarray, picks: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Mean of each resample of examples (*picks*: rows of example indexes); 2-D *values* also
    resample seeds."""
    if values.ndim == 1:
        return values[picks].mean(axis=1)
    seeds = rng.integers(0, len(values), size=(len(picks), len(values)))
    # (resamples, seeds): each seed's resampled score
    per_seed = np.stack([row[picks].mean(axis=1) for row in values], axis=1)
    return np.take_along_axis(per_seed, seeds, axis=1).mean(axis=1)


def _source_weights(
    sources: object, n_examples: int, n_resamples: int, rng: np.random.Generator
) -> np.ndarray:
    """``(n_resamples, n_examples)`` bootstrap weights when examples share their *sources*.

    *sources* holds, per example, the ids of the sources it is built from (a
    digit string: its recordings). Each resample draws the sources with
    replacement; an example's weight is ``1 + sum(c - 1)`` over the draw
    counts ``c`` of its sources, so two strings that share a recording rise
    and fall together, and an example of one source of its own is drawn as in
    the plain bootstrap. It is the linear part of the product of the counts
    (what redrawing the recordings and rebuilding the strings gives), whose
    higher terms make the interval too wide when examples share several
    sources (tests/learn/test_intervals.py measures both against the truth).
    """
    groups = [np.atleast_1d(np.asarray(s)) for s in sources]  # type: ignore[union-attr]
    if len(groups) != n_examples or any(g.size == 0 for g in groups):
        raise ValueError(
            f"sources must hold one non-empty list of source ids per example ({n_examples}), "
            f"got {len(groups)} entries: pass e.g. [[3, 17], [5], ...], the recordings each "
            f"example is made of."
        )
    ids, flat = np.unique(np.concatenate(groups), return_inverse=True)
    owner = np.repeat(np.arange(n_examples), [len(g) for g in groups])
    counts = rng.multinomial(len(ids), np.full(len(ids), 1 / len(ids)), size=n_resamples)
    weights = np.ones((n_resamples, n_examples))
    np.add.at(weights.T, owner, (counts[:, flat] - 1.0).T)
    return weights


def _weighted_means(
    values: np.ndarray, weights: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Weighted mean of each resample (rows of *weights*); 2-D *values* also resample seeds."""
    total = np.maximum(weights.sum(axis=1), 1e-300)
    if values.ndim == 1:
        return weights @ values / total
    seeds = rng.integers(0, len(values), size=(len(weights), len(values)))
    per_seed = np.stack([weights @ row / total for row in values], axis=1)
    return np.take_along_axis(per_seed, seeds, axis=1).mean(axis=1)


def percentile_estimate(
    value: float, resampled: np.ndarray, confidence: float, *, difference: bool = False
) -> Estimate:
    """The percentile interval of *resampled*; for a *difference*, also the bootstrap p-value of
    zero (twice the smaller share of resamples on either side of it)."""
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(resampled, [tail, 100 - tail])
    caveat = "no variation between examples" if low == high else ""
    p = (
        min(1.0, 2 * min(np.mean(resampled <= 0), np.mean(resampled >= 0)))
        if difference
        else np.nan
    )
    return Estimate(float(value), float(low), float(high), confidence, caveat, float(p))


def check_bootstrap_settings(confidence: float, n_resamples: int, seed: int) -> None:
    validate_params(
        {"confidence": confidence, "n_resamples": n_resamples, "seed": seed}, _CONSTRAINTS
    )


def bootstrap_interval(
    scores: ArrayLike,
    *,
    sources: object = None,
    confidence: float = 0.95,
    n_resamples: int = 2000,
    seed: int = 0,
    difference: bool = False,
) -> Estimate:
    """The mean of *scores* with a percentile-bootstrap interval over examples.

    2-D *scores* ``(seeds, examples)`` (a network trained with several seeds,
    each scored on the same examples) resample seeds as well as examples, so
    the interval covers run-to-run variation too. *sources*: per example,
    the ids of what it is made of (see :func:`_source_weights`); then the
    sources are resampled, not the examples. *difference*: the scores are per-example differences
    of two systems; the estimate then also carries the p-value of "no difference".
    """
    check_bootstrap_settings(confidence, n_resamples, seed)
    values = _scores(scores, "scores", seeds=True, least=2)
    kind = {"difference": bool(difference)}
    rng = np.random.default_rng(seed)
    if sources is not None:  # the linear weights can leave the scores' range: kept inside it
        weights = _source_weights(sources, values.shape[-1], n_resamples, rng)
        means = np.clip(_weighted_means(values, weights, rng), values.min(), values.max())
        return percentile_estimate(values.mean(), means, confidence, **kind)
    picks = rng.integers(0, values.shape[-1], size=(n_resamples, values.shape[-1]))
    resampled = _resampled_means(values, picks, rng)
    return percentile_estimate(values.mean(), resampled, confidence, **kind)


def paired_difference(
    a: ArrayLike,
    b: ArrayLike,
    *,
    sources: object = None,
    confidence: float = 0.95,
    n_resamples: int = 2000,
    seed: int = 0,
) -> Estimate:
    """``mean(a) - mean(b)`` for two systems scored on the same examples, with a paired bootstrap
    interval.

    Either may be 2-D ``(seeds, examples)``: its seeds are resampled too.
    *sources*: as for :func:`bootstrap_interval` (the sources are resampled).
    """
    check_bootstrap_settings(confidence, n_resamples, seed)
    first, second = _scores(a, "a", seeds=True, least=2), _scores(b, "b", seeds=True)
    if first.shape[-1] != second.shape[-1]:
        raise ValueError(
            f"a paired comparison needs both systems scored on the same examples, got "
            f"{first.shape[-1]} "
            f"and {second.shape[-1]} scores."
        )
    rng = np.random.default_rng(seed)
    if sources is not None:
        weights = _source_weights(sources, first.shape[-1], n_resamples, rng)
        gaps = _weighted_means(first, weights, rng) - _weighted_means(second, weights, rng)
        gaps = np.clip(gaps, first.min() - second.max(), first.max() - second.min())
        return percentile_estimate(first.mean() - second.mean(), gaps, confidence, difference=True)
    picks = rng.integers(0, first.shape[-1], size=(n_resamples, first.shape[-1]))
    gaps = _resampled_means(first, picks, rng) - _resampled_means(second, picks, rng)
    return percentile_estimate(first.mean() - second.mean(), gaps, confidence, difference=True)


def unpaired_difference(
    a: ArrayLike, b: ArrayLike, *, confidence: float = 0.95, n_resamples: int = 2000, seed: int = 0
) -> Estimate:
    """``mean(a) - mean(b)`` for scores of two *different* sets of examples, each resampled on its
    own."""
    check_bootstrap_settings(confidence, n_resamples, seed)
    first, second = _scores(a, "a", least=2), _scores(b, "b", least=2)
    rng = np.random.default_rng(seed)
    means_a = first[rng.integers(0, len(first), size=(n_resamples, len(first)))].mean(axis=1)
    means_b = second[rng.integers(0, len(second), size=(n_resamples, len(second)))].mean(axis=1)
    return percentile_estimate(
        first.mean() - second.mean(), means_a - means_b, confidence, difference=True
    )


def sign_flip_interval(
    differences: ArrayLike, *, confidence: float = 0.95, grid: int = 4001
) -> Estimate:
    """The mean of paired *differences* (one per unit: a speaker, a patient) with an exact sign-flip
    interval.

    For a few units a bootstrap is unreliable. The sign-flip (randomisation)
    test asks whether a shift ``d`` is plausible: if the true mean difference
    were ``d``, each ``x - d`` would be as likely negative as positive, so all
    ``2**n`` sign patterns are equally likely. The interval holds every ``d``
    that this test does not reject at ``1 - confidence`` (exact enumeration up
    to 14 units, 2**14 random patterns beyond). With *n* units no p-value is
    below ``2 / 2**n``: 95% needs at least 6 units. Units that all differ by
    the same amount give that amount with a ``caveat`` (no interval).

    >>> e = sign_flip_interval([0.02, 0.04, 0.03, 0.05, 0.01, 0.06])
    >>> e.low > 0
    True
    """
    validate_params({"confidence": confidence, "grid": grid}, _CONSTRAINTS)
    x = _scores(differences, "differences")
    n, alpha = len(x), 1 - confidence
    if 2 / 2**n > alpha:
        need = int(np.ceil(np.log2(2 / alpha)))
        raise ValueError(
            f"a {confidence:.0%} sign-flip interval needs at least {need} paired units, got {n}: "
            "add units or lower the confidence."
        )
    if n <= 14:
        signs = np.array(list(itertools.product((1.0, -1.0), repeat=n)))
    else:
        signs = np.random.default_rng(0).choice((1.0, -1.0), size=(2**14, n))
    shifts = np.linspace(x.min(), x.max(), grid)
    flipped = (signs @ x)[None, :] - shifts[:, None] * signs.sum(axis=1)[None, :]
    observed = np.abs(x.sum() - n * shifts)[:, None]
    p = (np.abs(flipped) >= observed - 1e-12).mean(axis=1)
    kept = shifts[p > alpha]
    caveat = "no variation between units" if x.min() == x.max() else ""
    at_zero = float((np.abs(signs @ x) >= abs(x.sum()) - 1e-12).mean())
    return Estimate(
        float(x.mean()), float(kept.min()), float(kept.max()), confidence, caveat, at_zero
    )
