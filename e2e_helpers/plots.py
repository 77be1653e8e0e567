"""Every figure of the course.

Each function returns a :class:`matplotlib.figure.Figure` made without pyplot
(no global state, nothing shown twice): a notebook cell ends with the figure
to show it, and :func:`save_png` writes it to a file. No function here calls
``plt.show()``.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

__all__ = [
    "figure",
    "to_png",
    "save_png",
    "image_keypoints",
    "visual_words",
    "selection_curve",
    "kept_features_map",
    "confusion_pair",
    "error_gallery",
    "per_class_accuracy",
    "feature_embeddings",
    "epoch_history",
    "image_explorer_view",
]


def figure(nrows: int = 1, ncols: int = 1, *, size: tuple[float, float] | None = None, **subplot_kw: Any):
    """A new ``(Figure, axes)`` pair with a constrained layout; *axes* as ``plt.subplots`` gives them."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=size or (4.0 * ncols, 3.2 * nrows), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=True, **subplot_kw)
    return fig, axes


def to_png(fig, dpi: int = 100) -> bytes:
    """The figure as PNG bytes (for widgets' static fallbacks and tests)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def save_png(fig, path: Path | str, dpi: int = 100) -> Path:
    """Write the figure to *path* as PNG and return the path."""
    path = Path(path)
    path.write_bytes(to_png(fig, dpi))
    return path


# ----------------------------------------------------------------- 03_image_classification


def _show_image(ax, image, title: str | None = None) -> None:
    """An image on *ax*: grey with the grey colour map, colour as RGB; no ticks."""
    import numpy as np

    image = np.asarray(image)
    if image.ndim == 3 and image.shape[-1] == 3:
        ax.imshow(image if image.dtype == np.uint8 else np.clip(image, 0, 1))
    else:
        ax.imshow(image, cmap="gray")
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title, fontsize=8)


def _figure_grid(nrows: int, ncols: int, *, size: tuple[float, float]):
    """:func:`figure` whose axes are always a 2-D array ``[row][col]``."""
    import numpy as np

    fig, axes = figure(nrows, ncols, size=size)
    return fig, np.asarray(axes, dtype=object).reshape(nrows, ncols)


def _grid(n: int, ncols: int):
    return max(1, -(-n // ncols)), min(n, ncols)


def image_keypoints(images, points: dict[str, list], titles=None):
    """Each row a detector (``{name: [points of image 0, ...]}``), each column an image, points drawn on it."""
    import numpy as np

    names = list(points)
    n = len(images)
    if not names or any(len(points[name]) != n for name in names):
        raise ValueError("points must map each detector name to one (k, 2) array per image")
    fig, axes = _figure_grid(len(names), n, size=(1.6 * n, 1.8 * len(names)))
    colours = ["#e41a1c", "#ff7f00", "#4daf4a", "#377eb8"]
    for row, name in enumerate(names):
        for col in range(n):
            ax = axes[row][col]
            _show_image(ax, images[col], titles[col] if titles is not None and row == 0 else None)
            found = np.asarray(points[name][col]).reshape(-1, 2)
            ax.scatter(found[:, 1], found[:, 0], s=14, facecolors="none", edgecolors=colours[row % 4], linewidths=1.2)
            if col == 0:
                ax.set_ylabel(f"{name}", fontsize=9)
    return fig


def visual_words(
    word_patches,
    counts=None,
    n: int = 32,
    ncols: int = 8,
    title: str = "Visual words: the average image patch of each k-means cluster",
    label: str = "word",
):
    """The codebook: the average pixel patch of each visual word (most frequent first when *counts* given)."""
    import numpy as np

    patches = np.asarray(word_patches)
    order = np.argsort(-np.asarray(counts), kind="stable") if counts is not None else np.arange(len(patches))
    order = order[: min(n, len(patches))]
    rows, cols = _grid(len(order), ncols)
    fig, axes = _figure_grid(rows, cols, size=(1.1 * cols, 1.2 * rows + 0.4))
    for ax in axes.ravel():
        ax.axis("off")
    for ax, word in zip(axes.ravel(), order):
        ax.imshow(patches[word], cmap="gray")
        ax.set_title(f"{label} {word}" if counts is None else f"w{word}: {np.asarray(counts)[word]:.0%}", fontsize=7)
    fig.suptitle(title, fontsize=10)
    return fig


def selection_curve(ks, accuracies, *, total: int | None = None, chosen: int | None = None, label: str = "test accuracy"):
    """Accuracy against the number of kept features (log x axis); *chosen* marked."""
    fig, ax = figure(size=(6, 3.4))
    ax.plot(ks, accuracies, "o-", label=label)
    if chosen is not None:
        ax.axvline(chosen, color="grey", ls="--", lw=1, label=f"kept: {chosen}")
    ax.set_xscale("log")
    ax.set_xlabel("number of kept features" + (f" (of {total})" if total else ""))
    ax.set_ylabel("accuracy")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    ax.set_title("Feature selection (ANOVA F-test): how many features are needed?", fontsize=10)
    return fig


def kept_features_map(image, pixel_map, *, title: str = "kept HOG features per cell"):
    """An example image next to a heat map of kept features over the image grid (and the overlay)."""
    import numpy as np

    fig, axes = figure(1, 3, size=(9, 3.2))
    _show_image(axes[0], image, "example image")
    im = axes[1].imshow(pixel_map, cmap="magma")
    axes[1].set_xticks([])
    axes[1].set_yticks([])
    axes[1].set_title(title, fontsize=9)
    fig.colorbar(im, ax=axes[1], shrink=0.8)
    grey = np.asarray(image, dtype=float)
    grey = grey.mean(axis=-1) if grey.ndim == 3 else grey
    axes[2].imshow(grey, cmap="gray")
    axes[2].imshow(pixel_map, cmap="magma", alpha=0.55)
    axes[2].set_xticks([])
    axes[2].set_yticks([])
    axes[2].set_title("overlay", fontsize=9)
    return fig


def confusion_pair(y_true, predictions: dict, classes):
    """One row-normalised confusion matrix per model (``{name: predicted labels}``), side by side."""
    import numpy as np
    from sklearn.metrics import confusion_matrix

    names = list(predictions)
    fig, axes = _figure_grid(1, len(names), size=(5.2 * len(names), 4.8))
    labels = np.arange(len(classes))
    for ax, name in zip(axes[0], names):
        matrix = confusion_matrix(y_true, predictions[name], labels=labels, normalize="true")
        ax.imshow(matrix, cmap="Blues", vmin=0, vmax=1)
        for (i, j), value in np.ndenumerate(matrix):
            if value >= 0.01:
                ax.text(j, i, f"{value * 100:.0f}", ha="center", va="center", fontsize=6,
                        color="white" if value > 0.5 else "black")
        accuracy = float(np.mean(np.asarray(predictions[name]) == np.asarray(y_true)))
        ax.set_title(f"{name} (accuracy {accuracy:.3f})", fontsize=10)
        ax.set_xticks(labels, classes, rotation=60, fontsize=7, ha="right")
        ax.set_yticks(labels, classes, fontsize=7)
        ax.set_xlabel("predicted")
        ax.set_ylabel("true")
    return fig


def error_gallery(images, y_true, predictions: dict, classes, n: int = 8):
    """For each model, its first *n* mistakes on the test images: ``true -> predicted``."""
    import numpy as np

    names = list(predictions)
    y_true = np.asarray(y_true)
    fig, axes = _figure_grid(len(names), n, size=(1.35 * n, 1.75 * len(names)))
    for row, name in enumerate(names):
        wrong = np.flatnonzero(np.asarray(predictions[name]) != y_true)[:n]
        for col in range(n):
            ax = axes[row][col]
            ax.axis("off")
            if col < len(wrong):
                i = wrong[col]
                _show_image(ax, images[i], f"{classes[y_true[i]]}\n-> {classes[predictions[name][i]]}")
        axes[row][0].text(-0.15, 0.5, name, transform=axes[row][0].transAxes, rotation=90, va="center", ha="right", fontsize=9)
    return fig


def per_class_accuracy(y_true, predictions: dict, classes):
    """Grouped bars: the accuracy of each model on each class."""
    import numpy as np

    y_true = np.asarray(y_true)
    fig, ax = figure(size=(9, 3.4))
    width = 0.8 / len(predictions)
    x = np.arange(len(classes))
    for i, (name, predicted) in enumerate(predictions.items()):
        correct = np.asarray(predicted) == y_true
        values = [correct[y_true == c].mean() if np.any(y_true == c) else np.nan for c in range(len(classes))]
        ax.bar(x + (i - (len(predictions) - 1) / 2) * width, values, width, label=name)
    ax.set_xticks(x, classes, rotation=30, ha="right", fontsize=8)
    ax.set_ylabel("accuracy")
    ax.set_ylim(0, 1.02)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=8, loc="lower left")
    ax.set_title("Per-class accuracy on the test set", fontsize=10)
    return fig


def feature_embeddings(embeddings: dict, labels, classes, *, method: str = "t-SNE"):
    """2-D embeddings (``{name: (n, 2) coordinates}``) side by side, coloured by class."""
    import numpy as np

    names = list(embeddings)
    fig, axes = _figure_grid(1, len(names), size=(5 * len(names) + 1.5, 4.6))
    labels = np.asarray(labels)
    cmap = _tab10()
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


def _tab10():
    from matplotlib import colormaps

    return colormaps["tab10"]


def epoch_history(history, *, title: str = "CNN training"):
    """Training loss (and validation accuracy when recorded) per epoch, from ``TorchClassifier.history_``."""
    epochs = [h["epoch"] for h in history]
    fig, ax = figure(size=(6, 3.2))
    ax.plot(epochs, [h["train_loss"] for h in history], "o-", label="training loss")
    ax.set_xlabel("epoch")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_ylabel("cross-entropy loss")
    ax.grid(alpha=0.3)
    if history and "val_accuracy" in history[0]:
        ax.plot(epochs, [h["val_loss"] for h in history], "s-", label="validation loss")
        twin = ax.twinx()
        twin.plot(epochs, [h["val_accuracy"] for h in history], "^-", color="tab:green", label="validation accuracy")
        twin.set_ylabel("validation accuracy")
        twin.legend(fontsize=8, loc="center right")
    ax.legend(fontsize=8, loc="upper right")
    ax.set_title(title, fontsize=10)
    return fig


def image_explorer_view(
    index: int,
    *,
    images,
    labels,
    classes,
    keypoints,
    hog_pictures,
    feature_maps,
    predictions: dict,
    n_maps: int = 8,
):
    """One test image: its keypoints, its HOG picture, the CNN's first feature maps, both predictions.

    Every argument but *index* is precomputed for the explorer's images:
    ``keypoints[i]`` a ``(k, 2)`` array, ``hog_pictures[i]`` an image,
    ``feature_maps[i]`` a ``(channels, h, w)`` array, ``predictions[name][i]``
    a class index.
    """
    import numpy as np

    if not 0 <= index < len(images):
        raise ValueError(f"index must be in [0, {len(images) - 1}], got {index!r}")
    maps = np.asarray(feature_maps[index])[:n_maps]
    fig = figure(size=(11, 3.9))[0]
    fig.clear()
    top = fig.subfigures(2, 1, height_ratios=[1.5, 1])
    axes = top[0].subplots(1, 3)
    truth = classes[labels[index]]
    guesses = ", ".join(
        f"{name}: {classes[p[index]]} {'OK' if p[index] == labels[index] else 'WRONG'}" for name, p in predictions.items()
    )
    _show_image(axes[0], images[index], f"test image {index}: {truth}")
    points = np.asarray(keypoints[index]).reshape(-1, 2)
    _show_image(axes[1], images[index], "interest points (Harris + ORB)")
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
