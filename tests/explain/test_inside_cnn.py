"""Tests for e2e_helpers.explain.inside_cnn: filters, feature maps and learned features of a fitted
CNN."""

from __future__ import annotations

from functools import partial

import numpy as np
import pytest
from sklearn.datasets import load_digits

from e2e_helpers.explain import feature_maps, first_filters, foreground_channels, learned_features
from e2e_helpers.learn import TorchClassifier, mlp, small_cnn


@pytest.fixture(scope="module")
def fitted() -> tuple[TorchClassifier, np.ndarray]:
    X, y = load_digits(return_X_y=True)
    net = TorchClassifier(
        partial(small_cnn, channels=(4, 6), hidden=12),
        input_shape=(1, 8, 8),
        epochs=2,
        progress=False,
        random_state=0,
        device="cpu",
    )
    return net.fit(X[:300], y[:300]), X[300:310]


def test_first_filters_are_the_first_convolution_weights(fitted):
    net, _ = fitted
    filters = first_filters(net)
    assert filters.shape == (4, 1, 3, 3) and filters.dtype == np.float32
    conv = next(m for m in net.module_ if m.__class__.__name__ == "Conv2d")
    np.testing.assert_array_equal(filters, conv.weight.detach().numpy())


def test_feature_maps_per_block_are_non_negative_and_full_resolution(fitted):
    net, X = fitted
    first = feature_maps(net, X)
    second = feature_maps(net, X.reshape(-1, 8, 8), block=2)  # any shape predict takes
    assert first.shape == (10, 4, 8, 8) and second.shape == (10, 6, 4, 4)
    assert first.min() >= 0  # after the ReLU
    with pytest.raises(ValueError, match="block must be an int from 1 to 2"):
        feature_maps(net, X, block=3)


def test_learned_features_feed_the_last_layer(fitted):
    net, X = fitted
    features = learned_features(net, X)
    assert features.shape == (10, 12)
    logits = (
        features @ net.module_[-1].weight.detach().numpy().T + net.module_[-1].bias.detach().numpy()
    )
    np.testing.assert_array_equal(logits.argmax(1), np.searchsorted(net.classes_, net.predict(X)))


def test_clear_errors():
    with pytest.raises(ValueError, match="not fitted yet"):
        first_filters(TorchClassifier(mlp))
    X, y = load_digits(return_X_y=True)
    dense = TorchClassifier(mlp, epochs=1, progress=False, random_state=0).fit(X[:100], y[:100])
    with pytest.raises(ValueError, match="no nn.Conv2d layer"):
        first_filters(dense)


def test_foreground_channels_prefer_the_object_to_the_background():
    images = np.zeros((2, 8, 8))
    images[:, 2:6, 2:6] = 1.0  # a square object on a blank background
    maps = np.zeros((2, 3, 8, 8))
    maps[:, 0] = 5.0 * (images == 0)  # the largest mean response, all on the background
    maps[:, 1] = images  # responds to the object
    maps[:, 2] = 0.2  # flat
    assert foreground_channels(maps, images, 2).tolist() == [1, 2]
    with pytest.raises(ValueError, match="same size"):
        foreground_channels(maps, np.zeros((2, 4, 4)))
    with pytest.raises(ValueError, match="n must be"):
        foreground_channels(maps, images, 4)
