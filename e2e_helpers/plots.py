"""Every figure of the course.

Each function returns a :class:`matplotlib.figure.Figure` made without pyplot
(no global state, nothing shown twice): a notebook cell ends with the figure
to show it, and :func:`save_png` writes it to a file. No function here calls
``plt.show()``. Inside IPython, :func:`figure` registers a PNG display for
figures, so they show without ``%matplotlib inline`` or pyplot.
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
    "what_each_sees",
    "training_curve",
    "learning_curves",
    "accuracy_at_size",
    "summary_bars",
    "image_keypoints",
    "visual_words",
    "selection_curve",
    "kept_features_map",
    "confusion_pair",
    "error_gallery",
    "per_class_accuracy",
    "feature_embeddings",
    "image_explorer_view",
    "waveforms_and_spectrograms",
    "mfcc_steps_figure",
    "units_figure",
    "vad_figure",
    "ctc_posteriors_figure",
    "noise_curves",
    "speaker_bars",
    "few_shot_curves",
    "attribution_grid",
    "sanity_curves",
    "sanity_maps",
    "linear_explanation",
]


def figure(nrows: int = 1, ncols: int = 1, *, size: tuple[float, float] | None = None, **subplot_kw: Any):
    """A new ``(Figure, axes)`` pair with a constrained layout; *axes* as ``plt.subplots`` gives them."""
    from matplotlib.figure import Figure

    _show_figures_inline()
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


def _show_figures_inline() -> None:
    """In IPython, display a Figure that ends a cell as a PNG (pyplot-free figures have no display)."""
    import sys

    if "IPython" not in sys.modules:
        return
    from IPython import get_ipython
    from matplotlib.figure import Figure

    shell = get_ipython()
    if shell is not None:
        shell.display_formatter.formatters["image/png"].for_type(Figure, lambda fig: to_png(fig))


# ----------------------------------------------------------------- speech (notebook 02)

_DIGIT_COLORS = [f"C{i}" for i in range(10)]


def _spectrogram_db(wave, sample_rate: int, n_fft: int = 256, hop: int = 64):
    """``(freqs, times, dB)`` of a magnitude spectrogram, for pictures only."""
    import numpy as np

    wave = np.asarray(wave, dtype=np.float64)
    if len(wave) < n_fft:
        wave = np.pad(wave, (0, n_fft - len(wave)))
    n = 1 + (len(wave) - n_fft) // hop
    frames = wave[np.arange(n_fft)[None, :] + hop * np.arange(n)[:, None]] * np.hanning(n_fft)
    power = np.abs(np.fft.rfft(frames, axis=1)) ** 2
    db = 10 * np.log10(power + 1e-10)
    return np.fft.rfftfreq(n_fft, 1 / sample_rate), (np.arange(n) * hop + n_fft / 2) / sample_rate, db.T


def _show_spectrogram(ax, wave, sample_rate: int, top_db: float = 70.0):
    freqs, times, db = _spectrogram_db(wave, sample_rate)
    mesh = ax.pcolormesh(times, freqs, db, shading="auto", cmap="magma", vmin=db.max() - top_db, vmax=db.max())
    ax.set_ylabel("frequency (Hz)")
    ax.set_xlabel("time (s)")
    return mesh


def waveforms_and_spectrograms(waves, titles, sample_rate: int = 8000):
    """One column per recording: the waveform above, its spectrogram below."""
    import numpy as np

    if len(waves) != len(titles) or not len(waves):
        raise ValueError(f"need one title per recording, got {len(waves)} recordings and {len(titles)} titles.")
    fig, axes = figure(2, len(waves), size=(3.2 * len(waves), 5.0))
    axes = np.asarray(axes).reshape(2, len(waves))
    for col, (wave, title) in enumerate(zip(waves, titles)):
        t = np.arange(len(wave)) / sample_rate
        axes[0, col].plot(t, wave, lw=0.6)
        axes[0, col].set_title(title, fontsize=10)
        axes[0, col].set_xlabel("time (s)")
        axes[0, col].set_xlim(0, t[-1])
        _show_spectrogram(axes[1, col], wave, sample_rate)
    axes[0, 0].set_ylabel("amplitude")
    return fig


def mfcc_steps_figure(steps, frame_index: int | None = None):
    """Eight panels, one per MFCC step, from an :class:`e2e_helpers.features.MFCCSteps`."""
    import numpy as np

    rate, hop = steps.sample_rate, steps.hop_length
    frame_len = steps.frames.shape[1]
    k = len(steps.frames) // 2 if frame_index is None else frame_index
    fig, axes = figure(2, 4, size=(16, 7))
    ax = axes[0, 0]
    t = np.arange(len(steps.signal)) / rate
    ax.plot(t, steps.signal, lw=0.5, label="signal")
    ax.plot(t, steps.emphasized, lw=0.5, alpha=0.7, label="pre-emphasised")
    ax.set(title="1. pre-emphasis", xlabel="time (s)")
    ax.legend(fontsize=8, loc="upper right")
    ax = axes[0, 1]
    start = k * hop
    zoom = slice(max(0, start - 2 * hop), start + frame_len + 2 * hop)
    ax.plot(np.arange(len(steps.emphasized))[zoom] / rate * 1000, steps.emphasized[zoom], lw=0.8, color="0.4")
    for j, color in zip((k - 1, k, k + 1), ("C1", "C3", "C2")):
        if 0 <= j < len(steps.frames):
            ax.axvspan(j * hop / rate * 1000, (j * hop + frame_len) / rate * 1000, color=color, alpha=0.15)
    ax.set(title=f"2. framing: {frame_len / rate * 1000:.0f} ms frames every {hop / rate * 1000:.0f} ms", xlabel="time (ms)")
    ax = axes[0, 2]
    ax.plot(steps.frames[k], lw=0.8, color="0.6", label=f"frame {k}")
    ax.plot(steps.windowed[k], lw=0.8, color="C3", label="x Hamming window")
    ax.plot(steps.window * np.abs(steps.frames[k]).max(), "k--", lw=0.8, label="window (scaled)")
    ax.set(title="3. window", xlabel="sample in frame")
    ax.legend(fontsize=8, loc="lower right")
    times = np.arange(len(steps.frames)) * hop / rate
    ax = axes[0, 3]
    ax.pcolormesh(times, steps.freqs, 10 * np.log10(steps.power.T + 1e-10), shading="auto", cmap="magma")
    ax.set(title="4. power spectrum |FFT|^2 (dB)", xlabel="time (s)", ylabel="frequency (Hz)")
    ax = axes[1, 0]
    for i, filt in enumerate(steps.filterbank):
        ax.plot(steps.freqs, filt, lw=0.7, color=f"C{i % 10}")
    ax.set(title=f"5. mel filterbank ({len(steps.filterbank)} triangles)", xlabel="frequency (Hz)", ylabel="weight")
    ax = axes[1, 1]
    ax.pcolormesh(times, np.arange(steps.mel_energies.shape[1]), steps.mel_energies.T, shading="auto", cmap="magma")
    ax.set(title="5. mel energies (linear)", xlabel="time (s)", ylabel="mel band")
    ax = axes[1, 2]
    ax.pcolormesh(times, np.arange(steps.log_mel.shape[1]), steps.log_mel.T, shading="auto", cmap="magma")
    ax.set(title="6. log mel energies", xlabel="time (s)", ylabel="mel band")
    ax = axes[1, 3]
    limit = np.abs(steps.mfcc[:, 1:]).max()
    ax.pcolormesh(times, np.arange(steps.mfcc.shape[1]), steps.mfcc.T, shading="auto", cmap="coolwarm", vmin=-limit, vmax=limit)
    ax.set(title=f"7. DCT -> {steps.mfcc.shape[1]} MFCCs (c0, loudness, off scale)", xlabel="time (s)", ylabel="coefficient")
    return fig


def units_figure(wave, units, states, n_units: int, title: str = "", sample_rate: int = 8000, hop_ms: float = 10.0):
    """Spectrogram, the phone-like unit of every frame, and the word-HMM state of every frame."""
    import numpy as np

    fig, axes = figure(3, 1, size=(9, 6.0), sharex=True, height_ratios=[3, 1.2, 1.2])
    _show_spectrogram(axes[0], wave, sample_rate)
    axes[0].set_xlabel("")
    axes[0].set_title(title)
    times = (np.arange(len(units)) * hop_ms + 12.5) / 1000
    axes[1].scatter(times, units, c=units, cmap="tab20", s=12, vmin=0, vmax=n_units)
    axes[1].set(ylabel="unit", ylim=(-1, n_units))
    axes[2].step(times[: len(states)], states, where="mid", color="C3")
    axes[2].set(ylabel="HMM state", xlabel="time (s)", xlim=(0, len(wave) / sample_rate))
    return fig


def vad_figure(wave, energy_db, segments, sample_rate: int = 8000, truth=None, texts=None, hop_ms: float = 10.0, title: str = ""):
    """Waveform with detected word segments (and the true words), and the frame energies."""
    import numpy as np

    fig, axes = figure(2, 1, size=(10, 4.6), sharex=True, height_ratios=[2, 1])
    t = np.arange(len(wave)) / sample_rate
    axes[0].plot(t, wave, lw=0.4, color="0.3")
    for i, (start, end) in enumerate(segments):
        axes[0].axvspan(start / sample_rate, end / sample_rate, color="C2", alpha=0.25, label="detected word" if i == 0 else None)
        if texts is not None and i < len(texts):
            axes[0].text((start + end) / 2 / sample_rate, 0.92, texts[i], transform=axes[0].get_xaxis_transform(),
                         ha="center", fontsize=9, color="C2")
    for i, (start, end) in enumerate(truth or []):
        axes[0].plot([start / sample_rate, end / sample_rate], [-0.05] * 2, transform=axes[0].get_xaxis_transform(),
                     color="C3", lw=4, clip_on=False, label="true word" if i == 0 else None)
    axes[0].set(ylabel="amplitude", title=title)
    axes[0].legend(loc="lower right", fontsize=8)
    axes[1].plot(np.arange(len(energy_db)) * hop_ms / 1000, energy_db, color="C0")
    axes[1].set(ylabel="energy (dB)", xlabel="time (s)", xlim=(0, len(wave) / sample_rate))
    return fig


def ctc_posteriors_figure(wave, log_probs, labels, sample_rate: int = 8000, title: str = "", step_s: float = 0.02):
    """Spectrogram on top; below, each token's probability over time (the blank dashed grey)."""
    import numpy as np

    probs = np.exp(np.asarray(log_probs))
    fig, axes = figure(2, 1, size=(10, 5.5), sharex=True, height_ratios=[1.4, 1])
    _show_spectrogram(axes[0], wave, sample_rate)
    axes[0].set_xlabel("")
    axes[0].set_title(title)
    times = np.arange(len(probs)) * step_s
    axes[1].plot(times, probs[:, 0], "--", color="0.6", lw=1, label="blank")
    for k in range(1, probs.shape[1]):
        if probs[:, k].max() > 0.2:
            peak = probs[:, k].argmax()
            axes[1].plot(times, probs[:, k], color=_DIGIT_COLORS[(k - 1) % 10], lw=1.5, label=labels[k])
            axes[1].text(times[peak], probs[peak, k] + 0.03, labels[k], ha="center", fontsize=9, color=_DIGIT_COLORS[(k - 1) % 10])
    axes[1].set(ylabel="probability", xlabel="time (s)", ylim=(0, 1.12), xlim=(0, len(wave) / sample_rate))
    axes[1].legend(loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=8)
    return fig


