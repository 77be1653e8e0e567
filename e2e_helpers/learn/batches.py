"""NumPy arrays as the batches a network takes: float32 tensors, images channels-first.

:func:`to_batch` turns rows of an array into one float32 tensor of a given
sample shape; :class:`ArrayBatches` and :func:`array_loader` serve an array
in such batches to a training loop (what :class:`~e2e_helpers.learn.TorchClassifier`
feeds its network); :func:`check_samples` says, before any training, why an
array cannot become a batch (:func:`validate_samples` adds scikit-learn's
checks); :func:`channels_first` turns channels-last
colour images ``(n, h, w, c)`` into the ``(n, c, h, w)`` a CNN takes.

>>> import numpy as np
>>> to_batch(np.arange(8).reshape(2, 4), (1, 2, 2)).shape
torch.Size([2, 1, 2, 2])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import torch
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator
from sklearn.utils.validation import validate_data
from torch.utils.data import BatchSampler, DataLoader, Dataset, SubsetRandomSampler

__all__ = ["channels_first"]

_FLOAT32_MAX = float(np.finfo(np.float32).max)


def to_batch(X: np.ndarray, shape: tuple[int, ...]) -> torch.Tensor:
    """Rows of X as a float32 tensor of shape (n, *shape) (the array keeps its dtype until here).

    Image batches ``(n, channels, height, width)`` are stored channels-last,
    the memory layout oneDNN (CPU) and cuDNN (GPU) convolutions prefer; the
    tensor's shape and values are unchanged.
    """
    batch = torch.from_numpy(np.array(X, dtype=np.float32).reshape(len(X), *shape))
    return batch.contiguous(memory_format=torch.channels_last) if batch.ndim == 4 else batch


class ArrayBatches(Dataset):
    """Index with a list of rows; returns a float32 batch (:func:`to_batch`) and int64 targets."""

    def __init__(self, X: np.ndarray, targets: np.ndarray, shape: tuple[int, ...]) -> None:
        self.X, self.targets, self.shape = X, targets, shape

    def __len__(self) -> int:
        return len(self.X)

    def __getitem__(self, rows: list[int]) -> tuple[torch.Tensor, torch.Tensor]:
        return to_batch(self.X[rows], self.shape), torch.as_tensor(
            self.targets[rows], dtype=torch.int64
        )


def array_loader(
    X: np.ndarray,
    targets: np.ndarray,
    indices: Sequence[int],
    shape: tuple[int, ...],
    batch_size: int,
    shuffle_seed: int | None = None,
) -> DataLoader:
    """Batches of ``X[indices]`` reshaped to *shape*, shuffled each epoch when a seed is given.

    Without *shuffle_seed* the rows come in the order of *indices* (for
    evaluation). When shuffling, a last batch of a single sample is dropped:
    it would break the network's BatchNorm layers.
    """
    generator = torch.Generator().manual_seed(shuffle_seed or 0)
    order = indices if shuffle_seed is None else SubsetRandomSampler(indices, generator=generator)
    # A last training batch of one sample breaks BatchNorm layers: drop it.
    drop_last = shuffle_seed is not None and len(indices) % batch_size == 1 and len(indices) > 1
    batches = BatchSampler(order, batch_size, drop_last=drop_last)
    dataset = ArrayBatches(X, targets, shape)
    return DataLoader(dataset, sampler=batches, batch_size=None, num_workers=0, generator=generator)


def validate_samples(
    estimator: BaseEstimator, X: ArrayLike, y: Any = "no_validation", *, reset: bool
) -> Any:
    """scikit-learn's ``validate_data`` for network inputs, then :func:`check_samples`.

    Accepts N-D numeric arrays (images) and returns X, or ``(X, y)`` when
    *y* is given; ``reset=True`` (in ``fit``) records ``n_features_in_`` and
    ``feature_names_in_``, ``reset=False`` (in ``predict``) checks them. An
    array of text says how to encode it as numbers.
    """
    try:
        validated = validate_data(
            estimator,
            X,
            y,
            reset=reset,
            accept_sparse=False,
            allow_nd=True,
            ensure_2d=False,
            dtype="numeric",
            ensure_all_finite=False,
        )
    except ValueError as error:
        text = str(error)
        if "could not convert" in text or "bytes/strings" in text:
            raise ValueError(
                f"X must hold numbers only ({text.strip()}): encode text or categories as "
                f"numbers first, e.g. with sklearn.preprocessing.OneHotEncoder or OrdinalEncoder."
            ) from error
        raise
    check_samples(validated[0] if isinstance(validated, tuple) else validated)
    return validated


def check_samples(X: np.ndarray) -> None:
    """Raise ``ValueError`` unless *X* is ``(n_samples, ...)``, at least 2-D, with finite float32
    values.

    NaN, inf, or (float64) values that would overflow float32 are errors;
    each message says how to fix the data.
    """
    if X.ndim < 2:
        raise ValueError(
            f"Expected a 2-D array (n_samples, n_features) or images (n_samples, *shape), got a "
            f"{X.ndim}-D array of shape {X.shape}. Reshape your data either using "
            f"X.reshape(-1, 1) if it has a single feature or X.reshape(1, -1) if it is a single "
            f"sample."
        )
    if X.dtype.kind != "f" or X.size == 0:
        return
    finite = np.isfinite(X)
    if not finite.all():
        n_nan, n_inf = int(np.isnan(X).sum()), int(np.isinf(X).sum())
        rows = np.flatnonzero(~finite.reshape(len(X), -1).all(axis=1))
        raise ValueError(
            f"Input X contains {n_nan} NaN and {n_inf} inf values (in {len(rows)} of {len(X)} "
            f"samples, "
            f"the first is sample {rows[0]}), but a network needs finite numbers: drop those "
            f"samples "
            f"or fill them in first (e.g. put sklearn.impute.SimpleImputer before the classifier "
            f"in a Pipeline)."
        )
    if X.dtype.itemsize > 4 and np.abs(X).max() > _FLOAT32_MAX:
        raise ValueError(
            f"X holds values up to {np.abs(X).max():.3g}, beyond float32 (the network's "
            f"precision): "
            f"rescale X first, e.g. with sklearn.preprocessing.StandardScaler."
        )


def channels_first(images: ArrayLike) -> np.ndarray:
    """Images ``(n, h, w)`` or ``(n, h, w, c)`` as float32 ``(n, c, h, w)``, what a CNN takes.

    ``TorchClassifier(input_shape=...)`` only *reshapes* each sample, which
    would scramble channels-last colour images: transpose them here first.

    >>> channels_first(np.zeros((2, 32, 32, 3))).shape
    (2, 3, 32, 32)
    """
    images = np.asarray(images)
    if images.ndim == 3:
        return images[:, None].astype(np.float32)
    if images.ndim == 4:
        return np.ascontiguousarray(images.transpose(0, 3, 1, 2), dtype=np.float32)
    raise ValueError(
        f"expected images shaped (n, height, width[, channels]), got shape {images.shape}"
    )
