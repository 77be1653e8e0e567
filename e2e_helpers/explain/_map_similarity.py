"""How alike two sets of attribution maps are, image by image: rank correlation and SSIM.

Private to :mod:`~e2e_helpers.explain.sanity` (which re-exports :func:`rank_correlation`). A map
whose values are all equal (blank) ranks nothing: its correlation and SSIM are NaN, and the means
leave it out.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import spearmanr
from skimage.metrics import structural_similarity


def rank_correlation(
    a: np.ndarray, b: np.ndarray, *, signed: bool = False, mask: np.ndarray | None = None
) -> float:
    """Mean over images of the Spearman rank correlation of maps ``a[i]`` and ``b[i]``.

    Compares absolute values unless *signed*; with a boolean *mask* of the
    same shape, only the pixels it marks (e.g. the object). A map that is
    constant where compared ranks nothing: its image is left out of the mean,
    and the result is NaN when no image is left.
    """
    return float(nan_mean(map_correlations(a, b, signed=signed, mask=mask)))


def map_correlations(
    a: np.ndarray, b: np.ndarray, *, signed: bool = False, mask: np.ndarray | None = None
) -> np.ndarray:
    """Per image, the rank correlation :func:`rank_correlation` averages (NaN: a constant map)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(
            f"the two sets of maps must have the same shape, got {a.shape} and {b.shape}."
        )
    if mask is not None and np.shape(mask) != a.shape:
        raise ValueError(f"mask must have the maps' shape {a.shape}, got {np.shape(mask)}.")
    if not signed:
        a, b = np.abs(a), np.abs(b)
    values = np.full(len(a), np.nan)
    for i in range(len(a)):
        keep = np.ones(a[i].shape, dtype=bool) if mask is None else np.asarray(mask[i], dtype=bool)
        x, y = a[i][keep], b[i][keep]
        if len(x) >= 2 and np.ptp(x) > 0 and np.ptp(y) > 0:
            values[i] = float(spearmanr(x, y).statistic)
    return values


def nan_mean(values: np.ndarray, axis: int | None = None) -> np.ndarray:
    """The mean of the values that are not NaN (NaN where there are none), without a warning."""
    values = np.asarray(values, dtype=np.float64)
    counted = (~np.isnan(values)).sum(axis=axis)
    total = np.where(np.isnan(values), 0.0, values).sum(axis=axis)
    return np.where(counted > 0, total / np.maximum(counted, 1), np.nan)


def constant_maps(maps: np.ndarray) -> np.ndarray:
    """Per map of ``(n, H, W)`` *maps*: True when all its values are equal (a blank map)."""
    flat = np.asarray(maps, dtype=np.float64).reshape(len(maps), -1)
    return np.ptp(flat, axis=1) == 0


def map_ssims(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Per image, the SSIM of the maps ``a[i]`` and ``b[i]``, each scaled to [0, 1] (NaN where one
    is constant)."""
    blank = constant_maps(a) | constant_maps(b)
    return np.array(
        [
            np.nan if skip else structural_similarity(_unit(x), _unit(y), data_range=1.0)
            for x, y, skip in zip(a, b, blank)
        ]
    )


def mean_ssim(a: np.ndarray, b: np.ndarray) -> float:
    """Mean SSIM of the image pairs whose maps are not constant (NaN when none is left)."""
    return float(nan_mean(map_ssims(a, b)))


def _unit(m: np.ndarray) -> np.ndarray:
    """``|m|`` divided by its maximum (unchanged where it is all zeros)."""
    m = np.abs(m).astype(np.float64)
    top = m.max()
    return m / top if top > 0 else m