def noise_curves(snrs, curves: dict, clean: dict | None = None, ylabel: str = "sentence accuracy", title: str = ""):
    """Accuracy against SNR (dB), one line per system; *clean* values drawn at the right as 'clean'."""

    fig, ax = figure(size=(6.5, 4.0))
    positions = list(range(len(snrs)))
    ticks = [f"{s} dB" for s in snrs]
    if clean:
        positions = [0] + [p + 1 for p in positions]
        ticks = ["clean"] + ticks
    for i, (name, values) in enumerate(curves.items()):
        ys = ([clean[name]] if clean else []) + list(values)
        ax.plot(positions, ys, "o-", color=f"C{i}", label=name)
        for x, y in zip(positions, ys):
            ax.annotate(f"{y:.2f}", (x, y), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=8, color=f"C{i}")
    ax.set_xticks(positions, ticks)
    ax.set(xlabel="signal-to-noise ratio (less is noisier)", ylabel=ylabel, ylim=(-0.05, 1.1), title=title)
    ax.grid(alpha=0.3)
    ax.legend()
    return fig


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


def what_each_sees(images, hog, feature_maps, titles=None, n_maps: int = 4):
    """One row per image: the pixels, their HOG picture, and the CNN's *n_maps* most active feature maps.

    *feature_maps* is ``(n_images, channels, height, width)``, e.g. from
    :func:`e2e_helpers.introspect.feature_maps`; the maps shown are the
    channels with the largest mean response over these images.
    """
    import numpy as np

    images, feature_maps = np.asarray(images), np.asarray(feature_maps)
    if feature_maps.ndim != 4 or len(feature_maps) != len(images):
        raise ValueError(
            f"feature_maps must have shape (n_images, channels, height, width) for the {len(images)} images, "
            f"got {feature_maps.shape}: pass introspect.feature_maps(cnn, images)."
        )
    channels = np.argsort(-feature_maps.mean(axis=(0, 2, 3)), kind="stable")[:n_maps]
    n = len(images)
    fig, axes = figure(n, 2 + len(channels), size=(1.5 * (2 + len(channels)) + 0.4, 1.6 * n + 0.5))
    axes = np.asarray(axes).reshape(n, 2 + len(channels))
    for i, image in enumerate(images):
        axes[i, 0].imshow(image, cmap="gray_r")
        axes[i, 1].imshow(hog.visualize(image)[1], cmap="magma")
        for j, c in enumerate(channels):
            axes[i, 2 + j].imshow(feature_maps[i, c], cmap="viridis")
        axes[i, 0].set_ylabel(str(titles[i]) if titles is not None else "", fontsize=9)
        for ax in axes[i]:
            ax.set_xticks([])
            ax.set_yticks([])
    for ax, name in zip(axes[0], ["pixels", "HOG (designed)"] + [f"CNN map {c} (learned)" for c in channels]):
        ax.set_title(name, fontsize=8)
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


