"""Generated images shared by the vision tests."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest


def _squares_and_discs(
    n: int = 40, size: int = 28, colour: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Bright squares (4 sharp corners) vs discs (no corners), at random places."""
    rng = np.random.default_rng(1)
    images = np.zeros((n, size, size), np.float32)
    yy, xx = np.mgrid[:size, :size]
    for i in range(n):
        r, c = rng.integers(8, size - 8, size=2)
        if i % 2:
            images[i, r - 5 : r + 5, c - 5 : c + 5] = 1.0
        else:
            images[i] = ((yy - r) ** 2 + (xx - c) ** 2 <= 30).astype(np.float32)
    images += rng.normal(0, 0.02, images.shape).astype(np.float32)
    images = (np.clip(images, 0, 1) * 255).astype(np.uint8)
    if colour:
        images = np.stack([images, images // 2, 255 - images], axis=-1)
    return images, np.arange(n) % 2


@pytest.fixture
def squares_and_discs() -> Callable[..., tuple[np.ndarray, np.ndarray]]:
    """``squares_and_discs(n=40, size=28, colour=False)``: uint8 images of squares (label 1) and
    discs (label 0)."""
    return _squares_and_discs
