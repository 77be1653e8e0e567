import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.datasets import make_classification
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from e2e_helpers.learn import curve_plan, learning_curve


@pytest.fixture
def data():
    X, y = make_classification(
        n_samples=600, n_features=8, n_informative=4, n_classes=3, random_state=0
    )
    return X[:400], y[:400], X[400:], y[400:]


def test_log_sizes_and_seed_counts():
    sizes = curve_plan.log_sizes(50, 60_000, 8)
    assert sizes[0] == 50 and sizes[-1] == 60_000 and len(sizes) == 8
    assert np.all(np.diff(np.log(sizes)) > 0)
    counts = curve_plan.seed_counts(sizes, most=5, least=1)
    assert counts[0] == 5 and counts[-1] == 1 and np.all(np.diff(counts) <= 0)
    with pytest.raises(ValueError, match="smallest"):
        curve_plan.log_sizes(100, 10, 3)
    with pytest.raises(ValueError, match="do not fit"):
        curve_plan.log_sizes(1, 3, 10)
    with pytest.raises(ValueError, match="least"):
        curve_plan.seed_counts(sizes, most=1, least=3)


def test_stratified_subset_keeps_proportions_and_is_seeded():
    y = np.repeat([0, 1, 2, 3], [100, 100, 100, 100])
    rows = learning_curve.stratified_subset(y, 40, seed=1)
    assert len(rows) == 40 and len(set(rows)) == 40
    assert np.bincount(y[rows]).tolist() == [10, 10, 10, 10]
    assert np.array_equal(rows, learning_curve.stratified_subset(y, 40, seed=1))
    assert not np.array_equal(rows, learning_curve.stratified_subset(y, 40, seed=2))
    assert np.array_equal(learning_curve.stratified_subset(y, 400, seed=0), np.arange(400))
    with pytest.raises(ValueError, match="size must be"):
        learning_curve.stratified_subset(y, 401, seed=0)


def test_learning_curves_shapes_and_growth(data):
    X_train, y_train, X_test, y_test = data
    models = {
        "logistic": make_pipeline(StandardScaler(), LogisticRegression(max_iter=500)),
        "dummy": DummyClassifier(),
    }
    sizes = [20, 60, 400]
    result = learning_curve.learning_curves(
        models, X_train, y_train, X_test, y_test, sizes, seeds=[3, 2, 1], progress=False
    )
    assert result.names == ("logistic", "dummy")
    assert result.n_seeds("logistic").tolist() == [3, 2, 1]
    assert result.mean("logistic").shape == (3,) and result.std("logistic")[-1] == 0
    assert result.mean("logistic")[-1] > result.mean("dummy")[-1] + 0.2
    assert np.all(result.seconds("dummy") >= 0)
    assert 20 <= result.crossover("dummy", "logistic") or math.isnan(
        result.crossover("dummy", "logistic")
    )
    assert "| 400 |" in result.table()
    assert result.at("logistic", 400) == pytest.approx(result.mean("logistic")[-1])
    with pytest.raises(KeyError, match="no curve"):
        result.mean("svm")


def test_precomputed_features_known_and_params(data):
    X_train, y_train, X_test, y_test = data
    calls = []
    result = learning_curve.learning_curves(
        {"lr": LogisticRegression(max_iter=500)},
        np.zeros((400, 1)),
        y_train,
        np.zeros((200, 1)),
        y_test,
        [50, 400],
        seeds=2,
        features={"lr": (X_train, X_test)},
        params=lambda name, size: calls.append((name, size)) or {"C": 1.0},
        known={"lr": {400: (0.5, 1.5)}},
        progress=False,
    )
    assert result.mean("lr")[0] > 0.5, "the features, not the zero X, were used"
    assert result.scores["lr"][1].tolist() == [0.5] and result.fit_seconds["lr"][1].tolist() == [
        1.5
    ]
    assert calls == [("lr", 50), ("lr", 50)]


