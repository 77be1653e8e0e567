"""The image figures: example grids, class balance, HOG and keypoint pictures, visual words, errors,
embeddings.

:func:`image_explorer_view` draws one test image for the image explorer
(:func:`e2e_helpers.figures.image_explorer`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.patches import Circle
from numpy.typing import ArrayLike

from ..explain import foreground_channels
from ..vision import hog_picture
from .canvas import figure, figure_grid, show_image

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..vision import HOGFeatures

__all__ = [
    "sample_grid",
    "class_balance",
    "hog_pictures",
    "what_each_sees",
    "filter_tiles",
    "image_steps",
    "image_keypoints",
    "visual_words",
    "kept_features_map",
]


def sample_grid(
    images: ArrayLike,
    labels: ArrayLike,
    classes: Sequence[str],
    *,
    per_class: int = 6,
    seed: int = 0,
) -> Figure:
    """A grid of example images: one row per class, labelled with the class name."""
    images, labels = np.asarray(images), np.asarray(labels)
    if len(images) != len(labels):
        raise ValueError(f"images ({len(images)}) and labels ({len(labels)}) differ in number")
    rng = np.random.default_rng(seed)
    n_classes = len(classes)
    fig, axes = figure(n_classes, per_class, size=(0.9 * per_class + 1.2, 0.9 * n_classes))
    axes = np.asarray(axes).reshape(n_classes, per_class)
    for c in range(n_classes):
        rows = np.flatnonzero(labels == c)
        chosen = (
            rng.choice(rows, size=min(per_class, len(rows)), replace=False) if len(rows) else []
        )
        for j, ax in enumerate(axes[c]):
            ax.set_xticks([])
            ax.set_yticks([])
            if j < len(chosen):
                ax.imshow(images[chosen[j]], cmap="gray")
            if j == 0:
                ax.set_ylabel(classes[c], rotation=0, ha="right", va="center", fontsize=9)
    return fig


def class_balance(
    train_labels: ArrayLike, classes: Sequence[str], test_labels: ArrayLike | None = None
) -> Figure:
    """Bar chart of how many images each class has (training and, if given, test)."""
    n = len(classes)
    fig, ax = figure(size=(7.5, 3.2))
    x = np.arange(n)
    train = np.bincount(np.asarray(train_labels), minlength=n)
    width = 0.4 if test_labels is not None else 0.8
    ax.bar(x - (width / 2 if test_labels is not None else 0), train, width, label="training")
    if test_labels is not None:
        ax.bar(
            x + width / 2, np.bincount(np.asarray(test_labels), minlength=n), width, label="test"
        )
    ax.set_xticks(x, classes, rotation=30, ha="right")
    ax.set_ylabel("images")
    ax.set_title("Images per class")
    ax.legend(loc="lower right")
    return fig


def hog_pictures(
    images: ArrayLike, hog: HOGFeatures, titles: Sequence[str] | None = None
) -> Figure:
    """Each image above its readable HOG picture (:func:`e2e_helpers.vision.hog_picture`): what the
    feature keeps."""
    images = np.asarray(images)
    n = len(images)
    fig, axes = figure(2, n, size=(1.6 * n + 0.6, 3.6))
    axes = np.asarray(axes).reshape(2, n)
    for j, image in enumerate(images):
        axes[0, j].imshow(image, cmap="gray")
        axes[1, j].imshow(hog_picture(hog, image), cmap="gray")
        if titles is not None:
            axes[0, j].set_title(str(titles[j]), fontsize=9)
        for ax in axes[:, j]:
            ax.set_xticks([])
            ax.set_yticks([])
    axes[0, 0].set_ylabel("pixels")
    axes[1, 0].set_ylabel("HOG")
    return fig


def what_each_sees(
    images: ArrayLike,
    hog: HOGFeatures,
    feature_maps: ArrayLike,
    titles: Sequence[str] | None = None,
    n_maps: int = 4,
) -> Figure:
    """One row per image: the pixels, their HOG picture, and *n_maps* of the CNN's feature maps.

    *feature_maps* is ``(n_images, channels, height, width)``, e.g. from
    :func:`e2e_helpers.explain.feature_maps`; the maps shown are those that
    respond most to the garment rather than to the background
    (:func:`e2e_helpers.explain.foreground_channels`). Each map has its own
    colour scale from 0 (no response) to its largest response.
    """
    images, feature_maps = np.asarray(images), np.asarray(feature_maps)
    if feature_maps.ndim != 4 or len(feature_maps) != len(images):
        raise ValueError(
            f"feature_maps must have shape (n_images, channels, height, width) for the "
            f"{len(images)} images, "
            f"got {feature_maps.shape}: pass explain.feature_maps(cnn, images)."
        )
    channels = foreground_channels(feature_maps, images, n_maps)
    n = len(images)
    fig, axes = figure(n, 2 + len(channels), size=(1.5 * (2 + len(channels)) + 0.4, 1.6 * n + 0.5))
    axes = np.asarray(axes).reshape(n, 2 + len(channels))
    for i, image in enumerate(images):
        axes[i, 0].imshow(image, cmap="gray")
        axes[i, 1].imshow(hog_picture(hog, image), cmap="gray")
        for j, c in enumerate(channels):
            axes[i, 2 + j].imshow(feature_maps[i, c], cmap="viridis", vmin=0)
        axes[i, 0].set_ylabel(str(titles[i]) if titles is not None else "", fontsize=9)
        for ax in axes[i]:
            ax.set_xticks([])
            ax.set_yticks([])
    for ax, name in zip(
        axes[0], ["pixels", "HOG (designed)"] + [f"CNN map {c} (learned)" for c in channels]
    ):
        ax.set_title(name, fontsize=8)
    return fig


def image_steps(steps: Mapping[str, ArrayLike], *, title: str | None = None) -> Figure:
    """Named 2-D arrays side by side, each at its own size and grey scale (e.g. an image, its
    convolution, its pooling), each with a colour bar of its values."""
    if not steps:
        raise ValueError(
            "steps is empty: pass {name: 2-D array}, e.g. {'image': x, 'after ReLU': relu}."
        )
    fig, axes = figure(1, len(steps), size=(2.7 * len(steps) + 0.4, 2.6))
    for ax, (name, values) in zip(np.atleast_1d(axes), steps.items()):
        values = np.asarray(values, dtype=float)
        if values.ndim != 2:
            raise ValueError(f"steps[{name!r}] must be a 2-D array, got shape {values.shape}.")
        shown = ax.imshow(values, cmap="gray")
        fig.colorbar(shown, ax=ax, fraction=0.046, pad=0.04).ax.tick_params(labelsize=7)
        ax.set_title(f"{name}\n{values.shape[0]}×{values.shape[1]}", fontsize=8)
        ax.set_xticks([])
        ax.set_yticks([])
    if title:
        fig.suptitle(title, fontsize=10)
    return fig


def filter_tiles(
    filters: ArrayLike, *, ncols: int = 8, title: str = "The CNN's learned first-layer filters"
) -> Figure:
    """Filters ``(n, height, width)`` as tiles on one diverging colour scale centred on 0 (red > 0,
    blue < 0).

    All tiles share the scale, so a faint tile is a weak filter, not an
    auto-contrasted one; the colour bar gives the weights.
    """
    tiles = np.asarray(filters, dtype=float)
    if tiles.ndim != 3 or not len(tiles):
        raise ValueError(
            f"filters must be (n, height, width), got shape {tiles.shape}: pass "
            f"explain.first_filters(cnn)[:, 0]."
        )
    limit = float(np.abs(tiles).max()) or 1.0
    rows, cols = _grid(len(tiles), ncols)
    fig, axes = figure_grid(rows, cols, size=(1.1 * cols + 1.0, 1.2 * rows + 0.5))
    for ax in axes.ravel():
        ax.axis("off")
    for i, (ax, tile) in enumerate(zip(axes.ravel(), tiles)):
        shown = ax.imshow(tile, cmap="RdBu_r", vmin=-limit, vmax=limit)
        ax.set_title(f"filter {i}", fontsize=7)
    fig.colorbar(shown, ax=list(axes.ravel()), shrink=0.8, label="weight")
    fig.suptitle(title, fontsize=10)
    return fig


def _grid(n: int, ncols: int) -> tuple[int, int]:
    """``(rows, columns)`` holding *n* panels at most *ncols* wide."""
    return max(1, -(-n // ncols)), min(n, ncols)


def image_keypoints(
    images: Sequence[np.ndarray],
    points: Mapping[str, Sequence[np.ndarray]],
    titles: Sequence[str] | None = None,
) -> Figure:
    """Each row a detector (``{name: [points of image 0, ...]}``), each column an image, points
    drawn on it: ``(k, 2)`` (row, col) as small rings, ``(k, 3)`` (row, col, sigma) as circles of
    the blob's radius, ``sqrt(2) * sigma``."""
    names = list(points)
    n = len(images)
    if not names or any(len(points[name]) != n for name in names):
        raise ValueError(
            "points must map each detector name to one (k, 2) or (k, 3) array per image"
        )
    fig, axes = figure_grid(len(names), n, size=(1.6 * n, 1.8 * len(names)))
    colours = ["#e41a1c", "#ff7f00", "#4daf4a", "#377eb8"]
    for row, name in enumerate(names):
        for col in range(n):
            ax = axes[row][col]
            show_image(ax, images[col], titles[col] if titles is not None and row == 0 else None)
            found = np.asarray(points[name][col], dtype=float)
            found = found.reshape(-1, found.shape[-1] if found.ndim == 2 else 2)
            if found.shape[1] == 3:
                for r, c, sigma in found:
                    radius = np.sqrt(2) * sigma
                    ax.add_patch(Circle((c, r), radius, fill=False, lw=1.0, ec=colours[row % 4]))
            else:
                ax.scatter(
                    found[:, 1],
                    found[:, 0],
                    s=14,
                    facecolors="none",
                    edgecolors=colours[row % 4],
                    linewidths=1.2,
                )
            if col == 0:
                ax.set_ylabel(f"{name}", fontsize=9)
    return fig


