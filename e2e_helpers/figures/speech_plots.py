"""The speech figures: waveforms, spectrograms, MFCC steps, alignments and decoder paths, VAD, CTC
posteriors, noise and speaker results."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import QuadMesh
from numpy.typing import ArrayLike

from ..speech import DIGIT_WORDS
from ..speech.features import spectrogram_db
from .canvas import figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..speech import Grammar
    from ..speech.features import MFCCSteps
    from ..speech.phone_hmm import Alignment
    from ..speech.viterbi_search import BestPath

__all__ = [
    "waveforms_and_spectrograms",
    "mfcc_steps_figure",
    "alignment_figure",
    "decoder_path_figure",
    "ctc_posteriors_figure",
]

_DIGIT_COLORS = [f"C{i}" for i in range(10)]


def _show_spectrogram(
    ax: Axes, wave: ArrayLike, sample_rate: int, top_db: float = 70.0
) -> QuadMesh:
    freqs, times, db = spectrogram_db(wave, sample_rate)
    mesh = ax.pcolormesh(
        times, freqs, db, shading="auto", cmap="magma", vmin=db.max() - top_db, vmax=db.max()
    )
    ax.set_ylabel("frequency (Hz)")
    ax.set_xlabel("time (s)")
    return mesh


def waveforms_and_spectrograms(
    waves: Sequence[np.ndarray], titles: Sequence[str], sample_rate: int = 8000
) -> Figure:
    """One column per recording: the waveform above, its spectrogram below."""
    if len(waves) != len(titles) or not len(waves):
        raise ValueError(
            f"need one title per recording, got {len(waves)} recordings and {len(titles)} titles."
        )
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


def mfcc_steps_figure(steps: MFCCSteps, frame_index: int | None = None) -> Figure:
    """Eight panels, one per MFCC step, from an :class:`e2e_helpers.speech.MFCCSteps`."""
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
    ax.plot(
        np.arange(len(steps.emphasized))[zoom] / rate * 1000,
        steps.emphasized[zoom],
        lw=0.8,
        color="0.4",
    )
    for j, color in zip((k - 1, k, k + 1), ("C1", "C3", "C2")):
        if 0 <= j < len(steps.frames):
            ax.axvspan(
                j * hop / rate * 1000, (j * hop + frame_len) / rate * 1000, color=color, alpha=0.15
            )
    ax.set(
        title=f"2. framing: {frame_len / rate * 1000:.0f} ms frames every {hop / rate * 1000:.0f} "
        f"ms",
        xlabel="time (ms)",
    )
    ax = axes[0, 2]
    ax.plot(steps.frames[k], lw=0.8, color="0.6", label=f"frame {k}")
    ax.plot(steps.windowed[k], lw=0.8, color="C3", label="x Hamming window")
    ax.plot(steps.window * np.abs(steps.frames[k]).max(), "k--", lw=0.8, label="window (scaled)")
    ax.set(title="3. window", xlabel="sample in frame")
    ax.legend(fontsize=8, loc="lower right")
    times = np.arange(len(steps.frames)) * hop / rate
    ax = axes[0, 3]
    ax.pcolormesh(
        times, steps.freqs, 10 * np.log10(steps.power.T + 1e-10), shading="auto", cmap="magma"
    )
    ax.set(title="4. power spectrum |FFT|^2 (dB)", xlabel="time (s)", ylabel="frequency (Hz)")
    ax = axes[1, 0]
    for i, filt in enumerate(steps.filterbank):
        ax.plot(steps.freqs, filt, lw=0.7, color=f"C{i % 10}")
    ax.set(
        title=f"5. mel filterbank ({len(steps.filterbank)} triangles)",
        xlabel="frequency (Hz)",
        ylabel="weight",
    )
    ax = axes[1, 1]
    ax.pcolormesh(
        times,
        np.arange(steps.mel_energies.shape[1]),
        steps.mel_energies.T,
        shading="auto",
        cmap="magma",
    )
    ax.set(title="5. mel energies (linear)", xlabel="time (s)", ylabel="mel band")
    ax = axes[1, 2]
    ax.pcolormesh(
        times, np.arange(steps.log_mel.shape[1]), steps.log_mel.T, shading="auto", cmap="magma"
    )
    ax.set(title="6. log mel energies", xlabel="time (s)", ylabel="mel band")
    ax = axes[1, 3]
    limit = np.abs(steps.mfcc[:, 1:]).max()
    ax.pcolormesh(
        times,
        np.arange(steps.mfcc.shape[1]),
        steps.mfcc.T,
        shading="auto",
        cmap="coolwarm",
        vmin=-limit,
        vmax=limit,
    )
    ax.set(
        title=f"7. DCT -> {steps.mfcc.shape[1]} MFCCs (c0, loudness, off scale)",
        xlabel="time (s)",
        ylabel="coefficient",
    )
    return fig


def alignment_figure(
    wave: np.ndarray,
    alignment: Alignment,
    sample_rate: int = 8000,
    title: str = "",
    hop_ms: float = 10.0,
) -> Figure:
    """A forced alignment over the spectrogram: phone boundaries and names, and the words below."""
    fig, axes = figure(2, 1, size=(10, 4.8), sharex=True, height_ratios=[3, 0.7])
    _show_spectrogram(axes[0], wave, sample_rate)
    axes[0].set_xlabel("")
    axes[0].set_title(title)
    seconds = hop_ms / 1000
    for phone, start, end in alignment.phones:
        axes[0].axvline(start * seconds, color="white", lw=0.8, alpha=0.8)
        axes[0].text(
            (start + end) / 2 * seconds,
            0.97,
            phone,
            transform=axes[0].get_xaxis_transform(),
            ha="center",
            va="top",
            fontsize=8,
            color="white" if phone != "sil" else "0.7",
        )
    for k, (word, start, end) in enumerate(alignment.words):
        axes[1].axvspan(start * seconds, end * seconds, color=_DIGIT_COLORS[k % 10], alpha=0.35)
        axes[1].text((start + end) / 2 * seconds, 0.5, word, ha="center", va="center", fontsize=10)
    axes[1].set(yticks=[], xlabel="time (s)", xlim=(0, len(wave) / sample_rate), ylabel="words")
    return fig


def decoder_path_figure(
    wave: np.ndarray,
    path: BestPath,
    grammar: Grammar,
    sample_rate: int = 8000,
    title: str = "",
    hop_ms: float = 10.0,
) -> Figure:
    """The best path through a grammar's states, frame by frame, under the spectrogram; one band per
    segment."""
    fig, axes = figure(2, 1, size=(10, 7.0), sharex=True, height_ratios=[1.2, 2.2])
    _show_spectrogram(axes[0], wave, sample_rate)
    axes[0].set_xlabel("")
    axes[0].set_title(title)
    ax = axes[1]
    names = [DIGIT_WORDS[label] if label >= 0 else "silence" for label in grammar.labels]
    for g, (first, last) in enumerate(zip(grammar.first, grammar.last)):
        ax.axhspan(first - 0.5, last + 0.5, color="0.93" if g % 2 else "white", lw=0)
    ax.set_yticks((grammar.first + grammar.last) / 2, names, fontsize=8)
    times = (np.arange(len(path.nodes)) * hop_ms + hop_ms / 2) / 1000
    ax.step(times, path.nodes, where="mid", color="C3", lw=1.6)
    for g, start, end in path.segments:
        ax.text(
            (start + end) / 2 * hop_ms / 1000,
            grammar.last[g] + 1.5,
            names[g],
            ha="center",
            fontsize=9,
            color="C3",
        )
    ax.set(
        ylabel="grammar state",
        xlabel="time (s)",
        xlim=(0, len(wave) / sample_rate),
        ylim=(-1, len(grammar.states) + 2),
    )
    return fig


def vad_figure(
    wave: np.ndarray,
    energy_db: ArrayLike,
    segments: Sequence[tuple[int, int]],
    sample_rate: int = 8000,
    truth: Sequence[tuple[int, int]] | None = None,
    texts: Sequence[str] | None = None,
    hop_ms: float = 10.0,
    title: str = "",
    segment_label: str = "detected word",
) -> Figure:
    """Waveform with detected word segments (and the true words), and the frame energies."""
    fig, axes = figure(2, 1, size=(10, 4.6), sharex=True, height_ratios=[2, 1])
    t = np.arange(len(wave)) / sample_rate
    axes[0].plot(t, wave, lw=0.4, color="0.3")
    for i, (start, end) in enumerate(segments):
        axes[0].axvspan(
            start / sample_rate,
            end / sample_rate,
            color="C2",
            alpha=0.25,
            label=segment_label if i == 0 else None,
        )
        if texts is not None and i < len(texts):
            axes[0].text(
                (start + end) / 2 / sample_rate,
                0.92,
                texts[i],
                transform=axes[0].get_xaxis_transform(),
                ha="center",
                fontsize=9,
                color="C2",
            )
    for i, (start, end) in enumerate(truth or []):
        axes[0].plot(
            [start / sample_rate, end / sample_rate],
            [-0.05] * 2,
            transform=axes[0].get_xaxis_transform(),
            color="C3",
            lw=4,
            clip_on=False,
            label="true word" if i == 0 else None,
        )
    axes[0].set(ylabel="amplitude", title=title)
    axes[0].legend(loc="lower right", fontsize=8)
    axes[1].plot(np.arange(len(energy_db)) * hop_ms / 1000, energy_db, color="C0")
    axes[1].set(ylabel="energy (dB)", xlabel="time (s)", xlim=(0, len(wave) / sample_rate))
    return fig


def ctc_posteriors_figure(
    wave: np.ndarray,
    log_probs: ArrayLike,
    labels: Sequence[str],
    sample_rate: int = 8000,
    title: str = "",
    step_s: float = 0.02,
    words: Sequence[tuple[str, int, int]] | None = None,
    hop_ms: float = 10.0,
) -> Figure:
    """Spectrogram on top; below, each token's probability over time (the blank dashed grey).

    *words*: the HMM decoder's word segments (``(word, first frame, end frame)`` in
    *hop_ms* frames, as ``Alignment.words``), shaded on the same time axis.
    """
    probs = np.exp(np.asarray(log_probs))
    fig, axes = figure(2, 1, size=(10, 5.5), sharex=True, height_ratios=[1.4, 1])
    _show_spectrogram(axes[0], wave, sample_rate)
    axes[0].set_xlabel("")
    axes[0].set_title(title)
    times = np.arange(len(probs)) * step_s
    for word, start, end in words or []:
        span = (start * hop_ms / 1000, end * hop_ms / 1000)
        axes[1].axvspan(*span, color="0.85", alpha=0.6, lw=0)
        axes[1].text(sum(span) / 2, 1.07, f"HMM: {word}", ha="center", fontsize=7, color="0.35")
    axes[1].plot(times, probs[:, 0], "--", color="0.6", lw=1, label="blank")
    for k in range(1, probs.shape[1]):
        if probs[:, k].max() > 0.2:
            peak = probs[:, k].argmax()
            axes[1].plot(
                times, probs[:, k], color=_DIGIT_COLORS[(k - 1) % 10], lw=1.5, label=labels[k]
            )
            axes[1].text(
                times[peak],
                probs[peak, k] + 0.03,
                labels[k],
                ha="center",
                fontsize=9,
                color=_DIGIT_COLORS[(k - 1) % 10],
            )
    axes[1].set(
        ylabel="probability", xlabel="time (s)", ylim=(0, 1.12), xlim=(0, len(wave) / sample_rate)
    )
    axes[1].legend(loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=8)
    return fig
