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

from ..learn import TorchClassifier, fitted_network
from .forward_pass import run_layers

__all__ = ["first_filters", "feature_maps", "learned_features"]


def first_filters(classifier: TorchClassifier) -> np.ndarray:
    """The first convolution's weights, shape ``(filters, in_channels, height, width)``."""
    conv = next((m for m in _layers(classifier) if isinstance(m, nn.Conv2d)), None)
    if conv is None:
        raise ValueError("the network has no nn.Conv2d layer: first_filters needs a CNN such as learn.small_cnn.")
    return conv.weight.detach().cpu().float().numpy().copy()


def feature_maps(classifier: TorchClassifier, X: ArrayLike, block: int = 1) -> np.ndarray:
    """What the convolution block number *block* (from 1) outputs, before its pooling.

    Shape ``(n, channels, height, width)``: one map per filter, each showing
    where in the image that filter responded (after the ReLU).
    """
    layers = _layers(classifier)
    pools = [i for i, m in enumerate(layers) if isinstance(m, nn.MaxPool2d)]
    if not isinstance(block, int) or not 1 <= block <= len(pools):
        raise ValueError(f"block must be an int from 1 to {len(pools)} (the network's pooling blocks), got {block!r}.")
    return run_layers(classifier, layers[: pools[block - 1]], X)


def learned_features(classifier: TorchClassifier, X: ArrayLike) -> np.ndarray:
    """The network's representation just before its last (logit) layer, shape ``(n, width)``."""
    layers = _layers(classifier)
    return run_layers(classifier, layers[:-1], X).reshape(len(X), -1)


def _layers(classifier: TorchClassifier) -> nn.Sequential:
    """The classifier's fitted network, which must be an ``nn.Sequential``."""
    net = fitted_network(classifier)
    if not isinstance(net, nn.Sequential):
        raise ValueError(
            f"introspection needs an nn.Sequential network (as e2e_helpers.learn builds), got {type(net).__name__}."
        )
    return net
