"""Tests for e2e_helpers.explain.linear: a linear model's decision split into per-feature parts."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer, make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from e2e_helpers.explain import l1_logistic, linear_contributions


def test_linear_contributions_add_up_to_the_decision_score():
    X, y = make_classification(n_samples=120, n_features=5, random_state=0)
    model = make_pipeline(StandardScaler(), LogisticRegression()).fit(X, y)
    parts, intercept = linear_contributions(model, X[:7])
    assert parts.shape == (7, 5)
    np.testing.assert_allclose(parts.sum(axis=1) + intercept, model.decision_function(X[:7]))
    bare = LogisticRegression().fit(X, y)
    parts, intercept = linear_contributions(bare, X[:2])
    np.testing.assert_allclose(parts.sum(axis=1) + intercept, bare.decision_function(X[:2]))
    with pytest.raises(ValueError, match="binary linear classifier"):
        linear_contributions(make_pipeline(StandardScaler()).fit(X), X)
    with pytest.raises(ValueError, match="5 features"):
        linear_contributions(bare, X[:, :3])


def test_l1_logistic_is_sparse_without_warnings():
    X, y = load_breast_cancer(return_X_y=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no FutureWarning about penalty, no ignored l1_ratio
        model = make_pipeline(StandardScaler(), l1_logistic(C=0.2, max_iter=20_000)).fit(X, y)
    kept = int(np.count_nonzero(model[-1].coef_))
    assert 3 <= kept <= 15, f"an L1 model keeps a few of the 30 features, kept {kept}"
    assert model.score(X, y) > 0.95
    assert l1_logistic().solver == "saga"


def test_l1_logistic_refuses_to_be_told_another_penalty():
    with pytest.raises(ValueError, match="sets the penalty itself"):
        l1_logistic(penalty="l2")
