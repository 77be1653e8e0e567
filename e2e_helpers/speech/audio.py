"""Audio: noise, framing, voice activity, augmentation, resampling (and :class:`Waveform`,
:func:`read_wav`, :func:`check_wave`, from :mod:`e2e_helpers.data`).

Every function here takes samples through :func:`check_wave`: a 1-D array of
finite numbers, or a ``ValueError`` that says how many samples are NaN or
infinite, where the first one is, and how to fix them. A function with a
``sample_rate`` refuses a :class:`Waveform` recorded at another rate (resample
it first: :func:`resample`); :func:`add_noise`, :func:`time_shift`,
:func:`speed_perturb` and :func:`augment` return a Waveform at the input's
rate for a Waveform, a plain array for a plain array.

MFCC and log-mel features live in :mod:`e2e_helpers.speech.features`; digit
strings made from recordings in :mod:`e2e_helpers.speech.digit_strings`.
Importing this module needs neither torch nor scikit-learn; only
:func:`resample` and :func:`speed_perturb` (and so :func:`augment`) import
torchaudio, when called.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .._checks import Interval, check_positive_int, validate_params
from ..data import Waveform, check_wave, read_wav

__all__ = [
    "Waveform",
    "read_wav",
    "check_wave",
    "resample",
    "add_noise",
    "frames",
    "energy_vad",
    "time_shift",
    "speed_perturb",
    "augment",
]

#: Speed factors of :func:`augment`: each resamples by a ratio of small integers (fast).
SPEEDS = (0.85, 0.9, 0.95, 1.05, 1.1, 1.15)


def _like(out: np.ndarray, wave: object) -> np.ndarray:
    """*out* as a :class:`Waveform` at *wave*'s rate when *wave* is a Waveform that knows it, else
    *out* as it is."""
    rate = wave.sample_rate if isinstance(wave, Waveform) else None
    return out if rate is None else Waveform(out, rate)


def add_noise(
    wave: np.ndarray, snr_db: float, rng: np.random.Generator | int | None = None
) -> np.ndarray:
    """*wave* plus white Gaussian noise at a signal-to-noise ratio of *snr_db* decibels.

    The noise power is ``mean(wave**2) / 10**(snr_db / 10)``, measured over
    the whole signal (silences included). Returns float32 (a Waveform at
    the input's rate for a Waveform).
    """
    samples = check_wave(wave)
    validate_params({"snr_db": snr_db}, {"snr_db": [Interval(float)]})
    rng = np.random.default_rng(rng)
    power = float(np.mean(samples**2)) if len(samples) else 0.0
    noise = rng.normal(0.0, np.sqrt(power / 10 ** (snr_db / 10)), size=samples.shape)
    return _like((samples + noise).astype(np.float32), wave)


def time_shift(wave: np.ndarray, samples: int) -> np.ndarray:
    """*wave* moved later (*samples* > 0) or earlier (< 0) by adding that much silence before or
    after it."""
    mono = _mono(wave)
    silence = np.zeros(abs(int(samples)), dtype=np.float32)
    return _like(np.concatenate([silence, mono] if samples > 0 else [mono, silence]), wave)


def resample(wave: np.ndarray, sample_rate: int, *, from_rate: int | None = None) -> Waveform:
    """*wave* resampled to *sample_rate* Hz (torchaudio's band-limited sinc interpolation), float32.

    The rate it is at comes from the :class:`Waveform` itself, or from
    *from_rate* for a plain array (given both, they must agree). Returns a
    Waveform at *sample_rate*, e.g. a 44.1 kHz recording made ready for the
    8 kHz recognisers: ``resample(wave, 8000)``.
    """
    own = wave.sample_rate if isinstance(wave, Waveform) else None
    if own is None and from_rate is None:
        raise ValueError(
            "the rate of a plain array is unknown: pass it, e.g. resample(wave, 8000, "
            "from_rate=44100)."
        )
    if own is not None and from_rate is not None and own != from_rate:
        raise ValueError(
            f"the Waveform is sampled at {own} Hz, not from_rate={from_rate}: drop from_rate, or "
            f"fix it."
        )
    source = own if own is not None else from_rate
    check_positive_int("sample_rate", sample_rate)
    check_positive_int("from_rate", source)
    return Waveform(_resampled(_mono(wave), source, sample_rate), sample_rate)


def _resampled(samples: np.ndarray, from_rate: int, to_rate: int) -> np.ndarray:
    """float32 *samples* at *from_rate* resampled to *to_rate* with
    ``torchaudio.functional.resample`` (a copy)."""
    import torch
    import torchaudio.functional as F

    if from_rate == to_rate or not len(samples):
        return samples.copy()
    with torch.no_grad():
        out = F.resample(torch.from_numpy(samples)[None], from_rate, to_rate)
    return out[0].numpy()


def speed_perturb(wave: np.ndarray, factor: float, sample_rate: int = 8000) -> np.ndarray:
    """*wave* played *factor* times faster: shorter, higher in pitch and formants (torchaudio
    resampling).

    The classic speed perturbation of speech recognisers (Ko et al., 2015): the
    samples are treated as if recorded at ``factor * sample_rate`` and resampled
    to *sample_rate*, which changes duration, pitch and vocal-tract resonances
    together, like a different speaker talking at a different pace. Factors
    whose ``factor * sample_rate`` shares a large divisor with *sample_rate*
    (such as :data:`SPEEDS` at 8 kHz) are fast; others can be slow. A
    :class:`Waveform` at another rate than *sample_rate* is refused.
    """
    samples = _mono(wave, sample_rate)
    validate_params({"factor": factor}, {"factor": [Interval(float, 0.5, 2.0)]})
    return _like(_resampled(samples, int(round(sample_rate * factor)), sample_rate), wave)


def augment(
    wave: np.ndarray,
    rng: np.random.Generator | int | None = None,
    sample_rate: int = 8000,
    *,
    speeds: tuple[float, ...] = SPEEDS,
    max_shift_ms: float = 100.0,
    snr_db: tuple[float, float] = (10.0, 30.0),
) -> np.ndarray:
    """A randomly perturbed copy of *wave*: speed (and so pitch), then a time shift, then white
    noise.

    Each call draws a speed from *speeds* (:func:`speed_perturb`), a shift of
    up to *max_shift_ms* either way (:func:`time_shift`) and a signal-to-noise
    ratio uniformly from *snr_db* (:func:`add_noise`). Pass one
    ``numpy.random.Generator`` to a loop over recordings for reproducible copies.
    A :class:`Waveform` at another rate than *sample_rate* is refused.
    """
    rng = np.random.default_rng(rng)
    low, high = snr_db
    if not speeds or low > high or max_shift_ms < 0:
        raise ValueError(
            f"need at least one speed, snr_db=(low, high) with low <= high and max_shift_ms >= 0, "
            f"got speeds={speeds!r}, snr_db={snr_db!r}, max_shift_ms={max_shift_ms!r}."
        )
    out = speed_perturb(wave, float(rng.choice(speeds)), sample_rate)
    most = int(sample_rate * max_shift_ms / 1000)
    out = time_shift(out, int(rng.integers(-most, most + 1)))
    return add_noise(out, float(rng.uniform(low, high)), rng)


def _mono(wave: np.ndarray, sample_rate: int | None = None) -> np.ndarray:
    return check_wave(wave, dtype=np.float32, sample_rate=sample_rate)


def frames(signal: np.ndarray, frame: int, hop: int) -> np.ndarray:
    """Overlapping frames ``(n_frames, frame)`` of a 1-D signal, one every *hop* samples (no
    padding).

    A signal shorter than one frame has no frames. A new array, not a view
    (the frames overlap; a caller may write into them).

    >>> frames(np.arange(7), frame=3, hop=2).tolist()
    [[0, 1, 2], [2, 3, 4], [4, 5, 6]]
    """
    check_positive_int("frame", frame)
    check_positive_int("hop", hop)
    if len(signal) < frame:
        return np.empty((0, frame), dtype=signal.dtype)
    return sliding_window_view(signal, frame)[::hop].copy()


def frame_energy_db(
    wave: np.ndarray, sample_rate: int = 8000, frame_ms: float = 20.0, hop_ms: float = 10.0
) -> np.ndarray:
    """Energy of each frame in decibels, ``10 log10(mean(x**2) + 1e-10)``; frames start every
    *hop_ms*."""
    wave = check_wave(wave, sample_rate=sample_rate)
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
    bridge, shortest, pad = (
        int(round(ms / hop_ms)) for ms in (min_silence_ms, min_speech_ms, pad_ms)
    )
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
