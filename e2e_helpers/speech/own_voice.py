"""A learner's own recording, checked before any recogniser hears it.

:func:`voice_recording` takes what a microphone or a file gave (samples with
their rate, a WAV file's path or its bytes) and returns one mono
:class:`~e2e_helpers.data.Waveform` at the rate it was recorded at, or a
``ValueError`` that says what was expected and how to fix it. The rules:

- **stereo** (or more channels) is mixed down to mono, with a note (a ``UserWarning``);
- **rates** from 8 kHz to 192 kHz are kept (``to_rate=8000`` resamples for the 8 kHz
  recognisers, with :func:`~e2e_helpers.speech.audio.resample`); lower rates are refused;
- **empty** or shorter than 0.2 s: refused;
- **too long** (over *max_seconds*, 30 s by default): refused, not trimmed, so that
  nothing half-done goes on (the recorder widget stops itself at the limit instead);
- **silent** (no 20-ms frame above -55 dBFS; the quietest FSDD recording peaks near
  -48 dBFS): refused;
- **clipped** (more than 0.1 % of the samples at full scale): refused.

Nothing is written to disk: file bytes are decoded in memory with soundfile.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import numpy as np
import soundfile
from numpy.typing import ArrayLike

from ..data import Waveform, check_wave
from .audio import frame_energy_db, resample

__all__ = ["voice_recording"]

#: Rates accepted (Hz): the recognisers' 8 kHz up to studio rates.
RATES = (8000, 192_000)
#: Shortest take (s): a spoken digit lasts about 0.3-0.8 s.
MIN_SECONDS = 0.2
#: A take whose loudest 20-ms frame is below this (dB re full scale) is silence.
SILENCE_DBFS = -55.0
#: A sample at or beyond this magnitude is at full scale.
FULL_SCALE = 0.999
#: More than this share of full-scale samples is clipping.
CLIPPED_SHARE = 0.001
_AGAIN = "record again, or pass another WAV file"


def _too_long(name: str, seconds: float, max_seconds: float) -> ValueError:
    """The error for a take longer than *max_seconds*."""
    return ValueError(
        f"{name} is {seconds:.1f} s long, more than max_seconds={max_seconds:g}: a few "
        f"digits take 2-5 s. Cut it to the part you want (e.g. samples[: 10 * rate]) or "
        f"record a shorter take; nothing was kept."
    )


def _decoded(source: bytes | str | Path, max_seconds: float) -> tuple[np.ndarray, int, str]:
    """``(samples (n, channels), rate, name)`` of a sound file given by its path or bytes; a file
    longer than *max_seconds* is refused before it is decoded."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.is_file():
            raise FileNotFoundError(f"No audio file {path}: check the path (expected a .wav file).")
        name, data = str(path), path.read_bytes()
    else:
        name, data = "the uploaded file", bytes(source)
    if not data:
        raise ValueError(f"{name} is empty (0 bytes): expected a WAV file; {_AGAIN}.")
    try:
        with soundfile.SoundFile(io.BytesIO(data)) as sound:
            rate = int(sound.samplerate)
            if rate > 0 and sound.frames / rate > max_seconds:
                raise _too_long(name, sound.frames / rate, max_seconds)
            samples = sound.read(dtype="float32", always_2d=True)
    except (RuntimeError, TypeError) as exc:  # soundfile.LibsndfileError is a RuntimeError
        raise ValueError(
            f"{name} is not a readable sound file ({exc}): expected a WAV file (PCM or float), "
            "e.g. exported from a voice-recorder app or Audacity as 'WAV (16-bit PCM)'."
        ) from exc
    return samples, rate, name


def _as_channels(samples: np.ndarray) -> np.ndarray:
    """*samples* as ``(n, channels)``: a 1-D array is one channel; ``(channels, n)`` is turned."""
    if samples.ndim == 1:
        return samples[:, None]
    if samples.ndim == 2:
        if samples.shape[0] <= 8 < samples.shape[1]:
            return samples.T
        if samples.shape[1] <= 8:
            return samples
    raise ValueError(
        f"expected the samples of one recording: a 1-D array, or (samples, channels) with at "
        f"most 8 channels; got shape {samples.shape}."
    )


