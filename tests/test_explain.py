"""Tests for e2e_helpers.explain: attribution maps, the randomisation sanity check, linear contributions."""

from __future__ import annotations

from functools import partial

import numpy as np
import pytest
import torch
from sklearn.datasets import load_digits, make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from e2e_helpers import explain, models
from e2e_helpers.estimators import TorchClassifier


@pytest.fixture(scope="module")
def fitted() -> tuple[TorchClassifier, np.ndarray]:
    X, y = load_digits(return_X_y=True)
    images = X.reshape(-1, 8, 8)
    net = TorchClassifier(partial(models.small_cnn, channels=(4, 6), hidden=12), input_shape=(1, 8, 8),
                          epochs=3, progress=False, random_state=0, device="cpu")
    return net.fit(images[:400], y[:400]), images[400:404]


@pytest.mark.parametrize("method", explain.METHODS)
def test_attribute_gives_one_finite_map_per_image(fitted, method):
    net, images = fitted
    maps = explain.attribute(net, images, method)
    assert maps.shape == (4, 8, 8) and maps.dtype == np.float32
    assert np.isfinite(maps).all() and np.abs(maps).sum() > 0
    again = explain.attribute(net, images.reshape(4, -1), method, targets=net.module_(torch.tensor(images[:, None], dtype=torch.float32)).argmax(1).tolist())
    np.testing.assert_allclose(again, maps, rtol=1e-5, atol=1e-6)  # default targets = the predictions; flat rows work


def test_attribute_rejects_bad_arguments(fitted):
    net, images = fitted
    with pytest.raises(ValueError, match="method must be one of"):
        explain.attribute(net, images, "lime")
    with pytest.raises(ValueError, match="one class index in 0..9 per image"):
        explain.attribute(net, images, "saliency", targets=[0, 1])
    with pytest.raises(ValueError, match="not fitted"):
        explain.attribute(TorchClassifier(models.mlp), images, "saliency")
    with pytest.raises(ValueError, match="at least one image"):
        explain.attribute(net, images[:0], "saliency")


def test_randomised_cascade_goes_from_the_output_down_and_leaves_the_model_alone(fitted):
    net, _ = fitted
    before = [p.detach().clone() for p in net.module_.parameters()]
    steps = list(explain.randomised_cascade(net, seed=0))
    assert [name for name, _ in steps] == ["dense 2", "dense 1", "conv 2", "conv 1"]
    final = steps[-1][1]
    for old, new, mine in zip(before, final.parameters(), net.module_.parameters()):
        assert torch.equal(old, mine)  # the classifier's own network is untouched
    changed = [not torch.equal(a, b) for a, b in zip(before, final.parameters())]
    assert sum(changed) >= 4  # every conv and linear weight re-drawn
    again = list(explain.randomised_cascade(net, seed=0))[-1][1]
    assert all(torch.equal(a, b) for a, b in zip(final.parameters(), again.parameters())), "seeded"


def test_sanity_check_measures_every_step(fitted):
    net, images = fitted
    check = explain.sanity_check(net, images, methods=("saliency", "grad_cam"))
    assert check.steps[0] == "trained" and len(check.steps) == 5
    for m in ("saliency", "grad_cam"):
        assert check.rank_correlation[m][0] == pytest.approx(1.0)
        assert check.ssim[m][0] == pytest.approx(1.0)
        assert len(check.maps[m]) == 5 and check.maps[m][0].shape == (4, 8, 8)
        assert check.passes(m) == (check.final(m) < 0.5)
    with pytest.raises(ValueError, match="non-empty list"):
        explain.sanity_check(net, images, methods=("shap",))


def test_rank_correlation():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(3, 5, 5))
    assert explain.rank_correlation(a, a) == pytest.approx(1.0)
    assert explain.rank_correlation(a, -a) == pytest.approx(1.0)  # absolute values are compared
    assert explain.rank_correlation(a, 1 / (np.abs(a) + 1)) == pytest.approx(-1.0)
    assert explain.rank_correlation(a, np.zeros_like(a)) == 0.0  # a constant map has no ranking


def test_linear_contributions_add_up_to_the_decision_score():
    X, y = make_classification(n_samples=120, n_features=5, random_state=0)
    model = make_pipeline(StandardScaler(), LogisticRegression()).fit(X, y)
    parts, intercept = explain.linear_contributions(model, X[:7])
    assert parts.shape == (7, 5)
    np.testing.assert_allclose(parts.sum(axis=1) + intercept, model.decision_function(X[:7]))
    bare = LogisticRegression().fit(X, y)
    parts, intercept = explain.linear_contributions(bare, X[:2])
    np.testing.assert_allclose(parts.sum(axis=1) + intercept, bare.decision_function(X[:2]))
    with pytest.raises(ValueError, match="binary linear classifier"):
        explain.linear_contributions(make_pipeline(StandardScaler()).fit(X), X)
    with pytest.raises(ValueError, match="5 features"):
        explain.linear_contributions(bare, X[:, :3])
