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
    "sample_grid",
    "class_balance",
    "hog_pictures",
    "training_curve",
    "learning_curves",
    "accuracy_at_size",
    "summary_bars",
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


# -- 01_intuition ------------------------------------------------------------


def sample_grid(images, labels, classes, *, per_class: int = 6, seed: int = 0):
    """A grid of example images: one row per class, labelled with the class name."""
    import numpy as np

    images, labels = np.asarray(images), np.asarray(labels)
    if len(images) != len(labels):
        raise ValueError(f"images ({len(images)}) and labels ({len(labels)}) differ in number")
    rng = np.random.default_rng(seed)
    n_classes = len(classes)
    fig, axes = figure(n_classes, per_class, size=(0.9 * per_class + 1.2, 0.9 * n_classes))
    axes = np.asarray(axes).reshape(n_classes, per_class)
    for c in range(n_classes):
        rows = np.flatnonzero(labels == c)
        chosen = rng.choice(rows, size=min(per_class, len(rows)), replace=False) if len(rows) else []
        for j, ax in enumerate(axes[c]):
            ax.set_xticks([])
            ax.set_yticks([])
            if j < len(chosen):
                ax.imshow(images[chosen[j]], cmap="gray_r")
            if j == 0:
                ax.set_ylabel(classes[c], rotation=0, ha="right", va="center", fontsize=9)
    return fig


def class_balance(train_labels, classes, test_labels=None):
    """Bar chart of how many images each class has (training and, if given, test)."""
    import numpy as np

    n = len(classes)
    fig, ax = figure(size=(7.5, 3.2))
    x = np.arange(n)
    train = np.bincount(np.asarray(train_labels), minlength=n)
    width = 0.4 if test_labels is not None else 0.8
    ax.bar(x - (width / 2 if test_labels is not None else 0), train, width, label="training")
    if test_labels is not None:
        ax.bar(x + width / 2, np.bincount(np.asarray(test_labels), minlength=n), width, label="test")
    ax.set_xticks(x, classes, rotation=30, ha="right")
    ax.set_ylabel("images")
    ax.set_title("Images per class")
    ax.legend(loc="lower right")
    return fig


def hog_pictures(images, hog, titles=None):
    """Each image above its HOG picture (``hog.visualize``): what the hand-crafted feature keeps."""
    import numpy as np

    images = np.asarray(images)
    n = len(images)
    fig, axes = figure(2, n, size=(1.6 * n + 0.6, 3.6))
    axes = np.asarray(axes).reshape(2, n)
    for j, image in enumerate(images):
        _, picture = hog.visualize(image)
        axes[0, j].imshow(image, cmap="gray_r")
        axes[1, j].imshow(picture, cmap="magma")
        if titles is not None:
            axes[0, j].set_title(str(titles[j]), fontsize=9)
        for ax in axes[:, j]:
            ax.set_xticks([])
            ax.set_yticks([])
    axes[0, 0].set_ylabel("pixels")
    axes[1, 0].set_ylabel("HOG")
    return fig


def training_curve(history, title: str = "Training curve"):
    """Loss per epoch from ``TorchClassifier.history_`` (and validation accuracy when recorded)."""
    if not history:
        raise ValueError("history is empty: fit the classifier first (TorchClassifier.history_)")
    epochs = [h["epoch"] for h in history]
    fig, ax = figure(size=(6, 3.2))
    ax.plot(epochs, [h["train_loss"] for h in history], "o-", label="training loss")
    if "val_loss" in history[0]:
        ax.plot(epochs, [h["val_loss"] for h in history], "o-", label="validation loss")
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("epoch")
    ax.set_ylabel("cross-entropy loss")
    ax.set_title(title)
    if "val_accuracy" in history[0]:
        acc = ax.twinx()
        acc.plot(epochs, [h["val_accuracy"] for h in history], "s--", color="tab:green", label="validation accuracy")
        acc.set_ylabel("validation accuracy", color="tab:green")
        acc.legend(loc="center right")
    ax.legend(loc="upper right")
    return fig


def learning_curves(curves, *, behind: str | None = None, ahead: str | None = None, marker: float | None = None):
    """Mean test accuracy ± std over seeds against training-set size (log axis).

    With *behind* and *ahead*, the crossover (:meth:`LearningCurves.crossover`)
    is marked with a dashed line; *marker* draws a dotted line at another size
    (the explorer's slider).
    """
    import math

    fig, ax = figure(size=(7, 4))
    for name in curves.names:
        ax.errorbar(curves.sizes, curves.mean(name), yerr=curves.std(name), marker="o", capsize=3, label=name)
    if behind is not None and ahead is not None:
        size = curves.crossover(behind, ahead)
        if math.isfinite(size):
            ax.axvline(size, color="black", linestyle="--", linewidth=1)
            ax.annotate(
                f"crossover ≈ {size:,.0f} images",
                (size, 0.97),
                xycoords=("data", "axes fraction"),
                xytext=(-6, 0),
                textcoords="offset points",
                ha="right",
                va="top",
            )
        else:
            ax.set_title(f"{ahead} never overtakes {behind} here", fontsize=10)
    if marker is not None:
        ax.axvline(marker, color="grey", linestyle=":", linewidth=1.5)
    ax.set_xscale("log")
    ax.set_xlabel("training images (log scale)")
    ax.set_ylabel("test accuracy")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(loc="lower right")
    return fig


def accuracy_at_size(curves, size: float):
    """The learning curves with a marker at *size*, and a bar per pipeline of its accuracy there."""
    import numpy as np

    fig, (left, right) = figure(1, 2, size=(10, 3.8), width_ratios=[2, 1])
    for name in curves.names:
        left.errorbar(curves.sizes, curves.mean(name), yerr=curves.std(name), marker="o", capsize=3, label=name)
    left.axvline(size, color="grey", linestyle=":", linewidth=1.5)
    left.set_xscale("log")
    left.set_xlabel("training images (log scale)")
    left.set_ylabel("test accuracy")
    left.legend(loc="lower right")
    values = [curves.at(name, size) for name in curves.names]
    colours = [f"C{i}" for i in range(len(values))]
    bars = right.bar(np.arange(len(values)), values, color=colours)
    right.bar_label(bars, fmt="%.3f")
    right.set_xticks(np.arange(len(values)), curves.names, rotation=15)
    right.set_ylim(0, 1.05)
    right.set_title(f"at {size:,.0f} training images")
    return fig


def summary_bars(names, accuracy, train_seconds, predict_seconds):
    """Three bar panels side by side: test accuracy, training time, prediction time."""
    import numpy as np

    fig, axes = figure(1, 3, size=(11, 3.2))
    x = np.arange(len(names))
    colours = [f"C{i}" for i in range(len(names))]
    for ax, values, title, fmt in zip(
        axes,
        (accuracy, train_seconds, predict_seconds),
        ("test accuracy", "training time (s)", "prediction time, test set (s)"),
        ("%.3f", "%.1f", "%.2f"),
    ):
        bars = ax.bar(x, values, color=colours)
        ax.bar_label(bars, fmt=fmt)
        ax.set_xticks(x, names)
        ax.set_title(title)
        ax.margins(y=0.15)
    axes[0].set_ylim(min(accuracy) - 0.1, 1.0)
    return fig
