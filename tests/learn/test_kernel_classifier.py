import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import make_circles, make_classification

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
    model = RBFClassifier(landmarks=400, gamma_factors=(50.0, 100.0, 200.0)).fit(
        X[:500], y[:500]
    )  # kernels far too narrow
    assert set(model.classes_) == {0, 1, 2}
    assert (
        len(model.search_.cv_results_["params"]) == 12
    )  # 3 widths x 3 penalties + the plain linear model x 3
    assert model.best_params_ == {
        "kernel": "passthrough",
        "ridge__alpha": model.best_params_["ridge__alpha"],
    }
    assert (
        model.search(30, 20).estimator.named_steps["kernel"].n_components == 20
    )  # 2/3 of 30: the CV fit part


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


@pytest.mark.parametrize(
    ("params", "match"),
    [
        ({"landmarks": 1}, "landmarks"),
        ({"gamma_factors": ()}, "gamma_factors"),
        ({"alphas": (0.1, -1.0)}, "alphas"),
        ({"tune_below": 0}, "tune_below"),
    ],
)
def test_rbf_classifier_bad_settings(params, match):
    X, y = make_classification(n_samples=60, n_features=4, random_state=0)
    with pytest.raises(ValueError, match=match):
        RBFClassifier(**params).fit(X, y)


def test_rbf_classifier_bad_data():
    with pytest.raises(ValueError, match="2-D feature matrix"):
        RBFClassifier().fit(np.zeros((10, 2, 2)), np.zeros(10))
    with pytest.raises(ValueError, match="one label per row"):
        RBFClassifier().fit(np.zeros((10, 2)), np.zeros(9))
