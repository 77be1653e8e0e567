"""Shortcut learning: how much of an attribution map falls where the evidence cannot be.

A network can score well by using something that merely correlates with the
label (a hospital's marker in a corner, the patient's position, the area
below the lungs) instead of the pathology. A fixed mask of where the evidence
should be, and the share of each map outside it, turns "the map looks
plausible" into a number. :func:`lung_field_mask` is such a mask for
frontal chest x-rays; :func:`share_outside` measures any map against any mask.
:func:`stamp_marker` plants a known shortcut (a bright square in a corner),
so that ``1 - share_outside(maps, marker)`` is the share of attribution on it.

>>> mask = lung_field_mask((28, 28))
>>> mask.shape, round(float(mask.mean()), 2)
((28, 28), 0.43)
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["lung_field_mask", "share_outside", "stamp_marker"]

_CORNERS = ("top left", "top right", "bottom left", "bottom right")


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
    them, or one per map ``(n, H, W)`` (as :func:`stamp_marker` returns). A
    map that is zero everywhere attributes nothing: its share is NaN (one
    value per map is always returned), so count those and leave them out
    before averaging, e.g. ``shares[np.isfinite(shares)]``.
    """
    maps, mask = np.abs(np.asarray(maps, dtype=np.float64)), np.asarray(mask, dtype=bool)
    if maps.ndim != 3 or mask.shape not in (maps.shape[1:], maps.shape):
        raise ValueError(
            f"maps must be (n, H, W) with (H, W) the mask's shape, or the mask (n, H, W) like the "
            f"maps; got maps {maps.shape} and mask {mask.shape}."
        )
    mask = np.broadcast_to(mask, maps.shape)
    total = maps.sum(axis=(1, 2))
    outside = np.where(mask, 0.0, maps).sum(axis=(1, 2))
    shares = np.full(len(maps), np.nan)
    np.divide(outside, total, out=shares, where=total > 0)
    return shares


def stamp_marker(
    images: ArrayLike,
    *,
    size: int = 3,
    corner: str = "top left",
    value: float | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """A copy of *images* with a *size* x *size* square of *value* in one *corner*, and the mask of
    it.

    *images* is ``(n, H, W)`` or ``(n, channels, H, W)`` (every channel is
    stamped); *corner* one of ``"top left"``, ``"top right"``,
    ``"bottom left"``, ``"bottom right"``; *value* defaults to the images'
    maximum grey level. Returns the stamped copy (same shape and dtype) and
    the boolean ``(H, W)`` mask of the marker pixels: stamp one class's
    training images to plant a shortcut, then ``1 - share_outside(maps, mask)``
    is the share of each map's attribution on the marker.
    """
    stamped = np.array(images, copy=True)
    if stamped.ndim not in (3, 4) or not stamped.size:
        raise ValueError(
            f"images must be a non-empty (n, H, W) or (n, channels, H, W) array, got shape "
            f"{stamped.shape}."
        )
    height, width = stamped.shape[-2:]
    if not isinstance(size, (int, np.integer)) or not 1 <= size <= min(height, width):
        raise ValueError(
            f"size must be a whole number of pixels from 1 to {min(height, width)} (the marker "
            f"must fit in the {height} x {width} image), got {size!r}."
        )
    if corner not in _CORNERS:
        raise ValueError(f"corner must be one of {', '.join(_CORNERS)}, got {corner!r}.")
    if value is not None and not np.isfinite(value):
        raise ValueError(f"value must be a finite grey level (or None: the maximum), got {value}.")
    rows = slice(0, size) if corner.startswith("top") else slice(height - size, height)
    cols = slice(0, size) if corner.endswith("left") else slice(width - size, width)
    mask = np.zeros((height, width), dtype=bool)
    mask[rows, cols] = True
    stamped[..., mask] = stamped.max() if value is None else value
    return stamped, mask
