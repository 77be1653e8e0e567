"""Tests for e2e_helpers.explain.sanity: the randomisation cascade, the sanity check, rank correlation."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from e2e_helpers.explain import randomised_cascade, rank_correlation, sanity_check


def test_randomised_cascade_goes_from_the_output_down_and_leaves_the_model_alone(fitted):
    net, _ = fitted
    before = [p.detach().clone() for p in net.module_.parameters()]
    steps = list(randomised_cascade(net, seed=0))
    assert [name for name, _ in steps] == ["dense 2", "dense 1", "conv 2", "conv 1"]
    final = steps[-1][1]
    for old, new, mine in zip(before, final.parameters(), net.module_.parameters()):
        assert torch.equal(old, mine)  # the classifier's own network is untouched
    changed = [not torch.equal(a, b) for a, b in zip(before, final.parameters())]
    assert sum(changed) >= 4  # every conv and linear weight re-drawn
    again = list(randomised_cascade(net, seed=0))[-1][1]
    assert all(torch.equal(a, b) for a, b in zip(final.parameters(), again.parameters())), "seeded"


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


def test_rank_correlation():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(3, 5, 5))
    assert rank_correlation(a, a) == pytest.approx(1.0)
    assert rank_correlation(a, -a) == pytest.approx(1.0)  # absolute values are compared
    assert rank_correlation(a, 1 / (np.abs(a) + 1)) == pytest.approx(-1.0)
    assert rank_correlation(a, np.zeros_like(a)) == 0.0  # a constant map has no ranking
