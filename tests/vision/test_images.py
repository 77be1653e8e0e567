"""Flat rows back to images, and the shapes that cannot be."""

from __future__ import annotations

import numpy as np
import pytest

from e2e_helpers.vision.images import as_images


def test_bad_input_is_explained():
    with pytest.raises(ValueError, match="pass image_shape"):
        as_images(np.zeros((2, 10)))
    with pytest.raises(ValueError, match="do not fit image_shape"):
        as_images(np.zeros((2, 10)), (3, 3))
    with pytest.raises(ValueError, match=r"expected images shaped"):
        as_images(np.zeros(5))
