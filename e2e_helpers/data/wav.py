"""Reading WAV files, with :mod:`soundfile` (which needs no FFmpeg), as float32 mono samples; checking samples.

:func:`check_wave` is the one check of audio samples the package makes where
a recording enters (features, noise, voice activity, augmentation): a 1-D
array of finite numbers. :func:`read_wav` also refuses float samples outside
[-1, 1], naming the file.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile
from numpy.typing import ArrayLike, DTypeLike

__all__ = ["read_wav", "check_wave"]


def check_wave(wave: ArrayLike, *, name: str = "wave", dtype: DTypeLike = np.float64) -> np.ndarray:
    """*wave* as a 1-D array of *dtype* (no copy when it already is one), its samples checked to be finite.

    Raises ``ValueError`` for another shape, for values that are not numbers,
    and for NaN or infinite samples (naming how many and the first index);
    *name* is what the message calls the array.

    >>> check_wave([0.0, 0.5]).dtype
    dtype('float64')
    >>> check_wave([0.0, float("nan"), 0.5, float("inf")])
    Traceback (most recent call last):
    ...
    ValueError: wave holds 2 non-finite samples (1 NaN, 1 inf) of 4, the first at index 1: replace them, e.g. with np.nan_to_num(wave), or re-export the recording.
    """
    array = np.asarray(wave)
    if array.ndim != 1 or array.dtype.kind not in "iuf":
        raise ValueError(
            f"{name} must be a 1-D array of samples (one mono recording), "
            f"got shape {array.shape}, dtype {array.dtype}."
        )
    with np.errstate(over="ignore"):  # a value beyond *dtype* becomes inf, reported below
        array = array.astype(dtype, copy=False)
    finite = np.isfinite(array)
    if not finite.all():
        raise ValueError(
            f"{name} holds {_non_finite(array, finite)} of {len(array)}, the first at index "
            f"{int(np.argmin(finite))}: replace them, e.g. with np.nan_to_num({name}), or re-export the recording."
        )
    return array


def _non_finite(array: np.ndarray, finite: np.ndarray) -> str:
    """``"3 non-finite samples (2 NaN, 1 inf)"`` for the values of *array* where *finite* is False."""
    n_bad, n_nan = int(np.count_nonzero(~finite)), int(np.count_nonzero(np.isnan(array)))
    noun = "sample" if n_bad == 1 else "samples"
    return f"{n_bad} non-finite {noun} ({n_nan} NaN, {n_bad - n_nan} inf)"


def read_wav(path: Path | str) -> tuple[np.ndarray, int]:
    """Read a sound file as ``(float32 mono samples in [-1, 1], sample rate)``.

    Several channels are averaged into one. A float WAV holding NaN,
    infinite or out-of-range samples (beyond [-1, 1]) is refused with a
    ``ValueError`` naming the file.
    """
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
    finite = np.isfinite(samples)
    if not finite.all():
        first = int(np.argmin(finite.all(axis=1)))
        raise ValueError(
            f"{path} holds {_non_finite(samples, finite)}, the first at sample {first}: a float WAV "
            "must hold numbers in [-1, 1]. Re-export the file (e.g. as 16-bit PCM), or read it with "
            "soundfile and replace them with np.nan_to_num."
        )
    loudest = float(np.abs(samples).max()) if samples.size else 0.0
    if loudest > 1.0:
        n_out = int(np.count_nonzero(np.abs(samples) > 1.0))
        raise ValueError(
            f"{path} holds {n_out} float sample{'s' if n_out > 1 else ''} outside [-1, 1] (largest "
            f"magnitude {loudest:.4g}): a float WAV must be scaled to [-1, 1]. Re-export it normalised "
            f"(e.g. as 16-bit PCM), or read it with soundfile and divide the samples by {loudest:.4g}."
        )
    return samples.mean(axis=1, dtype=np.float32), int(rate)
