"""Parts the torch estimators share: a shape check, the device, a clear BatchNorm error, the
fitted network and the checked inputs of a fitted classifier."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from numbers import Integral

import numpy as np
import torch
from numpy.typing import ArrayLike
from sklearn.exceptions import NotFittedError
from sklearn.utils.validation import check_is_fitted
from torch import nn

from .. import config

__all__ = [
    "is_shape",
    "resolve_device",
    "one_sample_batches_refused",
    "fitted_network",
    "validated_samples",
]


def is_shape(value: object) -> bool:
    """A non-empty tuple or list of positive ints (not bools)."""
    values = tuple(value) if isinstance(value, (tuple, list)) else ()
    return bool(values) and all(
        isinstance(s, Integral) and not isinstance(s, bool) and s >= 1 for s in values
    )


def resolve_device(device: str | torch.device | None) -> torch.device:
    """The torch.device for a ``device`` parameter (a string or None: ``config.device``)."""
    if isinstance(device, torch.device):
        return device
    return config.device(None if device == "auto" else device)


@contextmanager
def one_sample_batches_refused(
    name: str, batch_size: int, n_train: int, validation_fraction: float | None
) -> Iterator[None]:
    """BatchNorm's failure on a training batch of one sample as a ValueError saying the fix."""
    try:
        yield
    except ValueError as error:
        if "Expected more than 1 value per channel" not in str(error):
            raise
        split = (
            f" after validation_fraction={validation_fraction} held some out"
            if validation_fraction
            else ""
        )
        raise ValueError(
            f"{name} cannot train this network on batches of one sample "
            f"(batch_size={batch_size}, {n_train} training "
            f"sample{'s' if n_train != 1 else ''}{split}): its BatchNorm layers (the input "
            f"standardiser included) need at least 2 samples per batch. Use batch_size >= 2 "
            f"and at least 2 training samples (more data or a smaller validation_fraction)."
        ) from error


def fitted_network(classifier: object) -> nn.Module:
    """The trained network (``module_``) of a fitted :class:`TorchClassifier`.

    Raises scikit-learn's ``NotFittedError`` (a ``ValueError``) when
    *classifier* has no trained network yet, e.g. before ``fit``.

    >>> from e2e_helpers.learn import TorchClassifier, mlp
    >>> from sklearn.exceptions import NotFittedError
    >>> try:
    ...     fitted_network(TorchClassifier(mlp))
    ... except NotFittedError as error:
    ...     print(str(error)[:39])
    this TorchClassifier is not fitted yet:
    """
    net = getattr(classifier, "module_", None)
    if net is None:
        raise NotFittedError(
            f"this {type(classifier).__name__} is not fitted yet: call fit(X, y) before using "
            f"its network."
        )
    return net


def validated_samples(classifier: object, X: ArrayLike) -> np.ndarray:
    """*X* checked and converted as the fitted *classifier*'s ``predict`` does.

    Numbers only, finite, the columns and the sample shape of the training
    data; each error says how to fix X. Raises ``NotFittedError`` before ``fit``.
    """
    check_is_fitted(classifier)
    return classifier._validate_predict_data(X)
