"""speech.corpus: FSDD split three ways by take, and each part's digit strings."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest
from fakedata import tone

from e2e_helpers.speech import corpus


@dataclass(frozen=True)
class _Take:
    digit: int
    speaker: str
    take: int


class _FakeFSDD:
    """Two speakers x ten digits x 12 takes of a tone per digit: what digit_corpus reads."""

    recordings = tuple(_Take(d, s, t) for s in ("ann", "bob") for d in range(10) for t in range(12))

    def official_split(self):
        train = tuple(r for r in self.recordings if r.take >= 5)
        return train, tuple(r for r in self.recordings if r.take < 5)

    def waveforms(self, recordings):
        return [tone(300 + 40 * r.digit, n=800 + 10 * r.take, seed=r.take) for r in recordings]

    def labels(self, recordings):
        return np.array([r.digit for r in recordings])


@pytest.fixture(scope="module")
def small():
    return corpus.digit_corpus(
        _FakeFSDD(), n_strings=30, n_validation_strings=10, n_test_strings=12
    )


def test_three_parts_by_take_and_strings_from_their_own_part(small):
    # takes 10-11 fit, 5-9 validate, 0-4 test: 2 speakers x 10 digits x (2, 5, 5)
    assert (len(small.fit_waves), len(small.validation_waves), len(small.test_waves)) == (
        40,
        100,
        100,
    )
    for strings, waves, digits in [
        (small.fit_strings, small.fit_waves, small.fit_digits),
        (small.validation_strings, small.validation_waves, small.validation_digits),
        (small.test_strings, small.test_waves, small.test_digits),
    ]:
        for s in strings:
            assert [int(digits[i]) for i in s.sources] == list(s.digits)
            assert all(0 <= i < len(waves) for i in s.sources)
    assert len(small.validation_sources) == 100 + 10
    assert small.test_string_sources == [s.sources for s in small.test_strings]


def test_training_set_rebuilds_the_same_strings_with_other_noise(small):
    waves, transcripts = small.training_set()
    noisy_waves, noisy_transcripts = small.training_set(snr_db=(0.0, 5.0))
    assert transcripts == noisy_transcripts
    assert len(waves) == 30 + 40 and transcripts[-1] == (int(small.fit_digits[-1]),)
    assert all(len(a) == len(b) for a, b in zip(waves, noisy_waves))
    assert not np.allclose(waves[0], noisy_waves[0])


def test_noisy_test_strings_measure_their_real_snr(small):
    _, light = small.noisy_test_strings(None)
    assert np.all((light > 19) & (light < 41))  # the strings' own 20-40 dB
    waves, measured = small.noisy_test_strings(10.0)
    # the added noise comes on top of the light noise: a little below the nominal 10 dB
    assert len(waves) == 12 and np.median(measured) < 10.0 and np.all(np.abs(measured - 10) < 0.5)


def test_right_scores_each_test_item(small):
    class Oracle:  # hears the truth, except for test string 0
        def predict_digits(self, waves):
            if len(waves) == len(small.test_waves):
                return [[int(d)] for d in small.test_digits]
            return [[]] + [list(s.digits) for s in small.test_strings[1:]]

    assert small.right(Oracle()).tolist() == [1.0] * 100
    strings = small.right(Oracle(), [s.wave for s in small.test_strings])
    assert strings.tolist() == [0.0] + [1.0] * 11


@pytest.mark.parametrize("option", ["n_strings", "n_validation_strings", "n_test_strings", "every"])
def test_bad_sizes_are_refused(option):
    with pytest.raises(ValueError, match=option):
        corpus.digit_corpus(_FakeFSDD(), **{option: 0})
