"""Tests for e2e_helpers.explain.attribution: one attribution map per image, by each method."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from e2e_helpers.explain import METHODS, attribute
from e2e_helpers.learn import TorchClassifier, mlp


@pytest.mark.parametrize("method", METHODS)
def test_attribute_gives_one_finite_map_per_image(fitted, method):
    net, images = fitted
    maps = attribute(net, images, method)
    assert maps.shape == (4, 8, 8) and maps.dtype == np.float32
    assert np.isfinite(maps).all() and np.abs(maps).sum() > 0
    again = attribute(net, images.reshape(4, -1), method, targets=net.module_(torch.tensor(images[:, None], dtype=torch.float32)).argmax(1).tolist())
    np.testing.assert_allclose(again, maps, rtol=1e-5, atol=1e-6)  # default targets = the predictions; flat rows work


def test_attribute_rejects_bad_arguments(fitted):
    net, images = fitted
    with pytest.raises(ValueError, match="method must be one of"):
        attribute(net, images, "lime")
    with pytest.raises(ValueError, match="one class index in 0..9 per image"):
        attribute(net, images, "saliency", targets=[0, 1])
    with pytest.raises(ValueError, match="not fitted"):
        attribute(TorchClassifier(mlp), images, "saliency")
    with pytest.raises(ValueError, match="at least one image"):
        attribute(net, images[:0], "saliency")
