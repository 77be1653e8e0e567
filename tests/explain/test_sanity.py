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
    attribute,
    data_randomisation,
    failing,
    randomised_cascade,
    rank_correlation,
    sanity,
    sanity_check,
    sanity_table,
)
from e2e_helpers.explain.sanity import VARIANTS, foreground
from e2e_helpers.learn import bootstrap_interval
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


@pytest.fixture(scope="module")
def shuffled(fitted) -> list:
    """The fitted recipe trained three times more, each on its own shuffle of the labels."""
    net, _ = fitted
    X, y = load_digits(return_X_y=True)
    return [
        clone(net).fit(X[:400].reshape(-1, 8, 8), np.random.default_rng(seed).permutation(y[:400]))
        for seed in range(3)
    ]


def test_data_randomisation_compares_with_networks_trained_on_shuffled_labels(fitted, shuffled):
    net, images = fitted
    same = data_randomisation(net, net, images, methods=("saliency", "edges"))
    assert all(same.correlation[v]["saliency"] == pytest.approx(1.0) for v in VARIANTS), (
        "the same network: identical maps"
    )
    assert same.ssim["saliency"] == pytest.approx(1.0)
    assert same.per_image["absolute"]["saliency"].shape == (1, 4), "one network still accepted"
    other = data_randomisation(net, shuffled, images, methods=("saliency", "guided_backprop"))
    scores = other.scores("saliency")
    assert scores.shape == (3, 4) and other.excluded("saliency") == 0
    assert other.correlation["absolute"]["saliency"] == pytest.approx(scores.mean())
    assert scores.mean() < 0.9
    assert not np.allclose(scores[0], scores[1]), "each shuffle is its own network"
    interval = bootstrap_interval(scores)  # over shuffles and images
    assert interval.low <= interval.value <= interval.high
    assert other.trained_maps["saliency"].shape == (4, 8, 8)
    assert other.shuffled_maps["saliency"].shape == (3, 4, 8, 8)
    assert other.degenerate["saliency"].tolist() == [0, 0, 0, 0], "trained, then per shuffle"
    check = sanity_check(net, images, methods=("saliency",))
    table = sanity_table(check, other)
    assert "shuffled labels" in table.splitlines()[0]
    assert "trained 0/4, randomised 0/4, shuffled 0/12" in table
    with pytest.raises(TypeError, match="list of them"):
        data_randomisation(net, [], images)
    with pytest.raises(TypeError, match="one per label shuffle"):
        data_randomisation(net, "shuffled_cnn", images)
    with pytest.raises(TypeError, match="fitted TorchClassifier trained on shuffled labels"):
        data_randomisation(net, None, images)


def _blank_unless_trained(blank_images: slice = slice(None)):
    """An ``attribute`` that blanks the maps of *blank_images* for any network but the
    classifier's own (a method whose randomised maps are blank)."""

    def fake(classifier, images, method, targets=None, *, network=None):
        maps = attribute(classifier, images, method, targets, network=network)
        if network is not None or classifier is not fake.trained:
            maps[blank_images] = 0.0
        return maps

    return fake


def test_blank_randomised_maps_cannot_pass(fitted, shuffled, monkeypatch):
    net, images = fitted
    fake = _blank_unless_trained()
    fake.trained = net
    monkeypatch.setattr(sanity, "attribute", fake)
    check = sanity_check(net, images, methods=("saliency", "edges"))
    assert check.degenerate["saliency"].tolist() == [0, 4, 4, 4, 4]
    assert np.isnan(check.per_image["absolute"]["saliency"][1:]).all()
    assert (
        np.isnan(check.final("saliency")) and check.excluded("saliency").tolist() == [0] + [4] * 4
    )
    assert check.verdict("saliency") == "cannot be judged: every randomised map is blank"
    assert not check.passes("saliency"), "blank maps rank nothing: not a pass"
    assert failing(check) == [
        "saliency (cannot be judged: every randomised map is blank)",
        "edges (cannot be judged: every randomised map is blank)",
    ]
    table = sanity_table(check)
    assert "| saliency | n/a (4 left out) |" in table and "trained 0/4, randomised 4/4" in table
    data = data_randomisation(net, shuffled, images, methods=("saliency",))
    assert data.degenerate["saliency"].tolist() == [0, 4, 4, 4]
    assert np.isnan(data.correlation["absolute"]["saliency"]) and data.excluded("saliency") == 4
    assert data.scores("saliency").shape == (3, 0) and np.isnan(data.ssim["saliency"])


def test_a_blank_map_is_left_out_of_the_means_and_counted(fitted, monkeypatch):
    net, images = fitted
    fake = _blank_unless_trained(slice(0, 1))  # the first image's randomised maps only
    fake.trained = net
    monkeypatch.setattr(sanity, "attribute", fake)
    check = sanity_check(net, images, methods=("saliency",))
    per_image = check.per_image["absolute"]["saliency"]
    assert per_image.shape == (5, 4) and np.isnan(per_image[1:, 0]).all()
    assert np.isfinite(per_image[:, 1:]).all()
    np.testing.assert_allclose(check.rank_correlation["saliency"][1:], per_image[1:, 1:].mean(1))
    assert check.degenerate["saliency"].tolist() == [0, 1, 1, 1, 1]
    assert check.verdict("saliency") in ("passes", "fails"), "judged on the three other images"
    assert f"{check.final('saliency'):+.2f} (1 left out)" in sanity_table(check)


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
    assert np.isnan(rank_correlation(a, np.zeros_like(a))), "a constant map has no ranking"
    half = a.copy()
    half[0] = 1.0  # the first image's map is constant: left out of the mean
    assert rank_correlation(a, half) == pytest.approx(1.0)
    assert rank_correlation(a, np.where(a > 0, 1.0, -1.0), signed=True) > 0.5, (
        "two values rank pixels when signed"
    )
    assert np.isnan(rank_correlation(a, np.where(a > 0, 1.0, -1.0))), "but not as absolute values"
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
