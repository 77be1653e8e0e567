"""Look inside a trained CNN: its first-layer filters, feature maps and learned features.

Every function takes a fitted :class:`~e2e_helpers.learn.TorchClassifier`
whose network is an ``nn.Sequential`` (as :mod:`e2e_helpers.learn` builds
them) and returns NumPy arrays, ready for :mod:`e2e_helpers.figures`.
Inputs ``X`` are given exactly as to ``predict`` (e.g. ``(n, 28, 28)`` images
or flattened rows); they are reshaped to the network's ``input_shape_``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from torch import nn

from ..learn import TorchClassifier
from ..learn._estimator_parts import fitted_network
from ._forward_pass import run_layers

__all__ = ["first_filters", "feature_maps", "learned_features", "foreground_channels"]


def first_filters(classifier: TorchClassifier) -> np.ndarray:
    """The first convolution's weights, shape ``(filters, in_channels, height, width)``."""
    conv = next((m for m in _layers(classifier) if isinstance(m, nn.Conv2d)), None)
    if conv is None:
        raise ValueError(
            "the network has no nn.Conv2d layer: first_filters needs a CNN such as learn.small_cnn."
        )
    return conv.weight.detach().cpu().float().numpy().copy()


def feature_maps(classifier: TorchClassifier, X: ArrayLike, block: int = 1) -> np.ndarray:
    """What the convolution block number *block* (from 1) outputs, before its pooling.

    Shape ``(n, channels, height, width)``: one map per filter, each showing
    where in the image that filter responded (after the ReLU).
    """
    layers = _layers(classifier)
    pools = [i for i, m in enumerate(layers) if isinstance(m, nn.MaxPool2d)]
    if not isinstance(block, int) or not 1 <= block <= len(pools):
        raise ValueError(
            f"block must be an int from 1 to {len(pools)} (the network's pooling blocks), got "
            f"{block!r}."
        )
    return run_layers(classifier, layers[: pools[block - 1]], X)


def learned_features(classifier: TorchClassifier, X: ArrayLike) -> np.ndarray:
    """The network's representation just before its last (logit) layer, shape ``(n, width)``."""
    layers = _layers(classifier)
    return run_layers(classifier, layers[:-1], X).reshape(len(X), -1)


def foreground_channels(maps: ArrayLike, images: ArrayLike, n: int = 4) -> np.ndarray:
    """The *n* channels of *maps* ``(images, channels, h, w)`` that respond most to the object, not
    the background.

    The object is where the image is not blank (pixels above 10% of the
    image's largest value); a channel's score is its mean response there
    minus its mean response on the background, relative to its largest
    response. Picking maps by mean activation instead favours maps that light
    up the flat background and the padding.
    """
    maps, images = np.asarray(maps, dtype=float), np.asarray(images, dtype=float)
    if (
        maps.ndim != 4
        or len(maps) != len(images)
        or images.reshape(len(images), -1).shape[1] != maps.shape[2] * maps.shape[3]
    ):
        raise ValueError(
            f"need maps (images, channels, h, w) and one (h, w) image per map at the same size, "
            f"got maps "
            f"{maps.shape} and images {images.shape}: use feature_maps(cnn, images, block=1)."
        )
    if not (isinstance(n, int) and 1 <= n <= maps.shape[1]):
        raise ValueError(f"n must be an int from 1 to {maps.shape[1]} (the channels), got {n!r}.")
    flat = images.reshape(len(images), -1)
    garment = flat > 0.1 * flat.max(axis=1, keepdims=True)  # (images, pixels)
    responses = maps.reshape(*maps.shape[:2], -1)  # (images, channels, pixels)
    inside = (responses * garment[:, None]).sum(-1) / np.maximum(garment.sum(-1), 1)[:, None]
    outside = (responses * ~garment[:, None]).sum(-1) / np.maximum((~garment).sum(-1), 1)[:, None]
    scale = responses.max(axis=(0, 2)) + 1e-12
    score = (inside - outside).mean(axis=0) / scale
    return np.argsort(-score, kind="stable")[:n]


def _layers(classifier: TorchClassifier) -> nn.Sequential:
    """The classifier's fitted network, which must be an ``nn.Sequential``."""
    net = fitted_network(classifier)
    if not isinstance(net, nn.Sequential):
        raise ValueError(
            f"introspection needs an nn.Sequential network (as e2e_helpers.learn builds), got "
            f"{type(net).__name__}."
        )
    return net