def _mono(channels: np.ndarray, name: str) -> np.ndarray:
    """One channel: the mean of several, with a note."""
    n = channels.shape[1]
    if n > 1:
        kind = "stereo" if n == 2 else f"{n}-channel"
        warnings.warn(
            f"{name[0].upper()}{name[1:]} is {kind}: its {n} channels were averaged into one "
            "(mono), as the recognisers expect.",
            UserWarning,
            stacklevel=3,
        )
    columns = [check_wave(channels[:, i], name=name, dtype=np.float32) for i in range(n)]
    return columns[0] if n == 1 else np.mean(columns, axis=0, dtype=np.float32)


def _check_level(wave: np.ndarray, rate: int, name: str) -> None:
    """Refuse silence and clipping."""
    loudest = float(frame_energy_db(wave - wave.mean(), rate).max())
    if loudest < SILENCE_DBFS:
        raise ValueError(
            f"{name} is silent: its loudest moment is at {loudest:.0f} dBFS, below the "
            f"{SILENCE_DBFS:.0f} dBFS of a quiet voice. Check that the microphone is not muted "
            f"and is the input the browser or system uses, speak closer, then {_AGAIN}."
        )
    share = float(np.mean(np.abs(wave) >= FULL_SCALE))
    if share > CLIPPED_SHARE:
        raise ValueError(
            f"{name} is clipped: {share:.1%} of its samples are at full scale (more than "
            f"{CLIPPED_SHARE:.1%}), so the loudest parts are cut flat. Speak a little further "
            f"from the microphone or lower its input level, then {_AGAIN}."
        )


def voice_recording(
    source: ArrayLike | bytes | str | Path,
    sample_rate: int | None = None,
    *,
    max_seconds: float = 30.0,
    to_rate: int | None = None,
) -> Waveform:
    """A checked mono :class:`~e2e_helpers.data.Waveform` of one recording, at its own rate.

    *source* is a WAV file's path or bytes (the rate is the file's), a
    Waveform, or samples (1-D, or ``(samples, channels)``; int16/int32 PCM or
    floats in [-1, 1]) recorded at *sample_rate* Hz. *to_rate* (e.g. 8000)
    resamples the checked recording. The module docstring lists what is refused.

    >>> t = np.arange(48_000) / 48_000
    >>> wave = voice_recording(0.3 * np.sin(2 * np.pi * 220 * t), 48_000, to_rate=8000)
    >>> wave.sample_rate, len(wave)
    (8000, 8000)
    >>> voice_recording(np.zeros(48_000), 48_000)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: the recording is silent: its loudest moment is at -100 dBFS, ...
    """
    if not (isinstance(max_seconds, (int, float)) and max_seconds > 0):
        raise ValueError(f"max_seconds must be a positive number of seconds, got {max_seconds!r}.")
    if isinstance(source, (bytes, bytearray, memoryview, str, Path)):
        if sample_rate is not None:
            raise ValueError(
                "a sound file carries its own rate: drop sample_rate, or pass the samples instead."
            )
        samples, rate, name = _decoded(source, max_seconds)
    else:
        name = "the recording"
        rate = source.sample_rate if isinstance(source, Waveform) else sample_rate
        if rate is None:
            raise ValueError(
                "the rate of plain samples is unknown: pass it, e.g. "
                "voice_recording(samples, 48000)."
            )
        if isinstance(source, Waveform) and sample_rate not in (None, rate):
            raise ValueError(f"the Waveform is at {rate} Hz, not sample_rate={sample_rate}.")
        samples = np.asarray(source)
    if not isinstance(rate, (int, np.integer)) or not RATES[0] <= rate <= RATES[1]:
        raise ValueError(
            f"{name} is sampled at {rate} Hz: expected a whole number of Hz from {RATES[0]} to "
            f"{RATES[1]} (microphones record at 16, 44.1 or 48 kHz). Record at one of those."
        )
    rate, channels = int(rate), _as_channels(samples)
    seconds = len(channels) / rate
    if seconds < MIN_SECONDS:
        length = f"only {seconds:.2f} s long" if len(channels) else "empty"
        raise ValueError(
            f"{name} is {length}: nothing to recognise (a digit takes about half a second). "
            f"Press record, speak, wait a moment, press stop; or pass another WAV file."
        )
    if seconds > max_seconds:
        raise _too_long(name, seconds, max_seconds)
    wave = _mono(channels, name)
    if np.abs(wave).max() > 1.0:
        raise ValueError(
            f"{name} holds float samples beyond [-1, 1] (largest {np.abs(wave).max():.3g}): "
            "scale them to [-1, 1] first, or pass int16 PCM."
        )
    _check_level(wave, rate, name)
    checked = Waveform(wave, rate)
    return checked if to_rate is None else resample(checked, to_rate)
