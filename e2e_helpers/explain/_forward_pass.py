"""Running a fitted network on inputs given as to its ``predict``: shared by the attribution maps
and the CNN views.

:func:`classifier_inputs` shapes rows or images exactly as
:class:`~e2e_helpers.learn.TorchClassifier` does and moves them to its
device; :func:`run_layers` runs some of the network's layers on them, batch by
batch, and returns NumPy arrays.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from numpy.typing import ArrayLike
from torch import nn

from ..learn import TorchClassifier
from ..learn.batches import check_samples, to_batch


def classifier_inputs(classifier: TorchClassifier, X: ArrayLike) -> torch.Tensor:
    """*X* shaped for the classifier's network (float32, ``(n, *input_shape_)``, on its device), as
    ``predict`` shapes it.

    Refused with a ``ValueError``, as by ``predict``: NaN or infinite values
    (:func:`~e2e_helpers.learn.check_samples`), and samples whose size is not
    what the network was trained on (both shapes named). Any layout holding
    the right number of values per sample (images or flat rows) is taken.
    """
    X = np.asarray(X)
    check_samples(X)
    shape = classifier.input_shape_
    if math.prod(X.shape[1:]) != math.prod(shape):
        raise ValueError(
            f"X has samples of shape {X.shape[1:]} ({math.prod(X.shape[1:])} values), but the "
            f"network of this "
            f"{type(classifier).__name__} was trained on samples of shape {shape} "
            f"({math.prod(shape)} values): "
            f"resize or crop the images to the training size."
        )
    return to_batch(X, shape).to(classifier.device_)


@torch.no_grad()
def run_layers(
    classifier: TorchClassifier, layers: nn.Module, X: ArrayLike, batch_size: int = 500
) -> np.ndarray:
    """Run *layers* (in eval mode) on X, batch by batch, shaped as the classifier shapes it."""
    X = np.asarray(X)
    layers.eval()
    outputs = []
    for start in range(0, len(X), batch_size):
        batch = classifier_inputs(classifier, X[start : start + batch_size])
        outputs.append(layers(batch).float().cpu().contiguous())
    return torch.cat(outputs).numpy()
