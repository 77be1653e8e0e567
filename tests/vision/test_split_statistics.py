"""vision.split_statistics: per-image statistics and the side-by-side table of splits."""

from __future__ import annotations

import numpy as np
import pytest

from e2e_helpers.vision import split_table
from e2e_helpers.vision.split_statistics import image_statistics


def test_image_statistics():
    images = np.stack([np.zeros((4, 4)), np.r_[np.zeros(8), np.full(8, 10.0)].reshape(4, 4)])
    found = image_statistics(images)
    assert found["brightness"].tolist() == [0.0, 5.0] and found["contrast"].tolist() == [0.0, 5.0]
    assert image_statistics(np.ones((2, 3, 3, 3)))["brightness"].tolist() == [1.0, 1.0]
    with pytest.raises(ValueError, match="non-empty"):
        image_statistics(np.zeros((4, 4)))


def test_split_table_lays_splits_side_by_side():
    rng = np.random.default_rng(0)
    train = (rng.integers(0, 50, (8, 5, 5)), np.array([0, 0, 0, 0, 0, 0, 1, 1]))
    test = (rng.integers(200, 250, (4, 5, 5)), np.array([0, 0, 0, 0]))
    table = split_table({"train": train, "test": test}, ["normal", "pneumonia"]).splitlines()
    assert table[0].startswith(
        "| split | images | share normal | share pneumonia | normal: brightness"
    )
    assert table[2].startswith("| train | 8 | 75.0% | 25.0% |")
    assert table[3].startswith("| test | 4 | 100.0% | 0.0% | 22") and table[3].endswith(
        "| — | — |"
    ), "no pneumonia in test"
    with pytest.raises(ValueError, match="labels"):
        split_table({"bad": (train[0], train[1][:3])}, ["a", "b"])
    with pytest.raises(ValueError, match="empty"):
        split_table({}, ["a"])
