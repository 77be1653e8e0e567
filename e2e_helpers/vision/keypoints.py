"""Interest points: Harris corners and difference-of-Gaussian blobs of a batch of images, and ORB /
SIFT keypoints.

:func:`harris_response` and :func:`strongest_corners` (Harris corners) and
:func:`strongest_blobs` (the extrema of a difference-of-Gaussians scale
space: SIFT's detector, without its sub-pixel refinement) work on a whole
stack of grey images at once, each image on its own (the bag of visual words
uses them); :func:`interest_points` finds the points of one image for
drawing, with Harris, ORB or SIFT (scikit-image).

The batched Harris response is written out by hand, although scikit-image
has ``corner_harris``, because the course teaches what an interest point is,
and because one batched pass over a stack of images is what the bag of
visual words needs (scikit-image takes one image at a time).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from scipy import ndimage
from skimage import feature, transform

from .._checks import check_positive_int
from .images import to_grey

__all__ = ["strongest_corners", "strongest_blobs", "interest_points"]

_METHODS = ("harris", "orb", "sift")


def _grey_stack(images: ArrayLike) -> np.ndarray:
    stack = np.asarray(images, dtype=np.float32)
    if stack.ndim != 3:
        raise ValueError(f"expected grey images shaped (n, height, width), got shape {stack.shape}")
    return stack


def _sobel(images: np.ndarray, axis: int) -> np.ndarray:
    """The Sobel derivative along image *axis* (1: rows, 2: columns), smoothed along the other image
    axis only.

    ``ndimage.sobel`` on a stack would also smooth along axis 0, mixing
    neighbouring images.
    """
    derivative = ndimage.correlate1d(images, [-1.0, 0.0, 1.0], axis=axis, mode="constant")
    return ndimage.correlate1d(derivative, [1.0, 2.0, 1.0], axis=3 - axis, mode="constant")


def harris_response(images: ArrayLike, sigma: float = 1.0, k: float = 0.05) -> np.ndarray:
    """Harris corner response of a stack of grey images ``(n, h, w)``, each image on its own.

    The same formula as :func:`skimage.feature.corner_harris`: smooth the
    products of the image gradients with a Gaussian of width *sigma*, then
    ``det(A) - k * trace(A)**2``. Large where the brightness changes in two
    directions (a corner), negative along an edge, near zero on flat areas.
    Gradients and smoothing stay inside each image (axis 0 is never
    filtered), so an image's corners do not depend on its neighbours in the
    stack.
    """
    images = _grey_stack(images)
    gy, gx = _sobel(images, axis=1), _sobel(images, axis=2)
    blur = (0, sigma, sigma)
    axx = ndimage.gaussian_filter(gx * gx, blur, mode="constant")
    ayy = ndimage.gaussian_filter(gy * gy, blur, mode="constant")
    axy = ndimage.gaussian_filter(gx * gy, blur, mode="constant")
    return axx * ayy - axy**2 - k * (axx + ayy) ** 2


def _strongest_peaks(
    response: np.ndarray,
    n_points: int,
    border: int,
    size: tuple[int, ...],
    keep: np.ndarray | None = None,
) -> np.ndarray:
    """The *n_points* strongest local maxima (over *size*) of each image's *response*, as (row,
    col) or, for a response with a scale axis, (row, col, scale index); only where *keep* (same
    shape) is True, if given."""
    n, h, w = response.shape[0], response.shape[-2], response.shape[-1]
    if h <= 2 * border or w <= 2 * border:
        raise ValueError(
            f"images of {h}x{w} pixels have no room inside a border of {border} pixels"
        )
    peaks = response == ndimage.maximum_filter(response, size=size, mode="constant", cval=-np.inf)
    tops = response.reshape(n, -1).max(axis=1).reshape(n, *[1] * (response.ndim - 1))
    # each image against its own strongest response
    peaks &= response > 1e-6 * np.maximum(tops, 1e-12)
    if keep is not None:
        peaks &= keep
    inside = np.zeros((h, w), bool)
    inside[border : h - border, border : w - border] = True
    score = np.where(peaks & inside, response, -np.inf).reshape(n, -1)
    order = np.argsort(-score, axis=1, kind="stable")[:, :n_points]
    found = np.take_along_axis(score, order, axis=1) > -np.inf
    first = np.where(found[:, :1], order[:, :1], (h // 2) * w + w // 2)
    order = np.where(found, order, first)
    pixel, scale = order % (h * w), order // (h * w)
    columns = [pixel // w, pixel % w] + ([scale] if response.ndim == 4 else [])
    return np.stack(columns, axis=-1)


def strongest_corners(
    images: ArrayLike, n_points: int = 8, *, sigma: float = 1.0, border: int = 2
) -> np.ndarray:
    """The *n_points* strongest Harris corners of each grey image: ``(n, n_points, 2)`` (row, col).

    Local maxima of :func:`harris_response` (3x3 neighbourhood) at least
    *border* pixels from the edge, strongest first. An image with fewer
    corners repeats its strongest one, so every image gives the same number
    of points (a flat image gives its centre).
    """
    check_positive_int("n_points", n_points)
    return _strongest_peaks(harris_response(images, sigma=sigma), n_points, border, (1, 3, 3))


def strongest_blobs(
    images: ArrayLike,
    n_points: int = 8,
    *,
    sigmas: tuple[float, ...] = (1.0, 1.6, 2.6, 4.1),
    border: int = 2,
    contrast: float = 0.03,
    edge_ratio: float | None = 10.0,
    with_sigma: bool = False,
) -> np.ndarray:
    """The *n_points* strongest difference-of-Gaussian blobs of each grey image:
    ``(n, n_points, 2)`` (row, col).

    SIFT's detector (Lowe, 2004) on a whole stack: blur each image with the
    Gaussians of *sigmas*, subtract neighbouring blurs (the difference of
    Gaussians, a band-pass filter that responds to blobs of about that
    size, bright or dark), and keep the points that are the largest
    ``|DoG|`` among their 26 neighbours in position and scale. Like Lowe, it
    then drops weak extrema (``|DoG|`` below *contrast*, for grey values in
    0-1) and extrema on edges, which are poorly located along the edge: those
    where the ratio of the DoG's two principal curvatures (from its 2x2
    Hessian) exceeds *edge_ratio* (None keeps them). Strongest first; an image
    with fewer blobs repeats its strongest one (a flat image gives its
    centre), as in :func:`strongest_corners`. With *with_sigma*, a third column
    gives each blob's scale: the smaller blur of the difference it was found in
    (a blob's radius is about ``sqrt(2) * sigma``).
    """
    check_positive_int("n_points", n_points)
    if len(sigmas) < 2 or any(b <= a for a, b in zip(sigmas, sigmas[1:])) or sigmas[0] <= 0:
        raise ValueError(f"sigmas must be at least two increasing positive widths, got {sigmas!r}")
    grey = _grey_stack(images)
    blurred = np.stack(
        [ndimage.gaussian_filter(grey, (0, s, s), mode="constant") for s in sigmas], axis=1
    )
    signed = np.diff(blurred, axis=1)  # (n, scales, h, w)
    keep = np.abs(signed) >= contrast
    if edge_ratio is not None:
        dyy = np.gradient(np.gradient(signed, axis=2), axis=2)
        dxx = np.gradient(np.gradient(signed, axis=3), axis=3)
        dxy = np.gradient(np.gradient(signed, axis=2), axis=3)
        det, trace = dxx * dyy - dxy**2, dxx + dyy
        keep &= (det > 0) & (trace**2 * edge_ratio < (edge_ratio + 1) ** 2 * det)
    found = _strongest_peaks(np.abs(signed), n_points, border, (1, 3, 3, 3), keep)
    if not with_sigma:
        return found[..., :2]
    return np.concatenate([found[..., :2], np.asarray(sigmas)[found[..., 2:]]], axis=-1)


def interest_points(
    image: ArrayLike, method: str = "harris", max_points: int = 20, upsample: int = 4
) -> np.ndarray:
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
        points = feature.corner_peaks(
            feature.corner_harris(grey), min_distance=1, threshold_rel=0.02
        )
        return points[:max_points].astype(float)
    big = transform.rescale(grey, upsample, order=1, anti_aliasing=False) if upsample > 1 else grey
    detector = (
        feature.ORB(n_keypoints=max_points, fast_threshold=0.05)
        if method == "orb"
        else feature.SIFT()
    )
    try:
        detector.detect_and_extract(big)
    except RuntimeError:  # skimage raises when nothing is found
        return np.empty((0, 2))
    points = np.asarray(detector.keypoints, dtype=float)[:max_points]
    return (points + 0.5) / upsample - 0.5
