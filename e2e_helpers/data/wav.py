"""Audio samples that know their sample rate (:class:`Waveform`), reading WAV files, checking
samples.

:class:`Waveform` is a 1-D NumPy array of mono samples with a ``sample_rate``
attribute, so the rate travels with the audio: :func:`read_wav` returns one,
and the speech functions refuse a Waveform recorded at another rate than the
one they work at. A plain array has no rate (unknown), and is taken at the
rate it is given with.

:func:`check_wave` is the one check of audio samples the package makes where
a recording enters (features, noise, voice activity, augmentation, the
recognisers): a 1-D array of finite numbers, at the expected rate when it
carries one. Integer samples are WAV's PCM (what ``scipy.io.wavfile.read``
returns): int16, int32 and uint8 become floats in [-1, 1] as a WAV reader
scales them (int16 / 32768, int32 / 2**31, (uint8 - 128) / 128), in
:class:`Waveform` and in :func:`check_wave` alike; other integer types are
refused, with the fix. :func:`read_wav` (with :mod:`soundfile`, which needs no FFmpeg)
also refuses float samples outside [-1, 1], naming the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import soundfile
from numpy.typing import ArrayLike, DTypeLike

from .._checks import check_positive_int

__all__ = ["Waveform", "read_wav", "check_wave"]

#: WAV's integer sample formats, ``(kind, bytes)``, and ``(offset, full scale)`` to [-1, 1).
_PCM = {("i", 2): (0, 2**15), ("i", 4): (0, 2**31), ("u", 1): (128, 128)}


def _pcm_to_float(array: np.ndarray, dtype: DTypeLike, name: str) -> np.ndarray:
    """Integer PCM *array* as *dtype* floats in [-1, 1), scaled as WAV readers do (or refused)."""
    try:
        offset, scale = _PCM[array.dtype.kind, array.dtype.itemsize]
    except KeyError:
        raise ValueError(
            f"{name} holds {array.dtype} samples; integer audio must be WAV's PCM (int16, int32 "
            "or uint8), which is scaled to [-1, 1] here. Convert it to floats in [-1, 1] first, "
            f"e.g. {name} / 32768 for 16-bit samples, or np.asarray({name}, dtype=float) if "
            "they already are in [-1, 1]."
        ) from None
    return ((array.astype(np.float64) - offset) / scale).astype(dtype, copy=False)


class Waveform(np.ndarray):
    """Mono samples with their ``sample_rate`` in Hz: ``Waveform(samples, 8000)`` (a view, no copy).

    Integer PCM samples (int16, int32, uint8) are scaled to float32 in [-1, 1]
    (a copy), so that a Waveform always holds the samples the features expect.

    A NumPy array in every other way: slices, views, copies and elementwise
    arithmetic (``0.5 * wave``, ``np.abs(wave)``) keep the rate; reductions
    (``wave.max()``, ``np.mean(wave**2)``) give plain NumPy scalars; pickling
    keeps it. Functions that build a new array (``np.concatenate``,
    ``np.pad``, ``np.asarray``) give a plain array, whose rate is unknown:
    wrap the result again, e.g. ``Waveform(np.concatenate([a, b]), a.sample_rate)``.

    >>> wave = Waveform([0.0, 0.5, -0.25], 8000)
    >>> wave[1:].sample_rate, (2 * wave).sample_rate, float(wave.max()), type(wave.max()).__name__
    (8000, 8000, 0.5, 'float64')
    >>> wave
    Waveform([ 0.  ,  0.5 , -0.25], sample_rate=8000)
    """

    sample_rate: int | None

    def __new__(cls, samples: ArrayLike, sample_rate: int) -> Waveform:
        array = np.asarray(samples)
        if array.ndim != 1:
            raise ValueError(
                f"a Waveform holds one mono recording (a 1-D array), got shape {array.shape}."
            )
        check_positive_int("sample_rate", sample_rate)
        if array.dtype.kind in "iu":
            array = _pcm_to_float(array, np.float32, "samples")
        wave = array.view(cls)
        wave.sample_rate = int(sample_rate)
        return wave

    def __array_finalize__(self, obj: Any) -> None:
        self.sample_rate = getattr(obj, "sample_rate", None)

    def __array_wrap__(
        self, array: np.ndarray, context: Any = None, return_scalar: bool = False
    ) -> Any:
        if array.ndim == 0:  # a reduction: a plain NumPy scalar, never a 0-d Waveform
            return array[()]
        return super().__array_wrap__(array, context)

    def __reduce__(self) -> tuple[Any, ...]:
        constructor, arguments, state = super().__reduce__()
        return constructor, arguments, (*state, self.sample_rate)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        *array_state, self.sample_rate = state
        super().__setstate__(tuple(array_state))

    def __repr__(self) -> str:
        return f"{super().__repr__()[:-1]}, sample_rate={self.sample_rate})"


def check_wave(
    wave: ArrayLike,
    *,
    name: str = "wave",
    dtype: DTypeLike = np.float64,
    sample_rate: int | None = None,
) -> np.ndarray:
    """*wave* as a plain 1-D array of *dtype* (no copy when it already is one), its samples checked
    to be finite.

    Integer PCM (int16, int32, uint8) is scaled to [-1, 1] first, as a WAV
    reader does; another integer type is refused. Raises ``ValueError`` for
    another shape, for values that are not numbers,
    for NaN or infinite samples (naming how many and the first index), and,
    when *sample_rate* is given, for a :class:`Waveform` at another rate
    (naming both; a plain array's rate is unknown, so it passes); *name* is
    what the message calls the array.

    >>> check_wave([0.0, 0.5]).dtype
    dtype('float64')
    >>> check_wave(np.array([-32768, 0, 16384], dtype=np.int16)).tolist()
    [-1.0, 0.0, 0.5]
    >>> check_wave([0.0, float("nan"), 0.5, float("inf")])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: wave holds 2 non-finite samples (1 NaN, 1 inf) of 4, the first at index 1: ...
    >>> check_wave(Waveform([0.0, 0.5], 44100), sample_rate=8000)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: wave is sampled at 44100 Hz, but 8000 Hz is expected here (sample_rate=8000): ...
    """
    rate = wave.sample_rate if isinstance(wave, Waveform) else None
    if sample_rate is not None and rate is not None and rate != sample_rate:
        raise ValueError(
            f"{name} is sampled at {rate} Hz, but {sample_rate} Hz is expected here "
            f"(sample_rate={sample_rate}): "
            f"resample it first, e.g. speech.resample({name}, {sample_rate})."
        )
    array = np.asarray(wave)
    if array.ndim != 1 or array.dtype.kind not in "iuf":
        raise ValueError(
            f"{name} must be a 1-D array of samples (one mono recording), "
            f"got shape {array.shape}, dtype {array.dtype}."
        )
    if array.dtype.kind in "iu":
        return _pcm_to_float(array, dtype, name)  # always finite
    with np.errstate(over="ignore"):  # a value beyond *dtype* becomes inf, reported below
        array = array.astype(dtype, copy=False)
    finite = np.isfinite(array)
    if not finite.all():
        raise ValueError(
            f"{name} holds {_non_finite(array, finite)} of {len(array)}, the first at index "
            f"{int(np.argmin(finite))}: replace them, e.g. with np.nan_to_num({name}), or "
            f"re-export the recording."
        )
    return array


def _non_finite(array: np.ndarray, finite: np.ndarray) -> str:
    """``"3 non-finite samples (2 NaN, 1 inf)"`` for the values of *array* where *finite* is
    False."""
    n_bad, n_nan = int(np.count_nonzero(~finite)), int(np.count_nonzero(np.isnan(array)))
    noun = "sample" if n_bad == 1 else "samples"
    return f"{n_bad} non-finite {noun} ({n_nan} NaN, {n_bad - n_nan} inf)"


def read_wav(path: Path | str) -> tuple[Waveform, int]:
    """Read a sound file as ``(float32 mono samples in [-1, 1], sample rate)``, the samples a
    :class:`Waveform` at that rate.

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
            f"{path} holds {_non_finite(samples, finite)}, the first at sample {first}: a float "
            f"WAV "
            "must hold numbers in [-1, 1]. Re-export the file (e.g. as 16-bit PCM), or read it "
            "with "
            "soundfile and replace them with np.nan_to_num."
        )
    loudest = float(np.abs(samples).max()) if samples.size else 0.0
    if loudest > 1.0:
        n_out = int(np.count_nonzero(np.abs(samples) > 1.0))
        raise ValueError(
            f"{path} holds {n_out} float sample{'s' if n_out > 1 else ''} outside [-1, 1] (largest "
            f"magnitude {loudest:.4g}): a float WAV must be scaled to [-1, 1]. Re-export it "
            f"normalised "
            f"(e.g. as 16-bit PCM), or read it with soundfile and divide the samples by "
            f"{loudest:.4g}."
        )
    return Waveform(samples.mean(axis=1, dtype=np.float32), int(rate)), int(rate)