def learning_curves(
    curves,
    *,
    behind: str | None = None,
    ahead: str | None = None,
    marker: float | None = None,
    metric: str | None = None,
    ylabel: str = "test accuracy",
    unit: str = "images",
):
    """Mean test score ± std over seeds against training-set size (log axis).

    With *behind* and *ahead*, the crossover (:func:`e2e_helpers.curves.crossover`)
    is marked with a dashed line; *marker* draws a dotted line at another size
    (the explorer's slider). *metric* picks one of ``curves.metrics`` (default:
    the first); *unit* names what the training set counts.
    """
    import math

    import numpy as np

    from .curves import crossover

    fig, ax = figure(size=(7, 4))
    for name in curves.names:
        ax.errorbar(curves.sizes, curves.mean(name, metric), yerr=curves.std(name, metric), marker="o", capsize=3, label=name)
    if behind is not None and ahead is not None:
        size = crossover(curves.sizes, curves.mean(behind, metric), curves.mean(ahead, metric))
        if math.isfinite(size):
            ax.axvline(size, color="black", linestyle="--", linewidth=1)
            ax.annotate(
                f"crossover ≈ {size:,.0f} {unit}",
                (size, 0.97),
                xycoords=("data", "axes fraction"),
                xytext=(-6, 0),
                textcoords="offset points",
                ha="right",
                va="top",
            )
        elif np.all(curves.mean(ahead, metric) > curves.mean(behind, metric)):
            ax.set_title(f"{ahead} is ahead of {behind} at every size: no crossover", fontsize=10)
        else:
            ax.set_title(f"{ahead} never overtakes {behind} here", fontsize=10)
    if marker is not None:
        ax.axvline(marker, color="grey", linestyle=":", linewidth=1.5)
    ax.set_xscale("log")
    ax.set_xlabel(f"training {unit} (log scale)")
    ax.set_ylabel(ylabel)
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


