import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression

from e2e_helpers.learn import curve_intervals as ci
from e2e_helpers.learn import learning_curves
from e2e_helpers.learn.intervals import Estimate


def test_seed_interval_covers_seed_spread_and_test_examples():
    rng = np.random.default_rng(0)
    one_seed = rng.random((1, 2000)) < 0.8
    wide_seeds = np.stack([rng.random(2000) < p for p in (0.70, 0.80, 0.90)])
    single, spread = ci.seed_interval(one_seed), ci.seed_interval(wide_seeds)
    assert single.low < single.value < single.high and abs(single.value - 0.8) < 0.03
    assert spread.high - spread.low > 3 * (single.high - single.low), (
        "seed-to-seed spread widens the interval"
    )
    assert spread.low < 0.8 < spread.high


def test_seed_difference_is_paired_and_checks_shapes():
    rng = np.random.default_rng(1)
    base = rng.random((3, 1000)) < 0.7
    better = base | (rng.random((3, 1000)) < 0.2)  # right wherever base is, and more
    gap = ci.seed_difference(better, base)
    assert gap.low > 0 and gap.value == pytest.approx(better.mean() - base.mean())
    with pytest.raises(ValueError, match="same seeds and test examples"):
        ci.seed_difference(better[:2], base)
    with pytest.raises(ValueError, match="record_correct"):
        ci.seed_interval(np.ones(10))
    with pytest.raises(ValueError, match=r"1 \(right\) or 0 \(wrong\).*\[nan\]"):
        ci.seed_interval(np.array([[1.0, np.nan]]))


def _d(value, low, high):
    return Estimate(value, low, high)


BEHIND, TIE, AHEAD = _d(-0.05, -0.08, -0.02), _d(0.0, -0.01, 0.01), _d(0.03, 0.01, 0.05)


@pytest.mark.parametrize(
    ("differences", "expected"),
    [
        ([BEHIND, TIE, AHEAD, AHEAD], 1000),  # behind, then clearly ahead for good from 1,000
        ([BEHIND, AHEAD, AHEAD, AHEAD], 100),
        ([AHEAD, AHEAD, AHEAD, AHEAD], -1),  # ahead from the start: nothing crossed
        (
            [TIE, TIE, AHEAD, AHEAD],
            -1,
        ),  # never clearly behind: the intervals did not separate that way
        ([BEHIND, BEHIND, TIE, TIE], -1),  # never clearly ahead
        ([BEHIND, AHEAD, TIE, AHEAD], 10_000),  # not ahead for good until the last size
        ([BEHIND, BEHIND, BEHIND, BEHIND], -1),
    ],
)
def test_interval_crossover(differences, expected):
    assert ci.interval_crossover([10, 100, 1000, 10_000], differences) == expected


