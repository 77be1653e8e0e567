"""2-D embeddings of feature vectors, for a scatter plot of what a model has learned.

:func:`embed_2d` maps features (e.g. a CNN's learned features or HOG
descriptors) to two coordinates with PCA or t-SNE.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from sklearn.decomposition import PCA
from sklearn.manifold import TSNE
from sklearn.preprocessing import StandardScaler

__all__ = ["embed_2d"]


def embed_2d(features: ArrayLike, method: str = "tsne", random_state: int | None = 0) -> np.ndarray:
    """2-D coordinates ``(n, 2)`` of *features* for a scatter plot.

    ``"pca"``: the two main directions of variation (linear, fast).
    ``"tsne"``: standardise, PCA to 50 dimensions, then t-SNE (keeps
    neighbours together; a few seconds for ~2,000 points).
    """
    features = np.asarray(features, dtype=np.float32).reshape(len(features), -1)
    if method not in ("pca", "tsne"):
        raise ValueError(f"method must be 'pca' or 'tsne', got {method!r}")
    scaled = StandardScaler().fit_transform(features)
    if method == "pca":
        return PCA(2, random_state=random_state).fit_transform(scaled)
    reduced = PCA(min(50, *scaled.shape), random_state=random_state).fit_transform(scaled)
    perplexity = min(30.0, (len(features) - 1) / 3)
    return TSNE(2, perplexity=perplexity, init="pca", random_state=random_state).fit_transform(
        reduced
    )
