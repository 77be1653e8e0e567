"""Descriptor blocks computed once and combined: the feature sets of an ablation and of the final
chain.

An ablation compares many combinations of the same descriptors (HOG on two
grids, visual words on a grid or at interest points). :class:`FeatureBlocks`
fits each descriptor once, computes its features for each image set at most
once (a subset of a set already computed is sliced, not recomputed), keeps
the seconds each block's fit and each of its transforms cost (so a pipeline's
training time counts its training images' descriptors once and its test
images' never: :meth:`FeatureBlocks.training_seconds`), and stacks any
combination of blocks side by side, in the order a scikit-learn
``FeatureUnion`` of the same fitted blocks would (:meth:`FeatureBlocks.union`).

>>> import numpy as np
>>> from sklearn.preprocessing import FunctionTransformer
>>> sets = {"train": np.arange(6.0)[:, None], "test": np.ones((2, 1))}
>>> blocks = FeatureBlocks(sets, subsets={"few": ("train", [0, 2])})
>>> blocks = blocks.add("x", FunctionTransformer(), fit_on="train")
>>> blocks = blocks.add("2x", FunctionTransformer(lambda v: 2 * v), fit_on="few")
>>> blocks.features(["x", "2x"], "few").tolist()
[[0.0, 0.0], [2.0, 4.0]]
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import TransformerMixin
from sklearn.pipeline import FeatureUnion

__all__ = ["FeatureBlocks"]


class FeatureBlocks:
    """Named, fitted descriptor blocks and their features on named image sets (computed once
    each)."""

    def __init__(
        self,
        images: Mapping[str, ArrayLike],
        *,
        subsets: Mapping[str, tuple[str, ArrayLike]] | None = None,
    ) -> None:
        self.images = {name: np.asarray(value) for name, value in images.items()}
        self.subsets = {
            name: (parent, np.asarray(rows)) for name, (parent, rows) in (subsets or {}).items()
        }
        for name, (parent, _) in self.subsets.items():
            if parent not in self.images:
                raise ValueError(
                    f"subset {name!r} is taken from {parent!r}, which is not one of the image sets "
                    f"{list(self.images)}."
                )
        self.blocks: dict[str, TransformerMixin] = {}
        self.seconds: dict[str, float] = {}  # each block's fit
        self.transform_seconds: dict[tuple[str, str], float] = {}  # (block, image set)
        self._cache: dict[tuple[str, str], np.ndarray] = {}

    def add(self, name: str, transformer: TransformerMixin, *, fit_on: str) -> FeatureBlocks:
        """Fit *transformer* on the image set *fit_on* and keep it as block *name* (returns self, to
        chain)."""
        if name in self.blocks:
            raise ValueError(f"there is already a block named {name!r}.")
        start = time.perf_counter()
        transformer.fit(self._images(fit_on))
        self.blocks[name], self.seconds[name] = transformer, time.perf_counter() - start
        return self

    def features(self, names: Sequence[str], split: str) -> np.ndarray:
        """The features of blocks *names* on image set *split*, side by side
        ``(n_images, total features)``."""
        if isinstance(names, str) or not names:
            raise ValueError(f"names must be a non-empty list of block names, got {names!r}.")
        return np.hstack([self._block(name, split) for name in names])

    def training_seconds(self, names: Sequence[str], split: str) -> float:
        """What blocks *names* cost a pipeline trained on image set *split*: each block's fit and
        its features of *split* (computed now if not yet; a slice of a computed set costs its
        share of that set's time), never those of other sets."""
        self.features(names, split)
        return sum(self.seconds[name] + self._transform_cost(name, split) for name in names)

    def _transform_cost(self, name: str, split: str) -> float:
        if (name, split) in self.transform_seconds:
            return self.transform_seconds[name, split]
        parent, rows = self.subsets[split]
        return self.transform_seconds[name, parent] * len(rows) / len(self.images[parent])

    def union(self, names: Sequence[str]) -> FeatureUnion:
        """A scikit-learn ``FeatureUnion`` of the fitted blocks *names*: the same columns as
        :meth:`features`."""
        return FeatureUnion([(name.replace("__", "_"), self._fitted(name)) for name in names])

    def _fitted(self, name: str) -> TransformerMixin:
        if name not in self.blocks:
            raise KeyError(f"no block named {name!r}; the blocks are {list(self.blocks)}.")
        return self.blocks[name]

    def _images(self, split: str) -> np.ndarray:
        if split in self.images:
            return self.images[split]
        if split in self.subsets:
            parent, rows = self.subsets[split]
            return self.images[parent][rows]
        raise KeyError(
            f"no image set named {split!r}; the sets are {list(self.images) + list(self.subsets)}."
        )

    def _block(self, name: str, split: str) -> np.ndarray:
        transformer = self._fitted(name)
        if (name, split) not in self._cache:
            parent = self.subsets.get(split, (None, None))[0]
            if (name, parent) in self._cache:
                self._cache[name, split] = self._cache[name, parent][self.subsets[split][1]]
            else:
                start = time.perf_counter()
                self._cache[name, split] = np.asarray(transformer.transform(self._images(split)))
                self.transform_seconds[name, split] = time.perf_counter() - start
        return self._cache[name, split]
