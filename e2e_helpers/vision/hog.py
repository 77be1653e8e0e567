"""Histograms of oriented gradients: the :class:`HOGFeatures` transformer, and maps and pictures of
its features.

:class:`HOGFeatures` turns images into Histograms of Oriented Gradients
(Dalal & Triggs, 2005) with :func:`skimage.feature.hog`, so a traditional
pipeline is one scikit-learn ``Pipeline``::

    make_pipeline(HOGFeatures(), StandardScaler(), LinearSVC())

:func:`fine_and_coarse_hog` is notebook 01's pair of grids side by side;
:func:`hog_feature_map` puts per-feature values (e.g. a mask of the features a
selection kept) back on the image's pixels; :func:`hog_picture` draws an
image's HOG large enough to read.
"""

from __future__ import annotations

import numpy as np
from joblib import Parallel, delayed
from numpy.typing import ArrayLike
from skimage import feature
from skimage.transform import rescale
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.pipeline import FeatureUnion
from sklearn.utils.validation import check_is_fitted, validate_data

from .._checks import check_positive_int
from .images import as_images

__all__ = ["HOGFeatures", "fine_and_coarse_hog", "hog_feature_map", "hog_picture"]


class HOGFeatures(TransformerMixin, BaseEstimator):
    """Histogram-of-oriented-gradients features of each image (``skimage.feature.hog``).

    The parameters are :func:`skimage.feature.hog`'s; they are the hand-chosen
    settings of the traditional pipeline. Colour images (a last axis of 3)
    use the strongest gradient over the channels. *n_jobs* splits the images
    over processes (joblib).
    """

    def __init__(
        self,
        orientations: int = 9,
        pixels_per_cell: tuple[int, int] = (4, 4),
        cells_per_block: tuple[int, int] = (2, 2),
        block_norm: str = "L2-Hys",
        image_shape: tuple[int, ...] | None = None,
        n_jobs: int | None = None,
    ) -> None:
        self.orientations = orientations
        self.pixels_per_cell = pixels_per_cell
        self.cells_per_block = cells_per_block
        self.block_norm = block_norm
        self.image_shape = image_shape
        self.n_jobs = n_jobs

    def fit(self, X: ArrayLike, y: object = None) -> HOGFeatures:
        """Check the images and remember their shape (HOG itself learns nothing)."""
        X = validate_data(self, X, ensure_2d=False, allow_nd=True, dtype=None)
        images = as_images(X, self.image_shape)
        self.image_shape_ = images.shape[1:]
        self.n_features_out_ = len(self._one(images[0]))
        return self

    def transform(self, X: ArrayLike) -> np.ndarray:
        """HOG vectors, one row per image, as float32."""
        check_is_fitted(self)
        X = validate_data(self, X, ensure_2d=False, allow_nd=True, dtype=None, reset=False)
        images = as_images(X, self.image_shape)
        if images.shape[1:] != self.image_shape_:
            raise ValueError(
                f"images are {images.shape[1:]}, but this HOG was fitted on {self.image_shape_}"
            )
        chunks = np.array_split(np.arange(len(images)), max(1, min(len(images) // 2000, 16)))
        parts = Parallel(n_jobs=self.n_jobs)(delayed(self._many)(images[rows]) for rows in chunks)
        return np.concatenate(parts).astype(np.float32, copy=False)

    def visualize(self, image: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        """``(features, picture)`` of one image: the picture draws each cell's histogram."""
        image = as_images(np.asarray(image)[None], self.image_shape)[0]
        return feature.hog(image, **self._hog_options(image), visualize=True)

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        """The output column names ``hog0, hog1, ...`` (scikit-learn's feature-name API)."""
        check_is_fitted(self)
        return np.asarray([f"hog{i}" for i in range(self.n_features_out_)], dtype=object)

    def _hog_options(self, image: np.ndarray) -> dict:
        return {
            "orientations": self.orientations,
            "pixels_per_cell": tuple(self.pixels_per_cell),
            "cells_per_block": tuple(self.cells_per_block),
            "block_norm": self.block_norm,
            "channel_axis": -1 if image.ndim == 3 else None,
        }

    def _one(self, image: np.ndarray) -> np.ndarray:
        return feature.hog(image, **self._hog_options(image))

    def _many(self, images: np.ndarray) -> np.ndarray:
        return (
            np.stack([self._one(image) for image in images])
            if len(images)
            else np.empty((0, self.n_features_out_))
        )


def fine_and_coarse_hog(n_jobs: int | None = None) -> FeatureUnion:
    """Notebook 01's HOG: 9 bins, 2x2-cell blocks, on 4x4-pixel cells (``"fine"``, the detail) and
    7x7 ones (``"coarse"``, the outline), side by side: 1,620 numbers per 28x28 image."""
    grids = {"fine": (4, 4), "coarse": (7, 7)}
    return FeatureUnion(
        [
            (
                name,
                HOGFeatures(
                    orientations=9, pixels_per_cell=cell, cells_per_block=(2, 2), n_jobs=n_jobs
                ),
            )
            for name, cell in grids.items()
        ]
    )


def hog_feature_map(hog: HOGFeatures, values: ArrayLike, *, reduce: str = "mean") -> np.ndarray:
    """Per-pixel map ``(h, w)`` of per-HOG-feature *values* (e.g. a kept-feature mask).

    skimage orders HOG features as (block row, block col, cell row in block,
    cell col in block, orientation); a cell appears in every block that
    contains it (a corner cell in 1, an inner cell in 4 of 2x2-cell blocks).
    ``"mean"`` averages the values of all the features of each cell, so a
    mask of kept features becomes "the fraction of this cell's features that
    was kept", comparable between cells; ``"sum"`` adds them, which grows
    with the number of blocks a cell sits in.
    """
    check_is_fitted(hog)
    values = np.asarray(values, dtype=float).ravel()
    if len(values) != hog.n_features_out_:
        raise ValueError(
            f"expected {hog.n_features_out_} values (one per HOG feature), got {len(values)}"
        )
    if reduce not in ("sum", "mean"):
        raise ValueError(f"reduce must be 'sum' or 'mean', got {reduce!r}")
    h, w = hog.image_shape_[:2]
    ch, cw = hog.pixels_per_cell
    bh, bw = hog.cells_per_block
    n_cells = (h // ch, w // cw)
    n_blocks = (n_cells[0] - bh + 1, n_cells[1] - bw + 1)
    blocks = values.reshape(*n_blocks, bh, bw, -1).sum(axis=-1)
    cells = np.zeros(n_cells)
    counts = np.zeros(n_cells)
    for a in range(bh):
        for b in range(bw):
            cells[a : a + n_blocks[0], b : b + n_blocks[1]] += blocks[:, :, a, b]
            counts[a : a + n_blocks[0], b : b + n_blocks[1]] += hog.orientations
    if reduce == "mean":
        cells = cells / np.maximum(counts, 1)
    pixels = np.zeros((h, w))
    pixels[: n_cells[0] * ch, : n_cells[1] * cw] = np.kron(cells, np.ones((ch, cw)))
    return pixels


def hog_picture(hog: HOGFeatures, image: ArrayLike, scale: int = 4) -> np.ndarray:
    """A readable picture of *image*'s HOG: the same cells drawn on the image enlarged *scale*
    times.

    :meth:`HOGFeatures.visualize` draws each cell's histogram as short lines
    inside the cell; at 4x4-pixel cells those are dots. Here the image is
    enlarged and the cells with it, so each cell's dominant orientations
    are visible as lines.
    """
    check_positive_int("scale", scale)
    image = as_images(np.asarray(image)[None], hog.image_shape)[0].astype(np.float32)
    big = rescale(image, scale, order=1, channel_axis=-1 if image.ndim == 3 else None)
    larger = clone(hog).set_params(
        pixels_per_cell=tuple(scale * p for p in hog.pixels_per_cell), image_shape=None
    )
    return larger.visualize(big)[1]
