"""The strongest classical classifier the course's time budget allows on fixed features: a tuned RBF kernel model.

:class:`RBFClassifier` is what a competent practitioner fits on hand-crafted
features such as HOG: standardise, map to an RBF kernel (the Nyström method,
on up to ``landmarks`` training examples: with fewer training examples than
that it *is* the exact kernel, above it an approximation that keeps the cost
linear in the data), then a ridge classifier (a least-squares SVM). Every
setting is chosen on the training data it is fitted on, by the course's
protocol (:func:`~e2e_helpers.learn.validated_search`): the kernel width
``gamma`` and kernel-or-plain-linear on a validation split, the ridge penalty
by efficient leave-one-out cross-validation (``RidgeClassifierCV``). So the
same estimator, cloned by :func:`~e2e_helpers.learn.learning_curves`, is
re-tuned at every training-set size.

>>> RBFClassifier(landmarks=500).landmarks
500
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.kernel_approximation import Nystroem
from sklearn.linear_model import RidgeClassifierCV
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_is_fitted

from .._checks import Check, Interval, is_real, validate_params
from .model_selection import validated_search

__all__ = ["RBFClassifier"]

_FACTORS = Check(lambda v: isinstance(v, (tuple, list)) and len(v) > 0 and all(is_real(f) and f > 0 for f in v),
                 "a non-empty tuple of positive numbers")
_CONSTRAINTS = {
    "landmarks": [Interval(int, 2)],
    "gamma_factors": [_FACTORS],
    "tune_gamma_below": [Interval(int, 2)],
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
        scale for standardised features).
    tune_gamma_below : int, default=10_000
        Above this many training examples only the middle width is tried
        (each candidate costs a full kernel fit), while kernel-or-linear is
        still validated.
    alphas : tuple of float, default=(1e-3, 1e-2, 1e-1, 1.0)
        Ridge penalties, chosen by leave-one-out cross-validation.
    random_state : int, default=0
        Seeds the choice of landmarks and of the validation split.

    Attributes
    ----------
    search_ : the fitted ``GridSearchCV`` (``learn.validation_table(model.search_)`` shows it).
    best_params_ : the chosen kernel width, or ``{"kernel": "passthrough"}`` for the plain linear model.
    classes_ : the class labels.
    """

    def __init__(
        self,
        landmarks: int = 2000,
        gamma_factors: tuple[float, ...] = (0.5, 1.0, 2.0),
        tune_gamma_below: int = 10_000,
        alphas: tuple[float, ...] = (1e-3, 1e-2, 1e-1, 1.0),
        random_state: int = 0,
    ) -> None:
        self.landmarks = landmarks
        self.gamma_factors = gamma_factors
        self.tune_gamma_below = tune_gamma_below
        self.alphas = alphas
        self.random_state = random_state

    def search(self, n_samples: int, n_features: int) -> GridSearchCV:
        """The unfitted validated search this classifier runs on *n_samples* training examples of *n_features*."""
        validate_params(self.get_params(), _CONSTRAINTS)
        factors = sorted(float(f) for f in self.gamma_factors)
        if n_samples >= self.tune_gamma_below:
            factors = [factors[len(factors) // 2]]
        fitted_on = n_samples * 2 // 3 if n_samples < 2000 else int(n_samples * 0.8)  # the smallest fit part of the split
        kernel = Nystroem(kernel="rbf", n_components=max(1, min(self.landmarks, fitted_on)), random_state=self.random_state)
        pipe = Pipeline([("scale", StandardScaler()), ("kernel", kernel),
                         ("ridge", RidgeClassifierCV(alphas=tuple(float(a) for a in self.alphas)))])
        grid = [{"kernel__gamma": [f / n_features for f in factors]}, {"kernel": ["passthrough"]}]
        return validated_search(pipe, grid, random_state=self.random_state)

    def fit(self, X: ArrayLike, y: ArrayLike) -> RBFClassifier:
        """Choose the settings on (X, y) by the course's protocol and refit the best on all of it."""
        X, y = np.asarray(X), np.asarray(y)
        if X.ndim != 2 or len(X) != len(y) or len(y) < 6:
            raise ValueError(f"RBFClassifier needs a 2-D feature matrix with one label per row and at least 6 rows, "
                             f"got X of shape {X.shape} and {len(y)} labels.")
        self.search_ = self.search(len(y), X.shape[1]).fit(X, y)
        self.best_params_ = {k: (v if isinstance(v, (str, float)) else type(v).__name__)
                             for k, v in self.search_.best_params_.items()}
        self.classes_ = self.search_.classes_
        return self

    def predict(self, X: ArrayLike) -> np.ndarray:
        """Class labels from the refitted best model."""
        check_is_fitted(self)
        return self.search_.predict(np.asarray(X))

    def decision_function(self, X: ArrayLike) -> np.ndarray:
        """Per-class scores from the refitted best model."""
        check_is_fitted(self)
        return self.search_.decision_function(np.asarray(X))
