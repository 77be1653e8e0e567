"""Images as arrays: flat rows back to images (:func:`as_images`) and colour to grey
(:func:`to_grey`).

Images may arrive as ``(n, height, width)``, ``(n, height, width, channels)``
or flattened ``(n, height * width)`` rows of a square grey image (what
``cross_val_score`` and ``learning_curve`` hand over).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["to_grey"]

_CHANNELS = (1, 3, 4)  # grey, RGB, RGBA


def as_images(X: ArrayLike, image_shape: Sequence[int] | None = None) -> np.ndarray:
    """*X* as a stack of images ``(n, h, w)`` or ``(n, h, w, c)``.

    Flat rows are reshaped to *image_shape*, or to a square when it is ``None``.
    Colour images must be channels-last: ``(n, 3, h, w)`` is refused with a
    ``ValueError`` saying how to transpose it.

    >>> as_images(np.zeros((2, 16))).shape
    (2, 4, 4)
    """
    X = np.asarray(X)
    if X.ndim == 2:
        if image_shape is None:
            side = math.isqrt(X.shape[1])
            if side * side != X.shape[1]:
                raise ValueError(
                    f"cannot tell the image size of flat rows of {X.shape[1]} values: "
                    f"pass image_shape=(height, width[, channels])"
                )
            image_shape = (side, side)
        if math.prod(image_shape) != X.shape[1]:
            raise ValueError(
                f"rows of {X.shape[1]} values do not fit image_shape={tuple(image_shape)}"
            )
        return X.reshape(len(X), *image_shape)
    if X.ndim == 4 and X.shape[1] in _CHANNELS and X.shape[-1] not in _CHANNELS:
        raise ValueError(
            f"images of shape {X.shape} look channels-first (n, channels, height, width), but the "
            f"traditional "
            f"features expect channels-last colour images (n, height, width, channels): pass "
            f"X.transpose(0, 2, 3, 1), shape {(X.shape[0], *X.shape[2:], X.shape[1])}."
        )
    if X.ndim in (3, 4):
        return X
    raise ValueError(
        f"expected images shaped (n, height, width[, channels]) or flat rows (n, pixels), got "
        f"shape {X.shape}"
    )


def to_grey(images: ArrayLike) -> np.ndarray:
    """Images ``(n, h, w[, 3])`` as float32 grey ``(n, h, w)`` in [0, 1] (uint8 input) or as
    given."""
    images = np.asarray(images)
    if images.ndim == 4:
        if images.shape[-1] != 3:
            raise ValueError(f"colour images must have 3 channels last, got shape {images.shape}")
        images = (
            images.mean(axis=-1)
            if images.dtype != np.uint8
            else images.astype(np.float32).mean(axis=-1) / 255
        )
        return images.astype(np.float32, copy=False)
    if images.ndim != 3:
        raise ValueError(
            f"expected images shaped (n, height, width[, 3]), got shape {images.shape}"
        )
    scale = 255.0 if images.dtype == np.uint8 else 1.0
    return (images.astype(np.float32) / scale).astype(np.float32, copy=False)
