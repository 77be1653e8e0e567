"""Speech features: MFCC built step by step, the same MFCC from torchaudio, log-mel, fixed-size
inputs, spectrograms.

:func:`mfcc_steps` computes MFCCs the way a textbook explains them and keeps
every intermediate result, so a notebook can plot each step:

1. pre-emphasis ``y[n] = x[n] - a x[n-1]`` (lifts the weak high frequencies),
2. framing into overlapping frames (25 ms every 10 ms),
3. a Hamming window on each frame (tapers the frame edges),
4. the power spectrum ``|FFT|^2`` of each frame,
5. a bank of triangular mel filters (fine resolution at low frequencies,
   coarse at high ones, as in the ear),
6. the logarithm (loudness is perceived roughly logarithmically),
7. a DCT, keeping the first coefficients (a smooth, decorrelated summary of
   the spectral envelope).

:func:`torchaudio_mfcc` configures ``torchaudio.transforms.MFCC`` identically
(fed the pre-emphasised signal, since torchaudio has no pre-emphasis step);
the test suite checks that both agree to float precision.

Every function with a ``sample_rate`` refuses a
:class:`~e2e_helpers.speech.audio.Waveform` recorded at another rate (a
44.1 kHz recording gives other frames, and other numbers, than an 8 kHz one).
Integer PCM (int16, int32, uint8, as ``scipy.io.wavfile.read`` returns it)
is scaled to [-1, 1] on the way in, so it gives the features of the same
recording as floats. For pictures: :func:`spectrogram_db`. What the
recognisers and classifiers are fed (MFCCs with deltas, their statistics,
log-mel windows) lives in :mod:`e2e_helpers.speech.model_inputs`.

The MFCC steps and the mel filter bank are written out by hand, although
torchaudio has both, because the course teaches them: the learner reads and
plots each step, and the tests check them against torchaudio's
``transforms.MFCC`` and ``functional.melscale_fbanks``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy.fft import dct

from . import audio

if TYPE_CHECKING:
    import torch

__all__ = [
    "mfcc_steps",
    "mfcc",
    "torchaudio_mfcc",
    "mfcc_agreement",
    "log_mel_batch",
]

LOG_FLOOR = 1e-6  # torchaudio's MFCC adds the same constant before the log


@dataclass(frozen=True)
class MFCCSteps:
    """Every intermediate of :func:`mfcc_steps` (frames along the first axis)."""

    signal: np.ndarray  # the input samples
    emphasized: np.ndarray  # after pre-emphasis
    frames: np.ndarray  # (n_frames, frame_length)
    windowed: np.ndarray  # frames times the window
    window: np.ndarray  # (frame_length,)
    power: np.ndarray  # (n_frames, n_fft // 2 + 1) power spectrum
    filterbank: np.ndarray  # (n_mels, n_fft // 2 + 1) triangular mel filters
    mel_energies: np.ndarray  # (n_frames, n_mels)
    log_mel: np.ndarray  # (n_frames, n_mels)
    mfcc: np.ndarray  # (n_frames, n_mfcc)
    sample_rate: int
    hop_length: int
    freqs: np.ndarray  # Hz of each power-spectrum bin


def hz_to_mel(hz: np.ndarray | float) -> np.ndarray:
    """The HTK mel scale: ``2595 log10(1 + f / 700)``."""
    return 2595.0 * np.log10(1.0 + np.asarray(hz, dtype=np.float64) / 700.0)


def mel_to_hz(mel: np.ndarray | float) -> np.ndarray:
    """Inverse of :func:`hz_to_mel`."""
    return 700.0 * (10.0 ** (np.asarray(mel, dtype=np.float64) / 2595.0) - 1.0)


def mel_filterbank(
    n_fft: int, n_mels: int, sample_rate: int, f_min: float = 0.0, f_max: float | None = None
) -> np.ndarray:
    """Triangular filters ``(n_mels, n_fft // 2 + 1)`` with centres equally spaced in mel.

    Each filter rises linearly from the previous centre to its own and falls
    to the next; the peaks are 1 (no area normalisation), as torchaudio's
    ``melscale_fbanks(norm=None, mel_scale="htk")``.
    """
    f_max = sample_rate / 2 if f_max is None else f_max
    if not 0 <= f_min < f_max <= sample_rate / 2:
        raise ValueError(
            f"need 0 <= f_min < f_max <= sample_rate / 2, got f_min={f_min}, f_max={f_max}, "
            f"sample_rate={sample_rate}."
        )
    freqs = np.linspace(0, sample_rate // 2, n_fft // 2 + 1)
    edges = mel_to_hz(np.linspace(hz_to_mel(f_min), hz_to_mel(f_max), n_mels + 2))
    widths = np.diff(edges)  # (n_mels + 1,)
    slopes = edges[None, :] - freqs[:, None]  # (n_freqs, n_mels + 2)
    down = -slopes[:, :-2] / widths[:-1]
    up = slopes[:, 2:] / widths[1:]
    return np.maximum(0.0, np.minimum(down, up)).T


def _check_wave(wave: np.ndarray, frame_length: int, sample_rate: int) -> np.ndarray:
    wave = audio.check_wave(wave, sample_rate=sample_rate)
    if len(wave) < frame_length:
        raise ValueError(
            f"the signal has {len(wave)} samples, fewer than one frame ({frame_length}): pad it or "
            f"use shorter frames."
        )
    return wave.astype(np.float64)  # a copy: MFCCSteps.signal never shares the caller's array


def mfcc_steps(
    wave: np.ndarray,
    sample_rate: int = 8000,
    *,
    preemphasis: float = 0.97,
    frame_ms: float = 25.0,
    hop_ms: float = 10.0,
    n_mels: int = 40,
    n_mfcc: int = 13,
    f_min: float = 20.0,
    f_max: float | None = None,
) -> MFCCSteps:
    """MFCCs of one recording, computed step by step; returns every intermediate.

    The FFT size equals the frame length (200 samples at 8 kHz) and frames
    are not padded, so the number of frames is ``1 + (len - frame) // hop``.
    """
    frame = int(round(sample_rate * frame_ms / 1000))
    hop = int(round(sample_rate * hop_ms / 1000))
    signal = _check_wave(wave, frame, sample_rate)
    if not 0 < n_mfcc <= n_mels:
        raise ValueError(f"need 0 < n_mfcc <= n_mels, got n_mfcc={n_mfcc}, n_mels={n_mels}.")
    emphasized = np.append(signal[:1], signal[1:] - preemphasis * signal[:-1])
    frames = audio.frames(emphasized, frame, hop)
    # periodic Hamming, as torch
    window = 0.54 - 0.46 * np.cos(2 * np.pi * np.arange(frame) / frame)
    windowed = frames * window
    power = np.abs(np.fft.rfft(windowed, n=frame, axis=1)) ** 2
    bank = mel_filterbank(frame, n_mels, sample_rate, f_min, f_max)
    mel_energies = power @ bank.T
    log_mel_ = np.log(mel_energies + LOG_FLOOR)
    coefficients = dct(log_mel_, type=2, norm="ortho", axis=1)[:, :n_mfcc]
    return MFCCSteps(
        signal=signal,
        emphasized=emphasized,
        frames=frames,
        windowed=windowed,
        window=window,
        power=power,
        filterbank=bank,
        mel_energies=mel_energies,
        log_mel=log_mel_,
        mfcc=coefficients,
        sample_rate=sample_rate,
        hop_length=hop,
        freqs=np.fft.rfftfreq(frame, 1 / sample_rate),
    )


def mfcc(wave: np.ndarray, sample_rate: int = 8000, **options: Any) -> np.ndarray:
    """``(n_frames, n_mfcc)`` MFCCs of one recording (see :func:`mfcc_steps` for the options)."""
    return mfcc_steps(wave, sample_rate, **options).mfcc


def mfcc_transform(
    sample_rate: int,
    *,
    n_mfcc: int,
    n_mels: int,
    n_fft: int,
    frame: int,
    hop: int,
    f_min: float,
    f_max: float | None = None,
) -> torch.nn.Module:
    """``torchaudio.transforms.MFCC`` set up as :func:`mfcc_steps` computes: Hamming frames of
    *frame* samples every
    *hop* (FFT of *n_fft* points, no centring), HTK mel filters, ``log(mel + 1e-6)``, orthonormal
    DCT-II."""
    import torch
    import torchaudio

    return torchaudio.transforms.MFCC(
        sample_rate=sample_rate,
        n_mfcc=n_mfcc,
        dct_type=2,
        norm="ortho",
        log_mels=True,
        melkwargs={
            "n_fft": n_fft,
            "win_length": frame,
            "hop_length": hop,
            "f_min": f_min,
            "f_max": f_max,
            "n_mels": n_mels,
            "window_fn": torch.hamming_window,
            "power": 2.0,
            "center": False,
            "norm": None,
            "mel_scale": "htk",
        },
    )


def torchaudio_mfcc(
    wave: np.ndarray,
    sample_rate: int = 8000,
    *,
    preemphasis: float = 0.97,
    frame_ms: float = 25.0,
    hop_ms: float = 10.0,
    n_mels: int = 40,
    n_mfcc: int = 13,
    f_min: float = 20.0,
    f_max: float | None = None,
) -> np.ndarray:
    """The same MFCCs as :func:`mfcc` from ``torchaudio.transforms.MFCC``,
    ``(n_frames, n_mfcc)``."""
    import torch

    frame = int(round(sample_rate * frame_ms / 1000))
    hop = int(round(sample_rate * hop_ms / 1000))
    signal = torch.as_tensor(_check_wave(wave, frame, sample_rate))
    emphasized = torch.cat([signal[:1], signal[1:] - preemphasis * signal[:-1]])
    transform = mfcc_transform(
        sample_rate,
        n_mfcc=n_mfcc,
        n_mels=n_mels,
        n_fft=frame,
        frame=frame,
        hop=hop,
        f_min=f_min,
        f_max=f_max,
    ).to(torch.float64)
    return transform(emphasized).T.numpy()


def mfcc_agreement(wave: np.ndarray, sample_rate: int = 8000, **options: Any) -> float:
    """Largest absolute difference between :func:`mfcc` and :func:`torchaudio_mfcc`."""
    ours = mfcc(wave, sample_rate, **options)
    theirs = torchaudio_mfcc(wave, sample_rate, **options)
    if ours.shape != theirs.shape:
        raise AssertionError(f"shapes differ: ours {ours.shape}, torchaudio {theirs.shape}")
    return float(np.max(np.abs(ours - theirs)))


def _mel_transform(sample_rate: int, n_mels: int, frame_ms: float, hop_ms: float):
    import torch
    import torchaudio

    frame = int(round(sample_rate * frame_ms / 1000))
    return torchaudio.transforms.MelSpectrogram(
        sample_rate=sample_rate,
        n_fft=frame,
        win_length=frame,
        hop_length=int(round(sample_rate * hop_ms / 1000)),
        f_min=20.0,
        n_mels=n_mels,
        window_fn=torch.hamming_window,
        center=False,  # log_mel_batch pads each recording itself (reflecting its own ends)
        mel_scale="htk",
    )


def log_mel(
    wave: np.ndarray,
    sample_rate: int = 8000,
    *,
    n_mels: int = 40,
    frame_ms: float = 25.0,
    hop_ms: float = 10.0,
) -> np.ndarray:
    """``(n_frames, n_mels)`` log mel energies (torchaudio; frames centred every hop,
    ``1 + len // hop`` of them)."""
    return log_mel_batch([wave], sample_rate, n_mels=n_mels, frame_ms=frame_ms, hop_ms=hop_ms)[0]


def log_mel_batch(
    waves: Sequence[np.ndarray],
    sample_rate: int = 8000,
    *,
    n_mels: int = 40,
    frame_ms: float = 25.0,
    hop_ms: float = 10.0,
    batch_size: int = 256,
) -> list[np.ndarray]:
    """:func:`log_mel` of many recordings at once (zero-padded in batches, then cut back),
    float32."""
    import torch

    if isinstance(waves, np.ndarray) and waves.ndim == 1:
        raise TypeError(
            "log_mel_batch expects a list of 1-D recordings; for one recording use log_mel(wave)."
        )
    transform = _mel_transform(sample_rate, n_mels, frame_ms, hop_ms)
    hop = transform.hop_length
    out: list[np.ndarray] = []
    for start in range(0, len(waves), batch_size):
        chunk = [
            audio.check_wave(
                w, name=f"waves[{start + i}]", dtype=np.float32, sample_rate=sample_rate
            )
            for i, w in enumerate(waves[start : start + batch_size])
        ]
        for i, w in enumerate(chunk):
            if not len(w):
                raise ValueError(
                    f"waves[{start + i}] is empty: every recording must hold at least one sample."
                )
        half = transform.n_fft // 2
        padded = [np.pad(w, half, mode="reflect" if len(w) > half else "constant") for w in chunk]
        batch = torch.zeros(len(chunk), max(len(p) for p in padded))
        for i, p in enumerate(padded):
            batch[i, : len(p)] = torch.from_numpy(p)
        with torch.no_grad():
            mel = torch.log(transform(batch) + LOG_FLOOR).transpose(1, 2).numpy()
        out.extend(mel[i, : 1 + len(w) // hop].copy() for i, w in enumerate(chunk))
    return out


def spectrogram_db(
    wave: np.ndarray, sample_rate: int, n_fft: int = 256, hop: int = 64
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(freqs, times, dB)`` of a power spectrogram with a Hann window, for pictures.

    *freqs* in Hz (``n_fft // 2 + 1``), *times* in seconds at each frame's
    centre, *dB* ``(n_freqs, n_frames)`` as ``10 log10(|FFT|^2 + 1e-10)``. A
    recording shorter than *n_fft* is zero-padded to one frame.

    >>> freqs, times, db = spectrogram_db(np.ones(512), 8000)
    >>> freqs.shape, times.shape, db.shape
    ((129,), (5,), (129, 5))
    """
    wave = audio.check_wave(wave, sample_rate=sample_rate)
    if len(wave) < n_fft:
        wave = np.pad(wave, (0, n_fft - len(wave)))
    windowed = audio.frames(wave, n_fft, hop) * np.hanning(n_fft)
    n = len(windowed)
    power = np.abs(np.fft.rfft(windowed, axis=1)) ** 2
    db = 10 * np.log10(power + 1e-10)
    return (
        np.fft.rfftfreq(n_fft, 1 / sample_rate),
        (np.arange(n) * hop + n_fft / 2) / sample_rate,
        db.T,
    )