def visual_words(
    word_patches: ArrayLike,
    counts: ArrayLike | None = None,
    n: int = 32,
    ncols: int = 8,
    title: str = "Visual words: the average image patch of each k-means cluster",
    label: str = "word",
) -> Figure:
    """The codebook: the average pixel patch of each visual word (most frequent first when *counts*
    given)."""
    patches = np.asarray(word_patches)
    order = (
        np.argsort(-np.asarray(counts), kind="stable")
        if counts is not None
        else np.arange(len(patches))
    )
    order = order[: min(n, len(patches))]
    rows, cols = _grid(len(order), ncols)
    fig, axes = figure_grid(rows, cols, size=(1.1 * cols, 1.2 * rows + 0.4))
    for ax in axes.ravel():
        ax.axis("off")
    for ax, word in zip(axes.ravel(), order):
        ax.imshow(patches[word], cmap="gray")
        ax.set_title(
            f"{label} {word}" if counts is None else f"w{word}: {np.asarray(counts)[word]:.0%}",
            fontsize=7,
        )
    fig.suptitle(title, fontsize=10)
    return fig


def kept_features_map(
    image: ArrayLike,
    pixel_map: ArrayLike,
    *,
    cell: int = 4,
    title: str = "fraction of HOG features kept per cell",
) -> Figure:
    """An example image next to a map of the fraction of features kept per cell (0 to 1; the overlay
    on the right).

    *pixel_map* holds one fraction per pixel, constant over each cell (as
    :func:`~e2e_helpers.vision.hog_feature_map` with ``reduce="mean"`` gives
    it, for square cells of *cell* pixels); each cell's value is written on it.
    """
    pixel_map = np.asarray(pixel_map, dtype=float)
    if pixel_map.min() < 0 or pixel_map.max() > 1:
        raise ValueError(
            f"pixel_map must hold fractions between 0 and 1, got {pixel_map.min():g} to "
            f"{pixel_map.max():g}"
        )
    fig, axes = figure(1, 3, size=(10.5, 3.6))
    show_image(axes[0], image, "example image")
    top_share = max(float(pixel_map.max()), 1e-6)  # the scale ends at the largest fraction kept
    im = axes[1].imshow(pixel_map, cmap="magma", vmin=0, vmax=top_share)
    for top in range(0, pixel_map.shape[0] - cell + 1, cell):
        for left in range(0, pixel_map.shape[1] - cell + 1, cell):
            value = pixel_map[top, left]
            axes[1].text(
                left + (cell - 1) / 2,
                top + (cell - 1) / 2,
                f"{value:.2f}",
                ha="center",
                va="center",
                fontsize=7,
                color="white" if value < 0.6 * top_share else "black",
            )
    axes[1].set_xticks([])
    axes[1].set_yticks([])
    axes[1].set_title(title, fontsize=9)
    fig.colorbar(im, ax=axes[1], shrink=0.8, label="fraction kept")
    grey = np.asarray(image, dtype=float)
    grey = grey.mean(axis=-1) if grey.ndim == 3 else grey
    axes[2].imshow(grey, cmap="gray")
    axes[2].imshow(pixel_map, cmap="magma", alpha=0.55, vmin=0, vmax=top_share)
    axes[2].set_xticks([])
    axes[2].set_yticks([])
    axes[2].set_title("overlay", fontsize=9)
    return fig
