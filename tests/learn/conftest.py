"""Fixtures shared by the learning tests."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import make_classification


@pytest.fixture(scope="module")
def blobs() -> tuple[np.ndarray, np.ndarray]:
    """200 samples of 20 features in 2 well-separated classes."""
    return make_classification(
        n_samples=200, n_features=20, n_informative=4, class_sep=2.0, flip_y=0.0, random_state=0
    )
