from functools import cache

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import make_circles, make_classification
from sklearn.exceptions import NotFittedError

from e2e_helpers.learn import RBFClassifier, learning_curves, validation_table


def test_rbf_classifier_chooses_the_kernel_where_the_classes_are_not_linear():
    X, y = make_circles(n_samples=400, noise=0.08, factor=0.4, random_state=0)
    model = RBFClassifier(landmarks=100).fit(X[:300], y[:300])
    assert "kernel__gamma" in model.best_params_
    assert model.score(X[300:], y[300:]) > 0.9
    assert model.decision_function(X[:5]).shape == (5,)
    assert "validation score" in validation_table(model.search_)


def test_rbf_classifier_can_choose_plain_linear_and_tunes_less_on_big_data():
    X, y = make_classification(
        n_samples=600,
        n_features=20,
        n_informative=20,
        n_redundant=0,
        n_classes=3,
        class_sep=2.0,
        random_state=0,
    )
    big = RBFClassifier(
        landmarks=50, gamma_factors=(2.0, 0.5, 1.0), alphas=(1.0, 0.1, 0.01), tune_below=100
    ).fit(X, y)
    assert big.search_ is None and big.best_params_ == {
        "kernel__gamma": 1.0 / 20,
        "ridge__alpha": 0.1,
    }
    assert big.model_.named_steps["kernel"].n_components == 50
    # kernels far too narrow
    model = RBFClassifier(landmarks=400, gamma_factors=(50.0, 100.0, 200.0)).fit(X[:500], y[:500])
    assert set(model.classes_) == {0, 1, 2}
    # 3 widths x 3 penalties, standardised or not, + the plain linear model x 3
    assert len(model.search_.cv_results_["params"]) == 21
    assert model.best_params_ == {
        "kernel": "passthrough",
        "ridge__alpha": model.best_params_["ridge__alpha"],
    }
    # 2/3 of 30: the CV fit part
    assert model.search(30, 20).estimator.named_steps["kernel"].n_components == 20


def test_rbf_classifier_refits_on_the_exact_kernel_and_can_keep_the_features_unscaled():
    X, y = make_circles(n_samples=300, noise=0.08, factor=0.4, random_state=0)
    X = np.c_[X, np.random.default_rng(0).normal(scale=0.01, size=(300, 20))]  # quiet noise
    model = RBFClassifier(landmarks=500).fit(X, y)
    # chosen on 3-fold CV (200 landmarks each), refitted on all 300: the exact kernel
    assert model.model_.named_steps["kernel"].n_components == 300
    # standardising blows the quiet noise up to the size of the real ones: unscaled wins
    assert model.best_params_["scale"] == "passthrough"
    assert model.score(X, y) > 0.9


def test_rbf_classifier_retunes_inside_learning_curves():
    X, y = make_classification(
        n_samples=500, n_features=6, n_informative=4, n_classes=2, random_state=1
    )
    curves = learning_curves(
        {"rbf": RBFClassifier(landmarks=60)},
        X[:400],
        y[:400],
        X[400:],
        y[400:],
        [40, 400],
        seeds=2,
        progress=False,
    )
    assert curves.mean("rbf")[-1] > 0.8
    assert clone(RBFClassifier(landmarks=60)).landmarks == 60


_X, _Y = make_classification(n_samples=60, n_features=4, random_state=0)


@cache
def _fitted() -> RBFClassifier:
    return RBFClassifier(landmarks=20).fit(_X, _Y)


def _with(value: float) -> np.ndarray:
    X = _X.copy()
    X[3, 1] = value
    return X


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda: RBFClassifier(landmarks=1).fit(_X, _Y),
            ValueError,
            "landmarks must be an int >= 2",
        ),
        (lambda: RBFClassifier(gamma_factors=()).fit(_X, _Y), ValueError, "gamma_factors must be"),
        (lambda: RBFClassifier(alphas=(0.1, -1.0)).fit(_X, _Y), ValueError, "alphas must be a non"),
        (lambda: RBFClassifier(alphas=(np.nan,)).fit(_X, _Y), ValueError, "positive numbers"),
        (lambda: RBFClassifier(tune_below=0).fit(_X, _Y), ValueError, "tune_below must be"),
        (lambda: RBFClassifier(random_state=-1).fit(_X, _Y), ValueError, "random_state must be"),
        (
            lambda: RBFClassifier().fit(np.zeros((10, 2, 2)), np.zeros(10)),
            ValueError,
            "2-D feature",
        ),
        (lambda: RBFClassifier().fit(np.zeros((10, 2)), np.zeros(9)), ValueError, "one label per"),
        (lambda: RBFClassifier().fit(np.zeros((0, 2)), []), ValueError, r"shape \(0, 2\)"),
        (lambda: RBFClassifier().fit(_X[:5], _Y[:5]), ValueError, "at least 6 rows"),
        (lambda: RBFClassifier().fit(_X, _Y[:, None]), ValueError, r"y of shape \(60, 1\)"),
        (lambda: RBFClassifier().fit(_with(np.nan), _Y), ValueError, "finite numbers .*NaN"),
        (lambda: RBFClassifier().fit(_with(np.inf), _Y), ValueError, "finite numbers"),
        (lambda: RBFClassifier().fit(_X.astype(str), _Y), ValueError, "no NaN, inf or text"),
        (lambda: RBFClassifier().fit(_X, np.zeros(60)), ValueError, r"single class \(\[0.0\]\)"),
        (lambda: RBFClassifier().fit(_X, np.r_[np.ones(59), 0]), ValueError, "one class has 1"),
        (lambda: RBFClassifier().predict(_X), NotFittedError, "not fitted yet"),
        (lambda: _fitted().predict(_X[:, :3]), ValueError, r"4 columns \(as in fit\)"),
        (lambda: _fitted().predict(_with(np.nan)), ValueError, "finite numbers"),
        (lambda: _fitted().decision_function(_X[0]), ValueError, r"got shape \(4,\)"),
    ],
)
def test_bad_input_is_explained(call, error, message):
    with pytest.raises(error, match=message):
        call()
