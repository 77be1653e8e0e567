"""Tests for e2e_helpers.explain.linear: a linear model's decision split into per-feature parts."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from e2e_helpers.explain import linear_contributions


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
