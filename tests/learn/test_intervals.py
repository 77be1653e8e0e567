"""learn.intervals: bootstrap intervals, paired differences and the verdicts they allow."""

from __future__ import annotations

import numpy as np
import pytest

from e2e_helpers.learn.intervals import (
    Estimate,
    bootstrap_interval,
    paired_difference,
    sign_flip_interval,
    unpaired_difference,
)
from e2e_helpers.learn.verdicts import (
    compare,
    comparison_table,
    estimate_table,
    leader,
    leads_sentence,
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
    # the normal approximation of a binomial proportion
    width = 2 * 1.96 * np.sqrt(0.8 * 0.2 / 2000)
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
        "The network is ahead of the HMM: its sentence accuracy is higher by 2.0 to 6.0 points "
        "(95% interval)."
    )
    assert compare("x", "y", Estimate(0.0, -0.01, 0.02)).startswith(
        "Neither x nor y is clearly ahead"
    )


def test_comparison_table_has_one_row_per_condition():
    table = comparison_table(
        {"clean": ([1] * 9 + [0], [0] * 9 + [1]), "0 dB": ([0, 1] * 5, [1, 0] * 5)}, "A", "B"
    )
    rows = table.splitlines()
    assert len(rows) == 4 and rows[2].endswith("| A |") and rows[3].endswith("| neither |")


_E = Estimate(0.1, 0.0, 0.2)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: bootstrap_interval([]), ValueError, "non-empty 1-D array"),
        (lambda: bootstrap_interval([[[1.0]]]), ValueError, r"got shape \(1, 1, 1\)"),
        (lambda: bootstrap_interval(["a", "b"]), ValueError, "scores must be .*numbers"),
        (lambda: bootstrap_interval([1.0, np.nan]), ValueError, "1 non-finite scores"),
        (lambda: bootstrap_interval([1.0, np.inf]), ValueError, "1 non-finite scores"),
        (lambda: bootstrap_interval([1.0]), ValueError, "scores holds 1 example: .* at least 2"),
        (
            lambda: bootstrap_interval([1, 0], confidence=1.0),
            ValueError,
            r"confidence must be a finite number in \[0.5, 1.0\), got 1.0",
        ),
        (lambda: bootstrap_interval([1, 0], confidence=-0.5), ValueError, "got -0.5"),
        (lambda: bootstrap_interval([1, 0], confidence=np.nan), ValueError, "confidence must be"),
        (lambda: bootstrap_interval([1, 0], n_resamples=10), ValueError, "n_resamples must be an"),
        (lambda: bootstrap_interval([1, 0], n_resamples=0), ValueError, "int >= 100, got 0"),
        (lambda: bootstrap_interval([1, 0], seed=-1), ValueError, "seed must be an int >= 0"),
        (lambda: paired_difference([1, 0], [1]), ValueError, "same examples, got 2 and 1"),
        (lambda: paired_difference([1], [1]), ValueError, "a holds 1 example"),
        (lambda: paired_difference([1, 0], [np.nan, 1]), ValueError, "b holds 1 non-finite"),
        (lambda: unpaired_difference([1, 0], []), ValueError, "b must be a non-empty"),
        (lambda: unpaired_difference([1, 0], [1]), ValueError, "b holds 1 example"),
        (lambda: sign_flip_interval([0.1] * 5), ValueError, "at least 6 paired units, got 5"),
        (lambda: sign_flip_interval([0.1] * 6, grid=1), ValueError, "grid must be an int >= 2"),
        (lambda: sign_flip_interval([0.1] * 6, confidence=2), ValueError, "confidence must be"),
        (lambda: leader("a", "b", (0.1, 0.0, 0.2)), TypeError, "difference must be an Estimate"),
        (lambda: compare("a", "b", 0.1), TypeError, "difference must be an Estimate"),
        (lambda: comparison_table({}, "a", "b"), ValueError, "conditions is empty"),
        (
            lambda: comparison_table({"x": [1, 0, 1]}, "a", "b"),
            ValueError,
            r"conditions\['x'\] must",
        ),
        (lambda: comparison_table({"x": ([1, 0], [1])}, "a", "b"), ValueError, "same examples"),
        (lambda: leads_sentence([], []), ValueError, "one leader .* got 0 for 0 sizes"),
        (lambda: leads_sentence([5, 50], [None]), ValueError, "got 1 for 2 sizes"),
        (lambda: estimate_table({}, ["a"]), ValueError, "at least one row and one column"),
        (lambda: estimate_table({"r": {"a": _E}}, []), ValueError, "at least one row"),
        (lambda: estimate_table({"r": {"a": 0.9}}, ["a"]), TypeError, r"rows\['r'\]\['a'\]"),
    ],
)
def test_bad_input_is_explained(call, error, message):
    with pytest.raises(error, match=message):
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
    # random sign patterns beyond 14 units
    big = sign_flip_interval(np.random.default_rng(0).normal(1.0, 1.0, 30))
    assert big.low < 1.2 and big.high > 0.8 and big.low > 0


