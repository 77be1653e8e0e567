"""What the speech models are fed: HMM frames, fixed-size MFCC statistics, log-mel windows.

* :func:`mfcc_deltas`: the classic front end of an HMM recogniser, 13 MFCCs
  plus their deltas and delta-deltas every 10 ms (39 numbers per frame), and
  :func:`normalize_frames`, per-utterance mean and variance normalisation.
* :func:`mfcc_statistics`: one row of 52 numbers per recording (the mean and
  spread of MFCCs and deltas over time; optionally mean-normalised, with the
  means of several time segments), for classifiers such as an SVM.
* :func:`log_mel_window`: a fixed window of log-mel frames, for a CNN.

:func:`check_recordings` is the one check of "a list of recordings" that the
recognisers share.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from .._checks import check_positive_int
from .audio import check_wave
from .features import log_mel_batch, mfcc_transform

if TYPE_CHECKING:
    import torch

__all__ = [
    "mfcc_deltas",
    "normalize_frames",
    "mfcc_statistics",
    "log_mel_window",
]


def check_recordings(
    waves: Sequence[np.ndarray], *, sample_rate: int | None = None, name: str = "waves"
) -> None:
    """Refuse anything but a non-empty list of recordings, each checked by
    :func:`~e2e_helpers.data.check_wave`; the messages call the list *name*.

    A bare 1-D array is one recording, not a list. With *sample_rate*, a
    :class:`~e2e_helpers.data.Waveform` at another rate is refused (the message names
    ``waves[i]`` and both rates), before any work is done.
    """
    if isinstance(waves, np.ndarray) and waves.ndim == 1:
        raise TypeError(
            f"{name} must be a list of recordings (1-D arrays), got one 1-D array of "
            f"{len(waves)} samples: wrap a single recording in a list: [wave]."
        )
    if isinstance(waves, (str, bytes)) or not hasattr(waves, "__len__"):
        raise TypeError(
            f"{name} must be a list of recordings (1-D arrays), got {type(waves).__name__}: "
            f"pass e.g. [wave_1, wave_2]."
        )
    if not len(waves):
        raise ValueError(f"{name} is empty ({waves!r}): pass at least one recording, e.g. [wave].")
    for i, wave in enumerate(waves):
        check_wave(wave, name=f"{name}[{i}]", sample_rate=sample_rate)


def _samples(wave: np.ndarray, frame_length: int, sample_rate: int) -> np.ndarray:
    wave = check_wave(wave, sample_rate=sample_rate)
    if len(wave) < frame_length:
        raise ValueError(
            f"the signal has {len(wave)} samples, fewer than one frame ({frame_length}): pad it or "
            f"use shorter frames."
        )
    return wave


@lru_cache(maxsize=4)
def _mfcc_transform(
    sample_rate: int, n_mfcc: int, n_mels: int, n_fft: int, frame: int, hop: int, f_min: float
) -> torch.nn.Module:
    return mfcc_transform(
        sample_rate, n_mfcc=n_mfcc, n_mels=n_mels, n_fft=n_fft, frame=frame, hop=hop, f_min=f_min
    )


def mfcc_deltas(
    wave: np.ndarray,
    sample_rate: int = 8000,
    *,
    n_mfcc: int = 13,
    n_mels: int = 23,
    n_fft: int = 256,
    frame_ms: float = 25.0,
    hop_ms: float = 10.0,
    preemphasis: float = 0.97,
) -> np.ndarray:
    """``(n_frames, 3 n_mfcc)`` float32: MFCCs, their deltas and delta-deltas, not normalised.

    The classic front end of an HMM recogniser (HTK's and Kaldi's defaults for
    8 kHz speech): 25 ms Hamming frames every 10 ms, zero-padded to a 256-point
    FFT, 23 mel filters from 20 Hz to 4 kHz, 13 cepstra (c0 first), and their
    time derivatives over +-2 frames (``torchaudio.functional.compute_deltas``).
    Frame *k* spans samples ``[k hop, k hop + n_fft)`` (window centred
    inside), so there are ``1 + (len - n_fft) // hop`` frames. A
    :class:`~e2e_helpers.speech.audio.Waveform` at another rate than
    *sample_rate* is refused.
    """
    import torch
    import torchaudio

    frame = int(round(sample_rate * frame_ms / 1000))
    hop = int(round(sample_rate * hop_ms / 1000))
    if n_fft < frame:
        raise ValueError(f"n_fft ({n_fft}) must be at least the frame length ({frame} samples).")
    # each frame spans n_fft samples, its window centred inside
    signal = _samples(wave, n_fft, sample_rate)
    emphasized = np.append(signal[:1], signal[1:] - preemphasis * signal[:-1]).astype(np.float32)
    transform = _mfcc_transform(sample_rate, n_mfcc, n_mels, n_fft, frame, hop, 20.0)
    with torch.no_grad():
        cepstra = transform(torch.from_numpy(emphasized))  # (n_mfcc, n_frames)
        deltas = torchaudio.functional.compute_deltas(cepstra, win_length=5)
        accelerations = torchaudio.functional.compute_deltas(deltas, win_length=5)
    return torch.cat([cepstra, deltas, accelerations]).T.numpy().astype(np.float32)


def normalize_frames(frames: np.ndarray) -> np.ndarray:
    """Per-utterance mean and variance normalisation (CMVN) of ``(n_frames, n_features)`` frames.

    Removes what is constant over an utterance (the microphone, the loudness,
    the channel) so that models trained on one recording condition see the
    same numbers in another. A feature that never varies becomes 0.
    """
    frames = np.asarray(frames, dtype=np.float32)
    if frames.ndim != 2 or not len(frames):
        raise ValueError(
            f"expected (n_frames, n_features) with at least one frame, got shape {frames.shape}."
        )
    spread = frames.std(axis=0)
    return (frames - frames.mean(axis=0)) / np.where(spread > 1e-6, spread, 1.0)


def mfcc_statistics(
    waves: Sequence[np.ndarray],
    sample_rate: int = 8000,
    *,
    mean_normalize: bool = False,
    segments: int = 1,
) -> np.ndarray:
    """Hand-crafted utterance features: means and standard deviation over time of 13 MFCCs and
    their deltas.

    One row of ``26 (segments + 1)`` numbers per recording, whatever its
    length: the classic input of a traditional classifier (an SVM, say) for
    isolated words. The frames of :func:`mfcc_deltas` are cut into *segments*
    equal stretches of time, and the row holds each stretch's mean (in time
    order), then the standard deviation over the whole utterance. By default
    (one segment, 52 numbers) nothing is normalised: the MFCC means describe
    the average spectral envelope, the most telling summary of a short word.
    ``mean_normalize=True`` first removes each utterance's own mean
    (cepstral mean normalisation), which takes the speaker's and the
    microphone's constant colouring out: the segment means then say how the
    spectrum moves through the word (with one segment they are all 0).
    """
    if isinstance(waves, np.ndarray) and waves.ndim == 1:
        raise TypeError(
            "mfcc_statistics expects a list of recordings; for one recording pass [wave]."
        )
    check_positive_int("segments", segments)
    for i, wave in enumerate(waves):  # every recording, before any work
        check_wave(wave, name=f"waves[{i}]", sample_rate=sample_rate)
    import torch

    rows = np.empty((len(waves), 26 * (segments + 1)), dtype=np.float32)
    threads = torch.get_num_threads()
    # one short recording at a time: extra threads only contend (30x slower on a busy CPU)
    torch.set_num_threads(1)
    try:
        for i, wave in enumerate(waves):
            frames = mfcc_deltas(wave, sample_rate)[:, :26]
            if len(frames) < segments:
                raise ValueError(
                    f"waves[{i}] gives {len(frames)} frames, fewer than segments={segments}: "
                    f"use fewer segments (at most {len(frames)}) or pad the recording."
                )
            if mean_normalize:
                frames = frames - frames.mean(axis=0)
            means = [part.mean(axis=0) for part in np.array_split(frames, segments)]
            rows[i] = np.concatenate([*means, frames.std(axis=0)])
    finally:
        torch.set_num_threads(threads)
    return rows


def log_mel_window(
    waves: Sequence[np.ndarray],
    sample_rate: int = 8000,
    *,
    n_frames: int = 64,
    n_mels: int = 40,
    mean_normalize: bool = True,
) -> np.ndarray:
    """``(n_recordings, n_mels, n_frames)`` log-mel spectrograms cut or padded to one fixed window.

    Frames every 10 ms (:func:`log_mel_batch`); a longer recording keeps its
    middle *n_frames* (64: 0.64 s), a shorter one is centred and padded with
    its own quietest value per band. Each band's mean over the window is
    subtracted (cepstral mean normalisation), which removes a constant
    microphone or channel colouring; ``mean_normalize=False`` keeps the log
    energies as they are (for an ablation of that step).
    """
    check_positive_int("n_frames", n_frames)
    out = np.empty((len(waves), n_mels, n_frames), dtype=np.float32)
    for i, mel in enumerate(log_mel_batch(list(waves), sample_rate, n_mels=n_mels)):
        out[i] = _window(mel, n_frames, mean_normalize).T
    return out


def _window(mel: np.ndarray, n_frames: int, mean_normalize: bool = True) -> np.ndarray:
    """The middle *n_frames* rows of *mel*, padded with each band's minimum, band means removed
    (with *mean_normalize*)."""
    n = len(mel)
    if n >= n_frames:
        start = (n - n_frames) // 2
        mel = mel[start : start + n_frames]
    else:
        before = (n_frames - n) // 2
        floor = mel.min(axis=0, keepdims=True)
        mel = np.concatenate(
            [np.repeat(floor, before, axis=0), mel, np.repeat(floor, n_frames - n - before, axis=0)]
        )
    return mel - mel.mean(axis=0, keepdims=True) if mean_normalize else mel