_DUMMY = {"d": DummyClassifier()}
BAD_CURVES = {
    "size above the data": (
        _DUMMY,
        [10, 1000],
        {},
        r"sizes must be a non-empty list of ints in 1..400, got \[10, 1000\]",
    ),
    "one seed count for two sizes": (
        _DUMMY,
        [10, 20],
        {"seeds": [1]},
        r"seeds must be an int >= 1 or one int >= 1 per size \(2\)",
    ),
    "features of an unknown estimator": (
        _DUMMY,
        [10],
        {"features": {"x": None}},
        r"features/known name estimators that are not given: \['x'\]",
    ),
    "no estimators": ({}, [10], {}, r"estimators is empty"),
    "size below the classes": (
        _DUMMY,
        [2, 50],
        {},
        r"size 2 is too small for the 3 classes of y_train: .* every size must be >= 3, got \[2, "
        r"50\]",
    ),
    "a fit that fails": (
        {"lr": make_pipeline(StandardScaler(), LogisticRegression(C=-1.0))},
        [30],
        {},
        r"'lr' could not be fitted on the training subset of size 30 \(seed 0, 3 of 3 classes "
        r"present\): .*C",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_CURVES))
def test_learning_curves_rejects_bad_input(case, data):
    estimators, sizes, options, message = BAD_CURVES[case]
    with pytest.raises(ValueError, match=message):
        learning_curve.learning_curves(estimators, *data, sizes, progress=False, **options)


def test_crossover_interpolates_in_log_size():
    sizes = [10, 100, 1000]
    # gap -0.1 at 100, +0.1 at 1000: halfway in log -> sqrt(100 * 1000)
    assert learning_curve.crossover(sizes, [0.5, 0.7, 0.8], [0.3, 0.6, 0.9]) == pytest.approx(
        math.sqrt(1e5)
    )
    assert math.isnan(learning_curve.crossover(sizes, [0.5, 0.7, 0.9], [0.3, 0.6, 0.8])), (
        "never overtakes"
    )
    assert math.isnan(learning_curve.crossover(sizes, [0.1, 0.2, 0.3], [0.3, 0.6, 0.8])), (
        "ahead from the start"
    )
    # crosses, falls back, crosses again: the last crossing counts
    assert learning_curve.crossover(
        [1, 10, 100, 1000], [0, 0, 0, 0], [-1, 1, -1, 1]
    ) == pytest.approx(math.sqrt(1e5))
    with pytest.raises(ValueError, match="increasing"):
        learning_curve.crossover([10, 5], [0, 0], [0, 1])
    with pytest.raises(ValueError, match="same length"):
        learning_curve.crossover([10, 20], [0], [0, 1])


_SCORES = st.floats(min_value=0.0, max_value=1.0)


@given(st.lists(st.integers(1, 10**6), min_size=2, max_size=8, unique=True).map(sorted), st.data())
def test_crossover_lies_where_the_gap_last_turns_positive(sizes, data):
    behind, ahead = (
        data.draw(st.lists(_SCORES, min_size=len(sizes), max_size=len(sizes))) for _ in range(2)
    )
    found = learning_curve.crossover(sizes, behind, ahead)
    gap = np.subtract(ahead, behind)
    if gap[-1] <= 0 or np.all(gap > 0):
        assert math.isnan(found)
        return
    i = int(np.flatnonzero(gap <= 0)[-1])
    assert sizes[i] * (1 - 1e-9) <= found < sizes[i + 1] * (1 + 1e-9)
    assert learning_curve.crossover(np.multiply(sizes, 10.0), behind, ahead) == pytest.approx(
        10 * found, rel=1e-9
    )


@given(st.floats(min_value=0.01, max_value=0.99), st.floats(-0.1, 0.1), st.floats(0.01, 0.2))
def test_crossover_of_two_straight_lines_in_log_size_is_where_they_meet(where, slope, steeper):
    sizes = np.array([10.0, 100.0, 1000.0, 10000.0])
    meet = float(np.exp(np.log(10.0) + where * np.log(1000.0)))  # strictly between 10 and 10,000
    behind = 0.5 + slope * (np.log(sizes) - np.log(meet))
    ahead = 0.5 + (slope + steeper) * (np.log(sizes) - np.log(meet))
    assert learning_curve.crossover(sizes, behind, ahead) == pytest.approx(meet, rel=1e-6)
    assert math.isnan(learning_curve.crossover(sizes, ahead, behind)), (
        "the flatter curve never overtakes"
    )