def test_zero_variance_inputs_give_no_verdict():
    """A zero-width interval from inputs that do not vary never says "clearly" (issue 28, item
    3)."""
    same = Estimate(0.5, 0.5, 0.5, 0.95, "no variation over seeds")
    assert (same.value, same.low, same.high) == (0.5, 0.5, 0.5)
    assert same.caveat == "no variation over seeds" and leader("a", "b", same) is None
    assert compare("the CNN", "the texture model", same, "AUC") == (
        "Neither the CNN nor the texture model can be called clearly ahead: no variation over "
        "seeds, so the interval of the difference in AUC (+50.0 points) has no width and measures "
        "no uncertainty."
    )
    assert str(same) == "0.500 (no interval: no variation over seeds)"
    assert estimate_table({"r": {"a": same}}, ["a"]).splitlines()[2] == (
        "| r | 0.500 (no interval: no variation over seeds) |"
    )
    flat = bootstrap_interval([1.0] * 50)
    assert (flat.low, flat.high, flat.caveat) == (1.0, 1.0, "no variation between examples")
    shifted = paired_difference([1.0] * 20, [0.0] * 20)
    assert shifted.caveat and leader("a", "b", shifted) is None
    units = sign_flip_interval([0.02] * 6)
    assert units.caveat == "no variation between units" and leader("a", "b", units) is None
    table = comparison_table({"clean": ([1] * 10, [0] * 10)}, "A", "B")
    assert table.splitlines()[2].endswith("| neither |")
    varying = Estimate(0.1, 0.05, 0.15, 0.95)  # an interval with width, clear of zero
    assert varying.caveat == "" and leader("a", "b", varying) == "a"


def test_leads_sentence():
    assert leads_sentence([10, 100, 1000], ["A", None, "B"], "images") == (
        "A is clearly ahead at 10 images; B is clearly ahead at 1,000 images; neither is clearly "
        "ahead at 100 images."
    )
    assert leads_sentence([5, 50], [None, None]) == "Neither is clearly ahead at 5 and 50 examples."
    with pytest.raises(ValueError, match="one leader"):
        leads_sentence([5, 50], [None])


def test_estimate_table_marks_missing_cells():
    table = estimate_table({"clean": {"a": Estimate(0.9, 0.8, 0.95), "b": None}}, ["a", "b"])
    assert table.splitlines()[2] == "| clean | 0.900 (0.800-0.950) | — |"
    with pytest.raises(ValueError, match="at least one row"):
        estimate_table({}, ["a"])


def _strings_of_recordings(seed: int, n_recordings: int = 300, n_strings: int = 500):
    """Strings of 1-5 recordings, right when every recording is (each right with p = 0.97)."""
    rng = np.random.default_rng(seed)
    right = rng.random(n_recordings) < 0.97
    sources = [
        tuple(rng.integers(0, n_recordings, size=rng.integers(1, 6))) for _ in range(n_strings)
    ]
    return np.array([right[list(s)].all() for s in sources], float), sources


def test_shared_sources_give_an_interval_as_wide_as_the_truth():
    # the truth: how much the accuracy varies when recordings and strings are drawn afresh
    truth = np.std([_strings_of_recordings(k)[0].mean() for k in range(300)])
    strings, sources = _strings_of_recordings(1000)
    plain, shared = bootstrap_interval(strings), bootstrap_interval(strings, sources=sources)
    width = lambda e: (e.high - e.low) / (2 * 1.96)  # noqa: E731 - the interval as a standard deviation
    assert shared.value == plain.value
    assert width(plain) < 0.5 * truth, "strings as independent items: far too narrow"
    assert 0.75 * truth < width(shared) < 1.3 * truth
    # redrawing recordings and rebuilding the strings (product weights) is much too wide
    counts = np.random.default_rng(0).multinomial(300, np.full(300, 1 / 300), size=2000)
    product = np.stack([counts[:, list(s)].prod(axis=1) for s in sources], axis=1)
    assert np.std(product @ strings / product.sum(axis=1)) > 1.3 * truth
    alone = bootstrap_interval(strings, sources=[(k,) for k in range(len(strings))])
    assert abs(width(alone) - width(plain)) < 0.2 * width(plain), "one source each: plain"
    other = np.roll(strings, 1)
    gap = paired_difference(strings, other, sources=sources)
    assert gap.low <= gap.value <= gap.high
    seeds = np.stack([strings, other])  # 2-D: seeds resampled as well
    assert bootstrap_interval(seeds, sources=sources).value == seeds.mean()


