"""Fixtures shared by the explanation tests."""

from __future__ import annotations

import math
from functools import partial

import numpy as np
import pytest
import torch
from sklearn.datasets import load_digits

from e2e_helpers.learn import TorchClassifier, small_cnn


@pytest.fixture(scope="module")
def fitted() -> tuple[TorchClassifier, np.ndarray]:
    """A small CNN fitted on 400 8x8 digits, and 4 other digits to explain."""
    X, y = load_digits(return_X_y=True)
    images = X.reshape(-1, 8, 8)
    net = TorchClassifier(
        partial(small_cnn, channels=(4, 6), hidden=12),
        input_shape=(1, 8, 8),
        epochs=3,
        progress=False,
        random_state=0,
        device="cpu",
    )
    return net.fit(images[:400], y[:400]), images[400:404]


def _linear(input_shape: tuple[int, ...], n_classes: int) -> torch.nn.Module:
    return torch.nn.Sequential(
        torch.nn.Flatten(), torch.nn.Linear(math.prod(input_shape), n_classes)
    )


@pytest.fixture(scope="module")
def one_pixel() -> tuple[TorchClassifier, np.ndarray, tuple[int, int]]:
    """A linear network on 8x8 images that only looks at one pixel: class 1 when it is bright; 20
    images, black except a few random grey pixels and that pixel set to 1; the pixel (row, col)."""
    pixel = (2, 3)
    rng = np.random.default_rng(0)
    images = np.where(rng.random((20, 8, 8)) < 0.2, rng.random((20, 8, 8)) * 0.3, 0.0)
    images[(slice(None), *pixel)] = 1.0
    net = TorchClassifier(
        _linear, input_shape=(1, 8, 8), epochs=1, progress=False, random_state=0, device="cpu"
    ).fit(images, np.arange(20) % 2)
    with torch.no_grad():
        weight, bias = net.module_[1].weight, net.module_[1].bias
        weight.zero_()
        weight[1, pixel[0] * 8 + pixel[1]] = 20.0  # logit of class 1 - class 0: 20 x pixel - 10
        bias.copy_(torch.tensor([10.0, 0.0]))
    return net, images, pixel
