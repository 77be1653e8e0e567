"""Hand-crafted image features as scikit-learn transformers.

:class:`HOGFeatures` turns images into Histograms of Oriented Gradients
(Dalal & Triggs, 2005) with :func:`skimage.feature.hog`, so a traditional
pipeline is one scikit-learn ``Pipeline``::

    make_pipeline(HOGFeatures(), StandardScaler(), LinearSVC())

Images may arrive as ``(n, height, width)``, ``(n, height, width, channels)``
or flattened ``(n, height * width)`` rows of a square grey image (what
``cross_val_score`` and ``learning_curve`` hand over).
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

__all__ = ["HOGFeatures", "as_images"]


def as_images(X, image_shape: Sequence[int] | None = None) -> np.ndarray:
    """*X* as a stack of images ``(n, h, w)`` or ``(n, h, w, c)``.

    Flat rows are reshaped to *image_shape*, or to a square when it is ``None``.
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
            raise ValueError(f"rows of {X.shape[1]} values do not fit image_shape={tuple(image_shape)}")
        return X.reshape(len(X), *image_shape)
    if X.ndim in (3, 4):
        return X
    raise ValueError(
        f"expected images shaped (n, height, width[, channels]) or flat rows (n, pixels), got shape {X.shape}"
    )


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

    def fit(self, X, y=None) -> HOGFeatures:
        """Check the images and remember their shape (HOG itself learns nothing)."""
        X = validate_data(self, X, ensure_2d=False, allow_nd=True, dtype=None)
        images = as_images(X, self.image_shape)
        self.image_shape_ = images.shape[1:]
        self.n_features_out_ = len(self._one(images[0]))
        return self

    def transform(self, X) -> np.ndarray:
        """HOG vectors, one row per image, as float32."""
        check_is_fitted(self)
        X = validate_data(self, X, ensure_2d=False, allow_nd=True, dtype=None, reset=False)
        images = as_images(X, self.image_shape)
        if images.shape[1:] != self.image_shape_:
            raise ValueError(f"images are {images.shape[1:]}, but this HOG was fitted on {self.image_shape_}")
        from joblib import Parallel, delayed

        chunks = np.array_split(np.arange(len(images)), max(1, min(len(images) // 2000, 16)))
        parts = Parallel(n_jobs=self.n_jobs)(delayed(self._many)(images[rows]) for rows in chunks)
        return np.concatenate(parts).astype(np.float32, copy=False)

    def visualize(self, image) -> tuple[np.ndarray, np.ndarray]:
        """``(features, picture)`` of one image: the picture draws each cell's histogram."""
        from skimage.feature import hog

        image = as_images(np.asarray(image)[None], self.image_shape)[0]
        return hog(image, **self._hog_options(image), visualize=True)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
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
        from skimage.feature import hog

        return hog(image, **self._hog_options(image))

    def _many(self, images: np.ndarray) -> np.ndarray:
        return np.stack([self._one(image) for image in images]) if len(images) else np.empty((0, self.n_features_out_))
