"""speech.recognizers: both speech recognisers on generated 'words' made of tone sequences."""

from __future__ import annotations

import numpy as np
import pytest

from fakedata import tone

from e2e_helpers.speech import digit_strings
from e2e_helpers.speech.recognizers import CTCRecognizer, HMMDigitRecognizer, SegmentingRecognizer

RATE = 8000
#: each generated "word" is two or three tones in a row; the order matters (3 and 4 share tones)
TONES = {0: (300, 900), 1: (900, 300), 2: (1500, 1500), 3: (400, 2000, 400), 4: (2000, 400, 2000)}


def _word(digit: int, rng: np.random.Generator) -> np.ndarray:
    parts = []
    for f in TONES[digit]:
        n = int(rng.uniform(0.08, 0.14) * RATE)
        parts.append(tone(f * (1 + rng.uniform(-0.03, 0.03)), n=n, rate=RATE, amplitudes=1.0))
    wave = np.concatenate(parts) * rng.uniform(0.3, 1.0)
    return (wave + 0.01 * rng.normal(size=len(wave))).astype(np.float32)


def _words(n: int, seed: int):
    rng = np.random.default_rng(seed)
    digits = rng.integers(0, 5, size=n)
    return [_word(int(d), rng) for d in digits], digits


@pytest.fixture(scope="module")
def hmm():
    waves, digits = _words(100, 0)
    return HMMDigitRecognizer(n_units=16, n_states=4, n_iter=3).fit(waves, digits)


def test_hmm_recognises_isolated_words(hmm):
    waves, digits = _words(60, 1)
    assert hmm.score(waves, digits) >= 0.95
    assert hmm.log_likelihoods(waves[:3]).shape == (3, 5)
    units = hmm.units(waves[:2])
    assert all(u.min() >= 0 and u.max() < 16 for u in units)
    path = hmm.state_path(waves[0], digits[0])
    assert path[0] == 0 and path[-1] == 3 and np.all(np.diff(path) >= 0), "left to right, first to last state"
    assert hmm.transcribe(waves[:1])[0] == digit_strings.DIGIT_WORDS[digits[0]]


def test_hmm_is_deterministic(hmm):
    waves, digits = _words(100, 0)
    again = HMMDigitRecognizer(n_units=16, n_states=4, n_iter=3).fit(waves, digits)
    np.testing.assert_array_equal(again.log_emit_, hmm.log_emit_)


def test_segmenting_recognizer_reads_strings(hmm):
    rng = np.random.default_rng(2)
    made = []
    for _ in range(10):
        digits = rng.integers(0, 5, size=rng.integers(1, 4))
        made.append(digit_strings.join_recordings([_word(int(d), rng) for d in digits], digits, rng, gap_s=(0.15, 0.3), snr_db=30.0))
    reader = SegmentingRecognizer(hmm)
    assert reader.predict_digits([s.wave for s in made]) == [list(s.digits) for s in made]
    assert reader.predict([made[0].wave]) == [made[0].text]
    assert reader.predict([np.zeros(4000, np.float32)]) == [""], "silence: no words"


def test_ctc_recognizer_trains_and_transcribes():
    rng = np.random.default_rng(3)
    made = []
    for _ in range(48):
        digits = rng.integers(0, 5, size=rng.integers(1, 3))
        made.append(digit_strings.join_recordings([_word(int(d), rng) for d in digits], digits, rng))
    model = CTCRecognizer(epochs=2, channels=8, hidden=8, progress=False)
    with pytest.raises(RuntimeError, match="not fitted"):
        model.predict([made[0].wave])
    model.fit([s.wave for s in made], [s.digits for s in made])
    assert len(model.history_) == 2 and model.history_[1]["train_loss"] < model.history_[0]["train_loss"]
    log_probs = model.log_probs([made[0].wave, made[1].wave])
    assert log_probs[0].shape[1] == 11 and np.allclose(np.exp(log_probs[0]).sum(axis=1), 1, atol=1e-4)
    texts = model.predict([s.wave for s in made[:4]])
    assert len(texts) == 4 and all(isinstance(t, str) for t in texts)


def test_inputs_are_checked(hmm):
    with pytest.raises(TypeError, match="list of recordings"):
        hmm.predict(np.zeros(800))
    with pytest.raises(ValueError, match="one digit per recording"):
        HMMDigitRecognizer().fit([np.zeros(800)] * 2, [1])
    with pytest.raises(RuntimeError, match="not fitted"):
        HMMDigitRecognizer().units([np.zeros(800)])
