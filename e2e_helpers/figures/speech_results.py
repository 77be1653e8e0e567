"""The speech results: accuracy against noise, per speaker, and while adapting to a new voice."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.axes import Axes

from ..learn.intervals import Estimate
from ..speech import SpeakerScores
from .canvas import figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "noise_curves",
    "speaker_bars",
    "adaptation_curves",
]


def noise_curves(
    snrs: Sequence[float],
    curves: Mapping[str, Sequence[Estimate]],
    ylabel: str = "sentence accuracy",
    title: str = "",
    label_values: bool = True,
) -> Figure:
    """Accuracy against the measured SNR (dB; a numeric axis, the noisiest on the right), one
    line per system, each point's 95% interval as a bar.

    *snrs*: the conditions' real SNRs; *curves*: per system, one
    :class:`~e2e_helpers.learn.Estimate` per condition. With *label_values*
    each point is labelled with its value, the higher above and the lower below.
    """
    fig, ax = figure(size=(7.0, 4.2))
    labels: dict[float, list[tuple[float, str]]] = {x: [] for x in snrs}
    styles = ["o-", "s--", "o:", "s-.", "^-", "v--"]
    for i, (name, estimates) in enumerate(curves.items()):
        if len(estimates) != len(snrs):
            raise ValueError(
                f"curves[{name!r}] has {len(estimates)} estimates for {len(snrs)} SNRs: pass one "
                f"per condition."
            )
        ys = np.array([e.value for e in estimates])
        bars = np.array(
            [[e.value - e.low for e in estimates], [e.high - e.value for e in estimates]]
        )
        ax.errorbar(snrs, ys, yerr=bars, fmt=styles[i % 6], color=f"C{i}", capsize=3, label=name)
        for x, y in zip(snrs, ys):
            labels[x].append((y, f"C{i}"))
    if label_values:
        for x, points in labels.items():
            _label_values(ax, x, points, digits=2)
    ax.invert_xaxis()
    ax.set(
        xlabel="measured signal-to-noise ratio (dB; right: noisier)",
        ylabel=ylabel,
        ylim=(-0.05, 1.1),
        title=title,
    )
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower left")
    return fig


def _speaker_values(
    scores: SpeakerScores | Mapping[str, float], speakers: Sequence[str]
) -> tuple[list[float], list[float]]:
    """Per speaker: the accuracy (mean over seeds) and its spread over seeds (0 for a plain mapping
    or one seed)."""
    if isinstance(scores, SpeakerScores):
        spread = (
            scores.accuracy.std(axis=1, ddof=1)
            if len(scores.seeds) > 1
            else np.zeros(len(scores.speakers))
        )
        found = dict(zip(scores.speakers, zip(scores.per_speaker(), spread)))
        return [float(found[s][0]) for s in speakers], [float(found[s][1]) for s in speakers]
    return [float(scores[s]) for s in speakers], [0.0] * len(speakers)


def speaker_bars(
    per_speaker: Mapping[str, SpeakerScores | Mapping[str, float]],
    official: Mapping[str, float] | None = None,
    title: str = "",
) -> Figure:
    """Accuracy on each held-out speaker, one bar colour per system; dashed lines at *official*
    (speaker-mixed) accuracy.

    *per_speaker* is ``{system: SpeakerScores}`` (error bars: std over seeds)
    or ``{system: {speaker: accuracy}}``; *official* ``{system: accuracy}``.
    """
    systems = list(per_speaker)
    first = per_speaker[systems[0]]
    speakers = list(first.speakers if isinstance(first, SpeakerScores) else first)
    fig, ax = figure(size=(10, 4))
    width = 0.8 / len(systems)
    x = np.arange(len(speakers) + 1)
    for i, name in enumerate(systems):
        values, spread = _speaker_values(per_speaker[name], speakers)
        values.append(float(np.mean(values)))
        spread.append(0.0)
        bars = ax.bar(
            x + (i - (len(systems) - 1) / 2) * width,
            values,
            width,
            yerr=spread if any(spread) else None,
            capsize=2,
            color=f"C{i}",
            label=name,
        )
        ax.bar_label(bars, fmt="%.2f", fontsize=7, padding=2)
        if official and name in official:
            ax.axhline(official[name], color=f"C{i}", linestyle="--", linewidth=1)
    if official:
        ax.plot(
            [],
            [],
            color="grey",
            linestyle="--",
            label="same system, official split (speakers seen in training)",
        )
    ax.set_xticks(x, [f"{s}\n(held out)" for s in speakers] + ["mean"])
    ax.set(ylabel="accuracy on the unseen speaker", ylim=(0, 1.2), title=title)
    ax.legend(loc="upper left", fontsize=8, ncol=2)
    return fig


def adaptation_curves(curves: Mapping[str, Mapping[int, SpeakerScores]], title: str = "") -> Figure:
    """Accuracy on a new speaker against the number *k* of takes per digit used to adapt, one line
    per way of adapting.

    *curves* is ``{label: {k: SpeakerScores}}`` (as from
    :func:`e2e_helpers.speech.adaptation_scores`): the line is the mean over
    speakers and seeds, the band the range over speakers.
    """
    fig, ax = figure(size=(7, 4.2))
    means = {label: {k: by_k[k].mean() for k in by_k} for label, by_k in curves.items()}
    for i, (label, by_k) in enumerate(curves.items()):
        ks = sorted(by_k)
        low = np.array([by_k[k].per_speaker().min() for k in ks])
        high = np.array([by_k[k].per_speaker().max() for k in ks])
        ax.fill_between(ks, low, high, color=f"C{i}", alpha=0.15)
        ax.plot(ks, [means[label][k] for k in ks], "o-", color=f"C{i}", linewidth=2, label=label)
        ax.set_xticks(ks)
    for k in sorted({k for by_k in means.values() for k in by_k}):
        _label_values(
            ax,
            k,
            [(means[label][k], f"C{i}") for i, label in enumerate(means) if k in means[label]],
        )
    ax.set(
        xlabel="takes per digit used to adapt (k)",
        ylabel="accuracy on the new speaker's other takes",
        title=title,
    )
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    return fig


def _label_values(ax: Axes, x: float, points: list[tuple[float, str]], digits: int = 3) -> None:
    """Write each value at *x* (to *digits* decimals) beside its point without overlap: the
    highest above, the lowest below, the rest to the right.

    Equal values (lines that start together) are written once.
    """
    shown = sorted({round(v, digits): (v, c) for v, c in points}.values(), reverse=True)
    for rank, (value, colour) in enumerate(shown):
        place = (
            {"xytext": (0, 6), "ha": "center", "va": "bottom"}
            if rank == 0
            else (
                {"xytext": (0, -6), "ha": "center", "va": "top"}
                if rank == len(shown) - 1
                else {"xytext": (7, 0), "ha": "left", "va": "center"}
            )
        )
        ax.annotate(
            f"{value:.{digits}f}",
            (x, value),
            textcoords="offset points",
            fontsize=7,
            color=colour,
            **place,
        )
