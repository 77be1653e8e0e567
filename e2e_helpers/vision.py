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

__all__ = [
    "HOGFeatures",
    "as_images",
    "to_grey",
    "harris_response",
    "strongest_corners",
    "interest_points",
    "dense_grid",
    "patch_descriptors",
    "BagOfVisualWords",
    "hog_feature_map",
    "traditional_pipeline",
    "channels_first",
    "embed_2d",
    "hog_picture",
]


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


# ----------------------------------------------------------------- interest points

_METHODS = ("harris", "orb", "sift")


def to_grey(images) -> np.ndarray:
    """Images ``(n, h, w[, 3])`` as float32 grey ``(n, h, w)`` in [0, 1] (uint8 input) or as given."""
    images = np.asarray(images)
    if images.ndim == 4:
        if images.shape[-1] != 3:
            raise ValueError(f"colour images must have 3 channels last, got shape {images.shape}")
        images = images.mean(axis=-1) if images.dtype != np.uint8 else images.astype(np.float32).mean(axis=-1) / 255
        return images.astype(np.float32, copy=False)
    if images.ndim != 3:
        raise ValueError(f"expected images shaped (n, height, width[, 3]), got shape {images.shape}")
    scale = 255.0 if images.dtype == np.uint8 else 1.0
    return (images.astype(np.float32) / scale).astype(np.float32, copy=False)


def harris_response(images, sigma: float = 1.0, k: float = 0.05) -> np.ndarray:
    """Harris corner response of a stack of grey images ``(n, h, w)``, computed for all at once.

    The same formula as :func:`skimage.feature.corner_harris`: smooth the
    products of the image gradients with a Gaussian of width *sigma*, then
    ``det(A) - k * trace(A)**2``. Large where the brightness changes in two
    directions (a corner), negative along an edge, near zero on flat areas.
    """
    from scipy import ndimage

    images = np.asarray(images, dtype=np.float32)
    if images.ndim != 3:
        raise ValueError(f"expected grey images shaped (n, height, width), got shape {images.shape}")
    gy = ndimage.sobel(images, axis=1, mode="constant")
    gx = ndimage.sobel(images, axis=2, mode="constant")
    blur = (0, sigma, sigma)
    axx = ndimage.gaussian_filter(gx * gx, blur, mode="constant")
    ayy = ndimage.gaussian_filter(gy * gy, blur, mode="constant")
    axy = ndimage.gaussian_filter(gx * gy, blur, mode="constant")
    return axx * ayy - axy**2 - k * (axx + ayy) ** 2


