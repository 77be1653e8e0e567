"""Curves and bars of results: a training curve, learning curves and their crossover, summaries,
feature selection."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.ticker import MaxNLocator

from ..learn import crossover
from .canvas import figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..learn.intervals import Estimate
    from ..learn.learning_curve import LearningCurves

__all__ = [
    "training_curve",
    "learning_curves",
    "summary_bars",
    "compute_curves",
    "selection_curve",
]


def training_curve(history: Sequence[Mapping[str, float]], title: str = "Training curve") -> Figure:
    """Loss per epoch from ``TorchClassifier.history_`` (and validation accuracy when recorded)."""
    if not history:
        raise ValueError("history is empty: fit the classifier first (TorchClassifier.history_)")
    epochs = [h["epoch"] for h in history]
    fig, ax = figure(size=(6, 3.2))
    ax.plot(epochs, [h["train_loss"] for h in history], "o-", label="training loss")
    if "val_loss" in history[0]:
        ax.plot(epochs, [h["val_loss"] for h in history], "o-", label="validation loss")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("epoch")
    ax.set_ylabel("cross-entropy loss")
    ax.set_title(title)
    if "val_accuracy" in history[0]:
        acc = ax.twinx()
        acc.plot(
            epochs,
            [h["val_accuracy"] for h in history],
            "s--",
            color="tab:green",
            label="validation accuracy",
        )
        acc.set_ylabel("validation accuracy", color="tab:green")
        handles = ax.get_legend_handles_labels()[0] + acc.get_legend_handles_labels()[0]
        acc.legend(handles=handles, loc="center right")  # on the top axes, so no line crosses it
    else:
        ax.legend(loc="upper right")
    return fig


def learning_curves(
    curves: LearningCurves,
    *,
    behind: str | None = None,
    ahead: str | None = None,
    marker: float | None = None,
    metric: str | None = None,
    ylabel: str = "test accuracy",
    unit: str = "images",
    intervals: Mapping[str, Sequence[Estimate]] | None = None,
    crossing: int | None = None,
    confidence: float = 0.95,
    title: str | None = None,
) -> Figure:
    """Mean test score ± std over seeds against training-set size (log axis).

    With *behind* and *ahead*, the crossover (:func:`e2e_helpers.learn.crossover`)
    is marked with a dashed line; *marker* draws a dotted line at another size
    (the explorer's slider). *metric* picks one of ``curves.metrics`` (default:
    the first); *unit* names what the training set counts. With *intervals*
    (name -> one :class:`~e2e_helpers.learn.Estimate` per size, e.g.
    :func:`e2e_helpers.learn.accuracy_intervals`) the bars are those *confidence*
    intervals, and the crossover is *crossing*
    (:func:`e2e_helpers.learn.interval_crossover`, -1 for none), not the mean curves': it is
    shaded between the measured size before it and *crossing*, where it lies.
    A *title* (e.g. :func:`e2e_helpers.learn.leads_sentence`: who is clearly
    ahead where) replaces the one drawn from the crossover, wrapped to the axes.
    """
    fig, ax = figure(size=(7, 4))
    for name in curves.names:
        centre = curves.mean(name, metric)
        spread = curves.std(name, metric)
        if intervals is not None:
            spread = np.array(
                [
                    [m - e.low for m, e in zip(centre, intervals[name])],
                    [e.high - m for m, e in zip(centre, intervals[name])],
                ]
            )
        ax.errorbar(curves.sizes, centre, yerr=spread, marker="o", capsize=3, label=name)
    if intervals is not None:
        level = f"{confidence:.1%}".replace(".0%", "%")
        if crossing is not None and crossing > 0:
            before = max(s for s in curves.sizes if s < crossing)
            ax.axvspan(before, crossing, color="grey", alpha=0.15, label="crossover lies in here")
            ax.set_title(
                f"{ahead} clearly ahead from {crossing:,} {unit} on ({level} intervals)",
                fontsize=10,
            )
        else:
            ax.set_title(
                f"{level} intervals over seeds and test images: no crossover where they separate",
                fontsize=10,
            )
    elif behind is not None and ahead is not None:
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
    if title is not None:
        ax.set_title(title, fontsize=9, wrap=True)
    return fig


def accuracy_at_size(curves: LearningCurves, size: float) -> Figure:
    """The learning curves with a marker at *size*, and a bar per pipeline of its accuracy there."""
    fig, (left, right) = figure(1, 2, size=(10, 3.8), width_ratios=[2, 1])
    for name in curves.names:
        left.errorbar(
            curves.sizes,
            curves.mean(name),
            yerr=curves.std(name),
            marker="o",
            capsize=3,
            label=name,
        )
    left.axvline(size, color="grey", linestyle=":", linewidth=1.5)
    left.set_xscale("log")
    left.set_xlabel("training images (log scale)")
    left.set_ylabel("test accuracy (bars: ± 1 std over seeds)")
    left.legend(loc="lower right")
    values = [curves.at(name, size) for name in curves.names]
    colours = [f"C{i}" for i in range(len(values))]
    bars = right.bar(np.arange(len(values)), values, color=colours)
    right.bar_label(bars, fmt="%.3f")
    right.set_xticks(np.arange(len(values)), curves.names, rotation=15)
    right.set_ylim(0, 1.05)
    right.set_title(f"at {size:,.0f} training images")
    return fig


def summary_bars(
    names: Sequence[str],
    accuracy: Sequence[float],
    train_seconds: Sequence[float],
    predict_seconds: Sequence[float],
) -> Figure:
    """Three bar panels side by side: test accuracy, training time, prediction time."""
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
    axes[0].set_ylim(0, 1.0)  # from zero, so that bar heights compare
    return fig


def compute_curves(
    points: Mapping[str, tuple[Sequence[float], Sequence[Estimate], Sequence[str]]],
    *,
    xlabel: str = "CPU seconds to train (log scale)",
    ylabel: str = "validation accuracy",
    title: str | None = None,
) -> Figure:
    """Accuracy against training cost, one line per family: which is cheaper for an accuracy.

    *points*: name -> ``(costs, estimates, labels)``, one per budget tried (e.g. seconds, their
    :class:`~e2e_helpers.learn.Estimate` with interval, and "2,000 landmarks").
    """
    if not points:
        raise ValueError("points is empty: pass {name: (costs, estimates, labels)}.")
    fig, ax = figure(size=(7, 4))
    for name, (costs, estimates, labels) in points.items():
        if not len(costs) == len(estimates) == len(labels) or not len(costs):
            raise ValueError(f"points[{name!r}] needs as many costs, estimates and labels (>= 1).")
        centre = np.array([e.value for e in estimates])
        spread = np.array(
            [[e.value - e.low for e in estimates], [e.high - e.value for e in estimates]]
        )
        ax.errorbar(costs, centre, yerr=spread, marker="o", capsize=3, label=name)
        for x, y, text in zip(costs, centre, labels):
            ax.annotate(text, (x, y), xytext=(4, -10), textcoords="offset points", fontsize=7)
    ax.set_xscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(loc="lower right")
    if title:
        ax.set_title(title, fontsize=10)
    return fig


def selection_curve(
    ks: Sequence[int],
    accuracies: Sequence[float],
    *,
    total: int | None = None,
    chosen: int | None = None,
    label: str = "test accuracy",
) -> Figure:
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
