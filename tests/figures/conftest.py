"""Fixtures shared by the figure tests."""

from __future__ import annotations

import numpy as np
import pytest

CLASSES = ("a", "b", "c")


@pytest.fixture
def small() -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """12 random 28x28 images of 3 classes, and two systems' predictions (one wrong on 4 images)."""
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(12, 28, 28), dtype=np.uint8)
    y = np.arange(12) % 3
    pred = y.copy()
    pred[:4] = (pred[:4] + 1) % 3
    return images, y, {"traditional": pred, "CNN": y}


@pytest.fixture
def explorer_data(small) -> dict:
    """What the image explorer takes, for the images of ``small``."""
    images, y, predictions = small
    return dict(
        images=images,
        labels=y,
        classes=CLASSES,
        keypoints=[np.array([[5, 5], [10, 12]])] * 12,
        hog_pictures=[image.astype(float) for image in images],
        feature_maps=np.random.default_rng(1).random((12, 4, 14, 14)),
        predictions=predictions,
    )
