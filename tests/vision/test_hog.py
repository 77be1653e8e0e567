"""HOG as a scikit-learn transformer, on small generated images; its feature maps and pictures."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from e2e_helpers.vision import HOGFeatures, hog_feature_map, hog_picture


@pytest.fixture
def stripes():
    """Horizontal vs vertical stripes: HOG separates them by orientation."""
    rng = np.random.default_rng(0)
    base = np.zeros((16, 16))
    base[::4] = 255
    images = np.stack([base if i % 2 else base.T for i in range(40)])
    images = images + rng.normal(0, 20, images.shape)
    return images.astype(np.float32), np.arange(40) % 2


def test_shapes_and_flat_rows(stripes):
    X, _ = stripes
    hog = HOGFeatures().fit(X)
    features = hog.transform(X)
    assert features.dtype == np.float32 and features.shape == (40, hog.n_features_out_)
    flat = HOGFeatures().fit(X.reshape(40, -1)).transform(X.reshape(40, -1))
    np.testing.assert_allclose(flat, features)
    assert len(hog.get_feature_names_out()) == hog.n_features_out_


def test_pipeline_separates_orientations(stripes):
    X, y = stripes
    model = make_pipeline(HOGFeatures(pixels_per_cell=(8, 8)), LogisticRegression()).fit(X, y)
    assert model.score(X, y) == 1.0
    assert clone(model).get_params()["hogfeatures__pixels_per_cell"] == (8, 8)


def test_colour_images_and_parallel_agree(stripes):
    X, _ = stripes
    colour = np.repeat(X[..., None], 3, axis=-1)
    one = HOGFeatures().fit(colour).transform(colour)
    two = HOGFeatures(n_jobs=2).fit(colour).transform(colour)
    np.testing.assert_allclose(one, two)


def test_visualize_returns_features_and_picture(stripes):
    X, _ = stripes
    hog = HOGFeatures().fit(X)
    features, picture = hog.visualize(X[0])
    assert picture.shape == X[0].shape
    np.testing.assert_allclose(features, hog.transform(X[:1])[0], rtol=1e-5)


_CHANNELS_FIRST = (
    r"images of shape \(2, 3, 32, 32\) look channels-first \(n, channels, height, width\), but the "
    r"traditional features expect channels-last colour images \(n, height, width, channels\): pass "
    r"X.transpose\(0, 2, 3, 1\), shape \(2, 32, 32, 3\)"
)
BAD_INPUTS = {
    "another image size": (
        lambda hog: hog.transform(np.zeros((2, 8, 8))),
        r"images are \(8, 8\), but this HOG was fitted on",
    ),
    "channels-first colour images at fit": (
        lambda hog: HOGFeatures().fit(np.zeros((2, 3, 32, 32))),
        _CHANNELS_FIRST,
    ),
    "channels-first colour images at transform": (
        lambda hog: hog.transform(np.zeros((2, 3, 32, 32))),
        _CHANNELS_FIRST,
    ),
    "channels-first colour image to visualise": (
        lambda hog: HOGFeatures().visualize(np.zeros((3, 32, 32))),
        r"look channels-first.*pass X.transpose\(0, 2, 3, 1\), shape \(1, 32, 32, 3\)",
    ),
    "a vector": (lambda hog: HOGFeatures().fit(np.zeros(5)), r"expected images shaped"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_explained(stripes, case):
    X, _ = stripes
    call, message = BAD_INPUTS[case]
    with pytest.raises(ValueError, match=message):
        call(HOGFeatures().fit(X))


def test_hog_feature_map_puts_features_on_their_cells():
    hog = HOGFeatures().fit(np.zeros((1, 28, 28)))
    ones = hog_feature_map(hog, np.ones(hog.n_features_out_), reduce="sum")
    assert ones.shape == (28, 28)
    # corner cells belong to one block, inner cells to four
    assert ones[0, 0] == 9 and ones[10, 10] == 4 * 9
    assert ones.sum() == hog.n_features_out_ * 16
    mean = hog_feature_map(hog, np.ones(hog.n_features_out_), reduce="mean")
    assert np.allclose(mean, 1)
    first_block = np.zeros(hog.n_features_out_)
    first_block[: 4 * 9] = 1  # keep the top-left block only (2x2 cells, 9 orientations)
    fraction = hog_feature_map(hog, first_block)  # the default: the kept fraction per cell
    assert fraction[0, 0] == 1, "the corner cell's only block is kept"
    assert fraction[0, 4] == 0.5 and fraction[4, 4] == 0.25, (
        "an edge cell keeps 1 of its 2 blocks, an inner one 1 of 4"
    )
    assert fraction[20, 20] == 0 and fraction.max() <= 1
    with pytest.raises(ValueError, match="reduce must be 'sum' or 'mean'"):
        hog_feature_map(hog, first_block, reduce="max")
    with pytest.raises(ValueError, match="one per HOG feature"):
        hog_feature_map(hog, np.ones(5))


def test_hog_picture_is_enlarged(squares_and_discs):
    images, _ = squares_and_discs(2)
    hog = HOGFeatures().fit(images)
    picture = hog_picture(hog, images[1], scale=3)
    assert picture.shape == (84, 84) and picture.max() > 0
