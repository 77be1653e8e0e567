"""learn.intervals: bootstrap intervals, paired differences and the verdicts they allow."""

from __future__ import annotations

import numpy as np
import pytest

from e2e_helpers.learn.intervals import Estimate, bootstrap_interval, compare, comparison_table, leader, paired_difference


def test_bootstrap_interval_brackets_the_mean_and_narrows_with_more_examples():
    rng = np.random.default_rng(0)
    small, large = ((rng.random(n) < 0.8).astype(float) for n in (50, 2000))
    few, many = bootstrap_interval(small), bootstrap_interval(large)
    for estimate, scores in ((few, small), (many, large)):
        assert estimate.low <= estimate.value <= estimate.high and estimate.value == pytest.approx(scores.mean())
    assert many.high - many.low < (few.high - few.low) / 3
    width = 2 * 1.96 * np.sqrt(0.8 * 0.2 / 2000)  # the normal approximation of a binomial proportion
    assert many.high - many.low == pytest.approx(width, rel=0.15)
    assert bootstrap_interval(large, seed=3) != many and bootstrap_interval(large) == many, "seeded: reproducible"
    assert str(Estimate(0.9, 0.85, 0.95)) == "0.900 (95% interval 0.850-0.950)"


def test_paired_difference_is_tighter_than_two_separate_intervals():
    rng = np.random.default_rng(1)
    a = (rng.random(500) < 0.9).astype(float)
    b = a.copy()
    b[rng.choice(500, 15, replace=False)] = 0.0  # b = a, except 15 extra mistakes (or none where a was wrong)
    gap = paired_difference(a, b)
    assert gap.value == pytest.approx(a.mean() - b.mean()) and gap.low > 0
    separate = bootstrap_interval(a).low - bootstrap_interval(b).high
    assert separate < 0 < gap.low, "unpaired intervals overlap; the paired one sees the systematic difference"


@pytest.mark.parametrize(
    ("difference", "expected"),
    [(Estimate(0.02, 0.01, 0.03), "a"), (Estimate(-0.02, -0.03, -0.01), "b"), (Estimate(0.0, -0.01, 0.01), None),
     (Estimate(0.01, 0.0, 0.02), None)],
)
def test_leader_needs_the_whole_interval_on_one_side(difference, expected):
    assert leader("a", "b", difference) == expected


def test_compare_says_only_what_the_interval_supports():
    assert compare("the HMM", "the network", Estimate(-0.04, -0.06, -0.02), "sentence accuracy") == (
        "The network is ahead of the HMM: its sentence accuracy is higher by 2.0 to 6.0 points (95% interval).")
    assert compare("x", "y", Estimate(0.0, -0.01, 0.02)).startswith("Neither x nor y is clearly ahead")


def test_comparison_table_has_one_row_per_condition():
    table = comparison_table({"clean": ([1] * 10, [0] * 10), "0 dB": ([0, 1] * 5, [1, 0] * 5)}, "A", "B")
    rows = table.splitlines()
    assert len(rows) == 4 and rows[2].endswith("| A |") and rows[3].endswith("| neither |")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: bootstrap_interval([]), "non-empty 1-D array"),
        (lambda: bootstrap_interval([1.0, np.nan]), "1 non-finite scores"),
        (lambda: bootstrap_interval([1, 0], confidence=1.0), r"confidence must be a finite number in \[0.5, 1.0\)"),
        (lambda: bootstrap_interval([1, 0], n_resamples=10), "n_resamples must be an int >= 100"),
        (lambda: paired_difference([1, 0], [1]), "same examples, got 2 and 1"),
        (lambda: comparison_table({}, "a", "b"), "conditions is empty"),
    ],
)
def test_bad_input_is_explained(call, message):
    with pytest.raises(ValueError, match=message):
        call()