def strongest_corners(images, n_points: int = 8, *, sigma: float = 1.0, border: int = 2) -> np.ndarray:
    """The *n_points* strongest Harris corners of each grey image: ``(n, n_points, 2)`` (row, col).

    Local maxima of :func:`harris_response` (3x3 neighbourhood) at least
    *border* pixels from the edge, strongest first. An image with fewer
    corners repeats its strongest one, so every image gives the same number
    of points (a flat image gives its centre).
    """
    from scipy import ndimage

    _check_positive_int("n_points", n_points)
    response = harris_response(images, sigma=sigma)
    n, h, w = response.shape
    if h <= 2 * border or w <= 2 * border:
        raise ValueError(f"images of {h}x{w} pixels have no room inside a border of {border} pixels")
    peaks = response == ndimage.maximum_filter(response, size=(1, 3, 3))
    peaks &= response > 1e-6 * max(float(response.max()), 1e-12)
    inside = np.zeros((h, w), bool)
    inside[border : h - border, border : w - border] = True
    score = np.where(peaks & inside, response, -np.inf).reshape(n, -1)
    order = np.argsort(-score, axis=1, kind="stable")[:, :n_points]
    found = np.take_along_axis(score, order, axis=1) > -np.inf
    first = np.where(found[:, :1], order[:, :1], (h // 2) * w + w // 2)
    order = np.where(found, order, first)
    return np.stack([order // w, order % w], axis=-1)


def interest_points(image, method: str = "harris", max_points: int = 20, upsample: int = 4) -> np.ndarray:
    """Interest points of one image, ``(k, 2)`` as (row, col) in its pixel coordinates, for drawing.

    ``"harris"``: peaks of :func:`skimage.feature.corner_harris`.
    ``"orb"`` / ``"sift"``: keypoints of :class:`skimage.feature.ORB` /
    :class:`skimage.feature.SIFT`. Those need room around each keypoint (ORB
    ignores 16 pixels at the border; SIFT builds a pyramid of blurred,
    halved images), so a 28x28 image is first enlarged *upsample* times;
    the points are scaled back.
    """
    from skimage import feature, transform

    if method not in _METHODS:
        raise ValueError(f"method must be one of {', '.join(_METHODS)}, got {method!r}")
    _check_positive_int("max_points", max_points)
    _check_positive_int("upsample", upsample)
    grey = to_grey(np.asarray(image)[None])[0].astype(np.float64)
    if method == "harris":
        points = feature.corner_peaks(feature.corner_harris(grey), min_distance=1, threshold_rel=0.02)
        return points[:max_points].astype(float)
    big = transform.rescale(grey, upsample, order=1, anti_aliasing=False) if upsample > 1 else grey
    detector = feature.ORB(n_keypoints=max_points, fast_threshold=0.05) if method == "orb" else feature.SIFT()
    try:
        detector.detect_and_extract(big)
    except RuntimeError:  # skimage raises when nothing is found
        return np.empty((0, 2))
    points = np.asarray(detector.keypoints, dtype=float)[:max_points]
    return (points + 0.5) / upsample - 0.5


# ----------------------------------------------------------------- descriptors and bag of visual words


def dense_grid(height: int, width: int, patch_size: int, step: int) -> np.ndarray:
    """Centres ``(k, 2)`` of a regular grid of *patch_size* patches *step* pixels apart."""
    half = patch_size // 2
    rows = np.arange(half, height - patch_size + half + 1, step)
    cols = np.arange(half, width - patch_size + half + 1, step)
    if not len(rows) or not len(cols):
        raise ValueError(f"patches of {patch_size} pixels do not fit in {height}x{width} images")
    return np.stack(np.meshgrid(rows, cols, indexing="ij"), axis=-1).reshape(-1, 2)


def _orientation_maps(grey: np.ndarray, bins: int) -> np.ndarray:
    """Gradient magnitude of each pixel put in one of *bins* unsigned orientations: ``(n, h, w, bins)``."""
    gy, gx = np.gradient(grey, axis=(1, 2))
    magnitude = np.hypot(gx, gy)
    index = (np.mod(np.arctan2(gy, gx), np.pi) * (bins / np.pi)).astype(np.int8) % bins
    maps = np.zeros((*grey.shape, bins), np.float32)
    np.put_along_axis(maps, index[..., None].astype(np.intp), magnitude[..., None], axis=-1)
    return maps


def patch_descriptors(
    grey, points, *, patch_size: int = 8, descriptor: str = "gradients", bins: int = 8
) -> np.ndarray:
    """Descriptors of the patches centred on *points* ``(n, k, 2)``: ``(n, k, d)``.

    ``"gradients"``: a small SIFT-like descriptor, histograms of *bins*
    gradient orientations (each pixel votes with its gradient magnitude for
    one bin) in each of the patch's 2x2 quadrants, L2-normalised
    (``d = 4 * bins``). ``"pixels"``: the patch itself, with its mean removed
    and scaled to unit length (``d = patch_size**2``). Patches reaching past
    the border see zeros.
    """
    if descriptor not in ("gradients", "pixels"):
        raise ValueError(f"descriptor must be 'gradients' or 'pixels', got {descriptor!r}")
    _check_positive_int("patch_size", patch_size)
    if patch_size < 2 or patch_size % 2:
        raise ValueError(f"patch_size must be an even int >= 2, got {patch_size!r}")
    grey = np.asarray(grey, dtype=np.float32)
    points = np.asarray(points)
    if grey.ndim != 3 or points.ndim != 3 or points.shape[:1] != grey.shape[:1] or points.shape[2] != 2:
        raise ValueError(f"expected grey images (n, h, w) and points (n, k, 2), got {grey.shape} and {points.shape}")
    half = patch_size // 2
    if descriptor == "pixels":
        source = np.pad(grey, ((0, 0), (half, half), (half, half)))[..., None]
    else:
        source = np.pad(_orientation_maps(grey, bins), ((0, 0), (half, half), (half, half), (0, 0)))
    # integral image: the sum over any rectangle in four look-ups
    integral = np.pad(source.cumsum(1).cumsum(2), ((0, 0), (1, 0), (1, 0), (0, 0)))
    n = np.arange(len(grey))[:, None]
    top, left = points[..., 0], points[..., 1]  # padded coordinates of each patch's top-left corner
    if descriptor == "pixels":
        offsets = np.arange(patch_size)
        rows = top[..., None, None] + offsets[:, None]
        cols = left[..., None, None] + offsets[None, :]
        patches = source[n[..., None, None], rows, cols, 0].reshape(*points.shape[:2], -1)
        patches = patches - patches.mean(axis=-1, keepdims=True)
    else:
        quads = []
        for r0, c0 in ((0, 0), (0, half), (half, 0), (half, half)):
            r, c = top + r0, left + c0
            box = integral[n, r + half, c + half] - integral[n, r, c + half] - integral[n, r + half, c] + integral[n, r, c]
            quads.append(box)
        patches = np.concatenate(quads, axis=-1)
    norm = np.linalg.norm(patches, axis=-1, keepdims=True)
    return (patches / np.maximum(norm, 1e-6)).astype(np.float32)


class BagOfVisualWords(TransformerMixin, BaseEstimator):
    """Bag of visual words: local descriptors -> k-means codebook -> a word histogram per image.

    The traditional recipe (Csurka et al., 2004): describe small patches
    around interest points (here a dense grid every *step* pixels plus the
    *n_corners* strongest Harris corners), learn a codebook of *n_words*
    typical descriptors with k-means, and describe each image by how often
    each "visual word" occurs (L1-normalised). Where the patches were is
    forgotten: that is the "bag".

    Parameters: *patch_size* (even), *step* of the grid (0: no grid),
    *n_corners* (0: no corners), *descriptor* (see :func:`patch_descriptors`),
    *max_descriptors* used to fit k-means, *random_state*, *image_shape* for
    flat rows. Colour images are described in grey.
    """

    def __init__(
        self,
        n_words: int = 64,
        patch_size: int = 8,
        step: int = 4,
        n_corners: int = 8,
        descriptor: str = "gradients",
        max_descriptors: int = 100_000,
        random_state: int | None = 0,
        image_shape: tuple[int, ...] | None = None,
    ) -> None:
        self.n_words = n_words
        self.patch_size = patch_size
        self.step = step
        self.n_corners = n_corners
        self.descriptor = descriptor
        self.max_descriptors = max_descriptors
        self.random_state = random_state
        self.image_shape = image_shape

    def points(self, X) -> np.ndarray:
        """Patch centres of each image, ``(n, k, 2)`` (row, col): grid first, then corners."""
        grey = to_grey(as_images(np.asarray(X), self.image_shape))
        return self._points(grey)

    def descriptors(self, X) -> np.ndarray:
        """Descriptors at :meth:`points`, ``(n, k, d)``."""
        grey = to_grey(as_images(np.asarray(X), self.image_shape))
        return self._describe(grey)

    def fit(self, X, y=None) -> BagOfVisualWords:
        """Learn the codebook from (at most *max_descriptors*) descriptors of *X*."""
        from sklearn.cluster import MiniBatchKMeans
        from sklearn.utils import check_random_state

        self._check_params()
        X = validate_data(self, X, ensure_2d=False, allow_nd=True, dtype=None)
        images = as_images(X, self.image_shape)
        self.image_shape_ = images.shape[1:3]
        rng = check_random_state(self.random_state)
        per_image = self._points(to_grey(images[:1])).shape[1]
        n_images = min(len(images), -(-self.max_descriptors // per_image))
        grey = to_grey(images[np.sort(rng.choice(len(images), n_images, replace=False))])
        points = self._points(grey)
        flat = self._describe(grey, points).reshape(-1, self._n_dims())
        rows = rng.choice(len(flat), min(len(flat), self.max_descriptors), replace=False)
        if len(rows) < self.n_words:
            raise ValueError(f"{len(rows)} descriptors cannot make {self.n_words} words: use fewer words or more images")
        self.kmeans_ = MiniBatchKMeans(
            self.n_words, batch_size=4096, n_init=3, random_state=self.random_state
        ).fit(flat[rows])
        self.n_features_out_ = self.n_words
        self.word_patches_ = self._mean_patches(grey, points, rows)
        return self

    def transform(self, X) -> np.ndarray:
        """Word histograms ``(n, n_words)``, each summing to 1."""
        check_is_fitted(self)
        X = validate_data(self, X, ensure_2d=False, allow_nd=True, dtype=None, reset=False)
        images = as_images(X, self.image_shape)
        if images.shape[1:3] != self.image_shape_:
            raise ValueError(f"images are {images.shape[1:3]}, but this bag of words was fitted on {self.image_shape_}")
        out = []
        for start in range(0, len(images), 5000):  # bounded memory
            words = self.words(images[start : start + 5000])
            index = (np.arange(len(words))[:, None] * self.n_words + words).ravel()
            counts = np.bincount(index, minlength=len(words) * self.n_words).reshape(len(words), self.n_words)
            out.append((counts / words.shape[1]).astype(np.float32))
        return np.concatenate(out) if out else np.empty((0, self.n_words), np.float32)

    def words(self, X) -> np.ndarray:
        """The visual word of each patch, ``(n, k)`` ints (same order as :meth:`points`)."""
        check_is_fitted(self)
        grey = to_grey(as_images(np.asarray(X), self.image_shape))
        descriptors = self._describe(grey)
        return self.kmeans_.predict(descriptors.reshape(-1, self._n_dims())).reshape(descriptors.shape[:2])

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        check_is_fitted(self)
        return np.asarray([f"word{i}" for i in range(self.n_words)], dtype=object)

    # -- helpers

    def _check_params(self) -> None:
        for name in ("n_words", "patch_size", "max_descriptors"):
            _check_positive_int(name, getattr(self, name))
        for name in ("step", "n_corners"):
            value = getattr(self, name)
            if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < 0:
                raise ValueError(f"{name} must be an int >= 0, got {value!r}")
        if self.step == 0 and self.n_corners == 0:
            raise ValueError("step=0 and n_corners=0 leave no patches: use a grid (step > 0) or corners")
        if self.n_words < 2:
            raise ValueError(f"n_words must be >= 2, got {self.n_words!r}")

    def _n_dims(self) -> int:
        return 4 * 8 if self.descriptor == "gradients" else self.patch_size**2

    def _points(self, grey: np.ndarray) -> np.ndarray:
        n, h, w = grey.shape
        parts = []
        if self.step:
            grid = dense_grid(h, w, self.patch_size, self.step)
            parts.append(np.broadcast_to(grid, (n, *grid.shape)))
        if self.n_corners:
            parts.append(strongest_corners(grey, self.n_corners, border=min(2, (min(h, w) - 1) // 2)))
        return np.concatenate(parts, axis=1)

    def _describe(self, grey: np.ndarray, points: np.ndarray | None = None) -> np.ndarray:
        points = self._points(grey) if points is None else points
        return patch_descriptors(grey, points, patch_size=self.patch_size, descriptor=self.descriptor)

    def _mean_patches(self, grey: np.ndarray, points: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Average pixel patch of each word (for pictures of the codebook)."""
        sample = rows[: min(len(rows), 20_000)]
        image, point = np.divmod(sample, points.shape[1])
        centres = points[image, point]
        half = self.patch_size // 2
        padded = np.pad(grey, ((0, 0), (half, half), (half, half)))
        offsets = np.arange(self.patch_size)
        patches = padded[image[:, None, None], centres[:, 0, None, None] + offsets[:, None], centres[:, 1, None, None] + offsets]
        flat = self._describe(grey[image], centres[:, None, :])[:, 0]
        words = self.kmeans_.predict(flat)
        means = np.zeros((self.n_words, self.patch_size, self.patch_size), np.float32)
        for word in range(self.n_words):
            if np.any(words == word):
                means[word] = patches[words == word].mean(axis=0)
        return means


# ----------------------------------------------------------------- feature selection and the pipeline


def hog_feature_map(hog: HOGFeatures, values, *, reduce: str = "sum") -> np.ndarray:
    """Per-pixel map ``(h, w)`` of per-HOG-feature *values* (e.g. a kept-feature mask).

    skimage orders HOG features as (block row, block col, cell row in block,
    cell col in block, orientation); each value is added to (``"sum"``) or
    averaged over (``"mean"``) the pixels of its cell, so a mask of kept
    features becomes "how many features were kept here".
    """
    check_is_fitted(hog)
    values = np.asarray(values, dtype=float).ravel()
    if len(values) != hog.n_features_out_:
        raise ValueError(f"expected {hog.n_features_out_} values (one per HOG feature), got {len(values)}")
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


def traditional_pipeline(
    *,
    n_words: int = 64,
    k: int | str = "all",
    svm: str = "linear",
    C: float = 1.0,
    n_components: int = 1000,
    gamma: float | None = None,
    alpha: float = 1e-6,
    epochs: int = 5,
    image_shape: tuple[int, ...] | None = None,
    n_jobs: int | None = None,
    random_state: int | None = 0,
):
    """The article's traditional chain as one scikit-learn ``Pipeline``.

    ``features`` (HOG, plus a bag of visual words when *n_words* > 0) ->
    ``scale`` (StandardScaler) -> ``select`` (``SelectKBest`` with the ANOVA
    F-test, keeping *k* features) -> ``svm``: ``"linear"`` (LinearSVC),
    ``"rbf"`` (an exact RBF ``SVC``: slow beyond ~10,000 images) or
    ``"nystroem"`` (an RBF kernel approximated with *n_components*
    landmarks, kernel width *gamma* (default ``1 / n_features``: the
    features are standardised), then a linear SVM trained by averaged
    stochastic gradient descent: ``SGDClassifier(loss="hinge",
    average=True)`` with L2 penalty *alpha* for *epochs* passes; close to a
    kernel SVM's accuracy at a linear model's speed).
    *n_jobs* is used by HOG and by the SGD's one-vs-rest classes.
    """
    from sklearn.feature_selection import SelectKBest, f_classif
    from sklearn.kernel_approximation import Nystroem
    from sklearn.linear_model import SGDClassifier
    from sklearn.pipeline import FeatureUnion, Pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC, LinearSVC

    parts = [("hog", HOGFeatures(image_shape=image_shape, n_jobs=n_jobs))]
    if n_words:
        parts.append(("bovw", BagOfVisualWords(n_words=n_words, image_shape=image_shape, random_state=random_state)))
    if svm == "linear":
        head = [("svm", LinearSVC(C=C, random_state=random_state))]
    elif svm == "rbf":
        head = [("svm", SVC(C=C, kernel="rbf", gamma="scale", random_state=random_state))]
    elif svm == "nystroem":
        head = [
            ("kernel", Nystroem(kernel="rbf", gamma=gamma, n_components=n_components, random_state=random_state)),
            (
                "svm",
                SGDClassifier(
                    loss="hinge",
                    alpha=alpha,
                    max_iter=epochs,
                    tol=None,
                    average=True,
                    n_jobs=n_jobs,
                    random_state=random_state,
                ),
            ),
        ]
    else:
        raise ValueError(f"svm must be 'linear', 'rbf' or 'nystroem', got {svm!r}")
    return Pipeline(
        [
            ("features", FeatureUnion(parts)),
            ("scale", StandardScaler()),
            ("select", SelectKBest(f_classif, k=k)),
            *head,
        ]
    )


def _check_positive_int(name: str, value: object) -> None:
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{name} must be a positive int, got {value!r}")


def channels_first(images) -> np.ndarray:
    """Images ``(n, h, w)`` or ``(n, h, w, c)`` as float32 ``(n, c, h, w)``, what a CNN takes.

    ``TorchClassifier(input_shape=...)`` only *reshapes* each sample, which
    would scramble channels-last colour images: transpose them here first.
    """
    images = np.asarray(images)
    if images.ndim == 3:
        return images[:, None].astype(np.float32)
    if images.ndim == 4:
        return np.ascontiguousarray(images.transpose(0, 3, 1, 2), dtype=np.float32)
    raise ValueError(f"expected images shaped (n, height, width[, channels]), got shape {images.shape}")


def embed_2d(features, method: str = "tsne", random_state: int | None = 0) -> np.ndarray:
    """2-D coordinates ``(n, 2)`` of *features* for a scatter plot.

    ``"pca"``: the two main directions of variation (linear, fast).
    ``"tsne"``: standardise, PCA to 50 dimensions, then t-SNE (keeps
    neighbours together; a few seconds for ~2,000 points).
    """
    from sklearn.decomposition import PCA
    from sklearn.preprocessing import StandardScaler

    features = np.asarray(features, dtype=np.float32).reshape(len(features), -1)
    if method not in ("pca", "tsne"):
        raise ValueError(f"method must be 'pca' or 'tsne', got {method!r}")
    scaled = StandardScaler().fit_transform(features)
    if method == "pca":
        return PCA(2, random_state=random_state).fit_transform(scaled)
    from sklearn.manifold import TSNE

    reduced = PCA(min(50, *scaled.shape), random_state=random_state).fit_transform(scaled)
    perplexity = min(30.0, (len(features) - 1) / 3)
    return TSNE(2, perplexity=perplexity, init="pca", random_state=random_state).fit_transform(reduced)


def hog_picture(hog: HOGFeatures, image, scale: int = 4) -> np.ndarray:
    """A readable picture of *image*'s HOG: the same cells drawn on the image enlarged *scale* times.

    :meth:`HOGFeatures.visualize` draws each cell's histogram as short lines
    inside the cell; at 4x4-pixel cells those are dots. Here the image is
    enlarged and the cells with it, so each cell's dominant orientations
    are visible as lines.
    """
    from sklearn.base import clone
    from skimage.transform import rescale

    _check_positive_int("scale", scale)
    image = as_images(np.asarray(image)[None], hog.image_shape)[0].astype(np.float32)
    big = rescale(image, scale, order=1, channel_axis=-1 if image.ndim == 3 else None)
    larger = clone(hog).set_params(pixels_per_cell=tuple(scale * p for p in hog.pixels_per_cell), image_shape=None)
    return larger.visualize(big)[1]
