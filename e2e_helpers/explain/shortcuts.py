"""Shortcut learning: how much of an attribution map falls where the evidence cannot be.

A network can score well by using something that merely correlates with the
label (a hospital's marker in a corner, the patient's position, the area
below the lungs) instead of the pathology. A fixed mask of where the evidence
should be, and the share of each map outside it, turns "the map looks
plausible" into a number. :func:`lung_field_mask` is such a mask for
frontal chest x-rays; :func:`share_outside` measures any map against any mask.

>>> mask = lung_field_mask((28, 28))
>>> mask.shape, round(float(mask.mean()), 2)
((28, 28), 0.43)
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["lung_field_mask", "share_outside"]


def lung_field_mask(shape: tuple[int, int] = (28, 28)) -> np.ndarray:
    """A fixed boolean mask of the two lung fields of a centred frontal chest x-ray of *shape*
    (height, width).

    Two upright ellipses, one per lung, placed from the mean PneumoniaMNIST
    image: centred at 45% of the height and at 27% / 73% of the width, with
    semi-axes of 34% of the height and 20% of the width. It leaves out the
    borders and corners, the area below the diaphragm and the spine between
    the lungs. One mask for every image: a rough guide, not a segmentation.
    """
    if len(shape) != 2 or min(shape) < 4:
        raise ValueError(f"shape must be (height, width) of at least 4 x 4 pixels, got {shape}.")
    height, width = shape
    rows, cols = np.mgrid[0:height, 0:width]
    r, c = (rows + 0.5) / height, (cols + 0.5) / width
    return np.logical_or(
        *[((r - 0.45) / 0.34) ** 2 + ((c - x) / 0.20) ** 2 <= 1 for x in (0.27, 0.73)]
    )


def share_outside(maps: ArrayLike, mask: ArrayLike) -> np.ndarray:
    """Per map, the share of its total absolute attribution that falls outside *mask* (0 = all
    inside).

    *maps* is ``(n, H, W)``, *mask* one boolean ``(H, W)`` mask for all of
    them. Maps that are zero everywhere attribute nothing and are left out.
    """
    maps, mask = np.abs(np.asarray(maps, dtype=np.float64)), np.asarray(mask, dtype=bool)
    if maps.ndim != 3 or maps.shape[1:] != mask.shape:
        raise ValueError(
            f"maps must be (n, H, W) with (H, W) the mask's shape {mask.shape}, got {maps.shape}."
        )
    total = maps.sum(axis=(1, 2))
    outside = maps[:, ~mask].sum(axis=1)
    kept = total > 0
    return outside[kept] / total[kept]
