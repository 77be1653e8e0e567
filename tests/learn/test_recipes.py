"""Tests for e2e_helpers.learn.recipes: the course's CNN recipe and fine_tune."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.datasets import load_digits, make_classification
from sklearn.exceptions import NotFittedError

from e2e_helpers.learn import TorchClassifier, cnn_classifier, fine_tune, models


@pytest.fixture(scope="module")
def digits() -> tuple[np.ndarray, np.ndarray]:
    """Real 8x8 digit images (ships with scikit-learn), flattened, values 0-16."""
    X, y = load_digits(return_X_y=True)
    return X[:900], y[:900]


def test_cnn_classifier_recipe_and_overrides(digits):
    recipe = cnn_classifier()
    assert (recipe.epochs, recipe.lr_schedule, recipe.optimizer, recipe.input_shape) == (
        8,
        "onecycle",
        "adamw",
        (1, 28, 28),
    )
    assert recipe.module.keywords == {
        "channels": (16, 32, 64),
        "kernel_size": 3,
        "hidden": 128,
        "dropout": 0.25,
    }
    X, y = digits
    quick = cnn_classifier((1, 8, 8), epochs=3, batch_size=64, progress=False, random_state=0)
    assert clone(quick).epochs == 3
    assert quick.fit(X, y).score(X, y) > 0.8


# -- fine_tune ------------------------------------------------------------------


def test_fine_tune_adapts_a_copy_to_new_examples():
    X, y = make_classification(n_samples=200, n_features=6, n_informative=4, random_state=0)
    labels = np.where(y == 1, "yes", "no")
    base = TorchClassifier(models.mlp, epochs=3, progress=False, random_state=0).fit(X, labels)
    before = [p.detach().clone() for p in base.module_.parameters()]
    flipped = np.where(labels[:40] == "yes", "no", "yes")  # a "new speaker" who means the opposite
    tuned = fine_tune(base, X[:40], flipped, epochs=60, lr=1e-2)
    assert tuned.score(X[:40], flipped) > base.score(X[:40], flipped) + 0.3
    assert all(torch.equal(a, b) for a, b in zip(before, base.module_.parameters())), (
        "the original is unchanged"
    )
    assert len(tuned.history_) == 60 and tuned.classes_.tolist() == ["no", "yes"]
    again = fine_tune(base, X[:40], flipped, epochs=60, lr=1e-2)
    np.testing.assert_array_equal(again.predict_proba(X), tuned.predict_proba(X))  # seeded


def test_fine_tune_rejects_what_it_cannot_do():
    X, y = make_classification(n_samples=60, n_features=4, random_state=0)
    with pytest.raises(NotFittedError):
        fine_tune(TorchClassifier(models.mlp), X, y)
    base = TorchClassifier(models.mlp, epochs=1, progress=False, random_state=0).fit(X, y)
    with pytest.raises(ValueError, match="cannot add classes"):
        fine_tune(base, X[:3], [0, 1, 2])
    with pytest.raises(ValueError, match="one label per sample"):
        fine_tune(base, X[:3], [0, 1])
    with pytest.raises(ValueError, match="epochs"):
        fine_tune(base, X[:3], [0, 1, 0], epochs=0)
    with pytest.raises(ValueError, match="lr must be a finite number > 0, got 0"):
        fine_tune(base, X[:3], [0, 1, 0], lr=0)
