"""speech.digit_strings: digit strings from recordings, deterministic, only from the recordings
given."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from e2e_helpers.speech import audio, digit_strings


def _pool(value_of=lambda d, k: d * 10 + k):
    """Constant recordings whose value tells which one was used: digit d, take k -> d*10+k."""
    waves = [np.full(800, value_of(d, k), dtype=np.float32) for d in range(10) for k in range(3)]
    labels = [d for d in range(10) for _ in range(3)]
    return waves, labels


def test_lexicon_round_trip():
    assert digit_strings.digits_to_text([3, 1, 4]) == "three one four"
    assert digit_strings.text_to_digits("three one four") == [3, 1, 4]
    assert digit_strings.text_to_digits(" 3 14") == [3, 1, 4]
    with pytest.raises(ValueError, match="digit words"):
        digit_strings.text_to_digits("three-ish")
    for bad in ([12], [-1], ["x"], 3):
        with pytest.raises(ValueError, match="digits 0-9"):
            digit_strings.digits_to_text(bad)  # -1 is no digit (not the last word)


@given(st.lists(st.integers(min_value=0, max_value=9), max_size=12))
def test_digits_and_text_round_trip(digits):
    text = digit_strings.digits_to_text(digits)
    assert digit_strings.text_to_digits(text) == digits
    assert digit_strings.text_to_digits(f"  {text.upper()} ") == digits, (
        "case and outer spaces do not matter"
    )
    assert digit_strings.text_to_digits("".join(map(str, digits))) == digits, (
        "'314' reads as 3, 1, 4"
    )
    assert digit_strings.digits_to_text(digit_strings.text_to_digits(text)) == text


def test_join_places_words_where_it_says():
    rng = np.random.default_rng(0)
    a, b = np.ones(400, np.float32), -np.ones(600, np.float32)
    s = digit_strings.join_recordings([a, b], [4, 2], rng, snr_db=None, gain=(0.5, 0.5))
    assert s.digits == (4, 2) and s.text == "four two"
    (a0, a1), (b0, b1) = s.words
    assert a1 - a0 == 400 and b1 - b0 == 600 and b0 - a1 >= 0.05 * 8000
    np.testing.assert_allclose(s.wave[a0:a1], 0.5)
    np.testing.assert_allclose(s.wave[b0:b1], -0.5)
    assert s.wave[:a0].max() == 0.0 and s.seconds == len(s.wave) / 8000


def test_synthesis_is_deterministic_and_uses_only_the_pool():
    waves, labels = _pool(lambda d, k: 1.0 + d + 0.1 * k)
    first = digit_strings.synthesize_strings(
        waves, labels, 40, seed=3, snr_db=None, gain=(1.0, 1.0)
    )
    again = digit_strings.synthesize_strings(
        waves, labels, 40, seed=3, snr_db=None, gain=(1.0, 1.0)
    )
    other = digit_strings.synthesize_strings(
        waves, labels, 40, seed=4, snr_db=None, gain=(1.0, 1.0)
    )
    assert [s.digits for s in first] == [s.digits for s in again]
    assert all(np.array_equal(x.wave, y.wave) for x, y in zip(first, again))
    assert [s.digits for s in first] != [s.digits for s in other]
    assert all(s.text == digit_strings.digits_to_text(s.digits) for s in first)
    assert {len(s.digits) for s in first} == {1, 2, 3, 4, 5}
    for s in first:
        for start, end in s.words:
            value = s.wave[start]
            assert np.all(s.wave[start:end] == value), "each word is one whole recording"
            assert value == pytest.approx(1.0), "gain (1, 1): every word peaks at 1"


def test_strings_use_only_the_recordings_given():
    """Recording i has length 400 + 8 i, so each word's length tells which recording it is."""
    waves = [np.ones(400 + 8 * i, np.float32) for i in range(60)]
    labels = [i % 10 for i in range(60)]
    test = list(range(0, 60, 3))
    made = digit_strings.synthesize_strings(
        [waves[i] for i in test], [labels[i] for i in test], 50, seed=0
    )
    used = {end - start for s in made for start, end in s.words}
    assert used <= {len(waves[i]) for i in test}
    for s in made:
        assert [labels[(end - start - 400) // 8] for start, end in s.words] == list(s.digits)
    with pytest.raises(ValueError, match="no recording of digit"):
        digit_strings.synthesize_strings(waves[:7], labels[:7], 3)


def test_light_noise_is_added_at_the_asked_snr():
    waves, labels = _pool(lambda d, k: 1.0)
    s = digit_strings.synthesize_strings(waves, labels, 1, seed=0, snr_db=20.0, gain=(1.0, 1.0))[0]
    clean = np.zeros_like(s.wave)
    for start, end in s.words:
        clean[start:end] = 1.0
    snr = 10 * np.log10(np.mean(clean**2) / np.mean((s.wave - clean) ** 2))
    assert snr == pytest.approx(20.0, abs=0.5)


def test_bad_arguments():
    waves, labels = _pool()
    with pytest.raises(ValueError, match="differ in length"):
        digit_strings.synthesize_strings(waves, labels[:-1], 2)
    with pytest.raises(ValueError, match="min_digits"):
        digit_strings.synthesize_strings(waves, labels, 2, min_digits=3, max_digits=2)
    with pytest.raises(ValueError, match="one recording per digit"):
        digit_strings.join_recordings([waves[0]], [1, 2])


def test_a_string_is_a_waveform_at_its_rate_and_refuses_recordings_at_another():
    waves, labels = _pool()
    for options in ({}, {"snr_db": None}, {"sample_rate": 16000}):
        (string,) = digit_strings.synthesize_strings(waves, labels, 1, seed=2, **options)
        rate = options.get("sample_rate", 8000)
        assert (
            isinstance(string.wave, audio.Waveform)
            and string.wave.sample_rate == string.sample_rate == rate
        )
        assert string.wave.dtype == np.float32
    at_8k = [audio.Waveform(w, 8000) for w in waves]
    same = digit_strings.synthesize_strings(at_8k, labels, 3, seed=4)
    plain = digit_strings.synthesize_strings(waves, labels, 3, seed=4)
    assert all(np.array_equal(a.wave, b.wave) and a.words == b.words for a, b in zip(same, plain))
    with pytest.raises(
        ValueError,
        match=r"^recordings\[1\] is sampled at 8000 Hz, but 16000 Hz is expected here "
        r"\(sample_rate=16000\)",
    ):
        digit_strings.join_recordings([waves[0], at_8k[3]], [0, 1], 0, sample_rate=16000)
    with pytest.raises(ValueError, match=r"^recordings\[0\] holds 1 non-finite sample"):
        digit_strings.join_recordings([np.r_[np.zeros(9), np.nan]], [0], 0, snr_db=None)
