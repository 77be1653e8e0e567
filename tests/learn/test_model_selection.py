"""learn.model_selection: settings chosen on training data only, by one protocol."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, StratifiedShuffleSplit
from sklearn.neighbors import KNeighborsClassifier
from sklearn.svm import SVC

from e2e_helpers.learn import learning_curves
from e2e_helpers.learn.model_selection import (
    PROTOCOL,
    validated_search,
    validation_scheme,
    validation_split,
    validation_table,
)


def _blobs(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 3
    X = rng.normal(size=(n, 4)) + 2.5 * np.eye(3, 4)[y]
    return X, y


def test_validation_scheme_is_cross_validation_when_small_and_a_holdout_when_large():
    small, large = validation_scheme(300), validation_scheme(5000)
    assert isinstance(small, StratifiedKFold) and small.get_n_splits() == 3
    assert (
        isinstance(large, StratifiedShuffleSplit)
        and large.get_n_splits() == 1
        and large.test_size == 0.2
    )


def test_the_search_never_sees_rows_it_was_not_given_and_refits_on_all_of_them():
    X, y = _blobs(240)
    seen: list[int] = []

    class Recording(KNeighborsClassifier):
        def fit(self, X, y):  # noqa: N803 - scikit-learn's names
            seen.append(len(X))
            return super().fit(X, y)

    search = validated_search(Recording(), {"n_neighbors": [1, 5, 15]}).fit(X, y)
    assert seen[:-1] == [160] * 9, (
        "3 candidates x 3 folds, each fold fitted on two thirds of the training rows"
    )
    assert seen[-1] == 240, "the best setting is refitted on the whole training set"
    assert search.best_params_["n_neighbors"] in (1, 5, 15)
    assert search.best_estimator_.n_neighbors == search.best_params_["n_neighbors"]


def test_the_search_re_tunes_on_each_subset_inside_learning_curves():
    X, y = _blobs(3000)
    X_test, y_test = _blobs(300, seed=1)
    search = validated_search(LogisticRegression(max_iter=500), {"C": [1e-4, 1.0]})
    fitted = {}
    curves = learning_curves(
        {"lr": search},
        X,
        y,
        X_test,
        y_test,
        [60, 2400],
        seeds=1,
        keep=fitted.__setitem__,
        progress=False,
    )
    assert set(fitted) == {("lr", 60, 0), ("lr", 2400, 0)}
    assert isinstance(fitted[("lr", 60, 0)].cv, type(search.cv))
    assert len(fitted[("lr", 2400, 0)].cv_results_["mean_test_score"]) == 2
    assert curves.mean("lr")[-1] > 0.8


def test_a_list_of_grids_compares_different_models_and_the_table_lists_every_candidate():
    X, y = _blobs(300)
    grid = [
        {"model": [LogisticRegression(max_iter=500)], "model__C": [0.01, 1.0]},
        {"model": [SVC()], "model__C": [1.0]},
    ]
    from sklearn.pipeline import Pipeline

    search = validated_search(Pipeline([("model", LogisticRegression())]), grid).fit(X, y)
    table = validation_table(search)
    lines = table.splitlines()
    assert lines[0].startswith("| model | model__C | validation score")
    assert len(lines) == 2 + 3
    assert "LogisticRegression" in table and "SVC" in table
    scores = [float(line.split("|")[3]) for line in lines[2:]]
    assert scores == sorted(scores, reverse=True), "best first"
    assert len(validation_table(search, top=1).splitlines()) == 3


def test_validation_split_is_stratified_disjoint_and_reproducible():
    y = np.repeat(np.arange(4), 50)
    fit_rows, val_rows = validation_split(y, fraction=0.2)
    assert len(val_rows) == 40 and len(fit_rows) == 160 and not set(fit_rows) & set(val_rows)
    assert np.bincount(y[val_rows]).tolist() == [10, 10, 10, 10]
    again = validation_split(y, fraction=0.2)
    assert all(np.array_equal(a, b) for a, b in zip((fit_rows, val_rows), again))
    assert not np.array_equal(validation_split(y, random_state=1)[1], val_rows)


def test_clone_keeps_the_protocol():
    search = validated_search(LogisticRegression(), {"C": [1.0]}, fraction=0.25, small=10)
    copy = clone(search)
    assert repr(copy.cv) == repr(search.cv) and "fraction=0.25" in repr(copy.cv)
    assert "test set is used once" in PROTOCOL


@pytest.mark.parametrize(
    ("grid", "message"),
    [
        ({}, "non-empty dict"),
        ([], "non-empty list of such dicts"),
        ({"C": []}, r"grid\['C'\] must be a non-empty list"),
        ({"C": "1.0"}, r"grid\['C'\] must be a non-empty list"),
        ("C", "grid must be a dict"),
    ],
)
def test_bad_grids_are_refused(grid, message):
    with pytest.raises(ValueError, match=message):
        validated_search(LogisticRegression(), grid)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"fraction": 1.5}, "fraction must be"),
        ({"folds": 1}, "folds must be"),
        ({"small": 0}, "small must be"),
    ],
)
def test_bad_protocol_settings_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        validated_search(LogisticRegression(), {"C": [1.0]}, **kwargs)


def test_bad_inputs_to_the_helpers_are_refused():
    with pytest.raises(ValueError, match="n_samples must be an int >= 2"):
        validation_scheme(1)
    with pytest.raises(ValueError, match="at least 2 training labels"):
        validation_split(np.zeros((3, 2)))
    with pytest.raises(ValueError, match="needs a fitted search"):
        validation_table(validated_search(LogisticRegression(), {"C": [1.0]}))


def test_few_examples_per_class_get_fewer_folds_and_one_per_class_is_refused():
    X, y = _blobs(20)
    y = np.r_[np.zeros(18, int), np.ones(2, int)]
    search = validated_search(LogisticRegression(max_iter=500), {"C": [0.1, 1.0]}).fit(X, y)
    assert (
        len([k for k in search.cv_results_ if k.startswith("split") and k.endswith("_test_score")])
        == 2
    )
    with pytest.raises(ValueError, match="at least 2 examples of every class, but one class has 1"):
        validated_search(LogisticRegression(), {"C": [1.0]}).fit(X[:19], y[:19])


_LR = LogisticRegression()


def _fit_one_class():
    X, _ = _blobs(30)
    validated_search(LogisticRegression(), {"C": [1.0]}).fit(X, np.zeros(30, int))


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: validated_search(LogisticRegression, {"C": [1.0]}), TypeError, "instance"),
        (lambda: validated_search(None, {"C": [1.0]}), TypeError, "estimator must be"),
        (lambda: validated_search(_LR, {"Cx": [1.0]}), ValueError, "'Cx', which Logistic.*'C'"),
        (lambda: validated_search(_LR, {"C": np.array([])}), ValueError, r"grid\['C'\] must"),
        (lambda: validated_search(_LR, {"C": np.ones((2, 2))}), ValueError, "non-empty list"),
        (lambda: validated_search(_LR, [{"C": [1.0]}, {}]), ValueError, "each grid must be"),
        (lambda: validated_search(_LR, {"C": [1]}, scoring="acuracy"), ValueError, "scorer name"),
        (lambda: validated_search(_LR, {"C": [1]}, random_state=-1), ValueError, "random_state"),
        (lambda: validated_search(_LR, {"C": [1]}, fraction=0.0), ValueError, r"\(0.0, 1.0\)"),
        (_fit_one_class, ValueError, r"y holds a single class \(\[0\], all 30 labels\)"),
        (lambda: validation_scheme(10, folds=0), ValueError, "folds must be an int >= 2, got 0"),
        (lambda: validation_scheme(10, random_state="0"), ValueError, "random_state must be"),
        (
            lambda: validation_scheme(1.5),
            ValueError,
            r"n_samples must be an int >= 2 \(the training-set size\), got 1.5",
        ),
        (lambda: validation_split([]), ValueError, r"at least 2 training labels, got shape \(0,\)"),
        (lambda: validation_split([0, 0, 1]), ValueError, "the rarest has 1"),
        (lambda: validation_split([0, 1, 2] * 3, fraction=0.1), ValueError, "each of the 3"),
        (lambda: validation_split([0, 1] * 5, fraction=1.0), ValueError, "fraction must be"),
        (lambda: validation_table(None), ValueError, "needs a fitted search"),
        (lambda: validation_table(None, top=0), ValueError, "top must be None or an int >= 1"),
    ],
)
def test_bad_input_is_explained(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_numpy_arrays_of_candidates_are_a_grid():
    X, y = _blobs(60)
    search = validated_search(LogisticRegression(), {"C": np.logspace(-2, 1, 3)}).fit(X, y)
    assert len(search.cv_results_["params"]) == 3