# -- 04_challenges -------------------------------------------------------------


def speaker_bars(per_speaker: dict, official: dict | None = None, title: str = ""):
    """Accuracy on each held-out speaker, one bar colour per system; dashed lines at *official* (speaker-mixed) accuracy.

    *per_speaker* is ``{system: {speaker: accuracy}}``; *official* ``{system: accuracy}``.
    """
    import numpy as np

    systems = list(per_speaker)
    speakers = list(next(iter(per_speaker.values())))
    fig, ax = figure(size=(9, 3.8))
    width = 0.8 / len(systems)
    x = np.arange(len(speakers) + 1)
    for i, name in enumerate(systems):
        values = [per_speaker[name][s] for s in speakers]
        values.append(float(np.mean(values)))
        bars = ax.bar(x + (i - (len(systems) - 1) / 2) * width, values, width, color=f"C{i}", label=name)
        ax.bar_label(bars, fmt="%.2f", fontsize=7)
        if official and name in official:
            ax.axhline(official[name], color=f"C{i}", linestyle="--", linewidth=1)
    if official:
        ax.plot([], [], color="grey", linestyle="--", label="same system, official split (speakers seen in training)")
    ax.set_xticks(x, [f"{s}\n(held out)" for s in speakers] + ["mean"])
    ax.set(ylabel="accuracy on the unseen speaker", ylim=(0, 1.15), title=title)
    ax.legend(loc="upper left", fontsize=8, ncol=2)
    return fig