def test_epoch_schedule():
    params = curve_plan.epoch_schedule("CNN", samples=10_000, min_epochs=2, max_epochs=50)
    assert params("CNN", 50) == {"epochs": 50}
    assert params("CNN", 1000) == {"epochs": 10}
    assert params("CNN", 60_000) == {"epochs": 2}
    assert params("HOG", 50) == {}
    with pytest.raises(ValueError, match="min_epochs"):
        curve_plan.epoch_schedule("CNN", samples=10, min_epochs=5, max_epochs=2)
    batched = curve_plan.epoch_schedule("CNN", samples=20_000, min_epochs=8, steps_per_epoch=8)
    assert batched("CNN", 50) == {"epochs": 100, "batch_size": 16}
    assert batched("CNN", 1000) == {"epochs": 20, "batch_size": 125}
    # the course recipe at full size
    assert batched("CNN", 60_000) == {
        "epochs": 8,
        "batch_size": 256,
    }
    assert batched("HOG", 50) == {}
    with pytest.raises(ValueError, match="steps_per_epoch"):
        curve_plan.epoch_schedule("CNN", samples=10, steps_per_epoch=0)


def test_scoring_by_name_and_several_metrics(data):
    X_train, y_train, X_test, y_test = data
    y_train, y_test = y_train == 0, y_test == 0  # binary, for the AUC
    model = {"lr": make_pipeline(StandardScaler(), LogisticRegression())}
    both = learning_curve.learning_curves(
        model,
        X_train,
        y_train,
        X_test,
        y_test,
        [40, 120],
        seeds=2,
        scoring={"AUC": "roc_auc", "accuracy": None},
        progress=False,
    )
    auc = learning_curve.learning_curves(
        model,
        X_train,
        y_train,
        X_test,
        y_test,
        [40, 120],
        seeds=2,
        scoring="roc_auc",
        progress=False,
    )
    kept = {}
    plain = learning_curve.learning_curves(
        model,
        X_train,
        y_train,
        X_test,
        y_test,
        [40, 120],
        seeds=2,
        progress=False,
        keep=kept.__setitem__,
    )
    assert sorted(kept) == [("lr", 40, 0), ("lr", 40, 1), ("lr", 120, 0), ("lr", 120, 1)]
    assert kept["lr", 120, 1].score(X_test, y_test) == plain.scores["lr"][1][1]
    np.testing.assert_allclose(both.mean("lr"), auc.mean("lr"))  # the first metric fills scores
    np.testing.assert_allclose(both.mean("lr", "AUC"), auc.mean("lr"))
    np.testing.assert_allclose(both.mean("lr", "accuracy"), plain.mean("lr"))
    assert both.std("lr", "accuracy").shape == (2,)
    with pytest.raises(KeyError, match="no metric named 'f1'"):
        both.mean("lr", "f1")
    with pytest.raises(ValueError, match="empty mapping"):
        learning_curve.learning_curves(
            model, X_train, y_train, X_test, y_test, [40], scoring={}, progress=False
        )
    with pytest.raises(ValueError, match="single scoring"):
        learning_curve.learning_curves(
            model,
            X_train,
            y_train,
            X_test,
            y_test,
            [40],
            known={"lr": {40: (0.5, 1.0)}},
            scoring={"AUC": "roc_auc", "accuracy": None},
            progress=False,
        )


def test_per_item_results_pack_eight_to_a_byte_and_rebuild_learning_curves():
    from e2e_helpers.learn import LearningCurves, packed_right, unpacked_right

    right = np.random.default_rng(0).random(1001) < 0.7
    packed = packed_right(right)
    assert packed["n"] == 1001 and len(packed["bits"]) < 1001 / 4
    assert np.array_equal(unpacked_right(packed), right)
    with pytest.raises(ValueError, match="0 \\(wrong\\) and 1 \\(right\\)"):
        packed_right([0, 2])
    with pytest.raises(ValueError, match="from packed_right"):
        unpacked_right([1, 0])
    record = {"a": {"fit_seconds": [[1.0, 2.0]], "right": [[packed, packed]]}}
    curves = LearningCurves.from_record([100], record)
    assert curves.correct["a"][0].shape == (2, 1001)
    assert curves.mean("a")[0] == pytest.approx(right.mean())
    assert curves.seconds("a")[0] == 1.5
    with pytest.raises(ValueError, match="one entry per size"):
        LearningCurves.from_record([100, 200], record)
