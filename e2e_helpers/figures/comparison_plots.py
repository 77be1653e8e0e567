"""Figures that compare systems: an ablation's accuracies and stage gains, and where two
classifiers' errors differ.

:func:`ablation_plot` draws an :class:`~e2e_helpers.learn.Ablation`: each
row's test accuracy with its 95% interval, and the paired "with minus
without" gains of the stages with theirs; :func:`confusion_difference` one
classifier's confusion matrix next to the difference of two (in points, on
a colour scale centred on zero); :func:`roc_curves` a classifier's ROC curve on several splits,
with the operating point of a chosen threshold on each.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike
from sklearn.metrics import confusion_matrix, roc_auc_score, roc_curve

from .canvas import figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..learn import Ablation
    from ..learn.intervals import Estimate

__all__ = ["ablation_plot", "confusion_difference", "roc_curves"]


def ablation_plot(
    study: Ablation, gains: Mapping[str, Estimate], *, title: str = "What each stage adds"
) -> Figure:
    """Left: each row's test accuracy (95% interval); right: the *gains* in points.

    *gains* maps a label to its paired difference; the right panel names their confidence.
    """
    fig, (left, right) = figure(
        1,
        2,
        size=(13, 0.5 * max(len(study.rows), len(gains)) + 1.6),
        gridspec_kw={"width_ratios": [1.25, 1]},
    )
    names = list(study.rows)[::-1]
    y = np.arange(len(names))
    tests = [study.rows[name].test for name in names]
    values = np.array([t.value for t in tests])
    left.errorbar(
        values,
        y,
        xerr=[values - [t.low for t in tests], [t.high for t in tests] - values],
        fmt="o",
        color="C0",
        capsize=3,
        label="test accuracy (95% interval)",
    )
    left.plot(
        [study.rows[name].validation for name in names],
        y,
        "x",
        color="C1",
        label="validation accuracy",
    )
    left.set_yticks(y, names, fontsize=9)
    left.set_xlabel("accuracy")
    left.grid(axis="x", alpha=0.3)
    left.legend(fontsize=8, loc="best")  # where it covers the fewest markers
    left.set_title("accuracy of each feature set", fontsize=10)
    labels = list(gains)[::-1]
    g = np.array([100 * gains[label].value for label in labels])
    low = np.array([100 * gains[label].low for label in labels])
    high = np.array([100 * gains[label].high for label in labels])
    yy = np.arange(len(labels))
    colours = ["C2" if lo > 0 else "C3" if hi < 0 else "grey" for lo, hi in zip(low, high)]
    for value, lo, hi, at, colour in zip(g, low, high, yy, colours):
        right.errorbar(
            [value], [at], xerr=[[value - lo], [hi - value]], fmt="o", color=colour, capsize=3
        )
    right.axvline(0, color="black", lw=1)
    right.set_yticks(yy, labels, fontsize=9)
    right.yaxis.tick_right()
    level = f"{next(iter(gains.values())).confidence:.1%}" if gains else "95%"
    right.set_xlabel(f"with minus without (points; paired {level} interval)")
    right.grid(axis="x", alpha=0.3)
    right.set_title("gain of each stage (grey: interval includes 0)", fontsize=10)
    fig.suptitle(title, fontsize=11)
    return fig


def confusion_difference(
    y_true: ArrayLike,
    predictions: Mapping[str, ArrayLike],
    classes: Sequence[str],
    *,
    base: str | None = None,
) -> Figure:
    """The *base* model's row-normalised confusion matrix (%) and the other model's minus it
    (points).

    *predictions* holds two models ``{name: predicted labels}``; *base*
    (default: the first) is drawn on the left. On the right, blue cells are
    where the other model puts *more* of a true class (on the diagonal:
    more right), red where it puts fewer.
    """
    if len(predictions) != 2:
        raise ValueError(
            f"confusion_difference compares two models, got {len(predictions)}: {list(predictions)}"
        )
    base = next(iter(predictions)) if base is None else base
    if base not in predictions:
        raise ValueError(f"base must be one of {list(predictions)}, got {base!r}")
    other = next(name for name in predictions if name != base)
    labels = np.arange(len(classes))
    matrices = {
        name: 100 * confusion_matrix(y_true, predictions[name], labels=labels, normalize="true")
        for name in predictions
    }
    difference = matrices[other] - matrices[base]
    fig, axes = figure(1, 2, size=(14, 6.4))
    limit = max(float(np.abs(difference).max()), 1.0)
    panels = (
        (matrices[base], "Blues", 0, 100, f"{base}: % of each true class", "{:.0f}", 60),
        (
            difference,
            "RdBu",
            -limit,
            limit,
            f"{other} minus {base} (points)",
            "{:+.0f}",
            0.6 * limit,
        ),
    )
    for ax, (matrix, cmap, low, high, title, fmt, dark) in zip(axes, panels):
        image = ax.imshow(matrix, cmap=cmap, vmin=low, vmax=high)
        for (i, j), value in np.ndenumerate(matrix):
            if round(value) != 0:  # no "0" or "-0" labels
                ax.text(
                    j,
                    i,
                    fmt.format(value),
                    ha="center",
                    va="center",
                    fontsize=9,
                    color="white" if abs(value) > dark else "black",
                )
        ax.set_xticks(labels, classes, rotation=45, fontsize=9, ha="right")
        ax.set_yticks(labels, classes, fontsize=9)
        ax.set_xlabel("predicted")
        ax.set_ylabel("true")
        ax.set_title(title, fontsize=11)
        fig.colorbar(image, ax=ax, shrink=0.75)
    return fig


def roc_curves(
    splits: Mapping[str, tuple[ArrayLike, ArrayLike]],
    *,
    threshold: float | None = None,
    title: str = "ROC curves",
) -> Figure:
    """Sensitivity against false-alarm rate (1 - specificity) over every threshold, one curve per
    split.

    *splits* maps a name (``"validation"``) to ``(labels, scores)``: the 0/1 truth and the score of
    the positive class. With *threshold*, each curve marks where that threshold puts it.
    """
    if not splits:
        raise ValueError("roc_curves needs at least one split: {name: (labels, scores)}.")
    fig, ax = figure(size=(5, 4.2))
    for name, (labels, scores) in splits.items():
        labels, scores = np.asarray(labels), np.asarray(scores, dtype=float)
        if labels.shape != scores.shape or len(np.unique(labels)) != 2:
            raise ValueError(
                f"splits[{name!r}] must be (labels, scores) of one length, with both classes; got "
                f"shapes {labels.shape} and {scores.shape}."
            )
        false_alarms, found, _ = roc_curve(labels, scores)
        line = ax.plot(
            false_alarms, found, label=f"{name} (AUC {roc_auc_score(labels, scores):.3f})"
        )
        if threshold is not None:
            said = scores >= threshold
            point = (said[labels == 0].mean(), said[labels == 1].mean())
            ax.plot(*point, "o", color=line[0].get_color())
    ax.plot([0, 1], [0, 1], ":", color="grey", label="chance")
    ax.set(xlabel="false-alarm rate (1 - specificity)", ylabel="sensitivity", title=title)
    if threshold is not None:
        ax.plot([], [], "o", color="black", label=f"threshold {threshold:.3f}")
    ax.legend(loc="lower right", fontsize=8)
    return fig
