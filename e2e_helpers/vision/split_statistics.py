"""Do the training, validation and test images look alike? Class balance and image statistics per
split.

A model learns the training distribution; if the test images differ
(another hospital, another scanner, another exposure), its errors shift in
ways no amount of training data from the first distribution reveals.
:func:`image_statistics` measures simple per-image numbers (mean brightness
and contrast) and :func:`split_table` lays the splits side by side, class by
class, in Markdown.

>>> import numpy as np
>>> image_statistics(np.full((2, 4, 4), 10.0))["brightness"].tolist()
[10.0, 10.0]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import ArrayLike

from .._tables import markdown_table

__all__ = ["split_table"]


def image_statistics(images: ArrayLike) -> dict[str, np.ndarray]:
    """Per image (rows of ``(n, H, W)`` or ``(n, H, W, C)``): ``brightness`` (mean pixel) and
    ``contrast`` (pixel std)."""
    images = np.asarray(images, dtype=np.float64)
    if images.ndim not in (3, 4) or not len(images):
        raise ValueError(
            f"images must be a non-empty (n, H, W) or (n, H, W, C) array, got shape {images.shape}."
        )
    flat = images.reshape(len(images), -1)
    return {"brightness": flat.mean(axis=1), "contrast": flat.std(axis=1)}


def split_table(splits: Mapping[str, tuple[ArrayLike, ArrayLike]], classes: Sequence[str]) -> str:
    """Markdown table: per split (``{name: (images, labels)}``), its size, the share of each class,
    and per class
    the mean brightness and contrast of its images (mean ± std over images)."""
    if not splits:
        raise ValueError("splits is empty: pass {'train': (images, labels), ...}.")
    header = ["split", "images"] + [f"share {c}" for c in classes]
    header += [f"{c}: {what}" for c in classes for what in ("brightness", "contrast")]
    rows = []
    for name, (images, labels) in splits.items():
        labels = np.asarray(labels)
        if len(labels) != len(images):
            raise ValueError(f"split {name!r} has {len(images)} images but {len(labels)} labels.")
        cells = [name, f"{len(labels):,}"] + [
            f"{np.mean(labels == k):.1%}" for k in range(len(classes))
        ]
        for k in range(len(classes)):
            found = (
                image_statistics(np.asarray(images)[labels == k]) if np.any(labels == k) else None
            )
            for what in ("brightness", "contrast"):
                cells.append(
                    "—" if found is None else f"{found[what].mean():.1f} ± {found[what].std():.1f}"
                )
        rows.append(cells)
    return markdown_table(header, rows, align="l" + "r" * (len(header) - 1))