_RIGHT = np.ones((2, 10))


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: ci.seed_interval([]), ValueError, r"\(seeds, test examples\) .*got shape \(0,\)"),
        (lambda: ci.seed_interval(np.ones((2, 0))), ValueError, r"got shape \(2, 0\)"),
        (lambda: ci.seed_interval(np.ones((1, 2, 3))), ValueError, "correct must be a"),
        (lambda: ci.seed_interval([[1, np.inf]]), ValueError, r"or 0 \(wrong\).*\[inf\]"),
        (lambda: ci.seed_interval([[1, 2]]), ValueError, r"values such as \[2\]"),
        (lambda: ci.seed_interval([["a", "b"]]), ValueError, "values such as"),
        (lambda: ci.seed_interval([[1]]), ValueError, "1 example: .* at least 2"),
        (lambda: ci.seed_interval(_RIGHT, confidence=1.5), ValueError, "confidence must be"),
        (lambda: ci.seed_interval(_RIGHT, n_resamples=0), ValueError, "n_resamples must be"),
        (lambda: ci.seed_difference(_RIGHT, _RIGHT[:1]), ValueError, r"got shapes \(2, 10\)"),
        (lambda: ci.seed_difference(_RIGHT, 0.5 * _RIGHT), ValueError, "correct_b must hold 1"),
        (lambda: ci.accuracy_intervals({}, "a"), TypeError, "curves must be LearningCurves"),
        (lambda: ci.accuracy_differences(None, "a", "b"), TypeError, "must be LearningCurves"),
        (lambda: ci.interval_crossover([], []), ValueError, "one difference per size, got 0"),
        (lambda: ci.interval_crossover([10, 100], [TIE]), ValueError, "got 2 sizes and 1"),
        (lambda: ci.interval_crossover([100, 10], [TIE, TIE]), ValueError, "increasing"),
        (lambda: ci.interval_crossover([[10]], [TIE]), ValueError, "one difference per size"),
        (lambda: ci.interval_crossover([10], [0.1]), TypeError, "must be an Estimate"),
        (lambda: ci.curve_verdict([10], [TIE, TIE], "a", "b"), ValueError, "one difference"),
    ],
)
def test_bad_input_is_explained(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_interval_crossover_bad_input():
    with pytest.raises(ValueError, match="one difference per size"):
        ci.interval_crossover([10, 100], [TIE])
    with pytest.raises(ValueError, match="increasing"):
        ci.interval_crossover([100, 10], [TIE, TIE])


def test_curve_verdict_says_only_what_the_intervals_support():
    crossing = ci.curve_verdict([50, 500, 5000], [BEHIND, TIE, AHEAD], "the CNN", "HOG")
    assert crossing.startswith(
        "HOG is clearly ahead at 50 images; the CNN is clearly ahead at 5,000 images; "
        "neither is clearly ahead at 500 images."
    )
    assert "the crossover lies between 500 and 5,000 images" in crossing
    never = ci.curve_verdict([50, 500], [TIE, AHEAD], "the CNN", "HOG")
    assert never.startswith(
        "The CNN is clearly ahead at 500 images; neither is clearly ahead at 50 images."
    )
    assert "no crossover" in never and "-1" in never
    assert "HOG is clearly ahead" not in never


def test_curves_with_record_correct_give_intervals_and_a_table():
    X, y = make_classification(
        n_samples=700, n_features=8, n_informative=5, n_classes=3, random_state=0
    )
    models = {"dummy": DummyClassifier(), "logistic": LogisticRegression(max_iter=300)}
    curves = learning_curves(
        models,
        X[:500],
        y[:500],
        X[500:],
        y[500:],
        [30, 300],
        seeds=[3, 1],
        record_correct=True,
        progress=False,
    )
    assert [c.shape for c in curves.correct["logistic"]] == [(3, 200), (1, 200)]
    assert np.allclose(curves.mean("logistic"), [c.mean() for c in curves.correct["logistic"]])
    gaps = ci.accuracy_differences(curves, "logistic", "dummy")
    assert all(g.low > 0 for g in gaps)
    assert ci.interval_crossover(curves.sizes, gaps) == -1  # ahead from the start
    table = ci.interval_table(curves, "dummy", "logistic")
    assert (
        table.count("\n") == 3 and "| 30 | 3 |" in table and "logistic |" in table.splitlines()[-1]
    )
    assert [e.value for e in ci.accuracy_intervals(curves, "dummy")] == pytest.approx(
        curves.mean("dummy")
    )
    plain = learning_curves(
        models, X[:500], y[:500], X[500:], y[500:], [30], seeds=1, progress=False
    )
    with pytest.raises(KeyError, match="record_correct"):
        ci.accuracy_intervals(plain, "dummy")


def test_known_results_need_predictions_when_recording():
    X, y = make_classification(
        n_samples=300, n_features=5, n_informative=3, n_classes=2, random_state=0
    )
    model = {"logistic": LogisticRegression()}
    with pytest.raises(ValueError, match="plus the 100 test predictions"):
        learning_curves(
            model,
            X[:200],
            y[:200],
            X[200:],
            y[200:],
            [200],
            known={"logistic": {200: (0.9, 1.0)}},
            record_correct=True,
            progress=False,
        )
    predictions = LogisticRegression().fit(X[:200], y[:200]).predict(X[200:])
    curves = learning_curves(
        model,
        X[:200],
        y[:200],
        X[200:],
        y[200:],
        [50, 200],
        seeds=2,
        record_correct=True,
        known={"logistic": {200: (0.5, 1.0, predictions)}},
        progress=False,
    )
    assert curves.correct["logistic"][1].shape == (1, 100)
    assert curves.n_seeds("logistic").tolist() == [2, 1]


def test_the_crossover_is_a_bracket_of_measured_sizes_and_each_verdict_is_rechecked():
    d = [_d(-0.05, -0.08, -0.02), _d(0.0, -0.01, 0.01), _d(0.03, 0.01, 0.05)]
    assert ci.crossover_bracket([50, 500, 5000], d) == (500, 5000)
    assert ci.crossover_bracket([50, 500, 5000], d[1:] + d[2:]) == (-1, -1)
    rng = np.random.default_rng(0)
    sizes = [100, 1000]
    curves = learning_curves(
        {"a": DummyClassifier(strategy="most_frequent"), "b": DummyClassifier()},
        *(np.zeros((200, 1)), np.zeros(200, int), np.zeros((400, 1)), np.zeros(400, int)),
        [10, 100],
        seeds=2,
        record_correct=True,
        progress=False,
    )
    curves.correct["a"] = [rng.random((2, 400)) < p for p in (0.9, 0.9)]
    curves.correct["b"] = [rng.random((2, 400)) < p for p in (0.6, 0.9)]
    curves.sizes = np.array(sizes)
    rescued = rng.random((2, 400)) < 0.9  # b, on twice its budget, catches up
    checks = [{"size": 100, "loser": "b", "budget": {"epochs": 8}, "right": rescued}]
    table = ci.recheck_table(curves, "a", "b", checks)
    assert "| 100 | a | b: epochs=8 |" in table and "no: neither clearly ahead" in table
    (verdict,) = ci.recheck_verdicts(curves, "a", "b", checks)
    assert (verdict["size"], verdict["was"], verdict["now"]) == (100, "a", None)
    assert verdict["before"].low > 0 and verdict["after"].low <= 0 <= verdict["after"].high


def test_auc_interval_matches_scikit_learn_and_covers_seeds_and_examples():
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 300)
    scores = np.stack([y + rng.normal(0, 1.5, 300) for _ in range(4)])
    e = ci.auc_interval(scores, y)
    assert e.value == pytest.approx(np.mean([roc_auc_score(y, s) for s in scores]))
    assert e.low < e.value < e.high and np.isnan(e.p)
    one_seed = ci.auc_interval(scores[0], y)
    assert one_seed.value == pytest.approx(roc_auc_score(y, scores[0]))


