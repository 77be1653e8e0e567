"""The speech experiment's data: FSDD split three ways, and the digit strings built from each part.

Every setting of either recogniser is chosen on the validation part; the test part is used once
per final model::

    takes 10-49  -> fitting:    isolated recordings + strings joined from them
    takes  5-9   -> validation: isolated recordings + strings joined from them
    takes  0-4   -> test:       isolated recordings + strings joined from them

No recording is heard in two parts, so a validation or test string is made of recordings the
models never trained on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._checks import check_positive_int
from .audio import add_noise
from .digit_strings import DigitString, synthesize_strings

__all__ = ["DigitCorpus", "digit_corpus"]

#: The takes of each speaker and digit kept for validation (the official test takes are 0-4).
VALIDATION_TAKES = range(5, 10)
#: The light background noise of every string (a random SNR in this range, dB).
LIGHT_NOISE_DB = (20.0, 40.0)


@dataclass(frozen=True)
class DigitCorpus:
    """Isolated recordings and digit strings for fitting, validation and test.

    ``*_waves`` / ``*_digits``: isolated recordings and their digits;
    ``*_strings``: :class:`~e2e_helpers.speech.digit_strings.DigitString`\\ s
    joined from that part's recordings only (their ``sources`` index that
    part's waves).
    """

    fit_waves: list[np.ndarray]
    fit_digits: np.ndarray
    validation_waves: list[np.ndarray]
    validation_digits: np.ndarray
    test_waves: list[np.ndarray]
    test_digits: np.ndarray
    fit_strings: list[DigitString]
    validation_strings: list[DigitString]
    test_strings: list[DigitString]
    fit_speakers: np.ndarray
    test_speakers: np.ndarray
    seed: int = 1

    def training_set(
        self, snr_db: tuple[float, float] = LIGHT_NOISE_DB
    ) -> tuple[list[np.ndarray], list[tuple[int, ...]]]:
        """What both recognisers train on: the fitting strings, then the isolated fitting takes.

        *snr_db*: the strings' noise; another range (e.g. ``(0.0, 40.0)``,
        multi-condition training) rebuilds the same strings, word for word,
        with that noise.
        """
        strings = self.fit_strings
        if tuple(snr_db) != LIGHT_NOISE_DB:
            strings = synthesize_strings(
                self.fit_waves, self.fit_digits, len(strings), seed=self.seed, snr_db=snr_db
            )
        waves = [s.wave for s in strings] + list(self.fit_waves)
        return waves, [s.digits for s in strings] + [(int(d),) for d in self.fit_digits]

    def noisy_test_strings(self, snr_db: float | None) -> tuple[list[np.ndarray], np.ndarray]:
        """The test strings with white noise added at *snr_db* (None: as they are), and the SNR
        each really has (dB).

        The noise goes on top of the strings' own light noise, so the real
        SNR, speech power over the power of all the noise, lies below the
        nominal one; it is measured against the same strings built without
        any noise. Noise seeds: 1000 + string number.
        """
        waves = [s.wave for s in self.test_strings]
        if snr_db is not None:
            waves = [add_noise(w, snr_db, rng=1000 + k) for k, w in enumerate(waves)]
        # the same strings, draw for draw, with noise 300 dB down: the speech alone
        clean = synthesize_strings(
            self.test_waves,
            self.test_digits,
            len(self.test_strings),
            seed=self.seed + 2,
            snr_db=(300.0, 300.0),
        )
        measured = [
            10
            * np.log10(
                np.mean(np.square(c.wave, dtype=np.float64))
                / max(float(np.mean(np.square(np.asarray(w, np.float64) - c.wave))), 1e-30)
            )
            for w, c in zip(waves, clean)
        ]
        return waves, np.array(measured)

    def right(self, recogniser: Any, waves: Sequence[np.ndarray] | None = None) -> np.ndarray:
        """Per test item, whether *recogniser* got it exactly right (1.0 or 0.0).

        *waves*: test strings (e.g. from :meth:`noisy_test_strings`), scored
        against the test strings' digits; None: the isolated test recordings,
        where only exactly one right digit counts.
        """
        if waves is None:
            found = recogniser.predict_digits(self.test_waves)
            return np.array([f == [int(d)] for f, d in zip(found, self.test_digits)], float)
        found = recogniser.predict_digits(list(waves))
        return np.array([f == list(s.digits) for f, s in zip(found, self.test_strings)], float)

    @property
    def validation_sources(self) -> list[tuple[int, ...]]:
        """The recordings behind each validation item: the isolated ones, then the strings'."""
        isolated = [(i,) for i in range(len(self.validation_waves))]
        return isolated + [s.sources for s in self.validation_strings]

    @property
    def test_string_sources(self) -> list[tuple[int, ...]]:
        """Each test string's recordings (indexes of ``test_waves``): what an interval resamples."""
        return [s.sources for s in self.test_strings]


def _part(fsdd: Any, recordings: Sequence[Any]) -> tuple[list[np.ndarray], np.ndarray]:
    return fsdd.waveforms(recordings), np.asarray(fsdd.labels(recordings))


def digit_corpus(
    fsdd: Any,
    *,
    n_strings: int = 3000,
    n_validation_strings: int = 300,
    n_test_strings: int = 500,
    every: int = 1,
    seed: int = 1,
) -> DigitCorpus:
    """Split *fsdd* (``data.load("fsdd")``) by take and build each part's strings.

    *every*: keep every k-th fitting recording (fast runs). Strings: 1 to 5
    digits with light noise (:data:`LIGHT_NOISE_DB`); the fitting strings are
    drawn with *seed*, validation with *seed* + 1, test with *seed* + 2.
    """
    for name, value in [
        ("n_strings", n_strings),
        ("n_validation_strings", n_validation_strings),
        ("n_test_strings", n_test_strings),
        ("every", every),
    ]:
        check_positive_int(name, value)
    train, test = fsdd.official_split()
    fit = [r for r in train if r.take not in VALIDATION_TAKES][::every]
    validation = [r for r in train if r.take in VALIDATION_TAKES]
    (fit_w, fit_d), (val_w, val_d), (test_w, test_d) = (
        _part(fsdd, part) for part in (fit, validation, test)
    )
    return DigitCorpus(
        fit_waves=fit_w,
        fit_digits=fit_d,
        validation_waves=val_w,
        validation_digits=val_d,
        test_waves=test_w,
        test_digits=test_d,
        fit_strings=synthesize_strings(fit_w, fit_d, n_strings, seed=seed),
        validation_strings=synthesize_strings(val_w, val_d, n_validation_strings, seed=seed + 1),
        test_strings=synthesize_strings(test_w, test_d, n_test_strings, seed=seed + 2),
        fit_speakers=np.array([r.speaker for r in fit]),
        test_speakers=np.array([r.speaker for r in test]),
        seed=seed,
    )
