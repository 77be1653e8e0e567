"""Local patch descriptors and the bag of visual words built from them.

:func:`dense_grid` places patches on a regular grid; :func:`patch_descriptors`
describes the patches around given points (gradient-orientation histograms or
raw pixels); :class:`BagOfVisualWords` learns a k-means codebook of those
descriptors and turns each image into a histogram of visual words: counted
hard (each patch one word) or soft (each patch shared by its nearest words), over
the whole image or also over its four quadrants (a spatial pyramid), optionally
square-rooted (the Hellinger or power normalisation).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.cluster import MiniBatchKMeans
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted, validate_data

from .._checks import Interval, check_positive_int, validate_params
from .images import as_images, to_grey
from .keypoints import strongest_blobs, strongest_corners

__all__ = ["BagOfVisualWords"]


def dense_grid(height: int, width: int, patch_size: int, step: int) -> np.ndarray:
    """Centres ``(k, 2)`` of a regular grid of *patch_size* patches *step* pixels apart.

    >>> dense_grid(8, 8, 4, 4).tolist()
    [[2, 2], [2, 6], [6, 2], [6, 6]]
    """
    half = patch_size // 2
    rows = np.arange(half, height - patch_size + half + 1, step)
    cols = np.arange(half, width - patch_size + half + 1, step)
    if not len(rows) or not len(cols):
        raise ValueError(f"patches of {patch_size} pixels do not fit in {height}x{width} images")
    return np.stack(np.meshgrid(rows, cols, indexing="ij"), axis=-1).reshape(-1, 2)


def _orientation_maps(grey: np.ndarray, bins: int) -> np.ndarray:
    """Gradient magnitude of each pixel put in one of *bins* unsigned orientations:
    ``(n, h, w, bins)``."""
    gy, gx = np.gradient(grey, axis=(1, 2))
    magnitude = np.hypot(gx, gy)
    index = (np.mod(np.arctan2(gy, gx), np.pi) * (bins / np.pi)).astype(np.int8) % bins
    maps = np.zeros((*grey.shape, bins), np.float32)
    np.put_along_axis(maps, index[..., None].astype(np.intp), magnitude[..., None], axis=-1)
    return maps


def patch_descriptors(
    grey: ArrayLike,
    points: ArrayLike,
    *,
    patch_size: int = 8,
    descriptor: str = "gradients",
    bins: int = 8,
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
    check_positive_int("patch_size", patch_size)
    if patch_size < 2 or patch_size % 2:
        raise ValueError(f"patch_size must be an even int >= 2, got {patch_size!r}")
    grey = np.asarray(grey, dtype=np.float32)
    points = np.asarray(points)
    if (
        grey.ndim != 3
        or points.ndim != 3
        or points.shape[:1] != grey.shape[:1]
        or points.shape[2] != 2
    ):
        raise ValueError(
            f"expected grey images (n, h, w) and points (n, k, 2), got {grey.shape} and "
            f"{points.shape}"
        )
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
            box = (
                integral[n, r + half, c + half]
                - integral[n, r, c + half]
                - integral[n, r + half, c]
                + integral[n, r, c]
            )
            quads.append(box)
        patches = np.concatenate(quads, axis=-1)
    norm = np.linalg.norm(patches, axis=-1, keepdims=True)
    return (patches / np.maximum(norm, 1e-6)).astype(np.float32)


class BagOfVisualWords(TransformerMixin, BaseEstimator):
    """Bag of visual words: local descriptors -> k-means codebook -> a word histogram per image.

    The traditional recipe (Csurka et al., 2004): describe small patches
    around interest points (here a dense grid every *step* pixels, the
    *n_corners* strongest Harris corners and the *n_blobs* strongest
    difference-of-Gaussian blobs, SIFT's detector), learn a codebook of *n_words*
    typical descriptors with k-means, and describe each image by how often
    each "visual word" occurs (L1-normalised). Where the patches were is
    forgotten: that is the "bag".

    What a practitioner adds to that recipe, each a parameter: *encoding*
    ``"soft"`` shares each patch among its 3 nearest words, weighted by a
    Gaussian of its distance to each (van Gemert et al., 2010; Liu et al., 2011),
    instead of giving it to the nearest alone (``"hard"``); *pyramid* 1 adds a
    histogram per image quadrant to the whole image's (Lazebnik et al.'s spatial
    pyramid, 2006), so the bag remembers roughly where each word was; *power* 0.5
    takes the square root of every share (the Hellinger kernel's map), so a few
    frequent words no longer dominate the distance.

    Parameters: *patch_size* (even), *step* of the grid (0: no grid),
    *n_corners* (0: no corners), *n_blobs* (0: no blobs), *descriptor* (see
    :func:`patch_descriptors`),
    *max_descriptors* used to fit k-means, *random_state*, *image_shape* for
    flat rows. Colour images are described in grey.
    """

    _parameter_constraints: dict[str, list] = {
        "n_words": [Interval(int, 2)],
        "patch_size": [Interval(int, 1)],
        "max_descriptors": [Interval(int, 1)],
        "step": [Interval(int, 0)],
        "n_corners": [Interval(int, 0)],
        "n_blobs": [Interval(int, 0)],
        "pyramid": [Interval(int, 0, 1)],
        "power": [Interval(float, 0, 1, closed="right")],
    }

    def __init__(
        self,
        n_words: int = 64,
        patch_size: int = 8,
        step: int = 4,
        n_corners: int = 8,
        n_blobs: int = 0,
        descriptor: str = "gradients",
        max_descriptors: int = 100_000,
        random_state: int | None = 0,
        image_shape: tuple[int, ...] | None = None,
        encoding: str = "hard",
        pyramid: int = 0,
        power: float = 1.0,
    ) -> None:
        self.n_words = n_words
        self.patch_size = patch_size
        self.step = step
        self.n_corners = n_corners
        self.n_blobs = n_blobs
        self.descriptor = descriptor
        self.max_descriptors = max_descriptors
        self.random_state = random_state
        self.image_shape = image_shape
        self.encoding = encoding
        self.pyramid = pyramid
        self.power = power

    def points(self, X: ArrayLike) -> np.ndarray:
        """Patch centres of each image, ``(n, k, 2)`` (row, col): grid first, then corners, then
        blobs."""
        grey = to_grey(as_images(np.asarray(X), self.image_shape))
        return self._points(grey)

    def descriptors(self, X: ArrayLike) -> np.ndarray:
        """Descriptors at :meth:`points`, ``(n, k, d)``."""
        grey = to_grey(as_images(np.asarray(X), self.image_shape))
        return self._describe(grey)

    def fit(self, X: ArrayLike, y: object = None) -> BagOfVisualWords:
        """Learn the codebook from (at most *max_descriptors*) descriptors of *X*."""
        validate_params(self.get_params(deep=False), self._parameter_constraints)
        if self.encoding not in ("hard", "soft"):
            raise ValueError(f"encoding must be 'hard' or 'soft', got {self.encoding!r}")
        if self.step == 0 and self.n_corners == 0 and self.n_blobs == 0:
            raise ValueError(
                "step=0, n_corners=0 and n_blobs=0 leave no patches: use a grid (step > 0), "
                "corners or blobs"
            )
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
            raise ValueError(
                f"{len(rows)} descriptors cannot make {self.n_words} words: use fewer words or "
                f"more images"
            )
        self.kmeans_ = MiniBatchKMeans(
            self.n_words, batch_size=4096, n_init=3, random_state=self.random_state
        ).fit(flat[rows])
        nearest = np.sort(self.kmeans_.transform(flat[rows[:20_000]]), axis=1)[:, 0]
        self.soft_width_ = float(np.mean(nearest)) or 1.0  # the Gaussian's width, soft encoding
        self.n_features_out_ = self.n_words * (1 + 4 * self.pyramid)
        self.word_patches_ = self._mean_patches(grey, points, rows)
        return self

    def transform(self, X: ArrayLike) -> np.ndarray:
        """Word histograms ``(n, n_features_out_)``: the whole image's shares (summing to 1),
        then with *pyramid* each quadrant's (its patches' shares of all the image's patches), each
        share raised to *power*."""
        check_is_fitted(self)
        X = validate_data(self, X, ensure_2d=False, allow_nd=True, dtype=None, reset=False)
        images = as_images(X, self.image_shape)
        if images.shape[1:3] != self.image_shape_:
            raise ValueError(
                f"images are {images.shape[1:3]}, but this bag of words was fitted on "
                f"{self.image_shape_}"
            )
        out = []
        for start in range(0, len(images), 2000):  # bounded memory
            grey = to_grey(images[start : start + 2000])
            points = self._points(grey)
            out.append(self._encode(self._describe(grey, points), points, grey.shape[1:]))
        return np.concatenate(out) if out else np.empty((0, self.n_features_out_), np.float32)

    def words(self, X: ArrayLike) -> np.ndarray:
        """The visual word of each patch, ``(n, k)`` ints (same order as :meth:`points`)."""
        check_is_fitted(self)
        grey = to_grey(as_images(np.asarray(X), self.image_shape))
        descriptors = self._describe(grey)
        return self.kmeans_.predict(descriptors.reshape(-1, self._n_dims())).reshape(
            descriptors.shape[:2]
        )

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        """The output column names ``word0, word1, ...`` (scikit-learn's feature-name API)."""
        check_is_fitted(self)
        regions = ["", *(f"_quadrant{q}" for q in range(4 * self.pyramid))]
        names = [f"word{i}{region}" for region in regions for i in range(self.n_words)]
        return np.asarray(names, dtype=object)

    # -- helpers

    def _n_dims(self) -> int:
        return 4 * 8 if self.descriptor == "gradients" else self.patch_size**2

    def _points(self, grey: np.ndarray) -> np.ndarray:
        n, h, w = grey.shape
        parts = []
        if self.step:
            grid = dense_grid(h, w, self.patch_size, self.step)
            parts.append(np.broadcast_to(grid, (n, *grid.shape)))
        if self.n_corners:
            parts.append(
                strongest_corners(grey, self.n_corners, border=min(2, (min(h, w) - 1) // 2))
            )
        if self.n_blobs:
            parts.append(strongest_blobs(grey, self.n_blobs, border=min(2, (min(h, w) - 1) // 2)))
        return np.concatenate(parts, axis=1)

    def _encode(self, descriptors: np.ndarray, points: np.ndarray, shape: tuple) -> np.ndarray:
        """The histograms of :meth:`transform` from descriptors ``(n, k, d)`` at *points*."""
        n, k = descriptors.shape[:2]
        flat = descriptors.reshape(n * k, -1)
        share = np.zeros((n * k, self.n_words), np.float32)
        if self.encoding == "hard":
            share[np.arange(n * k), self.kmeans_.predict(flat)] = 1
        else:  # the 3 nearest words, by a Gaussian of the distance
            distance = self.kmeans_.transform(flat)
            near = np.argsort(distance, axis=1)[:, :3]
            near_distance = np.take_along_axis(distance, near, axis=1) / self.soft_width_
            weight = np.exp(-0.5 * (near_distance**2 - near_distance[:, :1] ** 2))
            np.put_along_axis(share, near, weight / weight.sum(axis=1, keepdims=True), axis=1)
        share = share.reshape(n, k, self.n_words)
        regions = [np.ones((n, k), bool)]
        if self.pyramid:
            lower, right = points[..., 0] >= shape[0] / 2, points[..., 1] >= shape[1] / 2
            regions += [(lower == a) & (right == b) for a in (False, True) for b in (False, True)]
        blocks = [np.einsum("nkw,nk->nw", share, region) / k for region in regions]
        return (np.concatenate(blocks, axis=1) ** self.power).astype(np.float32)

    def _describe(self, grey: np.ndarray, points: np.ndarray | None = None) -> np.ndarray:
        points = self._points(grey) if points is None else points
        return patch_descriptors(
            grey, points, patch_size=self.patch_size, descriptor=self.descriptor
        )

    def _mean_patches(self, grey: np.ndarray, points: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Average pixel patch of each word (for pictures of the codebook)."""
        sample = rows[: min(len(rows), 20_000)]
        image, point = np.divmod(sample, points.shape[1])
        centres = points[image, point]
        half = self.patch_size // 2
        padded = np.pad(grey, ((0, 0), (half, half), (half, half)))
        offsets = np.arange(self.patch_size)
        patches = padded[
            image[:, None, None],
            centres[:, 0, None, None] + offsets[:, None],
            centres[:, 1, None, None] + offsets,
        ]
        flat = self._describe(grey[image], centres[:, None, :])[:, 0]
        words = self.kmeans_.predict(flat)
        means = np.zeros((self.n_words, self.patch_size, self.patch_size), np.float32)
        for word in range(self.n_words):
            if np.any(words == word):
                means[word] = patches[words == word].mean(axis=0)
        return means