def test_auc_difference_is_paired_and_never_zero_width_for_deterministic_systems():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 400)
    a, b = y + rng.normal(0, 1.0, 400), y + rng.normal(0, 1.0, 400)
    gap = ci.auc_interval(a, y, minus=b)  # two deterministic systems: the test set still varies
    assert gap.high - gap.low > 0.01 and gap.low < gap.value < gap.high and 0 < gap.p <= 1
    same = ci.auc_interval(a, y, minus=a)
    assert same.value == 0 and same.low == same.high == 0 and same.p == 1
    better = ci.auc_interval(3 * y + rng.normal(0, 1.0, 400), y, minus=b)
    assert better.low > 0 and better.p < 0.01


@pytest.mark.parametrize(
    ("scores", "labels", "message"),
    [
        (np.zeros(4), [0, 0, 0, 0], "holding both classes"),
        (np.zeros(4), [0, 1, 2, 1], "0 .negative. and 1 .positive."),
        (np.zeros(3), [0, 1, 0, 1], "one score per test example .4."),
        (np.r_[0, np.nan, 1, 1], [0, 1, 0, 1], "non-finite"),
    ],
)
def test_auc_interval_refuses_bad_input(scores, labels, message):
    with pytest.raises(ValueError, match=message):
        ci.auc_interval(scores, labels)
