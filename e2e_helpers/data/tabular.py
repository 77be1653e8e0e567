"""Tabular datasets: Breast Cancer Wisconsin (diagnostic), which ships with scikit-learn."""

from __future__ import annotations

import numpy as np

from ._containers import TabularData

__all__: list[str] = []  # data.load("breast-cancer")


def load_breast_cancer() -> TabularData:
    """Breast Cancer Wisconsin (diagnostic): 569 tumours x 30 measurements; 0 = malignant, 1 =
    benign.

    Ships with scikit-learn: no download.
    """
    # lazy: the data layer needs no scikit-learn
    from sklearn.datasets import (
        load_breast_cancer as sklearn_load,
    )

    bunch = sklearn_load()
    return TabularData(
        name="breast-cancer",
        X=np.asarray(bunch.data, dtype=np.float64),
        y=np.asarray(bunch.target, dtype=np.int64),
        feature_names=tuple(str(name) for name in bunch.feature_names),
        target_names=tuple(str(name) for name in bunch.target_names),
    )
