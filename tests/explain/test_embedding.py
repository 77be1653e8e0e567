"""Tests for e2e_helpers.explain.embedding: 2-D embeddings of feature vectors."""

from __future__ import annotations

import numpy as np
import pytest

from e2e_helpers.explain import embed_2d


def test_embed_2d():
    rng = np.random.default_rng(0)
    features = np.vstack([rng.normal(0, 1, (20, 6)), rng.normal(5, 1, (20, 6))])
    for method in ("pca", "tsne"):
        xy = embed_2d(features, method)
        assert xy.shape == (40, 2)
        assert (
            abs(xy[:20, 0].mean() - xy[20:, 0].mean()) + abs(xy[:20, 1].mean() - xy[20:, 1].mean())
            > 1
        )
    with pytest.raises(ValueError, match="method must be"):
        embed_2d(features, "umap")