def few_shot_curves(scores: dict, title: str = ""):
    """Accuracy on a new speaker against the number of their takes per digit used for adaptation.

    *scores* is ``{speaker: {k: accuracy}}``; the mean over speakers is drawn in black.
    """
    import numpy as np

    fig, ax = figure(size=(6.5, 4))
    ks = sorted(next(iter(scores.values())))
    for i, (speaker, by_k) in enumerate(scores.items()):
        ax.plot(ks, [by_k[k] for k in ks], "o-", color=f"C{i}", alpha=0.6, label=speaker)
    mean = [np.mean([by_k[k] for by_k in scores.values()]) for k in ks]
    ax.plot(ks, mean, "s-", color="black", linewidth=2.5, label="mean")
    for k, m in zip(ks, mean):
        ax.annotate(f"{m:.3f}", (k, m), textcoords="offset points", xytext=(0, -14), ha="center", fontsize=8)
    ax.set_xticks(ks)
    ax.set(xlabel="takes per digit from the new speaker (k)", ylabel="accuracy on their other takes", title=title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, ncol=2)
    return fig


def _overlay(ax, image, heat, title: str | None = None) -> None:
    """*image* in grey with *heat* (absolute values, scaled to its maximum) on top."""
    import numpy as np

    _show_image(ax, image, title)
    heat = np.abs(np.asarray(heat, dtype=float))
    top = heat.max()
    ax.imshow(heat / top if top > 0 else heat, cmap="inferno", alpha=0.6, vmin=0, vmax=1)


