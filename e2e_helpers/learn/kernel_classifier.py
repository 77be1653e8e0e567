"""The strongest classical classifier the course's time budget allows on fixed features: a tuned RBF
kernel model.

:class:`RBFClassifier` is what a competent practitioner fits on hand-crafted
features such as HOG: optionally standardise, map to an RBF kernel (the Nyström
method on up to ``landmarks`` training examples: once fitted on no more training
examples than that it *is* the exact kernel, above it an approximation that keeps
the cost linear in the data), then a ridge classifier (a least-squares SVM). Its
settings are chosen on the training data it is fitted on, by the course's
protocol (:func:`~e2e_helpers.learn.validated_search`): standardised features
or the features as they are, the kernel width ``gamma``, the ridge penalty
``alpha``, and kernel or plain linear model. So the same estimator, cloned by
:func:`~e2e_helpers.learn.learning_curves`, is re-tuned at every training-set
size. From ``tune_below`` training examples on, one more kernel fit per
candidate is more than the course's budget allows: the standardised features
with the middle width and penalty are fitted directly (the searches at smaller
sizes show how little the choice matters there).

>>> RBFClassifier(landmarks=500).landmarks
500
"""

from __future__ import annotations

import warnings

import numpy as np
from numpy.typing import ArrayLike
from scipy.linalg import LinAlgWarning
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.kernel_approximation import Nystroem
from sklearn.linear_model import RidgeClassifier
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_is_fitted

from .._checks import Check, Interval, is_real, validate_params
from .model_selection import validated_search

__all__ = ["RBFClassifier"]

_FACTORS = Check(
    lambda v: isinstance(v, (tuple, list)) and len(v) > 0 and all(is_real(f) and f > 0 for f in v),
    "a non-empty tuple of positive numbers",
)
_CONSTRAINTS = {
    "landmarks": [Interval(int, 2)],
    "gamma_factors": [_FACTORS],
    "tune_below": [Interval(int, 2)],
    "alphas": [_FACTORS],
    "random_state": [Interval(int, 0)],
}


