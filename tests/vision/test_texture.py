"""Tests for e2e_helpers.vision.texture: hand-crafted texture and intensity features."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from e2e_helpers.vision import texture


@pytest.fixture
def images():
    rng = np.random.default_rng(0)
    smooth = np.tile(np.linspace(0, 255, 28), (28, 1))
    noisy = [np.clip(smooth + rng.normal(0, 60, smooth.shape), 0, 255) for _ in range(6)]
    return np.stack([smooth] * 6 + noisy).astype(np.uint8), np.repeat([0, 1], 6)


def test_features_have_named_columns_and_separate_textures(images):
    X, y = images
    features = texture.TextureFeatures().fit(X)
    F = features.transform(X)
    assert F.shape == (12, len(features.feature_names_)) and F.dtype == np.float32
    assert features.get_feature_names_out()[-1] == "intensity_std"
    assert "glcm_contrast_d1_a0" in features.feature_names_
    assert np.isfinite(F).all()
    contrast = F[:, features.feature_names_.index("glcm_contrast_d1_a0")]
    assert contrast[6:].min() > contrast[:6].max()  # noise has more local contrast
    assert (
        make_pipeline(texture.TextureFeatures(), LogisticRegression()).fit(X, y).score(X, y) == 1.0
    )


def test_parts_flat_rows_and_unit_pixels_agree(images):
    X, _ = images
    lbp = texture.TextureFeatures(parts=("lbp",)).fit(X)
    assert lbp.transform(X).shape == (12, 10)
    np.testing.assert_allclose(lbp.transform(X).sum(axis=1), 1.0, rtol=1e-5)  # a histogram
    full = texture.TextureFeatures().fit(X).transform(X)
    flat = (
        texture.TextureFeatures(image_shape=(28, 28))
        .fit(X.reshape(12, -1))
        .transform(X.reshape(12, -1).astype(np.float32))
    )
    unit = texture.TextureFeatures().fit(X / 255.0).transform(X / 255.0)
    np.testing.assert_allclose(flat, full, atol=1e-6)
    np.testing.assert_allclose(unit, full, atol=1e-6)


def test_bad_settings_and_sizes_are_explained(images):
    X, _ = images
    with pytest.raises(ValueError, match="parts must be a non-empty subset"):
        texture.TextureFeatures(parts=("sift",)).fit(X)
    with pytest.raises(ValueError, match="cell must be an int >= 2"):
        texture.TextureFeatures(cell=0).fit(X)
    with pytest.raises(ValueError, match="too small for HOG cells"):
        texture.TextureFeatures(cell=20).fit(X)
    fitted = texture.TextureFeatures().fit(X)
    with pytest.raises(ValueError, match="fitted on"):
        fitted.transform(np.zeros((2, 32, 32), dtype=np.uint8))
