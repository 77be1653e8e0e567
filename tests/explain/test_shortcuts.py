"""explain.shortcuts: the lung-field mask, the share of a map outside a mask, a planted marker."""

from __future__ import annotations

import numpy as np
import pytest

from e2e_helpers.explain import attribute, lung_field_mask, share_outside, stamp_marker


def test_lung_field_mask_is_two_symmetric_fields_away_from_the_borders():
    mask = lung_field_mask((28, 28))
    assert mask.dtype == bool and 0.3 < mask.mean() < 0.5
    assert np.array_equal(mask, mask[:, ::-1]), "left and right lungs mirror each other"
    assert not mask[[0, -1]].any() and not mask[:, [0, -1]].any(), "borders and corners are outside"
    assert not mask[-5:].any(), "below the diaphragm is outside"
    assert not mask[10, 13:15].any() and mask[10, 7] and mask[10, 20], (
        "the spine lies between the fields"
    )
    assert lung_field_mask((64, 64)).mean() == pytest.approx(mask.mean(), abs=0.03), (
        "scales with the image"
    )
    with pytest.raises(ValueError, match="height, width"):
        lung_field_mask((28,))


def test_share_outside():
    mask = np.zeros((4, 4), dtype=bool)
    mask[1:3, 1:3] = True
    maps = np.zeros((3, 4, 4))
    maps[0, 1, 1] = 2.0  # all inside
    maps[1, 0, 0], maps[1, 2, 2] = -3.0, 1.0  # three quarters outside (absolute values)
    shares = share_outside(maps, mask)
    assert shares[:2].tolist() == [0.0, 0.75] and np.isnan(shares[2]), (
        "one share per map: NaN for the all-zero map, which attributes nothing"
    )
    per_map = np.broadcast_to(mask, maps.shape).copy()
    per_map[1] = ~mask  # one mask per map
    np.testing.assert_array_equal(share_outside(maps, per_map)[:2], [0.0, 0.25])
    with pytest.raises(ValueError, match="mask's shape"):
        share_outside(maps[0], mask)
    with pytest.raises(ValueError, match="mask's shape"):
        share_outside(maps, mask[:3])


def test_stamp_marker_puts_a_square_in_the_corner_and_leaves_the_images_alone():
    images = np.arange(2 * 6 * 7, dtype=np.uint8).reshape(2, 6, 7)
    stamped, mask = stamp_marker(images)
    assert stamped.shape == images.shape and stamped.dtype == np.uint8
    assert mask.shape == (6, 7) and mask.sum() == 9 and mask[:3, :3].all()
    assert (stamped[:, mask] == images.max()).all(), "default value: the images' maximum"
    np.testing.assert_array_equal(stamped[:, ~mask], images[:, ~mask])
    assert images[0, 0, 0] == 0, "the images are copied, not stamped in place"
    corners = {
        "top right": (0, 6),
        "bottom left": (5, 0),
        "bottom right": (5, 6),
    }
    for corner, (row, col) in corners.items():
        _, mask = stamp_marker(images, size=2, corner=corner, value=0)
        assert mask.sum() == 4 and mask[row, col], corner
    colour = np.zeros((1, 3, 5, 5))
    stamped, mask = stamp_marker(colour, size=5, value=0.5)
    assert mask.all() and (stamped == 0.5).all(), "every channel; a marker as large as the image"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"size": 7}, r"from 1 to 6 \(the marker must fit in the 6 x 7 image\), got 7"),
        ({"size": 0}, "size must be a whole number"),
        ({"corner": "middle"}, "corner must be one of top left, top right"),
        ({"value": np.nan}, "finite grey level"),
    ],
)
def test_stamp_marker_refuses_a_marker_it_cannot_place(kwargs, message):
    with pytest.raises(ValueError, match=message):
        stamp_marker(np.zeros((2, 6, 7)), **kwargs)
    with pytest.raises(ValueError, match=r"\(n, H, W\) or \(n, channels, H, W\)"):
        stamp_marker(np.zeros((6, 7)))


def test_the_share_on_a_marker_the_network_uses(one_pixel):
    """A network that decides on one pixel, (2, 3): a 4x4 marker in the corner covers it and holds
    all its saliency; a 2x2 one misses it and holds none."""
    net, images, pixel = one_pixel
    stamped, marker = stamp_marker(images, size=4)
    assert marker[pixel] and (net.predict(stamped) == 1).all()
    maps = attribute(net, stamped, "saliency")
    np.testing.assert_allclose(1 - share_outside(maps, marker), 1.0)
    _, small = stamp_marker(images, size=2)
    np.testing.assert_allclose(1 - share_outside(maps, small), 0.0)