@pytest.mark.parametrize(
    "sources",
    [[(0,)] * 3, [(0,), (), (1,)], [(0,), (1,), (2,), (3,)]],
    ids=["short", "empty", "long"],
)
def test_sources_must_name_each_examples_recordings(sources):
    with pytest.raises(ValueError, match="one non-empty list of source ids per example"):
        bootstrap_interval([1, 0, 1, 1] if len(sources) == 3 else [1, 0, 1], sources=sources)


def test_comparison_table_takes_sources_and_a_confidence():
    a, b = [1, 1, 0, 1] * 25, [1, 0, 0, 1] * 25
    sources = [(k % 10,) for k in range(100)]
    plain = comparison_table({"clean": (a, b)}, "A", "B")
    shared = comparison_table({"clean": (a, b, sources)}, "A", "B")
    wider = comparison_table({"clean": (a, b)}, "A", "B", confidence=0.99)
    assert plain != shared and plain != wider and "clean" in shared


def test_simplest_within_noise_keeps_the_cheapest_tie():
    from e2e_helpers.learn.verdicts import simplest_within_noise

    rng = np.random.default_rng(0)
    best = (rng.random(300) < 0.9).astype(float)
    right, wrong = np.flatnonzero(best == 1), np.flatnonzero(best == 0)
    tied, behind = best.copy(), best.copy()
    tied[right[:3]], tied[wrong[:2]] = 0, 1  # 0.3 points behind: within one standard error
    behind[right[:8]], behind[wrong[:3]] = 0, 1  # 1.7 points: outside one, inside two
    poor = (rng.random(300) < 0.6).astype(float)
    assert simplest_within_noise([best, tied, behind, poor], [10, 5, 2, 1]) == 1
    assert simplest_within_noise([best, tied, behind, poor], [10, 5, 2, 1], confidence=0.95) == 2
    assert simplest_within_noise([best, tied, poor], [1, 5, 10]) == 0
    assert simplest_within_noise([best], [3]) == 0
    with pytest.raises(ValueError, match="one cost per candidate"):
        simplest_within_noise([best, tied], [1])


def test_differences_carry_a_p_value_and_holm_adjusts_the_family():
    from e2e_helpers.learn.verdicts import holm_table

    flips = sign_flip_interval([0.02, 0.04, 0.03, 0.05, 0.01, 0.06])
    assert flips.p == pytest.approx(2 / 64)  # all six the same way: the smallest p six units give
    rng = np.random.default_rng(0)
    clear = paired_difference(rng.random(500) < 0.9, rng.random(500) < 0.7)
    assert clear.p < 0.01 and np.isnan(bootstrap_interval(rng.random(50)).p)
    table = holm_table({"speakers": ("A", "B", flips), "recordings": ("A", "B", clear)})
    speakers, recordings = table.splitlines()[2:]
    assert recordings.endswith("yes: A ahead |")  # 2 claims: p < 0.05 / 2
    assert "| 0.031 | 0.031 | yes: A ahead |" in speakers  # then p < 0.05 / 1
    three = holm_table({f"c{i}": ("A", "B", flips) for i in range(3)})
    assert three.count("| no |") == 3  # three claims at p = 1/32: none survives
    with pytest.raises(ValueError, match="with a p-value"):
        holm_table({"x": ("A", "B", bootstrap_interval(rng.random(50)))})


def test_estimates_with_no_p_value_compare_equal_on_every_python():
    # Python 3.13's dataclasses compare field by field, where NaN != NaN
    a, b = Estimate(0.5, 0.4, 0.6, p=float("nan")), Estimate(0.5, 0.4, 0.6, p=np.float64("nan"))
    assert a == b and hash(a) == hash(b) and a != Estimate(0.5, 0.4, 0.7)
