"""Digit strings ("three one four") made by joining recordings of single spoken digits.

FSDD holds isolated digits only; connected-digit recognition needs strings.
:func:`synthesize_strings` joins 1 to 5 recordings with random pauses, a
random loudness per word and light background noise, deterministically for a
given seed. Which recordings it may use is up to the caller: pass only the
training takes (5-49) for training strings and only the test takes (0-4) for
test strings, and no recording appears in both.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from .audio import Waveform, add_noise, check_wave

__all__ = [
    "DIGIT_WORDS",
    "digits_to_text",
    "text_to_digits",
    "synthesize_strings",
]

#: The lexicon: digit -> word.
DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def digits_to_text(digits: Sequence[int]) -> str:
    """``[3, 1, 4]`` -> ``"three one four"``.

    >>> digits_to_text([3, 1, 4])
    'three one four'
    """
    try:
        values = [int(d) for d in digits]
    except (TypeError, ValueError):
        values = None
    if values is None or any(not 0 <= d <= 9 for d in values):
        raise ValueError(f"expected a sequence of digits 0-9, got {digits!r}.")
    return " ".join(DIGIT_WORDS[d] for d in values)


def text_to_digits(text: str) -> list[int]:
    """``"three one four"`` or ``"314"`` -> ``[3, 1, 4]``; ``""`` (nothing recognised) -> ``[]``.

    >>> text_to_digits(digits_to_text([])), text_to_digits("Three ONE")
    ([], [3, 1])
    """
    text = text.strip().lower()
    words = text.split()
    if not words:
        return []
    if all(w in DIGIT_WORDS for w in words):
        return [DIGIT_WORDS.index(w) for w in words]
    compact = text.replace(" ", "")
    if compact.isdigit():
        return [int(c) for c in compact]
    raise ValueError(
        f"{text!r} is neither digits such as '314' nor digit words such as 'three one four'."
    )


@dataclass(frozen=True)
class DigitString:
    """A synthetic utterance: samples (a :class:`~e2e_helpers.speech.audio.Waveform` at
    ``sample_rate``), the digits
    spoken, where each word lies (samples), its measured SNR (dB) and, from
    :func:`synthesize_strings`, the index of each word's recording (``sources``)."""

    wave: np.ndarray
    digits: tuple[int, ...]
    words: tuple[tuple[int, int], ...]
    sample_rate: int = 8000
    snr_db: float = math.inf  # speech power over the power of the noise actually added (inf: none)
    sources: tuple[int, ...] = ()  # which of synthesize_strings' recordings, word by word

    @property
    def text(self) -> str:
        """The transcript, e.g. ``"three one four"``."""
        return digits_to_text(self.digits)

    @property
    def seconds(self) -> float:
        """The duration in seconds."""
        return len(self.wave) / self.sample_rate


def join_recordings(
    recordings: Sequence[np.ndarray],
    digits: Sequence[int],
    rng: np.random.Generator | int | None = None,
    *,
    sample_rate: int = 8000,
    gap_s: tuple[float, float] = (0.05, 0.4),
    edge_s: tuple[float, float] = (0.0, 0.3),
    gain: tuple[float, float] = (0.3, 0.9),
    snr_db: float | tuple[float, float] | None = (20.0, 40.0),
) -> DigitString:
    """Join *recordings* (one per digit) into a :class:`DigitString`.

    Each recording is scaled to a random peak in *gain*; pauses between words
    last a random time in *gap_s*, silences at the start and end in *edge_s*;
    then white noise at *snr_db* decibels is added (a ``(low, high)`` pair:
    a random SNR in that range; None: no noise). The string's ``snr_db``
    is the ratio measured afterwards, of the speech's power (pauses
    included) to the power of the noise that was added. The string's
    ``wave`` is a :class:`~e2e_helpers.speech.audio.Waveform` at
    *sample_rate*; a recording that is a Waveform at another rate is refused.
    """
    if len(recordings) != len(digits) or not len(digits):
        raise ValueError(
            f"need one recording per digit and at least one, got {len(recordings)} recordings for "
            f"{len(digits)} digits."
        )
    recordings = [
        check_wave(r, name=f"recordings[{i}]", dtype=np.float32, sample_rate=sample_rate)
        for i, r in enumerate(recordings)
    ]
    rng = np.random.default_rng(rng)
    pieces: list[np.ndarray] = []
    words: list[tuple[int, int]] = []
    position = 0

    def pause(bounds: tuple[float, float]) -> None:
        nonlocal position
        n = int(rng.uniform(*bounds) * sample_rate)
        pieces.append(np.zeros(n, dtype=np.float32))
        position += n

    pause(edge_s)
    for i, wave in enumerate(recordings):
        if i:
            pause(gap_s)
        peak = float(np.max(np.abs(wave))) or 1.0
        pieces.append(wave * (rng.uniform(*gain) / peak))
        words.append((position, position + len(wave)))
        position += len(wave)
    pause(edge_s)
    clean = np.concatenate(pieces)
    wave, measured = clean, math.inf
    if snr_db is not None:
        snr = rng.uniform(*snr_db) if isinstance(snr_db, tuple) else snr_db
        wave = add_noise(clean, snr, rng)
        noise_power = float(np.mean((wave.astype(np.float64) - clean) ** 2))
        measured = (
            10 * math.log10(float(np.mean(clean.astype(np.float64) ** 2)) / noise_power)
            if noise_power > 0
            else math.inf
        )
    return DigitString(
        wave=Waveform(wave, sample_rate),
        digits=tuple(int(d) for d in digits),
        words=tuple(words),
        sample_rate=sample_rate,
        snr_db=measured,
    )


def synthesize_strings(
    waves: Sequence[np.ndarray],
    labels: Sequence[int],
    n: int,
    seed: int = 0,
    *,
    min_digits: int = 1,
    max_digits: int = 5,
    **join_options: Any,
) -> list[DigitString]:
    """*n* random digit strings of *min_digits*..*max_digits* digits, from *waves* only.

    Each digit is drawn uniformly, then a random recording of that digit from
    *waves* (with digit *labels*); each string's ``sources`` are those
    recordings' indexes in *waves* (strings share recordings, so an interval
    over strings should resample the recordings). The same seed gives the
    same strings, whatever the noise options.
    Further options go to :func:`join_recordings`.
    """
    labels = np.asarray(labels)
    if len(waves) != len(labels):
        raise ValueError(f"waves and labels differ in length ({len(waves)} vs {len(labels)}).")
    if not 1 <= min_digits <= max_digits:
        raise ValueError(f"need 1 <= min_digits <= max_digits, got {min_digits}, {max_digits}.")
    by_digit = {d: np.flatnonzero(labels == d) for d in range(10)}
    missing = [d for d, idx in by_digit.items() if not len(idx)]
    if missing:
        raise ValueError(f"no recording of digit(s) {missing}: pass recordings of all ten digits.")
    rng = np.random.default_rng(seed)
    strings = []
    for _ in range(n):
        digits = rng.integers(0, 10, size=rng.integers(min_digits, max_digits + 1))
        sources = tuple(int(rng.choice(by_digit[int(d)])) for d in digits)
        joined = join_recordings([waves[i] for i in sources], digits, rng, **join_options)
        strings.append(replace(joined, sources=sources))
    return strings
