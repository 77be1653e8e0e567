"""What an image classifier got right and wrong: confusion matrices, error galleries, per-class
accuracy, embeddings, and one test image for the image explorer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike
from sklearn.metrics import confusion_matrix

from .canvas import figure, figure_grid, show_image, tab10

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "confusion_pair",
    "error_gallery",
    "feature_embeddings",
]


def confusion_pair(
    y_true: ArrayLike, predictions: Mapping[str, ArrayLike], classes: Sequence[str]
) -> Figure:
    """One row-normalised confusion matrix per model (``{name: predicted labels}``), side by
    side."""
    names = list(predictions)
    fig, axes = figure_grid(1, len(names), size=(6.5 * len(names), 6.0))
    labels = np.arange(len(classes))
    for ax, name in zip(axes[0], names):
        matrix = confusion_matrix(y_true, predictions[name], labels=labels, normalize="true")
        ax.imshow(matrix, cmap="Blues", vmin=0, vmax=1)
        for (i, j), value in np.ndenumerate(matrix):
            if value >= 0.01:
                ax.text(
                    j,
                    i,
                    f"{value * 100:.0f}",
                    ha="center",
                    va="center",
                    fontsize=9,
                    color="white" if value > 0.5 else "black",
                )
        accuracy = float(np.mean(np.asarray(predictions[name]) == np.asarray(y_true)))
        ax.set_title(f"{name} (accuracy {accuracy:.3f})", fontsize=10)
        ax.set_xticks(labels, classes, rotation=45, fontsize=9, ha="right")
        ax.set_yticks(labels, classes, fontsize=9)
        ax.set_xlabel("predicted")
        ax.set_ylabel("true")
    return fig


def error_gallery(
    images: Sequence[np.ndarray],
    y_true: ArrayLike,
    predictions: Mapping[str, Sequence[int]],
    classes: Sequence[str],
    n: int = 8,
) -> Figure:
    """For each model, its first *n* mistakes on the test images: ``true -> predicted``."""
    names = list(predictions)
    y_true = np.asarray(y_true)
    fig, axes = figure_grid(len(names), n, size=(1.35 * n, 1.75 * len(names)))
    for row, name in enumerate(names):
        wrong = np.flatnonzero(np.asarray(predictions[name]) != y_true)[:n]
        for col in range(n):
            ax = axes[row][col]
            ax.axis("off")
            if col < len(wrong):
                i = wrong[col]
                show_image(
                    ax, images[i], f"{classes[y_true[i]]}\n-> {classes[predictions[name][i]]}"
                )
        axes[row][0].text(
            -0.15,
            0.5,
            name,
            transform=axes[row][0].transAxes,
            rotation=90,
            va="center",
            ha="right",
            fontsize=9,
        )
    return fig


def per_class_accuracy(
    y_true: ArrayLike, predictions: Mapping[str, ArrayLike], classes: Sequence[str]
) -> Figure:
    """Grouped bars: the accuracy of each model on each class."""
    y_true = np.asarray(y_true)
    fig, ax = figure(size=(9, 3.4))
    width = 0.8 / len(predictions)
    x = np.arange(len(classes))
    for i, (name, predicted) in enumerate(predictions.items()):
        correct = np.asarray(predicted) == y_true
        values = [
            correct[y_true == c].mean() if np.any(y_true == c) else np.nan
            for c in range(len(classes))
        ]
        ax.bar(x + (i - (len(predictions) - 1) / 2) * width, values, width, label=name)
    ax.set_xticks(x, classes, rotation=30, ha="right", fontsize=8)
    ax.set_ylabel("accuracy")
    ax.set_ylim(0, 1.02)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=8, loc="lower left")
    ax.set_title("Per-class accuracy on the test set", fontsize=10)
    return fig


def feature_embeddings(
    embeddings: Mapping[str, ArrayLike],
    labels: ArrayLike,
    classes: Sequence[str],
    *,
    method: str = "t-SNE",
) -> Figure:
    """2-D embeddings (``{name: (n, 2) coordinates}``) side by side, coloured by class."""
    names = list(embeddings)
    fig, axes = figure_grid(1, len(names), size=(5 * len(names) + 1.5, 4.6))
    labels = np.asarray(labels)
    cmap = tab10()
    for ax, name in zip(axes[0], names):
        xy = np.asarray(embeddings[name])
        for c in range(len(classes)):
            mask = labels == c
            ax.scatter(xy[mask, 0], xy[mask, 1], s=4, color=cmap(c % 10), label=classes[c])
        ax.set_title(f"{method} of {name}", fontsize=10)
        ax.set_xticks([])
        ax.set_yticks([])
    axes[0][-1].legend(fontsize=7, markerscale=3, loc="center left", bbox_to_anchor=(1.0, 0.5))
    return fig


def image_explorer_view(
    index: int,
    *,
    images: Sequence[np.ndarray],
    labels: Sequence[int],
    classes: Sequence[str],
    keypoints: Sequence[np.ndarray],
    hog_pictures: Sequence[np.ndarray],
    feature_maps: Sequence[np.ndarray],
    predictions: Mapping[str, Sequence[int]],
    n_maps: int = 8,
) -> Figure:
    """One test image: its keypoints, its HOG picture, the CNN's first feature maps, both
    predictions.

    Every argument but *index* is precomputed for the explorer's images:
    ``keypoints[i]`` a ``(k, 2)`` array, ``hog_pictures[i]`` an image,
    ``feature_maps[i]`` a ``(channels, h, w)`` array, ``predictions[name][i]``
    a class index.
    """
    if not 0 <= index < len(images):
        raise ValueError(f"index must be in [0, {len(images) - 1}], got {index!r}")
    maps = np.asarray(feature_maps[index])[:n_maps]
    fig = figure(size=(11, 3.9))[0]
    fig.clear()
    top = fig.subfigures(2, 1, height_ratios=[1.5, 1])
    axes = top[0].subplots(1, 3)
    truth = classes[labels[index]]
    guesses = ", ".join(
        f"{name}: {classes[p[index]]} {'OK' if p[index] == labels[index] else 'WRONG'}"
        for name, p in predictions.items()
    )
    show_image(axes[0], images[index], f"test image {index}: {truth}")
    points = np.asarray(keypoints[index]).reshape(-1, 2)
    show_image(axes[1], images[index], "interest points (Harris corners + DoG blobs)")
    axes[1].scatter(points[:, 1], points[:, 0], s=16, facecolors="none", edgecolors="#e41a1c")
    picture = np.asarray(hog_pictures[index], dtype=float)
    axes[2].imshow(picture, cmap="gray", vmax=max(float(np.percentile(picture, 99.5)), 1e-12))
    axes[2].set_xticks([])
    axes[2].set_yticks([])
    axes[2].set_title("HOG (gradient histograms)", fontsize=8)
    top[0].suptitle(guesses, fontsize=9)
    bottom = np.atleast_1d(top[1].subplots(1, max(1, len(maps))))
    for c, ax in enumerate(bottom):
        ax.imshow(maps[c], cmap="viridis")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(f"CNN map {c}", fontsize=7)
    return fig
