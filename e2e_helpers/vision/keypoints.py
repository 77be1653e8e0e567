"""Interest points: the Harris corner response of a batch of images, its strongest corners, and ORB / SIFT keypoints.

:func:`harris_response` and :func:`strongest_corners` work on a whole stack
of grey images at once (the bag of visual words uses them);
:func:`interest_points` finds the points of one image for drawing, with
Harris, ORB or SIFT (scikit-image).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from scipy import ndimage
from skimage import feature, transform

from .._checks import check_positive_int
from .images import to_grey

__all__ = ["harris_response", "strongest_corners", "interest_points"]

_METHODS = ("harris", "orb", "sift")


def harris_response(images: ArrayLike, sigma: float = 1.0, k: float = 0.05) -> np.ndarray:
    """Harris corner response of a stack of grey images ``(n, h, w)``, computed for all at once.

    The same formula as :func:`skimage.feature.corner_harris`: smooth the
    products of the image gradients with a Gaussian of width *sigma*, then
    ``det(A) - k * trace(A)**2``. Large where the brightness changes in two
    directions (a corner), negative along an edge, near zero on flat areas.
    """
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


def strongest_corners(images: ArrayLike, n_points: int = 8, *, sigma: float = 1.0, border: int = 2) -> np.ndarray:
    """The *n_points* strongest Harris corners of each grey image: ``(n, n_points, 2)`` (row, col).

    Local maxima of :func:`harris_response` (3x3 neighbourhood) at least
    *border* pixels from the edge, strongest first. An image with fewer
    corners repeats its strongest one, so every image gives the same number
    of points (a flat image gives its centre).
    """
    check_positive_int("n_points", n_points)
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


def interest_points(image: ArrayLike, method: str = "harris", max_points: int = 20, upsample: int = 4) -> np.ndarray:
    """Interest points of one image, ``(k, 2)`` as (row, col) in its pixel coordinates, for drawing.

    ``"harris"``: peaks of :func:`skimage.feature.corner_harris`.
    ``"orb"`` / ``"sift"``: keypoints of :class:`skimage.feature.ORB` /
    :class:`skimage.feature.SIFT`. Those need room around each keypoint (ORB
    ignores 16 pixels at the border; SIFT builds a pyramid of blurred,
    halved images), so a 28x28 image is first enlarged *upsample* times;
    the points are scaled back.
    """
    if method not in _METHODS:
        raise ValueError(f"method must be one of {', '.join(_METHODS)}, got {method!r}")
    check_positive_int("max_points", max_points)
    check_positive_int("upsample", upsample)
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
