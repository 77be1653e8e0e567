"""learn.intervals: bootstrap intervals, paired differences and the verdicts they allow."""

from __future__ import annotations

import numpy as np
import pytest

from e2e_helpers.learn.intervals import (
    Estimate,
    bootstrap_interval,
    compare,
    comparison_table,
    curve_leaders,
    difference_over_seeds,
    estimate_table,
    leader,
    leads_sentence,
    paired_difference,
    sign_flip_interval,
    unpaired_difference,
)


def test_bootstrap_interval_brackets_the_mean_and_narrows_with_more_examples():
    rng = np.random.default_rng(0)
    small, large = ((rng.random(n) < 0.8).astype(float) for n in (50, 2000))
    few, many = bootstrap_interval(small), bootstrap_interval(large)
    for estimate, scores in ((few, small), (many, large)):
        assert estimate.low <= estimate.value <= estimate.high and estimate.value == pytest.approx(
            scores.mean()
        )
    assert many.high - many.low < (few.high - few.low) / 3
    width = (
        2 * 1.96 * np.sqrt(0.8 * 0.2 / 2000)
    )  # the normal approximation of a binomial proportion
    assert many.high - many.low == pytest.approx(width, rel=0.15)
    assert bootstrap_interval(large, seed=3) != many and bootstrap_interval(large) == many, (
        "seeded: reproducible"
    )
    assert str(Estimate(0.9, 0.85, 0.95)) == "0.900 (95% interval 0.850-0.950)"


def test_paired_difference_is_tighter_than_two_separate_intervals():
    rng = np.random.default_rng(1)
    a = (rng.random(500) < 0.9).astype(float)
    b = a.copy()
    b[rng.choice(500, 15, replace=False)] = (
        0.0  # b = a, except 15 extra mistakes (or none where a was wrong)
    )
    gap = paired_difference(a, b)
    assert gap.value == pytest.approx(a.mean() - b.mean()) and gap.low > 0
    separate = bootstrap_interval(a).low - bootstrap_interval(b).high
    assert separate < 0 < gap.low, (
        "unpaired intervals overlap; the paired one sees the systematic difference"
    )


@pytest.mark.parametrize(
    ("difference", "expected"),
    [
        (Estimate(0.02, 0.01, 0.03), "a"),
        (Estimate(-0.02, -0.03, -0.01), "b"),
        (Estimate(0.0, -0.01, 0.01), None),
        (Estimate(0.01, 0.0, 0.02), None),
    ],
)
def test_leader_needs_the_whole_interval_on_one_side(difference, expected):
    assert leader("a", "b", difference) == expected


def test_compare_says_only_what_the_interval_supports():
    assert compare(
        "the HMM", "the network", Estimate(-0.04, -0.06, -0.02), "sentence accuracy"
    ) == (
        "The network is ahead of the HMM: its sentence accuracy is higher by 2.0 to 6.0 points (95% interval)."
    )
    assert compare("x", "y", Estimate(0.0, -0.01, 0.02)).startswith(
        "Neither x nor y is clearly ahead"
    )


