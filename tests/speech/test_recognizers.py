"""speech.recognizers: the CTC recogniser on generated 'words' made of tone sequences (the segmenting one: test_phone_hmm)."""

from __future__ import annotations

import numpy as np
import pytest

from fakedata import tone

from e2e_helpers.speech import digit_strings
from e2e_helpers.speech.recognizers import CTCRecognizer

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


def test_inputs_are_checked():
    model = CTCRecognizer(progress=False)
    with pytest.raises(TypeError, match="list of recordings"):
        model.fit(np.zeros(800), [[1]])
    with pytest.raises(ValueError, match="one digit sequence per utterance"):
        model.fit([np.zeros(800)] * 2, [[1]])
