"""Tests for e2e_helpers.learn.models: shapes, input scaling, errors, binding options."""

from __future__ import annotations

import pickle
from functools import partial

import numpy as np
import pytest
import torch
from sklearn.base import clone
from torch import nn

from e2e_helpers.learn import TorchClassifier, models


def _outputs(net: nn.Module, shape: tuple[int, ...], n: int = 4) -> torch.Tensor:
    torch.manual_seed(0)
    net.eval()
    with torch.no_grad():
        return net(torch.rand(n, *shape) * 255)


@pytest.mark.parametrize("shape", [(20,), (1, 8, 8), (3, 32, 32)])
def test_mlp_gives_one_logit_per_class_for_any_input_shape(shape):
    assert _outputs(models.mlp(shape, 5), shape).shape == (4, 5)


def test_mlp_hidden_layers_and_linear_model():
    net = models.mlp((10,), 3, hidden=(16, 8))
    linears = [m for m in net if isinstance(m, nn.Linear)]
    assert [(m.in_features, m.out_features) for m in linears] == [(10, 16), (16, 8), (8, 3)]
    linear_only = models.mlp((10,), 3, hidden=())
    assert [type(m) for m in linear_only] == [nn.Flatten, nn.BatchNorm1d, nn.Linear]


@pytest.mark.parametrize("shape", [(1, 28, 28), (3, 32, 32), (28, 28), (1, 8, 8)])
def test_small_cnn_gives_one_logit_per_class(shape):
    net = models.small_cnn(shape, 10)
    assert _outputs(net, shape).shape == (4, 10)
    convs = [m for m in net.modules() if isinstance(m, nn.Conv2d)]
    assert [m.out_channels for m in convs] == [32, 64]


def test_small_cnn_options():
    net = models.small_cnn((3, 16, 16), 4, channels=(8, 16, 32), dropout=0.0, normalize=False)
    assert not any(isinstance(m, nn.Dropout) for m in net)
    assert isinstance(net[0], nn.Conv2d)  # no input standardiser
    assert [m.out_channels for m in net if isinstance(m, nn.Conv2d)] == [8, 16, 32]
    assert net[-1].in_features == 32 * 2 * 2
    assert _outputs(net, (3, 16, 16)).shape == (4, 4)


def test_small_cnn_hidden_layer():
    net = models.small_cnn((1, 28, 28), 10, channels=(16, 32, 64), hidden=128)
    linears = [m for m in net if isinstance(m, nn.Linear)]
    assert [(m.in_features, m.out_features) for m in linears] == [(64 * 3 * 3, 128), (128, 10)]
    assert sum(isinstance(m, nn.Dropout) for m in net) == 2
    assert _outputs(net, (1, 28, 28)).shape == (4, 10)


def test_standardiser_makes_the_input_scale_irrelevant():
    """The first layer maps raw 0-255 pixels and the same pixels in [0, 1] alike."""
    net = models.small_cnn((1, 8, 8), 2)
    standardise = net[0]
    assert isinstance(standardise, nn.BatchNorm2d) and not standardise.affine
    pixels = torch.randint(
        0, 256, (32, 1, 8, 8), generator=torch.Generator().manual_seed(0)
    ).float()
    raw = standardise(pixels)
    assert raw.mean().abs() < 1e-4 and (raw.std() - 1).abs() < 0.05
    fresh = models.small_cnn((1, 8, 8), 2)[0]
    assert torch.allclose(raw, fresh(pixels / 255), atol=1e-3)
    # At prediction time it uses the average statistics of the training batches.
    standardise.eval()
    assert torch.allclose(standardise(pixels), raw, atol=1e-3)


def test_small_cnn_learns_from_raw_uint8_pixels():
    """Raw 0-255 images (bright top half vs bright bottom half) train without rescaling."""
    rng = np.random.RandomState(0)
    X = rng.randint(0, 120, size=(240, 1, 8, 8)).astype(np.uint8)
    y = np.arange(240) % 2
    X[y == 0, :, :4] += 100
    X[y == 1, :, 4:] += 100
    net = TorchClassifier(
        partial(models.small_cnn, channels=(4, 8)),
        epochs=5,
        batch_size=32,
        progress=False,
        random_state=0,
    )
    assert net.fit(X[:200], y[:200]).score(X[200:], y[200:]) >= 0.95


@pytest.mark.parametrize(
    ("shape", "hint"),
    [
        ((784,), "pass input_shape=(1, 28, 28)"),
        ((3072,), "pass input_shape=(3, 32, 32)"),
        ((10,), "input_shape=(channels, height, width)"),
        ((2, 3, 8, 8), "small_cnn needs images"),
    ],
)
def test_small_cnn_explains_how_to_pass_images(shape, hint):
    with pytest.raises(ValueError, match=hint.replace("(", r"\(").replace(")", r"\)")):
        models.small_cnn(shape, 10)


@pytest.mark.parametrize(
    ("factory", "kwargs", "message"),
    [
        (models.small_cnn, {"input_shape": (1, 3, 3)}, "at least 4x4 pixels"),
        (models.small_cnn, {"channels": ()}, "channels must be a tuple"),
        (
            models.small_cnn,
            {"dropout": 1.0},
            r"dropout must be a finite number in \[0, 1\), got 1.0",
        ),
        (models.small_cnn, {"hidden": 0}, "hidden must be None or an int >= 1, got 0"),
        (models.mlp, {"n_classes": 1}, "n_classes must be an int >= 2"),
        (models.mlp, {"input_shape": (0, 5)}, "input_shape must be a tuple of positive ints"),
        (models.mlp, {"hidden": (16, -1)}, "hidden must be a tuple"),
    ],
)
def test_bad_options_raise_clear_errors(factory, kwargs, message):
    args = {"input_shape": (1, 8, 8), "n_classes": 3, **kwargs}
    with pytest.raises(ValueError, match=message):
        factory(**args)


def test_guess_image_shape():
    assert models.guess_image_shape(784) == (1, 28, 28)
    assert models.guess_image_shape(3072) == (3, 32, 32)
    assert models.guess_image_shape(64) == (1, 8, 8)
    assert models.guess_image_shape(20) is None


def test_partial_binds_options_and_stays_clonable_and_picklable():
    rng = np.random.RandomState(0)
    X = rng.rand(40, 64).astype(np.float32)
    y = np.arange(40) % 2
    net = TorchClassifier(
        partial(models.small_cnn, channels=(4, 8)),
        input_shape=(1, 8, 8),
        epochs=1,
        progress=False,
        random_state=0,
    )
    copy = clone(net)
    assert copy.module.func is models.small_cnn and copy.module.keywords == {"channels": (4, 8)}
    copy.fit(X, y)
    assert [m.out_channels for m in copy.module_.modules() if isinstance(m, nn.Conv2d)] == [4, 8]
    restored = pickle.loads(pickle.dumps(copy))
    np.testing.assert_array_equal(restored.predict_proba(X), copy.predict_proba(X))
    assert pickle.loads(pickle.dumps(net)).module.keywords == {"channels": (4, 8)}
