"""Faithfulness of attribution maps: does removing the pixels a map ranks first hurt the decision?

The sanity checks ask whether a map depends on the network at all; the deletion test (Samek et al.,
2017; Petsiuk et al., 2018, "RISE") asks whether it points at what the network uses.
:func:`deletion_curve` replaces a growing share of each image's pixels, most attributed first, by a
baseline value and follows the probability of the class the network predicted on the intact image;
the same pixels removed in a random order are the reference. A faithful map makes the probability
fall sooner: a smaller area under its curve than under the random one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from ..learn import TorchClassifier
from .attribution import image_inputs

__all__ = ["deletion_curve"]

#: The shares of pixels :func:`deletion_curve` removes by default: 0, 5%, ..., 100%.
FRACTIONS = tuple(round(f, 2) for f in np.linspace(0.0, 1.0, 21))


@dataclass
class DeletionCurve:
    """Results of :func:`deletion_curve`.

    ``probabilities`` and ``random_probabilities`` are ``(images, fractions)``:
    each image's probability of its predicted class with the ``fractions[j]``
    most-attributed (or randomly chosen) pixels removed.
    """

    fractions: np.ndarray
    probabilities: np.ndarray
    random_probabilities: np.ndarray

    @property
    def curve(self) -> np.ndarray:
        """The mean probability of the predicted class per share removed, the map's order."""
        return self.probabilities.mean(axis=0)

    @property
    def random_curve(self) -> np.ndarray:
        """The same for a random order of the pixels (the reference)."""
        return self.random_probabilities.mean(axis=0)

    @property
    def area(self) -> float:
        """Area under :attr:`curve` (trapezoids; lower = the map finds the evidence sooner)."""
        return float(np.trapezoid(self.curve, self.fractions))

    @property
    def random_area(self) -> float:
        """Area under :attr:`random_curve`."""
        return float(np.trapezoid(self.random_curve, self.fractions))

    def compare(self, other: DeletionCurve | None = None) -> np.ndarray:
        """Per image, this curve's area minus *other*'s (default: the random order's).

        Negative: removing pixels in this map's order hurts the decision sooner,
        i.e. it is more faithful. The mean is ``area - other.area``; pass the
        array to :func:`~e2e_helpers.learn.bootstrap_interval` for an interval
        over images. *other* must come from the same images and fractions.
        """
        mine = np.trapezoid(self.probabilities, self.fractions, axis=1)
        if other is None:
            return mine - np.trapezoid(self.random_probabilities, self.fractions, axis=1)
        if other.probabilities.shape != self.probabilities.shape or not np.array_equal(
            other.fractions, self.fractions
        ):
            raise ValueError(
                "compare needs two deletion curves of the same images and fractions, got "
                f"{self.probabilities.shape} and {other.probabilities.shape} (images, fractions)."
            )
        return mine - np.trapezoid(other.probabilities, other.fractions, axis=1)


def _check_fractions(fractions: Sequence[float]) -> np.ndarray:
    values = np.asarray(fractions, dtype=np.float64)
    if (
        values.ndim != 1
        or len(values) < 2
        or not np.all(np.isfinite(values))
        or values.min() < 0
        or values.max() > 1
        or np.any(np.diff(values) <= 0)
    ):
        raise ValueError(
            "fractions must be at least two increasing shares between 0 and 1, such as "
            f"(0, 0.05, ..., 1), got {list(fractions)!r:.80}."
        )
    return values


def _baselines(pixels: np.ndarray, baseline: str | float) -> np.ndarray:
    """``(n, channels)`` replacement values: each image's mean per channel, or one number."""
    if isinstance(baseline, str):
        if baseline != "mean":
            raise ValueError(
                f"baseline must be 'mean' (each image's mean) or a number, got {baseline!r}."
            )
        return pixels.mean(axis=(2, 3))
    if not np.isfinite(baseline):
        raise ValueError(f"baseline must be a finite number or 'mean', got {baseline!r}.")
    return np.full(pixels.shape[:2], float(baseline))


def deletion_curve(
    classifier: TorchClassifier,
    images: ArrayLike,
    maps: ArrayLike,
    *,
    fractions: Sequence[float] = FRACTIONS,
    baseline: str | float = "mean",
    seed: int = 0,
) -> DeletionCurve:
    """The deletion test of *maps* ``(n, H, W)`` (one per image) for *classifier*.

    For each share in *fractions*, that share of each image's pixels, highest
    absolute attribution first (ties broken at random, with *seed*), is set
    to *baseline* in every channel, and the probability of the class the
    classifier predicted on the intact image is measured; the same is done
    with the pixels in a random order (seeded), the reference. The default
    baseline is each image's mean value (per channel): a removed pixel
    carries no information then, it is not the black (0) value occlusion
    and integrated gradients are computed against (which would favour
    them), and on a black background it is not the background itself (which
    would make removing background pixels a no-op). Returns a
    :class:`DeletionCurve`.
    """
    pixels = image_inputs(classifier, images).detach().cpu().double().numpy()
    n, channels, height, width = pixels.shape
    maps = np.abs(np.asarray(maps, dtype=np.float64))
    if maps.shape != (n, height, width):
        raise ValueError(
            f"maps must hold one (height, width) map per image, {(n, height, width)}, got "
            f"{maps.shape}: pass the maps explain.attribute gives for these images."
        )
    if not np.isfinite(maps).all():
        raise ValueError("maps hold NaN or infinite values: pass finite attribution maps.")
    shares = _check_fractions(fractions)
    fill = _baselines(pixels, baseline)
    rng = np.random.default_rng(seed)
    flat = maps.reshape(n, -1)
    by_map = np.lexsort((rng.random(flat.shape), -flat), axis=1)  # largest first, ties at random
    at_random = np.argsort(rng.random(flat.shape), axis=1)
    predicted = classifier.predict_proba(images).argmax(axis=1)
    curves = [
        _probabilities(classifier, images, pixels, fill, order, shares, predicted)
        for order in (by_map, at_random)
    ]
    return DeletionCurve(shares, *curves)


def _probabilities(
    classifier: TorchClassifier,
    images: ArrayLike,
    pixels: np.ndarray,
    fill: np.ndarray,
    order: np.ndarray,
    shares: np.ndarray,
    predicted: np.ndarray,
) -> np.ndarray:
    """``(n, len(shares))`` probability of the *predicted* class with the first pixels of *order*
    set to *fill*."""
    n, channels, height, width = pixels.shape
    counts = np.rint(shares * height * width).astype(int)
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(height * width)[None].repeat(n, 0), axis=1)
    layout = np.shape(images)
    out = np.empty((n, len(shares)))
    for j, count in enumerate(counts):
        removed = (rank < count).reshape(n, 1, height, width)
        changed = np.where(removed, fill[:, :, None, None], pixels)
        probabilities = classifier.predict_proba(changed.reshape(layout))
        out[:, j] = probabilities[np.arange(n), predicted]
    return out
