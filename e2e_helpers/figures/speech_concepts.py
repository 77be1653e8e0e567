"""Pictures of notebook 02's ideas on toy cases: a small HMM, a CTC lattice, a learned filterbank.

:func:`hmm_picture` draws a left-to-right HMM (its states, its transition probabilities) above its
emission probabilities frame by frame, with a best path if one is given; :func:`ctc_lattice` every
way CTC may place a short transcript on a few output steps; :func:`filterbank_figure` what each
filter of a learned front end lets through, next to the mel filters it replaces.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch
from numpy.typing import ArrayLike

from .canvas import figure

__all__ = ["hmm_picture", "ctc_lattice", "filterbank_figure"]


def hmm_picture(
    log_emit: ArrayLike,
    log_stay: ArrayLike,
    log_leave: ArrayLike,
    path: Sequence[int] | None = None,
) -> Figure:
    """A left-to-right HMM: states and transition probabilities on top, emissions below.

    *log_emit* ``(frames, states)`` holds the log emission probabilities, *log_stay* and
    *log_leave* each state's log probability of staying and of moving on; *path* (one state per
    frame, e.g. Viterbi's) is drawn over the emissions.
    """
    emit = np.exp(np.asarray(log_emit, dtype=float))
    stay, leave = np.exp(np.asarray(log_stay, float)), np.exp(np.asarray(log_leave, float))
    if emit.ndim != 2 or stay.shape != (emit.shape[1],) or leave.shape != stay.shape:
        raise ValueError(
            f"expected log_emit (frames, states) and one log_stay and log_leave per state, got "
            f"shapes {emit.shape}, {stay.shape} and {leave.shape}."
        )
    n_frames, n_states = emit.shape
    fig, (top, bottom) = figure(2, 1, size=(7.5, 6.2), height_ratios=[1, 1.5])
    top.set_xlim(-1.2, 2 * n_states - 0.2)
    top.set_ylim(-0.9, 1.5)
    top.set_axis_off()
    top.set_title("The model: hidden states, left to right, and their transition probabilities")
    for s in range(n_states):
        x = 2 * s
        top.add_patch(Circle((x, 0), 0.42, facecolor="#6fa8dc", edgecolor="#333333"))
        top.text(x, 0, f"state {s}", ha="center", va="center", fontsize=9)
        top.add_patch(_arrow((x - 0.25, 0.38), (x + 0.25, 0.38), "arc3,rad=-1.6"))
        top.text(x, 1.15, f"stay {stay[s]:.1f}", ha="center", fontsize=9)
        end = (x + 1.58, 0) if s < n_states - 1 else (x + 1.3, 0)
        top.add_patch(_arrow((x + 0.42, 0), end, "arc3"))
        label = f"move on {leave[s]:.1f}" if s < n_states - 1 else f"end {leave[s]:.1f}"
        top.text(x + 1.0, -0.3, label, ha="center", fontsize=9)
    top.add_patch(_arrow((-1.1, 0), (-0.42, 0), "arc3"))
    top.text(-0.8, -0.3, "start", ha="center", fontsize=9)
    image = bottom.imshow(emit.T, origin="lower", cmap="Greys", vmin=0, vmax=1, aspect="auto")
    for t in range(n_frames):
        for s in range(n_states):
            colour = "white" if emit[t, s] > 0.5 else "black"
            bottom.text(t, s, f"{emit[t, s]:.1f}", ha="center", va="center", color=colour)
    if path is not None:
        bottom.plot(range(len(path)), path, "o-", color="#cc0000", lw=2, label="best path")
        bottom.legend(loc="upper left", fontsize=9)
    bottom.set(
        xticks=range(n_frames),
        yticks=range(n_states),
        xlabel="frame (one every 10 ms)",
        ylabel="state",
        title="Emission probabilities: how well each state explains each frame",
    )
    fig.colorbar(image, ax=bottom, label="emission probability (0 to 1)")
    return fig


def _arrow(start: tuple[float, float], end: tuple[float, float], style: str) -> FancyArrowPatch:
    return FancyArrowPatch(
        start, end, connectionstyle=style, arrowstyle="-|>", mutation_scale=12, color="#333333"
    )


def ctc_lattice(
    target: str, n_steps: int, paths: Sequence[str] = (), *, blank: str = "-"
) -> Figure:
    """Every way CTC may spell *target* (one character per symbol) on *n_steps* output steps.

    Rows are the target with a blank before, between and after its symbols; a path moves right
    one step at a time, staying on its row, moving down one row, or skipping a blank between two
    different symbols. Grey lines are all allowed moves, the dots the rows a path may start and
    end on; each of *paths* (strings of *n_steps* symbols, such as ``"-3-11"``) is drawn in
    colour. The title counts the paths (by dynamic programming).
    """
    rows = [blank]
    for symbol in target:
        rows += [symbol, blank]
    n = len(rows)
    allowed: list[list[int]] = []
    for r in range(n):
        steps = [r, r + 1]
        if r + 2 < n and rows[r + 2] != blank and rows[r + 2] != rows[r]:
            steps.append(r + 2)
        allowed.append([s for s in steps if s < n])
    count = np.zeros((n_steps, n))
    count[0, :2] = 1
    for t in range(1, n_steps):
        for r in range(n):
            for s in allowed[r]:
                count[t, s] += count[t - 1, r]
    total = int(count[-1, -2:].sum())
    fig, ax = figure(size=(1.2 + 1.0 * n_steps, 1.0 + 0.45 * n))
    for t in range(n_steps - 1):
        for r in range(n):
            for s in allowed[r]:
                ax.plot([t, t + 1], [r, s], color="#cccccc", lw=1, zorder=1)
    ends = {0: (0, 1), n_steps - 1: (n - 2, n - 1)}
    for t in range(n_steps):
        for r in range(n):
            edge = r in ends.get(t, ())
            ax.scatter(t, r, s=60, color="#333333" if edge else "#bbbbbb", zorder=2)
    for k, path in enumerate(paths):
        rows_of = _path_rows(path, rows, blank)
        ax.plot(
            range(n_steps),
            rows_of,
            "o-",
            lw=2.5,
            zorder=3,
            label=" ".join(path),
            color=f"C{k}",
            alpha=0.85,
        )
    ax.set_yticks(range(n), [f"{s} ({'blank' if s == blank else 'digit'})" for s in rows])
    ax.set_xticks(range(n_steps), [f"step {t + 1}" for t in range(n_steps)])
    ax.invert_yaxis()
    ax.set_title(f"The {total} ways to spell '{' '.join(target)}' on {n_steps} steps")
    if paths:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=9, title="paths")
    return fig


def _path_rows(path: str, rows: Sequence[str], blank: str) -> list[int]:
    """The lattice row of each step of *path*, refused unless it spells the lattice's target."""
    out: list[int] = []
    for step, symbol in enumerate(path):
        row = out[-1] if out else -1
        moves = (0, 1) if not out else (row, row + 1, row + 2)
        found = [
            r
            for r in moves
            if r < len(rows)
            and rows[r] == symbol
            and (r < row + 2 or (rows[row + 1] == blank and rows[r] != rows[row]))
        ]
        if not found:
            raise ValueError(
                f"the path {path!r} is not an alignment of this lattice (at step {step + 1}, "
                f"{symbol!r} cannot follow): write one symbol per step, e.g. '-3-11'."
            )
        out.append(found[0])
    if out[-1] < len(rows) - 2:
        raise ValueError(f"the path {path!r} ends before the whole transcript is spelled.")
    return out