def attribution_grid(images, maps: dict, titles=None):
    """One row per image: the image, then each method's map over it (``maps = {method: (n, H, W)}``)."""
    n = len(images)
    fig, axes = _figure_grid(n, len(maps) + 1, size=(1.9 * (len(maps) + 1), 1.9 * n + 0.3))
    for i in range(n):
        _show_image(axes[i][0], images[i], titles[i] if titles is not None else None)
        for j, (method, values) in enumerate(maps.items()):
            _overlay(axes[i][j + 1], images[i], values[i], method.replace("_", " ") if i == 0 else None)
    return fig


def sanity_curves(check, title: str = ""):
    """Rank correlation (and SSIM) of each method's maps with the trained network's, as layers are randomised."""
    import numpy as np

    fig, (left, right) = figure(1, 2, size=(11, 3.8))
    steps = np.arange(len(check.steps))
    for i, method in enumerate(check.rank_correlation):
        verdict = "passes" if check.passes(method) else "FAILS"
        left.plot(steps, check.rank_correlation[method], "o-", color=f"C{i}", label=f"{method.replace('_', ' ')} ({verdict})")
        right.plot(steps, check.ssim[method], "o-", color=f"C{i}")
    left.axhline(check.threshold, color="grey", linestyle="--", linewidth=1)
    left.annotate(f"pass line {check.threshold}", (steps[-1], check.threshold), textcoords="offset points",
                  xytext=(0, 4), ha="right", fontsize=8, color="grey")
    for ax, label in ((left, "Spearman rank correlation with trained maps"), (right, "SSIM with trained maps")):
        ax.set_xticks(steps, ["trained"] + [f"+ {s}" for s in check.steps[1:]], fontsize=8)
        ax.set(xlabel="layers randomised, from the output down (cumulative)", ylabel=label, ylim=(-0.6, 1.05))
        ax.grid(alpha=0.3)
    left.legend(fontsize=8, loc="lower left")
    fig.suptitle(title or "Model-randomisation sanity check (Adebayo et al., 2018)")
    return fig


def sanity_maps(check, images, index: int = 0):
    """For ``images[index]``: each method's map (rows) on the trained network and after each randomisation step (columns)."""
    methods = list(check.maps)
    image = images[index]
    fig, axes = _figure_grid(len(methods), len(check.steps), size=(1.6 * len(check.steps), 1.7 * len(methods) + 0.3))
    for r, method in enumerate(methods):
        for c, step in enumerate(check.steps):
            _overlay(axes[r][c], image, check.maps[method][c][index], step if r == 0 else None)
        axes[r][0].set_ylabel(method.replace("_", " "), fontsize=8)
    return fig


def linear_explanation(names, coefficients, contributions, intercept: float, *, top: int = 10, positive: str = "positive", title: str = ""):
    """Left: the *top* largest coefficients of a linear model; right: one case's largest feature contributions.

    The right panel's bars add up, with the intercept, to the case's log-odds of *positive*.
    """
    import numpy as np

    names = np.asarray(names)
    fig, (left, right) = figure(1, 2, size=(11, 0.32 * top + 1.6))
    for ax, values, label in (
        (left, np.asarray(coefficients, dtype=float), "coefficient (per standard deviation of the feature)"),
        (right, np.asarray(contributions, dtype=float), f"contribution to the log-odds of {positive}"),
    ):
        order = np.argsort(np.abs(values))[::-1][:top][::-1]
        ax.barh(np.arange(len(order)), values[order], color=["C3" if v > 0 else "C0" for v in values[order]])
        ax.set_yticks(np.arange(len(order)), names[order], fontsize=8)
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_xlabel(label, fontsize=9)
    left.set_title("what the model learned (all cases)", fontsize=10)
    score = float(np.sum(contributions) + intercept)
    right.set_title(f"{title}\nlog-odds {score:+.2f} = intercept {intercept:+.2f} + sum of contributions", fontsize=10)
    return fig
