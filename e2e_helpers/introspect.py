"""Look inside a trained CNN: its first-layer filters, feature maps and learned features.

Every function takes a fitted :class:`e2e_helpers.estimators.TorchClassifier`
whose network is an ``nn.Sequential`` (as :mod:`e2e_helpers.models` builds
them) and returns NumPy arrays, ready for :mod:`e2e_helpers.plots`.
Inputs ``X`` are given exactly as to ``predict`` (e.g. ``(n, 28, 28)`` images
or flattened rows); they are reshaped to the network's ``input_shape_``.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

__all__ = ["first_filters", "feature_maps", "learned_features"]


def first_filters(classifier) -> np.ndarray:
    """The first convolution's weights, shape ``(filters, in_channels, height, width)``."""
    conv = next((m for m in _layers(classifier) if isinstance(m, nn.Conv2d)), None)
    if conv is None:
        raise ValueError("the network has no nn.Conv2d layer: first_filters needs a CNN such as models.small_cnn.")
    return conv.weight.detach().cpu().float().numpy().copy()


def feature_maps(classifier, X: np.ndarray, block: int = 1) -> np.ndarray:
    """What the convolution block number *block* (from 1) outputs, before its pooling.

    Shape ``(n, channels, height, width)``: one map per filter, each showing
    where in the image that filter responded (after the ReLU).
    """
    layers = _layers(classifier)
    pools = [i for i, m in enumerate(layers) if isinstance(m, nn.MaxPool2d)]
    if not isinstance(block, int) or not 1 <= block <= len(pools):
        raise ValueError(f"block must be an int from 1 to {len(pools)} (the network's pooling blocks), got {block!r}.")
    return _run(classifier, layers[: pools[block - 1]], X)


def learned_features(classifier, X: np.ndarray) -> np.ndarray:
    """The network's representation just before its last (logit) layer, shape ``(n, width)``."""
    layers = _layers(classifier)
    return _run(classifier, layers[:-1], X).reshape(len(X), -1)


def _layers(classifier) -> nn.Sequential:
    net = getattr(classifier, "module_", None)
    if net is None:
        raise ValueError("the classifier is not fitted yet: call fit(X, y) before looking inside it.")
    if not isinstance(net, nn.Sequential):
        raise ValueError(f"introspection needs an nn.Sequential network (as e2e_helpers.models builds), got {type(net).__name__}.")
    return net


@torch.no_grad()
def _run(classifier, layers: nn.Sequential, X: np.ndarray, batch_size: int = 500) -> np.ndarray:
    """Run *layers* (in eval mode) on X, batch by batch, shaped as the classifier shapes it."""
    from .estimators import _to_batch

    X = np.asarray(X)
    layers.eval()
    outputs = []
    for start in range(0, len(X), batch_size):
        batch = _to_batch(X[start : start + batch_size], classifier.input_shape_).to(classifier.device_)
        outputs.append(layers(batch).float().cpu().contiguous())
    return torch.cat(outputs).numpy()
