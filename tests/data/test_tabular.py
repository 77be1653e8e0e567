"""tabular: Breast Cancer Wisconsin, from scikit-learn."""

from __future__ import annotations

import numpy as np

from e2e_helpers.data import load


def test_breast_cancer():
    table = load("breast-cancer")
    assert table.X.shape == (569, 30) and table.X.dtype == np.float64
    assert (
        table.y.shape == (569,) and table.y.dtype == np.int64 and set(np.unique(table.y)) == {0, 1}
    )
    assert len(table.feature_names) == 30 and table.target_names == ("malignant", "benign")
