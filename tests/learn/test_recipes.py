"""Tests for e2e_helpers.learn.recipes: the course's CNN recipe, fine_tune, adapt_batchnorm."""

from __future__ import annotations

from functools import partial

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.datasets import load_digits, make_classification
from sklearn.exceptions import NotFittedError

from e2e_helpers.learn import TorchClassifier, adapt_batchnorm, cnn_classifier, fine_tune, models


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


def test_fine_tune_with_replay_does_not_forget():
    """Twenty epochs on ten examples of one class teach the network to say that class only."""
    X, y = make_classification(n_samples=400, n_features=6, n_informative=4, random_state=0)
    base = TorchClassifier(models.mlp, epochs=10, progress=False, random_state=0).fit(
        X[:300], y[:300]
    )
    zeros = np.flatnonzero(y[:300] == 0)[:10]
    forgot = fine_tune(base, X[zeros], y[zeros], epochs=30, lr=1e-2)
    kept = fine_tune(base, X[zeros], y[zeros], epochs=30, lr=1e-2, replay=(X[:300], y[:300]))
    assert (forgot.predict(X[300:]) == 0).all(), "without replay: one class for everything"
    assert kept.score(X[300:], y[300:]) > base.score(X[300:], y[300:]) - 0.05
    again = fine_tune(base, X[zeros], y[zeros], epochs=30, lr=1e-2, replay=(X[:300], y[:300]))
    np.testing.assert_array_equal(again.predict_proba(X), kept.predict_proba(X))  # seeded
    with pytest.raises(TypeError, match=r"replay must be a pair \(X_old, y_old\)"):
        fine_tune(base, X[zeros], y[zeros], replay=X[:300])
    with pytest.raises(ValueError, match="cannot add classes"):
        fine_tune(base, X[zeros], y[zeros], replay=(X[:3], [0, 1, 2]))
    with pytest.raises(ValueError, match="replay needs one label per sample"):
        fine_tune(base, X[zeros], y[zeros], replay=(X[:3], [0, 1]))


def test_adapt_batchnorm_re_estimates_the_statistics_only():
    X, y = make_classification(n_samples=400, n_features=6, n_informative=4, random_state=0)
    base = TorchClassifier(models.mlp, epochs=5, progress=False, random_state=0).fit(
        X[:300], y[:300]
    )
    weights = [p.detach().clone() for p in base.module_.parameters()]
    stats = base.module_[1].running_mean.clone()
    moved = 3 * X + 5  # a new microphone: another gain and offset on every feature
    adapted = adapt_batchnorm(base, moved[:300], y="ignored")
    np.testing.assert_allclose(
        adapted.module_[1].running_mean.numpy(), moved[:300].mean(axis=0), rtol=1e-5
    )
    # standardised with the new statistics, the moved data look like the old
    np.testing.assert_allclose(
        adapted.predict_proba(moved[300:]), base.predict_proba(X[300:]), atol=0.02
    )
    assert base.score(moved[300:], y[300:]) < adapted.score(moved[300:], y[300:]) - 0.05
    assert torch.equal(base.module_[1].running_mean, stats), "the original is unchanged"
    assert all(torch.equal(a, b) for a, b in zip(weights, adapted.module_.parameters()))
    assert adapted.module_[1].momentum is None and not adapted.module_.training
    plain = TorchClassifier(partial(models.mlp, normalize=False), epochs=1, progress=False).fit(
        X, y
    )
    with pytest.raises(ValueError, match="no BatchNorm layer"):
        adapt_batchnorm(plain, X)
    with pytest.raises(ValueError, match="at least 2 samples"):
        adapt_batchnorm(base, X[:1])
    with pytest.raises(NotFittedError):
        adapt_batchnorm(TorchClassifier(models.mlp), X)
