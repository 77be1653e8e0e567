"""Harris corners of a batch, and Harris / ORB / SIFT points of one image."""

from __future__ import annotations

import numpy as np
import pytest

from e2e_helpers import vision


def test_harris_finds_the_corners_of_a_square():
    image = np.zeros((1, 20, 20), np.float32)
    image[0, 5:15, 5:15] = 1.0
    points = vision.strongest_corners(image, 4)[0]
    assert points.shape == (4, 2)
    corners = {(5, 5), (5, 14), (14, 5), (14, 14)}
    assert all(min(abs(r - a) + abs(c - b) for a, b in corners) <= 2 for r, c in points)
    flat = vision.strongest_corners(np.zeros((1, 20, 20)), 3)[0]
    assert (flat == [10, 10]).all(), "a flat image falls back to its centre"


@pytest.mark.parametrize("method", ["harris", "orb", "sift"])
def test_interest_points_are_inside_the_image(method, squares_and_discs):
    images, _ = squares_and_discs(4)
    points = vision.interest_points(images[1], method, max_points=10)
    assert points.ndim == 2 and points.shape[1] == 2 and 0 < len(points) <= 10
    assert points.min() >= -1 and points.max() <= 28
    with pytest.raises(ValueError, match="method must be one of"):
        vision.interest_points(images[1], "surf")