def filterbank_figure(weights: ArrayLike, sample_rate: int, mel: ArrayLike | None = None) -> Figure:
    """What each learned filter passes: its gain in dB over frequency, filters sorted by peak.

    *weights* ``(n_filters, taps)`` are the first layer's filters on the raw samples; *mel*
    ``(n_frequencies, n_mels)`` (torchaudio's mel filterbank matrix) is drawn beside them, with the
    same axes, when given.
    """
    taps = np.asarray(weights, dtype=float)
    if taps.ndim != 2 or not taps.size:
        raise ValueError(f"weights must be (n_filters, taps), got shape {taps.shape}.")
    gain = np.abs(np.fft.rfft(taps, n=512, axis=1)) ** 2
    gain_db = 10 * np.log10(gain / gain.max(axis=1, keepdims=True) + 1e-10)
    order = np.argsort(gain.argmax(axis=1), kind="stable")
    top = sample_rate / 2
    panels = 1 if mel is None else 2
    fig, axes = figure(1, panels, size=(5.2 * panels, 3.8))
    axes = np.atleast_1d(axes)
    extent = (0, top, -0.5, len(taps) - 0.5)
    image = axes[0].imshow(
        gain_db[order], aspect="auto", origin="lower", extent=extent, vmin=-30, vmax=0, cmap="magma"
    )
    axes[0].set(
        xlabel="frequency (Hz)",
        ylabel="filter (sorted by its peak)",
        title="Learned filters (started at random)",
    )
    if mel is not None:
        bank = np.asarray(mel, dtype=float).T
        bank_db = 10 * np.log10(bank / bank.max(axis=1, keepdims=True) + 1e-10)
        axes[1].imshow(
            bank_db,
            aspect="auto",
            origin="lower",
            vmin=-30,
            vmax=0,
            cmap="magma",
            extent=(0, top, -0.5, len(bank) - 0.5),
        )
        axes[1].set(
            xlabel="frequency (Hz)", ylabel="mel filter", title="Mel filters (designed by hand)"
        )
    fig.colorbar(image, ax=axes, label="gain relative to the filter's peak (dB)")
    return fig
