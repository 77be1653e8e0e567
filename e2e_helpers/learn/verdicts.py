"""What an interval allows one to say: who is ahead, in a sentence and in tables.

:func:`leader` and :func:`compare` turn the interval of a difference (from
:mod:`~e2e_helpers.learn.intervals`) into the only verdict and sentence it supports, and
:func:`comparison_table` lays several conditions side by side; :func:`leads_sentence` says who
leads where along a learning curve (the leaders from :mod:`~e2e_helpers.learn.curve_intervals`),
and :func:`estimate_table` tabulates estimates. An interval whose inputs did not vary (its
``caveat`` says so) gives no verdict.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import ArrayLike

from .._tables import markdown_table
from .intervals import (
    Estimate,
    as_estimate,
    bootstrap_interval,
    paired_difference,
)

__all__ = [
    "leader",
    "compare",
    "comparison_table",
    "leads_sentence",
    "estimate_table",
    "holm_table",
    "simplest_within_noise",
]


def leader(name_a: str, name_b: str, difference: Estimate) -> str | None:
    """*name_a* if the whole interval of ``a - b`` is above zero, *name_b* if below, None if it
    includes zero or has a ``caveat`` (no width: it measured no uncertainty)."""
    if as_estimate(difference, "difference").caveat:
        return None
    if difference.low > 0:
        return name_a
    if difference.high < 0:
        return name_b
    return None


def compare(name_a: str, name_b: str, difference: Estimate, what: str = "accuracy") -> str:
    """The sentence a paired *difference* (``a - b``, as from :func:`paired_difference`) supports.

    >>> compare("HMM", "CTC", Estimate(0.02, 0.01, 0.03))
    'HMM is ahead of CTC: its accuracy is higher by 1.0 to 3.0 points (95% interval).'
    >>> print(compare("the HMM", "the CTC", Estimate(0.01, -0.01, 0.03)))
    ... # doctest: +NORMALIZE_WHITESPACE
    Neither the HMM nor the CTC is clearly ahead: the 95% interval of the difference in accuracy,
    -1.0 to +3.0 points, includes zero.
    """
    ahead = leader(name_a, name_b, difference)
    level = f"{difference.confidence:.1%}".replace(".0%", "%")
    if difference.caveat:
        sentence = (
            f"neither {name_a} nor {name_b} can be called clearly ahead: {difference.caveat}, so "
            f"the interval of the difference in {what} ({100 * difference.value:+.1f} points) has "
            "no width and measures no uncertainty."
        )
    elif ahead is None:
        sentence = (
            f"neither {name_a} nor {name_b} is clearly ahead: the {level} interval of the "
            f"difference in {what}, "
            f"{100 * difference.low:+.1f} to {100 * difference.high:+.1f} points, includes zero."
        )
    else:
        behind, sign = (name_b, 1) if ahead == name_a else (name_a, -1)
        low, high = sorted((sign * 100 * difference.low, sign * 100 * difference.high))
        sentence = (
            f"{ahead} is ahead of {behind}: its {what} is higher by {low:.1f} to {high:.1f} points "
            f"({level} interval)."
        )
    return sentence[0].upper() + sentence[1:]


def comparison_table(
    conditions: dict[str, tuple],
    name_a: str,
    name_b: str,
    *,
    confidence: float = 0.95,
    seed: int = 0,
) -> str:
    """A Markdown table: per condition, both systems' mean score with its interval, their paired
    difference, who leads.

    *conditions* maps a condition's name to the per-example scores of
    system *a* and system *b* on the same examples, optionally with a third
    entry, the examples' *sources* (see
    :func:`~e2e_helpers.learn.bootstrap_interval`: the sources are resampled).
    *confidence*: of every interval (e.g. ``1 - 0.05 / k`` for *k* verdicts,
    Bonferroni's adjustment, so that all *k* hold together at 95%).

    >>> print(comparison_table({"clean": ([1, 1, 0, 1] * 25, [1, 0, 0, 1] * 25)}, "HMM", "CTC"))
    | condition | HMM | CTC | HMM - CTC (points) | clearly ahead |
    |---|---|---|---|---|
    | clean | 0.750 (0.670-0.840) | 0.500 (0.400-0.600) | +25.0 (+17.0 to +33.0) | HMM |
    """
    if not conditions:
        raise ValueError("conditions is empty: pass {condition: (scores of a, scores of b)}.")
    for condition, pair in conditions.items():
        if (
            not isinstance(pair, (tuple, list))
            or len(pair) not in (2, 3)
            or any(np.ndim(scores) == 0 for scores in pair[:2])
        ):
            raise ValueError(
                f"conditions[{condition!r}] must be a pair (scores of a, scores of b), "
                f"or a triple with their sources, got {pair!r:.80}."
            )
    rows = []
    for condition, (a, b, *more) in conditions.items():
        src = more[0] if more else None
        options = {"seed": seed, "sources": src, "confidence": confidence}
        gap = paired_difference(a, b, **options)
        first, second = bootstrap_interval(a, **options), bootstrap_interval(b, **options)
        cells = [f"{e.value:.3f} ({e.low:.3f}-{e.high:.3f})" for e in (first, second)]
        cells.append(f"{100 * gap.value:+.1f} ({100 * gap.low:+.1f} to {100 * gap.high:+.1f})")
        rows.append([str(condition), *cells, leader(name_a, name_b, gap) or "neither"])
    header = ["condition", name_a, name_b, f"{name_a} - {name_b} (points)", "clearly ahead"]
    return markdown_table(header, rows)


def leads_sentence(
    sizes: Sequence[int], leaders: Sequence[str | None], unit: str = "examples"
) -> str:
    """Who leads where, in words: ``"A is clearly ahead at 20 and 50 images; neither at 200."``
    (sizes in order)."""
    if len(sizes) != len(leaders) or not len(sizes):
        raise ValueError(
            f"need one leader (or None) per size, got {len(leaders)} for {len(sizes)} sizes."
        )
    groups: dict[str | None, list[int]] = {}
    for size, who in zip(sizes, leaders):
        groups.setdefault(who, []).append(int(size))
    parts = [
        f"{who} is clearly ahead at {_listed_sizes(at, unit)}"
        for who, at in groups.items()
        if who is not None
    ]
    if None in groups:
        parts.append(f"neither is clearly ahead at {_listed_sizes(groups[None], unit)}")
    text = "; ".join(parts) + "."
    return text[0].upper() + text[1:]


def _listed_sizes(sizes: Sequence[int], unit: str) -> str:
    """Sizes in words: ``_listed_sizes([50, 163, 530], "images")`` is
    ``"50, 163 and 530 images"``."""
    named = [f"{int(s):,}" for s in sizes]
    return (
        ", ".join(named[:-1]) + " and " + named[-1] if len(named) > 1 else named[0]
    ) + f" {unit}"


def estimate_table(
    rows: Mapping[str, Mapping[str, Estimate | None]], columns: Sequence[str]
) -> str:
    """A Markdown table of estimates: one row per measurement, one column per system ("—" where it
    has none)."""
    if not rows or not columns:
        raise ValueError("estimate_table needs at least one row and one column.")
    lines = []
    for name, row in rows.items():
        cells = [
            ("—" if row.get(c) is None else _cell(as_estimate(row[c], f"rows[{name!r}][{c!r}]")))
            for c in columns
        ]
        lines.append([str(name), *cells])
    return markdown_table(["measurement", *columns], lines)


def holm_table(
    claims: Mapping[str, tuple[str, str, Estimate]], *, level: float = 0.05, what: str = "accuracy"
) -> str:
    """A Markdown table of a family of claims, each ``label -> (name_a, name_b, a - b)``, with
    Holm's adjustment: the claims that hold *together* at ``1 - level``.

    One claim at 5% is wrong one time in twenty when there is no difference; ten claims at 5% each
    are likely to hold a fluke. Holm's step-down procedure keeps the chance of any false claim in
    the family at *level*: sort the p-values, compare the smallest with ``level / m``, the next
    with ``level / (m - 1)``, and so on, stopping at the first that fails. The adjusted p-value is
    what each claim would need to be below *level*. A difference without a p-value (an
    :class:`~e2e_helpers.learn.intervals.Estimate` from a function that gives none) is refused.

    >>> e = Estimate(0.02, 0.01, 0.03, p=0.01)
    >>> "yes" in holm_table({"x": ("A", "B", e)})
    True
    """
    if not claims:
        raise ValueError("holm_table needs at least one claim: {label: (name_a, name_b, a - b)}.")
    for label, claim in claims.items():
        if len(claim) != 3 or np.isnan(as_estimate(claim[2], f"claims[{label!r}][2]").p):
            raise ValueError(
                f"claims[{label!r}] must be (name_a, name_b, difference) with a p-value: use "
                "paired_difference, sign_flip_interval, auc_interval(minus=...) or seed_difference."
            )
    p = np.array([1.0 if c[2].caveat else c[2].p for c in claims.values()])
    order, m = np.argsort(p, kind="stable"), len(p)
    adjusted = np.empty(m)
    adjusted[order] = np.minimum(1.0, np.maximum.accumulate(p[order] * (m - np.arange(m))))
    rows = []
    for (label, (a, b, e)), raw, held in zip(claims.items(), p, adjusted):
        who = (a if e.value > 0 else b) if held < level and e.value != 0 else None
        rows.append(
            [
                label,
                f"{100 * e.value:+.1f} ({100 * e.low:+.1f} to {100 * e.high:+.1f})",
                f"{raw:.3f}",
                f"{held:.3f}",
                f"yes: {who} ahead" if who else "no",
            ]
        )
    header = ["claim", f"difference in {what} (points, interval)", "p", "Holm-adjusted p"]
    return markdown_table([*header, f"holds in the family at {1 - level:.0%}"], rows, align="llrrl")


def _cell(e: Estimate) -> str:
    if e.caveat:
        return f"{e.value:.3f} (no interval: {e.caveat})"
    if e.low < 0:  # a difference that may be negative: signed, "-0.040 to -0.003"
        return f"{e.value:+.3f} ({e.low:+.3f} to {e.high:+.3f})"
    return f"{e.value:.3f} ({e.low:.3f}-{e.high:.3f})"


def simplest_within_noise(
    scores: Sequence[ArrayLike],
    costs: Sequence[float],
    *,
    sources: object = None,
    confidence: float = 0.683,
) -> int:
    """Which candidate to keep: the cheapest one within one standard error of the best.

    *scores*: each candidate's per-item validation results (the same items);
    *costs*: how complex or slow each is (its parameters, say). The best is
    the highest mean; a candidate whose paired difference from it
    (:func:`~e2e_helpers.learn.paired_difference`, *sources* as there) has a
    *confidence* interval that includes zero is as good as far as the
    validation data can tell, and the cheapest of those is kept. The default
    68.3% interval is Breiman's one-standard-error rule (plus or minus one
    standard error); 0.95 would keep settings up to two standard errors worse.
    """
    if not len(scores) or len(scores) != len(costs):
        raise ValueError(
            f"need one cost per candidate and at least one candidate, got {len(scores)} score "
            f"lists and {len(costs)} costs."
        )
    means = [float(np.mean(s)) for s in scores]
    best = int(np.argmax(means))
    tied = [
        k
        for k, s in enumerate(scores)
        if k == best
        or paired_difference(scores[best], s, sources=sources, confidence=confidence).low <= 0
    ]
    return min(tied, key=lambda k: (costs[k], -means[k]))
