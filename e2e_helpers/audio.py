"""Audio: reading WAV files (with :mod:`soundfile`, which needs no FFmpeg), noise, voice activity.

MFCC and log-mel features live in :mod:`e2e_helpers.features`; digit strings
made from recordings in :mod:`e2e_helpers.strings`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

__all__ = ["read_wav", "add_noise", "frames", "frame_energy_db", "energy_vad"]


def read_wav(path: Path | str) -> tuple[np.ndarray, int]:
    """Read a sound file as ``(float32 mono samples in [-1, 1], sample rate)``.

    Several channels are averaged into one.
    """
    import soundfile

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"No audio file {path}: check the path (expected a .wav file).")
    try:
        samples, rate = soundfile.read(path, dtype="float32", always_2d=True)
    except (RuntimeError, TypeError) as exc:  # soundfile.LibsndfileError is a RuntimeError
        raise ValueError(
            f"{path} is not a readable WAV file ({exc}): expected PCM or float WAV audio; "
            "if it came with a dataset, delete it and load the dataset again to restore it."
        ) from exc
    return samples.mean(axis=1, dtype=np.float32), int(rate)


def add_noise(wave: np.ndarray, snr_db: float, rng: np.random.Generator | int | None = None) -> np.ndarray:
    """*wave* plus white Gaussian noise at a signal-to-noise ratio of *snr_db* decibels.

    The noise power is ``mean(wave**2) / 10**(snr_db / 10)``, measured over
    the whole signal (silences included). Returns float32.
    """
    wave = np.asarray(wave, dtype=np.float64)
    if wave.ndim != 1:
        raise ValueError(f"expected a 1-D array of samples, got shape {wave.shape}.")
    if not np.isfinite(snr_db):
        raise ValueError(f"snr_db must be a finite number of decibels, got {snr_db!r}.")
    rng = np.random.default_rng(rng)
    power = float(np.mean(wave**2)) if len(wave) else 0.0
    noise = rng.normal(0.0, np.sqrt(power / 10 ** (snr_db / 10)), size=wave.shape)
    return (wave + noise).astype(np.float32)


def frames(signal: np.ndarray, frame: int, hop: int) -> np.ndarray:
    """Overlapping frames ``(n_frames, frame)`` of a 1-D signal, one every *hop* samples (no padding)."""
    n_frames = 1 + (len(signal) - frame) // hop
    return signal[np.arange(frame)[None, :] + hop * np.arange(n_frames)[:, None]]


def frame_energy_db(wave: np.ndarray, sample_rate: int = 8000, frame_ms: float = 20.0, hop_ms: float = 10.0) -> np.ndarray:
    """Energy of each frame in decibels, ``10 log10(mean(x**2) + 1e-10)``; frames start every *hop_ms*."""
    wave = np.asarray(wave, dtype=np.float64)
    if wave.ndim != 1:
        raise ValueError(f"expected a 1-D array of samples, got shape {wave.shape}.")
    frame = int(round(sample_rate * frame_ms / 1000))
    hop = int(round(sample_rate * hop_ms / 1000))
    padded = np.pad(wave, (0, max(0, frame - len(wave)) + (-(len(wave) - frame)) % hop))
    return 10 * np.log10(np.mean(frames(padded, frame, hop) ** 2, axis=1) + 1e-10)


def energy_vad(
    wave: np.ndarray,
    sample_rate: int = 8000,
    *,
    threshold_db: float = 12.0,
    min_speech_ms: float = 80.0,
    min_silence_ms: float = 60.0,
    pad_ms: float = 20.0,
    hop_ms: float = 10.0,
) -> list[tuple[int, int]]:
    """Voice activity detection by frame energy: ``[(start, end), ...]`` in samples.

    A hand-designed rule, as in traditional recognisers: the noise floor is
    the 10th percentile of the frame energies; a frame is speech when its
    energy is more than *threshold_db* above the floor (and no more than
    40 dB below the loudest frame). Pauses shorter than *min_silence_ms* are
    bridged, bursts shorter than *min_speech_ms* dropped, and each segment is
    widened by *pad_ms* on both sides.
    """
    energy = frame_energy_db(wave, sample_rate, frame_ms=2 * hop_ms, hop_ms=hop_ms)
    floor = np.percentile(energy, 10)
    level = max(floor + threshold_db, energy.max() - 40.0)
    speech = energy > level
    hop = int(round(sample_rate * hop_ms / 1000))
    bridge, shortest, pad = (int(round(ms / hop_ms)) for ms in (min_silence_ms, min_speech_ms, pad_ms))
    runs = _runs(speech)
    merged: list[list[int]] = []
    for start, end in runs:
        if merged and start - merged[-1][1] < bridge:
            merged[-1][1] = end
        else:
            merged.append([start, end])
    segments = []
    for start, end in merged:
        if end - start >= shortest:
            segments.append((max(0, (start - pad) * hop), min(len(wave), (end + pad) * hop + hop)))
    return segments


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """``(start, end)`` frame indices of each run of True in *mask* (end exclusive)."""
    edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    return list(zip(np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist()))
