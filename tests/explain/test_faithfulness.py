"""explain.faithfulness: the deletion test, on a network whose answer is known (it looks at one
pixel)."""

from __future__ import annotations

import numpy as np
import pytest

from e2e_helpers.explain import attribute, deletion_curve
from e2e_helpers.learn import bootstrap_interval


def _one_hot(n: int, where: tuple[int, int]) -> np.ndarray:
    maps = np.zeros((n, 8, 8))
    maps[(slice(None), *where)] = 1.0
    return maps


def test_removing_the_one_pixel_first_drops_the_probability_at_once(one_pixel):
    net, images, pixel = one_pixel
    assert (net.predict(images) == 1).all(), "the bright pixel makes every image class 1"
    right = deletion_curve(net, images, _one_hot(20, pixel))
    assert right.fractions[0] == 0 and right.fractions[-1] == 1 and len(right.fractions) == 21
    assert right.curve[0] > 0.99, "nothing removed: the intact images"
    assert right.curve[1:].max() < 0.01, "the pixel goes first (3 of 64 at 5%): decision gone"
    # at random, 3 of 64 pixels removed rarely hit it; all removed always does
    assert right.random_curve[1] > 0.8 and right.random_curve[-1] < 0.01
    assert np.all(np.diff(right.random_curve) <= 1e-9), "the random reference only falls"
    assert right.area < 0.05 < 0.3 < right.random_area
    gains = right.compare()
    assert gains.shape == (20,) and (gains <= 0).all() and (gains < 0).mean() > 0.9, (
        "per image: never worse than random; equal only where random took the pixel first too"
    )
    assert right.compare().mean() == pytest.approx(right.area - right.random_area)
    # the network's own saliency points at the pixel: as faithful as the perfect map
    saliency = deletion_curve(net, images, attribute(net, images, "saliency"))
    np.testing.assert_allclose(saliency.curve, right.curve)
    assert bootstrap_interval(saliency.compare()).high < 0


def test_a_map_that_misses_the_pixel_is_no_better_than_random(one_pixel):
    net, images, pixel = one_pixel
    right = deletion_curve(net, images, _one_hot(20, pixel))
    wrong = deletion_curve(net, images, _one_hot(20, (7, 7)))
    assert wrong.curve[1] > 0.8, "removing the wrong pixel first changes nothing"
    assert abs(wrong.area - wrong.random_area) < 0.15 and wrong.area > right.area + 0.3
    assert (right.compare(wrong) <= 0).all() and right.compare(wrong).mean() < -0.3, (
        "compare: one map against another, per image"
    )
    np.testing.assert_array_equal(wrong.random_curve, right.random_curve)  # the same random order


def test_deletion_is_seeded_and_uses_the_baseline(one_pixel):
    net, images, pixel = one_pixel
    flat = np.ones((20, 8, 8))  # every pixel tied: removed in a random order
    first, again = deletion_curve(net, images, flat), deletion_curve(net, images, flat)
    np.testing.assert_array_equal(first.probabilities, again.probabilities)
    other = deletion_curve(net, images, flat, seed=1)
    assert not np.array_equal(first.random_probabilities, other.random_probabilities)
    assert abs(first.area - first.random_area) < 0.15, "ties broken at random, not by position"
    # a baseline equal to the pixel's own value removes nothing the network uses
    kept = deletion_curve(net, images, _one_hot(20, pixel), baseline=1.0, fractions=(0, 0.5, 1))
    assert kept.curve.min() > 0.99 and list(kept.fractions) == [0, 0.5, 1]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"maps": np.zeros((20, 7, 7))}, r"one \(height, width\) map per image, \(20, 8, 8\)"),
        ({"maps": np.full((20, 8, 8), np.nan)}, "NaN or infinite"),
        ({"fractions": (0.5, 0.2)}, "increasing shares between 0 and 1"),
        ({"fractions": (0, 1.5)}, "increasing shares between 0 and 1"),
        ({"baseline": "median"}, "baseline must be 'mean'"),
    ],
)
def test_deletion_curve_refuses_bad_input(one_pixel, kwargs, message):
    net, images, pixel = one_pixel
    arguments = {"maps": _one_hot(20, pixel), **kwargs}
    maps = arguments.pop("maps")
    with pytest.raises(ValueError, match=message):
        deletion_curve(net, images, maps, **arguments)
