"""Tests for e2e_helpers.explain.attribution: one attribution map per image, by each method; bad
input refused as by predict."""

from __future__ import annotations

import warnings
from functools import cache, partial

import numpy as np
import pytest
import torch

from e2e_helpers.explain import METHODS, attribute, feature_maps, learned_features, sanity_check
from e2e_helpers.learn import TorchClassifier, mlp, small_cnn


@pytest.mark.parametrize("method", METHODS)
def test_attribute_gives_one_finite_map_per_image(fitted, method):
    net, images = fitted
    maps = attribute(net, images, method)
    assert maps.shape == (4, 8, 8) and maps.dtype == np.float32
    assert np.isfinite(maps).all() and np.abs(maps).sum() > 0
    again = attribute(
        net,
        images.reshape(4, -1),
        method,
        targets=net.module_(torch.tensor(images[:, None], dtype=torch.float32)).argmax(1).tolist(),
    )
    # default targets = the predictions; flat rows work
    np.testing.assert_allclose(again, maps, rtol=1e-5, atol=1e-6)


def test_guided_grad_cam_is_guided_backprop_times_the_grad_cam_map(fitted):
    """Both from the same last conv block: where Grad-CAM is zero, so is guided Grad-CAM."""
    net, images = fitted
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # Captum's note about hooking the ReLUs is kept quiet
        guided = attribute(net, images, "guided_backprop")
        guided_cam = attribute(net, images, "guided_grad_cam")
    cam = attribute(net, images, "grad_cam")
    np.testing.assert_allclose(guided_cam, guided * cam, rtol=1e-4, atol=1e-9)
    assert (cam == 0).any() and (guided_cam[cam == 0] == 0).all()
    saliency = attribute(net, images, "saliency")
    assert not np.allclose(np.abs(guided), saliency), "only positive gradients pass the ReLUs"


def _with_pixel(
    images: np.ndarray, value: float, where: tuple[int, int, int] = (2, 3, 4)
) -> np.ndarray:
    changed = images.astype(float)
    changed[where] = value
    return changed


_NAN = (
    r"Input X contains 1 NaN and 0 inf values \(in 1 of 4 samples, the first is sample 2\), "
    r"but a network needs finite numbers"
)
_INF = r"Input X contains 0 NaN and 1 inf values \(in 1 of 4 samples, the first is sample 2\)"
_SIZE = (
    r"X has samples of shape \(9, 9\) \(81 values\), but the network of this TorchClassifier was "
    r"trained "
    r"on samples of shape \(1, 8, 8\) \(64 values\): resize or crop"
)


@cache
def _net_28x28() -> TorchClassifier:
    """A tiny CNN trained (one epoch) on 28x28 noise images."""
    rng = np.random.default_rng(0)
    net = TorchClassifier(
        partial(small_cnn, channels=(2,)),
        input_shape=(1, 28, 28),
        epochs=1,
        progress=False,
        random_state=0,
        device="cpu",
    )
    return net.fit(rng.random((20, 28, 28)), np.arange(20) % 2)


@cache
def _mlp_on_images() -> TorchClassifier:
    """An MLP on 8x8 images (no convolution), trained one epoch on noise."""
    rng = np.random.default_rng(0)
    net = TorchClassifier(
        mlp, input_shape=(1, 8, 8), epochs=1, progress=False, random_state=0, device="cpu"
    )
    return net.fit(rng.random((20, 8, 8)), np.arange(20) % 10)


_SIZE_30 = (
    r"X has samples of shape \(30, 30\) \(900 values\), but the network of this TorchClassifier "
    r"was "
    r"trained on samples of shape \(1, 28, 28\) \(784 values\)"
)
BAD_CALLS = {
    "30x30 images for a 28x28 network": (
        lambda net, x: attribute(_net_28x28(), np.zeros((2, 30, 30)), "grad_cam"),
        _SIZE_30,
    ),
    "sanity check, 30x30 images for a 28x28 network": (
        lambda net, x: sanity_check(_net_28x28(), np.zeros((2, 30, 30))),
        _SIZE_30,
    ),
    "unknown method": (lambda net, x: attribute(net, x, "lime"), "method must be one of"),
    "guided Grad-CAM without a convolution": (
        lambda net, x: attribute(_mlp_on_images(), x, "guided_grad_cam"),
        "guided Grad-CAM need a CNN with an nn.Conv2d layer",
    ),
    "wrong number of targets": (
        lambda net, x: attribute(net, x, "saliency", targets=[0, 1]),
        "one class index in 0..9 per image",
    ),
    "unfitted classifier": (
        lambda net, x: attribute(TorchClassifier(mlp), x, "saliency"),
        "not fitted",
    ),
    "no images": (lambda net, x: attribute(net, x[:0], "saliency"), "at least one image"),
    "a NaN pixel": (lambda net, x: attribute(net, _with_pixel(x, np.nan), "saliency"), _NAN),
    "a NaN pixel, occlusion": (
        lambda net, x: attribute(net, _with_pixel(x, np.nan), "occlusion"),
        _NAN,
    ),
    "an inf pixel": (lambda net, x: attribute(net, _with_pixel(x, np.inf), "grad_cam"), _INF),
    "larger images": (lambda net, x: attribute(net, np.zeros((4, 9, 9)), "saliency"), _SIZE),
    "sanity check, a NaN pixel": (
        lambda net, x: sanity_check(net, _with_pixel(x, np.nan), methods=("saliency",)),
        _NAN,
    ),
    "sanity check, larger images": (lambda net, x: sanity_check(net, np.zeros((4, 9, 9))), _SIZE),
    "feature maps, a NaN pixel": (lambda net, x: feature_maps(net, _with_pixel(x, np.nan)), _NAN),
    "learned features, larger images": (
        lambda net, x: learned_features(net, np.zeros((4, 9, 9))),
        _SIZE,
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_CALLS))
def test_attribution_refuses_bad_input_as_predict_does(fitted, case):
    net, images = fitted
    call, message = BAD_CALLS[case]
    with pytest.raises(ValueError, match=message):
        call(net, images)
    if "NaN" in case:
        with pytest.raises(ValueError, match=message):
            net.predict(_with_pixel(images, np.nan))
