"""Tests for e2e_helpers.explain.sanity: the randomisation cascade, the sanity check, rank
correlation."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.datasets import load_digits

from e2e_helpers.explain import (
    ALL_METHODS,
    data_randomisation,
    failing,
    randomised_cascade,
    rank_correlation,
    sanity_check,
    sanity_table,
)
from e2e_helpers.explain.sanity import VARIANTS, foreground
from e2e_helpers.learn._estimator_parts import fitted_network


def test_randomised_cascade_goes_from_the_output_down_and_leaves_the_model_alone(fitted):
    net, _ = fitted
    before = [p.detach().clone() for p in net.module_.parameters()]
    steps = list(randomised_cascade(net, seed=0))
    assert [name for name, _ in steps] == ["dense 2", "dense 1", "conv 2", "conv 1"]
    final = steps[-1][1]
    for old, _new, mine in zip(before, final.parameters(), net.module_.parameters()):
        assert torch.equal(old, mine)  # the classifier's own network is untouched
    changed = [not torch.equal(a, b) for a, b in zip(before, final.parameters())]
    assert sum(changed) >= 4  # every conv and linear weight re-drawn
    again = list(randomised_cascade(net, seed=0))[-1][1]
    assert all(torch.equal(a, b) for a, b in zip(final.parameters(), again.parameters())), "seeded"


def test_randomised_cascade_resets_batchnorm_with_its_layer(fitted):
    net, _ = fitted
    trained_norms = [
        m for m in fitted_network(net).modules() if isinstance(m, torch.nn.BatchNorm2d)
    ]
    assert any(m.running_mean.abs().sum() > 0 for m in trained_norms), (
        "training moved the running statistics"
    )
    # per step: which BatchNorm layers hold a new layer's statistics (the cascade modifies one
    # network)
    fresh = []
    for _, step_net in randomised_cascade(net, seed=0):
        norms = [m for m in step_net.modules() if isinstance(m, torch.nn.BatchNorm2d)]
        fresh.append(
            [bool(torch.equal(m.running_mean, torch.zeros_like(m.running_mean))) for m in norms]
        )
    # the network: input standardiser, conv 1 + BN, conv 2 + BN, dense 1, dense 2
    assert fresh[2] == [False, False, True], "conv 2 went with its BatchNorm, conv 1's not yet"
    final = norms
    assert all(torch.equal(m.running_mean, torch.zeros_like(m.running_mean)) for m in final), (
        "the input standardiser too"
    )


def test_sanity_check_measures_every_step(fitted):
    net, images = fitted
    check = sanity_check(net, images, methods=("saliency", "grad_cam"))
    assert check.steps[0] == "trained" and len(check.steps) == 5
    for m in ("saliency", "grad_cam"):
        assert check.rank_correlation[m][0] == pytest.approx(1.0)
        assert check.ssim[m][0] == pytest.approx(1.0)
        assert len(check.maps[m]) == 5 and check.maps[m][0].shape == (4, 8, 8)
        assert check.passes(m) == (check.final(m) < 0.5)
    with pytest.raises(ValueError, match="non-empty list"):
        sanity_check(net, images, methods=("shap",))


def test_the_edge_reference_fails_by_construction_and_every_variant_is_measured(fitted):
    net, images = fitted
    check = sanity_check(net, images, methods=ALL_METHODS)
    assert set(check.correlation) == set(VARIANTS)
    assert check.correlation["absolute, object"]["edges"] == pytest.approx([1.0] * 5), (
        "edges ignore the network"
    )
    assert "edges" in failing(check) and not check.passes("edges")
    table = sanity_table(check)
    assert (
        table.count("\n") == 1 + len(ALL_METHODS)
        and "| edges | +1.00 | +1.00 | +1.00 | **no** |" in table
    )


def test_data_randomisation_compares_with_a_network_trained_on_shuffled_labels(fitted):
    net, images = fitted
    same = data_randomisation(net, net, images, methods=("saliency", "edges"))
    assert all(same.correlation[v]["saliency"] == pytest.approx(1.0) for v in VARIANTS), (
        "the same network: identical maps"
    )
    assert same.ssim["saliency"] == pytest.approx(1.0)
    X, y = load_digits(return_X_y=True)
    shuffled = clone(net).fit(
        X[:400].reshape(-1, 8, 8), np.random.default_rng(0).permutation(y[:400])
    )
    other = data_randomisation(net, shuffled, images, methods=("saliency",))
    assert other.correlation["absolute"]["saliency"] < 0.9
    assert (
        other.trained_maps["saliency"].shape == other.shuffled_maps["saliency"].shape == (4, 8, 8)
    )
    check = sanity_check(net, images, methods=("saliency",))
    assert "shuffled labels" in sanity_table(check, other).splitlines()[0]


def test_foreground_marks_pixels_above_the_darkest(fitted):
    net, images = fitted
    mask = foreground(net, images)
    assert mask.shape == (4, 8, 8) and mask.any() and not mask.all()
    assert not mask[np.asarray(images) == 0].any()


def test_rank_correlation():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(3, 5, 5))
    assert rank_correlation(a, a) == pytest.approx(1.0)
    assert rank_correlation(a, -a) == pytest.approx(1.0)  # absolute values are compared
    assert rank_correlation(a, 1 / (np.abs(a) + 1)) == pytest.approx(-1.0)
    assert rank_correlation(a, np.zeros_like(a)) == 0.0  # a constant map has no ranking
    assert rank_correlation(a, -a, signed=True) == pytest.approx(-1.0)
    mask = np.zeros(a.shape, dtype=bool)
    mask[:, :2] = True
    b = a.copy()
    b[~mask] = 0.0
    assert rank_correlation(a, b, mask=mask) == pytest.approx(1.0), "only the masked pixels count"
    with pytest.raises(ValueError, match="same shape"):
        rank_correlation(a, a[:2])
    with pytest.raises(ValueError, match="mask must"):
        rank_correlation(a, a, mask=mask[0])
