"""Tests for e2e_helpers.learn.batches: arrays as network batches, and channels-first images."""

from __future__ import annotations

from functools import partial

import numpy as np
import pytest
import torch

from e2e_helpers.learn import TorchClassifier, channels_first, models
from e2e_helpers.learn.batches import array_loader, check_samples, to_batch


def test_to_batch_reshapes_rows_into_float32_samples():
    X = np.arange(24, dtype=np.uint8).reshape(2, 12)
    batch = to_batch(X, (3, 4))
    assert batch.dtype == torch.float32 and batch.shape == (2, 3, 4)
    assert torch.equal(batch, torch.arange(24, dtype=torch.float32).reshape(2, 3, 4))
    assert to_batch(X, (12,)).shape == (2, 12)


def test_to_batch_stores_images_channels_last_with_the_same_values():
    X = np.random.default_rng(0).random((5, 3 * 4 * 4))
    batch = to_batch(X, (3, 4, 4))
    assert batch.shape == (5, 3, 4, 4) and batch.is_contiguous(memory_format=torch.channels_last)
    assert torch.equal(batch, torch.as_tensor(X, dtype=torch.float32).reshape(5, 3, 4, 4))


def test_to_batch_rejects_a_shape_of_another_size():
    with pytest.raises(ValueError):
        to_batch(np.zeros((2, 12)), (5,))


def test_array_loader_keeps_the_order_or_shuffles_reproducibly():
    X, targets = np.arange(10, dtype=float)[:, None], np.arange(10) % 2
    in_order = [b[0].ravel().tolist() for b in array_loader(X, targets, [3, 1, 4, 0], (1,), 3)]
    assert in_order == [[3.0, 1.0, 4.0], [0.0]]
    first = [
        b[0].ravel().tolist() for b in array_loader(X, targets, range(10), (1,), 3, shuffle_seed=7)
    ]
    again = [
        b[0].ravel().tolist() for b in array_loader(X, targets, range(10), (1,), 3, shuffle_seed=7)
    ]
    assert first == again and [len(b) for b in first] == [3, 3, 3]  # a last batch of one is dropped
    _, y = next(iter(array_loader(X, targets, range(10), (1,), 4)))
    assert y.dtype == torch.int64


def test_check_samples_explains_what_a_network_cannot_take():
    check_samples(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="Reshape your data"):
        check_samples(np.zeros(3))
    with pytest.raises(ValueError, match="1 NaN and 0 inf"):
        check_samples(np.array([[np.nan, 0.0]]))
    with pytest.raises(ValueError, match="beyond float32"):
        check_samples(np.array([[1e300]]))


def test_channels_first():
    assert channels_first(np.zeros((2, 5, 6), np.uint8)).shape == (2, 1, 5, 6)
    with pytest.raises(ValueError, match="expected images"):
        channels_first(np.zeros(5))


def test_channels_first_colour_images_feed_a_cnn():
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (20, 32, 32, 3), dtype=np.uint8)
    labels = np.arange(20) % 2
    first = channels_first(images)
    assert first.dtype == np.float32 and first.shape == (20, 3, 32, 32)
    assert channels_first(images[:1])[0, 2, 3, 4] == images[0, 3, 4, 2]
    torch.manual_seed(0)
    cnn = TorchClassifier(
        partial(models.small_cnn, channels=(4, 8)),
        input_shape=(3, 32, 32),
        epochs=1,
        progress=False,
    )
    cnn.fit(first, labels)
    assert cnn.predict(channels_first(images)).shape == (20,)
