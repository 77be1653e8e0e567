"""Harris corners of a batch, and Harris / ORB / SIFT points of one image."""

from __future__ import annotations

import numpy as np
import pytest

from e2e_helpers import vision
from e2e_helpers.vision import keypoints


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


def _different_images() -> np.ndarray:
    """A blank image, a square, noise and a disc: a stack whose neighbours differ."""
    rng = np.random.default_rng(0)
    stack = np.zeros((4, 20, 20), np.float32)
    stack[1, 5:15, 5:15] = 1.0
    stack[2] = rng.random((20, 20))
    yy, xx = np.mgrid[:20, :20]
    stack[3] = (yy - 10) ** 2 + (xx - 9) ** 2 < 30
    return stack


def test_harris_response_matches_skimage_on_each_image_of_a_stack():
    from skimage.feature import corner_harris

    stack = _different_images()
    response = keypoints.harris_response(stack)
    for image, got in zip(stack, response):
        expected = corner_harris(image.astype(np.float64), method="k", k=0.05, sigma=1.0)
        np.testing.assert_allclose(got, expected, atol=1e-4 * max(1.0, np.abs(expected).max()))
    assert np.abs(response[0]).max() == 0, "a blank image next to a square has no corners"
    np.testing.assert_allclose(keypoints.harris_response(stack[::-1])[::-1], response, atol=1e-5)
    with pytest.raises(ValueError, match=r"expected grey images shaped \(n, height, width\)"):
        keypoints.harris_response(stack[0])


def test_corners_and_blobs_do_not_depend_on_the_other_images():
    stack = _different_images()
    for find in (vision.strongest_corners, vision.strongest_blobs):
        together = find(stack, 4)
        alone = np.concatenate([find(image[None], 4) for image in stack])
        np.testing.assert_array_equal(together, alone)


def test_blobs_find_the_centre_of_a_disc():
    image = np.zeros((1, 24, 24), np.float32)
    yy, xx = np.mgrid[:24, :24]
    image[0] = (yy - 14) ** 2 + (xx - 9) ** 2 <= 6
    points = vision.strongest_blobs(image, 3)[0]
    assert points.shape == (3, 2)
    assert abs(points[0, 0] - 14) <= 1 and abs(points[0, 1] - 9) <= 1
    assert (vision.strongest_blobs(np.zeros((1, 20, 20)), 2)[0] == [10, 10]).all(), (
        "a flat image falls back to its centre"
    )
    with pytest.raises(ValueError, match="sigmas must be at least two increasing"):
        vision.strongest_blobs(image, 3, sigmas=(2.0, 1.0))
    with pytest.raises(ValueError, match="no room inside a border"):
        vision.strongest_blobs(np.zeros((1, 4, 4)), 2, border=2)


def test_blobs_drop_weak_and_edge_extrema_as_lowe_does():
    edge = np.zeros((1, 28, 28), np.float32)
    edge[0, 6:9, 6:9] = 1.0  # a strong blob
    edge[0, :, 24:] = 1.0  # a long straight edge
    along = [(r, c) for r, c in vision.strongest_blobs(edge, 8)[0] if 5 <= r <= 22 and c >= 20]
    assert not along, "no point along the middle of the edge"
    loose = vision.strongest_blobs(edge, 8, edge_ratio=None)[0]
    assert any(5 <= r <= 22 and c >= 20 for r, c in loose)
    faint = np.zeros((1, 28, 28), np.float32)
    faint[0, 18:21, 18:21] = 0.02  # too faint to keep: the image counts as flat
    assert vision.strongest_blobs(faint, 2)[0].tolist() == [[14, 14], [14, 14]]
    assert abs(vision.strongest_blobs(faint, 2, contrast=0.0)[0, 0] - 19).max() <= 1


def test_blobs_can_say_their_scale():
    image = np.zeros((1, 28, 28), np.float32)
    image[0, 4:7, 4:7] = 1.0  # a small blob
    image[0, 12:24, 12:24] = 1.0  # a large one
    found = vision.strongest_blobs(image, 2, with_sigma=True)[0]
    assert found.shape == (2, 3)
    small = min(found, key=lambda p: abs(p[0] - 5) + abs(p[1] - 5))
    large = min(found, key=lambda p: abs(p[0] - 17.5) + abs(p[1] - 17.5))
    assert small[2] < large[2], "the larger blob is found at a larger blur"