class RBFClassifier(ClassifierMixin, BaseEstimator):
    """An RBF-kernel ridge classifier whose settings are chosen on its own training data.

    Parameters
    ----------
    landmarks : int, default=2000
        Most Nyström components (training examples the kernel is built on).
    gamma_factors : tuple of float, default=(0.5, 1.0, 2.0)
        Kernel widths tried, as multiples of ``1 / n_features`` (the usual
        scale for standardised features; on unscaled ones, of
        ``1 / (n_features * variance)``).
    alphas : tuple of float, default=(0.01, 0.1, 1.0)
        Ridge penalties tried.
    tune_below : int, default=10_000
        From this many training examples on, no search: the middle width and
        penalty are fitted once (``search_`` is then None).
    random_state : int, default=0
        Seeds the choice of landmarks and of the validation split.

    Attributes
    ----------
    search_ : the fitted ``GridSearchCV`` (``learn.validation_table(model.search_)`` shows it), or
    None.
    model_ : the final ``Pipeline``, refitted on all the training data (its kernel on
    ``min(landmarks, n_samples)`` landmarks).
    best_params_ : the chosen ``kernel__gamma`` and ``ridge__alpha``, or ``kernel="passthrough"``
    for the plain linear model; ``scale="passthrough"`` where unscaled features won.
    classes_ : the class labels.
    n_features_in_ : the number of features seen in ``fit``.
    """

    def __init__(
        self,
        landmarks: int = 2000,
        gamma_factors: tuple[float, ...] = (0.5, 1.0, 2.0),
        alphas: tuple[float, ...] = (0.01, 0.1, 1.0),
        tune_below: int = 10_000,
        random_state: int = 0,
    ) -> None:
        self.landmarks = landmarks
        self.gamma_factors = gamma_factors
        self.alphas = alphas
        self.tune_below = tune_below
        self.random_state = random_state

    def search(
        self, n_samples: int, n_features: int, variance: float = 1.0
    ) -> GridSearchCV | Pipeline:
        """What ``fit`` runs on *n_samples* examples of *n_features* (of mean *variance* before any
        scaling): a validated search, or (from ``tune_below``) one pipeline.

        The widths are multiples of ``1 / n_features`` on standardised features and of
        ``1 / (n_features * variance)`` on the features as they are (scikit-learn's ``"scale"``).
        """
        validate_params(self.get_params(), _CONSTRAINTS)
        factors = sorted(float(f) for f in self.gamma_factors)
        alphas = sorted(float(a) for a in self.alphas)
        direct = n_samples >= self.tune_below
        fitted_on = (
            n_samples
            if direct
            else n_samples * 2 // 3
            if n_samples < 2000
            else int(n_samples * 0.8)
        )
        kernel = Nystroem(
            kernel="rbf",
            n_components=max(1, min(self.landmarks, fitted_on)),
            random_state=self.random_state,
        )
        pipe = Pipeline(
            [("scale", StandardScaler()), ("kernel", kernel), ("ridge", RidgeClassifier())]
        )
        if direct:
            return pipe.set_params(
                kernel__gamma=factors[len(factors) // 2] / n_features,
                ridge__alpha=alphas[len(alphas) // 2],
            )
        raw = max(float(variance), np.finfo(float).tiny)
        grid = [
            {"kernel__gamma": [f / n_features for f in factors], "ridge__alpha": alphas},
            {
                "scale": ["passthrough"],
                "kernel__gamma": [f / (n_features * raw) for f in factors],
                "ridge__alpha": alphas,
            },
            {"kernel": ["passthrough"], "ridge__alpha": alphas},
        ]
        search = validated_search(pipe, grid, random_state=self.random_state)
        return search.set_params(refit=False)  # fit refits the winner on its full kernel

    def fit(self, X: ArrayLike, y: ArrayLike) -> RBFClassifier:
        """Choose the settings on (X, y) by the course's protocol and refit the best on all of
        it (with ``min(landmarks, len(y))`` landmarks)."""
        validate_params(self.get_params(), _CONSTRAINTS)
        X, y = _features(X), np.asarray(y)
        if y.ndim != 1 or len(X) != len(y) or len(y) < 6:
            raise ValueError(
                f"RBFClassifier needs a 2-D feature matrix with one label per row and at least 6 "
                f"rows, "
                f"got X of shape {X.shape} and y of shape {y.shape}."
            )
        classes = np.unique(y)
        if len(classes) < 2:
            raise ValueError(
                f"y holds a single class ({classes.tolist()}): a classifier needs examples of at "
                "least 2 classes; check the labels or the subset you train on."
            )
        with warnings.catch_warnings():
            # The smallest ridge penalties make an ill-conditioned solve on purpose; validation
            # judges them.
            warnings.simplefilter("ignore", LinAlgWarning)
            found = self.search(len(y), X.shape[1], float(X.var(axis=0).mean())).fit(X, y)
            if isinstance(found, GridSearchCV):
                self.search_ = found
                best = dict(found.best_params_)
                if best.get("kernel") != "passthrough":
                    best["kernel__n_components"] = min(self.landmarks, len(y))
                self.model_ = clone(found.estimator).set_params(**best).fit(X, y)
            else:
                self.search_, self.model_ = None, found
        chosen = self.model_.get_params()
        self.best_params_ = (
            {"kernel": "passthrough"}
            if chosen["kernel"] == "passthrough"
            else {"kernel__gamma": chosen["kernel__gamma"]}
        ) | {"ridge__alpha": chosen["ridge__alpha"]}
        if chosen["scale"] == "passthrough":
            self.best_params_ = {"scale": "passthrough"} | self.best_params_
        self.classes_ = self.model_.classes_
        self.n_features_in_ = X.shape[1]
        return self

    def predict(self, X: ArrayLike) -> np.ndarray:
        """Class labels from the refitted best model."""
        check_is_fitted(self)
        return self.model_.predict(_features(X, self.n_features_in_))

    def decision_function(self, X: ArrayLike) -> np.ndarray:
        """Per-class scores from the refitted best model."""
        check_is_fitted(self)
        return self.model_.decision_function(_features(X, self.n_features_in_))


def _features(X: ArrayLike, n_features: int | None = None) -> np.ndarray:
    """*X* as a finite numeric 2-D array (with *n_features* columns, where given), else an error."""
    X = np.asarray(X)
    if X.ndim != 2 or (n_features is not None and X.shape[1] != n_features):
        columns = "" if n_features is None else f" with {n_features} columns (as in fit)"
        raise ValueError(f"X must be a 2-D feature matrix{columns}, got shape {X.shape}.")
    if X.dtype.kind not in "biuf" or not np.isfinite(X).all():
        raise ValueError(
            "X must hold finite numbers (no NaN, inf or text): impute or drop missing features."
        )
    return X