def test_comparison_table_has_one_row_per_condition():
    table = comparison_table(
        {"clean": ([1] * 10, [0] * 10), "0 dB": ([0, 1] * 5, [1, 0] * 5)}, "A", "B"
    )
    rows = table.splitlines()
    assert len(rows) == 4 and rows[2].endswith("| A |") and rows[3].endswith("| neither |")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: bootstrap_interval([]), "non-empty 1-D array"),
        (lambda: bootstrap_interval([1.0, np.nan]), "1 non-finite scores"),
        (
            lambda: bootstrap_interval([1, 0], confidence=1.0),
            r"confidence must be a finite number in \[0.5, 1.0\)",
        ),
        (lambda: bootstrap_interval([1, 0], n_resamples=10), "n_resamples must be an int >= 100"),
        (lambda: paired_difference([1, 0], [1]), "same examples, got 2 and 1"),
        (lambda: comparison_table({}, "a", "b"), "conditions is empty"),
    ],
)
def test_bad_input_is_explained(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_two_dimensional_scores_resample_seeds_too():
    rng = np.random.default_rng(2)
    one = (rng.random(400) < 0.8).astype(float)
    same_seeds = np.stack([one, one, one])
    different = np.stack([one, np.roll(one, 7), (rng.random(400) < 0.7).astype(float)])
    assert (
        bootstrap_interval(same_seeds) == bootstrap_interval(same_seeds)
        and bootstrap_interval(same_seeds).value == one.mean()
    )
    narrow, wide = bootstrap_interval(same_seeds), bootstrap_interval(different)
    assert wide.high - wide.low > narrow.high - narrow.low, "disagreeing seeds widen the interval"
    gap = paired_difference(one, different)
    assert (
        gap.value == pytest.approx(one.mean() - different.mean()) and gap.low < gap.value < gap.high
    )
    with pytest.raises(ValueError, match="same examples"):
        paired_difference(one[:10], different)
    with pytest.raises(ValueError, match="2-D"):
        bootstrap_interval(np.zeros((2, 2, 2)))


def test_unpaired_difference_resamples_each_group():
    a, b = np.r_[np.ones(80), np.zeros(20)], np.r_[np.ones(50), np.zeros(50)]
    gap = unpaired_difference(a, b[:60])
    assert gap.value == pytest.approx(0.8 - 50 / 60) and gap.low < gap.value < gap.high
    assert unpaired_difference(a, b).low > 0


def test_sign_flip_interval_is_exact_shift_equivariant_and_needs_six_units():
    x = np.array([0.03, 0.05, -0.01, 0.04, 0.02, 0.06])
    e = sign_flip_interval(x)
    assert e.value == pytest.approx(x.mean()) and e.low < 0 < e.high, (
        "one speaker worse: zero stays plausible"
    )
    shifted = sign_flip_interval(x + 1.0)
    assert shifted.low == pytest.approx(e.low + 1.0, abs=1e-3) and shifted.high == pytest.approx(
        e.high + 1.0, abs=1e-3
    )
    positive = sign_flip_interval(np.abs(x) + 0.01)
    assert positive.low > 0, (
        "all six better: the only more extreme patterns are all-plus and all-minus (p = 2/64)"
    )
    assert (
        sign_flip_interval(x, confidence=0.8).high - sign_flip_interval(x, confidence=0.8).low
        <= e.high - e.low
    )
    with pytest.raises(ValueError, match="at least 6 paired units"):
        sign_flip_interval(x[:5])
    big = sign_flip_interval(
        np.random.default_rng(0).normal(1.0, 1.0, 30)
    )  # random sign patterns beyond 14 units
    assert big.low < 1.2 and big.high > 0.8 and big.low > 0


def test_difference_over_seeds_is_welch_t():
    a, b = np.array([0.90, 0.91, 0.92]), np.array([0.85, 0.88, 0.86])
    e = difference_over_seeds(a, b)
    from scipy import stats

    reference = stats.ttest_ind(a, b, equal_var=False).confidence_interval(0.95)
    assert (e.low, e.high) == pytest.approx((reference.low, reference.high))
    assert (
        difference_over_seeds(a, a) == Estimate(0.0, 0.0, 0.0)
        or difference_over_seeds(a, a).low < 0
    )
    assert difference_over_seeds([1.0, 1.0], [0.5, 0.5]) == Estimate(0.5, 0.5, 0.5)
    with pytest.raises(ValueError, match="at least 2 seeds"):
        difference_over_seeds([0.9], [0.8, 0.7])


class _Curves:
    sizes = np.array([10, 100, 1000])
    scores = {
        "A": [np.array([0.9, 0.91, 0.92]), np.array([0.8, 0.9, 0.7]), np.array([0.5, 0.52, 0.51])],
        "B": [
            np.array([0.5, 0.51, 0.52]),
            np.array([0.85, 0.75, 0.8]),
            np.array([0.9, 0.92, 0.91]),
        ],
    }
    metrics = {"AUC": scores}


def test_curve_leaders_and_the_sentence():
    leaders = curve_leaders(_Curves(), "A", "B")
    assert leaders == ["A", None, "B"] and curve_leaders(_Curves(), "A", "B", "AUC") == leaders
    assert leads_sentence(_Curves.sizes, leaders, "images") == (
        "A is clearly ahead at 10 images; B is clearly ahead at 1,000 images; neither is clearly ahead at 100 images."
    )
    assert leads_sentence([5, 50], [None, None]) == "Neither is clearly ahead at 5 and 50 examples."
    with pytest.raises(ValueError, match="one leader"):
        leads_sentence([5, 50], [None])


def test_estimate_table_marks_missing_cells():
    table = estimate_table({"clean": {"a": Estimate(0.9, 0.8, 0.95), "b": None}}, ["a", "b"])
    assert table.splitlines()[2] == "| clean | 0.900 (0.800-0.950) | — |"
    with pytest.raises(ValueError, match="at least one row"):
        estimate_table({}, ["a"])
