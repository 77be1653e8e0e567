"""Descriptor blocks: fitted once, each image set computed once, subsets sliced, combinations
stacked."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import BaseEstimator, TransformerMixin

from e2e_helpers import vision


class _Counting(TransformerMixin, BaseEstimator):
    """Multiplies by *factor*; counts the rows it transformed."""

    def __init__(self, factor: float = 1.0) -> None:
        self.factor = factor

    def fit(self, X, y=None):
        self.fitted_on_, self.rows_ = len(X), 0
        return self

    def transform(self, X):
        self.rows_ += len(X)
        return np.asarray(X, float).reshape(len(X), -1)[:, :2] * self.factor


def test_blocks_are_computed_once_and_sliced_for_subsets():
    train, test = np.arange(40.0).reshape(10, 4), np.ones((3, 4))
    blocks = vision.FeatureBlocks(
        {"train": train, "test": test}, subsets={"few": ("train", [1, 3])}
    )
    blocks.add("a", _Counting(), fit_on="train").add("b", _Counting(10.0), fit_on="few")
    assert blocks.blocks["a"].fitted_on_ == 10 and blocks.blocks["b"].fitted_on_ == 2
    blocks.features(["a"], "train")
    few = blocks.features(["a", "b"], "few")
    assert few.shape == (2, 4)
    np.testing.assert_allclose(few[:, :2], train[[1, 3], :2])
    np.testing.assert_allclose(few[:, 2:], 10 * train[[1, 3], :2])
    assert blocks.blocks["a"].rows_ == 10, "the subset of a computed set is sliced, not recomputed"
    assert blocks.blocks["b"].rows_ == 2, (
        "a block without the parent set transforms only the subset"
    )
    blocks.features(["b"], "few")
    assert blocks.blocks["b"].rows_ == 2, "computed once"
    assert set(blocks.seconds) == {"a", "b"} and all(s >= 0 for s in blocks.seconds.values())
    blocks.transform_seconds["a", "train"] = 5.0  # say the training images took 5 s
    blocks.transform_seconds["a", "test"] = 99.0  # and the test images (never training time)
    fit = blocks.seconds["a"]
    assert blocks.training_seconds(["a"], "train") == fit + 5.0
    assert blocks.training_seconds(["a"], "few") == fit + 5.0 * 2 / 10, "a slice: its share"
    union = blocks.union(["a", "b"])
    np.testing.assert_allclose(union.transform(test), blocks.features(["a", "b"], "test"))


def test_hog_blocks_match_the_pipeline(squares_and_discs):
    images, _ = squares_and_discs(12)
    blocks = vision.FeatureBlocks({"train": images[:8], "test": images[8:]})
    blocks.add("hog4", vision.HOGFeatures(), fit_on="train").add(
        "hog7", vision.HOGFeatures(pixels_per_cell=(7, 7)), fit_on="train"
    )
    pipeline = vision.traditional_pipeline(n_words=0, hog_cells=(4, 7))[0].fit(images[:8])
    np.testing.assert_allclose(
        blocks.features(["hog4", "hog7"], "test"), pipeline.transform(images[8:])
    )


def test_bad_names_are_refused():
    blocks = vision.FeatureBlocks({"train": np.zeros((4, 2))})
    blocks.add("a", _Counting(), fit_on="train")
    with pytest.raises(ValueError, match="already a block named 'a'"):
        blocks.add("a", _Counting(), fit_on="train")
    with pytest.raises(KeyError, match="no image set named 'test'"):
        blocks.features(["a"], "test")
    with pytest.raises(KeyError, match="no block named 'b'"):
        blocks.features(["b"], "train")
    with pytest.raises(ValueError, match="non-empty list of block names"):
        blocks.features("a", "train")
    with pytest.raises(ValueError, match="taken from 'nope'"):
        vision.FeatureBlocks({"train": np.zeros((4, 2))}, subsets={"few": ("nope", [0])})
