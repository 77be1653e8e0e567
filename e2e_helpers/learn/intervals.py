"""How sure a measured score is: bootstrap intervals, paired differences, and the sentence they allow.

A test set is a sample: another 500 strings would give another accuracy.
:func:`bootstrap_interval` resamples the per-example scores (1 = right,
0 = wrong, or any per-example number) with replacement and reports the
middle 95% of the resampled means (the percentile bootstrap);
:func:`paired_difference` does the same for the difference of two systems
scored on the *same* examples, resampling examples, not systems, which is
what makes the comparison paired; :func:`leader` and :func:`compare` turn
that interval into the only verdict and sentence it supports, and
:func:`comparison_table` lays several conditions side by side.

>>> right = np.r_[np.ones(90), np.zeros(10)]
>>> round(bootstrap_interval(right).value, 2)
0.9
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from .._checks import Interval, validate_params

__all__ = ["Estimate", "bootstrap_interval", "paired_difference", "leader", "compare", "comparison_table"]

_CONSTRAINTS = {"confidence": [Interval(float, 0.5, 1.0, closed="left")], "n_resamples": [Interval(int, 100)]}


@dataclass(frozen=True)
class Estimate:
    """A measured value with its bootstrap interval ``[low, high]`` at *confidence*."""

    value: float
    low: float
    high: float
    confidence: float = 0.95

    def __str__(self) -> str:
        return f"{self.value:.3f} ({self.confidence:.0%} interval {self.low:.3f}-{self.high:.3f})"


def _scores(values: ArrayLike, name: str) -> np.ndarray:
    scores = np.asarray(values, dtype=np.float64)
    if scores.ndim != 1 or not len(scores):
        raise ValueError(f"{name} must be a non-empty 1-D array of per-example scores, got shape {scores.shape}.")
    if not np.isfinite(scores).all():
        raise ValueError(f"{name} holds {int((~np.isfinite(scores)).sum())} non-finite scores: score every example with a number.")
    return scores


def _percentile_interval(value: float, resampled: np.ndarray, confidence: float) -> Estimate:
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(resampled, [tail, 100 - tail])
    return Estimate(float(value), float(low), float(high), confidence)


def bootstrap_interval(scores: ArrayLike, *, confidence: float = 0.95, n_resamples: int = 2000, seed: int = 0) -> Estimate:
    """The mean of *scores* with a percentile-bootstrap interval over examples."""
    validate_params({"confidence": confidence, "n_resamples": n_resamples}, _CONSTRAINTS)
    values = _scores(scores, "scores")
    picks = np.random.default_rng(seed).integers(0, len(values), size=(n_resamples, len(values)))
    return _percentile_interval(values.mean(), values[picks].mean(axis=1), confidence)


def paired_difference(a: ArrayLike, b: ArrayLike, *, confidence: float = 0.95, n_resamples: int = 2000, seed: int = 0) -> Estimate:
    """``mean(a) - mean(b)`` for two systems scored on the same examples, with a paired bootstrap interval."""
    validate_params({"confidence": confidence, "n_resamples": n_resamples}, _CONSTRAINTS)
    first, second = _scores(a, "a"), _scores(b, "b")
    if len(first) != len(second):
        raise ValueError(f"a paired comparison needs both systems scored on the same examples, got {len(first)} and {len(second)} scores.")
    gaps = first - second
    picks = np.random.default_rng(seed).integers(0, len(gaps), size=(n_resamples, len(gaps)))
    return _percentile_interval(gaps.mean(), gaps[picks].mean(axis=1), confidence)


def leader(name_a: str, name_b: str, difference: Estimate) -> str | None:
    """*name_a* if the whole interval of ``a - b`` is above zero, *name_b* if below, None if it includes zero."""
    if difference.low > 0:
        return name_a
    if difference.high < 0:
        return name_b
    return None


def compare(name_a: str, name_b: str, difference: Estimate, what: str = "accuracy") -> str:
    """The sentence a paired *difference* (``a - b``, as from :func:`paired_difference`) supports.

    >>> compare("HMM", "CTC", Estimate(0.02, 0.01, 0.03))
    'HMM is ahead of CTC: its accuracy is higher by 1.0 to 3.0 points (95% interval).'
    >>> compare("the HMM", "the CTC", Estimate(0.01, -0.01, 0.03))
    'Neither the HMM nor the CTC is clearly ahead: the 95% interval of the difference in accuracy, -1.0 to +3.0 points, includes zero.'
    """
    level = f"{difference.confidence:.0%}"
    ahead = leader(name_a, name_b, difference)
    if ahead is None:
        sentence = (f"neither {name_a} nor {name_b} is clearly ahead: the {level} interval of the difference in {what}, "
                    f"{100 * difference.low:+.1f} to {100 * difference.high:+.1f} points, includes zero.")
    else:
        behind, sign = (name_b, 1) if ahead == name_a else (name_a, -1)
        low, high = sorted((sign * 100 * difference.low, sign * 100 * difference.high))
        sentence = f"{ahead} is ahead of {behind}: its {what} is higher by {low:.1f} to {high:.1f} points ({level} interval)."
    return sentence[0].upper() + sentence[1:]


def comparison_table(conditions: dict[str, tuple[ArrayLike, ArrayLike]], name_a: str, name_b: str, *, seed: int = 0) -> str:
    """A Markdown table: per condition, both systems' mean score with its interval, their paired difference, who leads.

    *conditions* maps a condition's name to the per-example scores of
    system *a* and system *b* on the same examples.

    >>> print(comparison_table({"clean": ([1, 1, 0, 1] * 25, [1, 0, 0, 1] * 25)}, "HMM", "CTC"))
    | condition | HMM | CTC | HMM - CTC (points) | clearly ahead |
    |---|---|---|---|---|
    | clean | 0.750 (0.670-0.840) | 0.500 (0.400-0.600) | +25.0 (+17.0 to +33.0) | HMM |
    """
    if not conditions:
        raise ValueError("conditions is empty: pass {condition: (scores of a, scores of b)}.")
    lines = [f"| condition | {name_a} | {name_b} | {name_a} - {name_b} (points) | clearly ahead |", "|---|---|---|---|---|"]
    for condition, (a, b) in conditions.items():
        first, second = bootstrap_interval(a, seed=seed), bootstrap_interval(b, seed=seed)
        gap = paired_difference(a, b, seed=seed)
        cells = [f"{e.value:.3f} ({e.low:.3f}-{e.high:.3f})" for e in (first, second)]
        cells.append(f"{100 * gap.value:+.1f} ({100 * gap.low:+.1f} to {100 * gap.high:+.1f})")
        lines.append(f"| {condition} | " + " | ".join(cells) + f" | {leader(name_a, name_b, gap) or 'neither'} |")
    return "\n".join(lines)
