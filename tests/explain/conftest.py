"""Fixtures shared by the explanation tests."""

from __future__ import annotations

from functools import partial

import numpy as np
import pytest
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
