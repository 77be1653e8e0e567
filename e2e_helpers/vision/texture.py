"""Hand-crafted texture and intensity features for grey medical images (scikit-image).

What a radiology pipeline before deep learning measured: the shape of edges
(HOG), the micro-texture of the tissue (local binary patterns), how grey levels
co-occur at short distances (GLCM contrast, homogeneity, energy, correlation)
and the brightness histogram. :class:`TextureFeatures` is a scikit-learn
transformer, so ``make_pipeline(TextureFeatures(), StandardScaler(),
LogisticRegression())`` is a complete traditional classifier.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from skimage.feature import graycomatrix, graycoprops, hog, local_binary_pattern
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from .._checks import Check, Interval, validate_params
from .images import as_images, to_grey

__all__ = ["TextureFeatures"]

#: The feature groups, in the order their columns appear.
PARTS = ("hog", "lbp", "glcm", "intensity")

_GLCM_PROPS = ("contrast", "homogeneity", "energy", "correlation")
_GLCM_ANGLES = (0.0, np.pi / 4, np.pi / 2, 3 * np.pi / 4)


def _is_parts(value: object) -> bool:
    """True for a non-empty collection of names from :data:`PARTS`."""
    parts = tuple(value)
    unknown = sorted(set(parts) - set(PARTS))
    return bool(parts) and not unknown


class TextureFeatures(TransformerMixin, BaseEstimator):
    """Images -> one row of HOG, LBP, GLCM and intensity features per image.

    Parameters
    ----------
    parts : tuple of str, default=PARTS
        Which groups to compute (any of ``"hog"``, ``"lbp"``, ``"glcm"``, ``"intensity"``).
    cell : int, default=7
        HOG cell size in pixels (2x2 cells per block, 9 orientations).
    lbp_radius : int, default=1
        Radius of the uniform LBP with 8 neighbours (a 10-bin histogram).
    glcm_levels : int, default=8
        Grey levels after quantisation for the co-occurrence matrices
        (distances 1 and 2 pixels, 4 directions).
    image_shape : tuple of int, optional
        Shape of one image when ``X`` holds flattened rows, e.g. ``(28, 28)``.

    Attributes
    ----------
    feature_names_ : list of str
        One name per output column, e.g. ``"glcm_contrast_d1_a0"``.
    """

    _parameter_constraints: dict[str, list] = {
        "parts": [Check(_is_parts, f"a non-empty subset of {PARTS}")],
        "cell": [Interval(int, 2)],
        "lbp_radius": [Interval(int, 1)],
        "glcm_levels": [Interval(int, 2)],
    }

    def __init__(
        self,
        parts: tuple[str, ...] = PARTS,
        cell: int = 7,
        lbp_radius: int = 1,
        glcm_levels: int = 8,
        image_shape: tuple[int, ...] | None = None,
    ) -> None:
        self.parts = parts
        self.cell = cell
        self.lbp_radius = lbp_radius
        self.glcm_levels = glcm_levels
        self.image_shape = image_shape

    def fit(self, X: ArrayLike, y: object = None) -> TextureFeatures:
        """Check the settings and the image size (nothing is learned)."""
        validate_params(self.get_params(deep=False), self._parameter_constraints)
        parts = tuple(self.parts)
        grey = self._grey(X[:1])
        if min(grey.shape[1:]) < 2 * self.cell:
            raise ValueError(
                f"images of {grey.shape[1:]} pixels are too small for HOG cells of {self.cell}: "
                f"use a smaller cell."
            )
        self.image_size_ = grey.shape[1:]
        self.feature_names_ = [name for part in parts for name in self._names(part)]
        self.n_features_out_ = len(self.feature_names_)
        return self

    def transform(self, X: ArrayLike) -> np.ndarray:
        """``(n_images, n_features)`` float32 features."""
        check_is_fitted(self, "feature_names_")
        grey = self._grey(X)
        if grey.shape[1:] != self.image_size_:
            raise ValueError(
                f"images are {grey.shape[1:]} pixels but the transformer was fitted on "
                f"{self.image_size_}."
            )
        rows = [np.concatenate([self._part(part, image) for part in self.parts]) for image in grey]
        return np.asarray(rows, dtype=np.float32).reshape(len(grey), self.n_features_out_)

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        """The output column names (scikit-learn's feature-name API)."""
        check_is_fitted(self, "feature_names_")
        return np.asarray(self.feature_names_, dtype=object)

    # -- one image ---------------------------------------------------------

    def _grey(self, X: ArrayLike) -> np.ndarray:
        """0-255 grey images ``(n, H, W)`` as uint8."""
        grey = to_grey(as_images(X, self.image_shape))
        if grey.max(initial=0) <= 1.0:  # pixels in [0, 1]
            grey = grey * 255.0
        return np.clip(np.rint(grey), 0, 255).astype(np.uint8)

    def _part(self, part: str, image: np.ndarray) -> np.ndarray:
        if part == "hog":
            return hog(
                image,
                orientations=9,
                pixels_per_cell=(self.cell, self.cell),
                cells_per_block=(2, 2),
            )
        if part == "lbp":
            codes = local_binary_pattern(image, 8, self.lbp_radius, "uniform")
            return np.histogram(codes, bins=10, range=(0, 10))[0] / codes.size
        if part == "glcm":
            levels = (image.astype(np.uint16) * self.glcm_levels // 256).astype(np.uint8)
            matrix = graycomatrix(
                levels, [1, 2], _GLCM_ANGLES, levels=self.glcm_levels, symmetric=True, normed=True
            )
            return np.concatenate([graycoprops(matrix, prop).ravel() for prop in _GLCM_PROPS])
        histogram = np.histogram(image, bins=16, range=(0, 256))[0] / image.size
        return np.concatenate([histogram, [image.mean() / 255, image.std() / 255]])

    def _names(self, part: str) -> list[str]:
        if part == "hog":
            h, w = self.image_size_
            blocks = (h // self.cell - 1) * (w // self.cell - 1)
            return [f"hog_{i}" for i in range(blocks * 4 * 9)]
        if part == "lbp":
            return [f"lbp_bin{i}" for i in range(10)]
        if part == "glcm":
            return [
                f"glcm_{p}_d{d}_a{a}" for p in _GLCM_PROPS for d in (1, 2) for a in (0, 45, 90, 135)
            ]
        return [f"intensity_bin{i}" for i in range(16)] + ["intensity_mean", "intensity_std"]
