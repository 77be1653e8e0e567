"""explain.shortcuts: the lung-field mask and the share of a map outside a mask."""

from __future__ import annotations

import numpy as np
import pytest

from e2e_helpers.explain import lung_field_mask, share_outside


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
    assert share_outside(maps, mask).tolist() == [0.0, 0.75], "the all-zero map is left out"
    with pytest.raises(ValueError, match="mask's shape"):
        share_outside(maps[0], mask)
