"""speech.recognizers: the CTC recogniser on generated 'words' made of tone sequences (the segmenting one: test_phone_hmm)."""

from __future__ import annotations

import numpy as np
import pytest
from fakedata import tone

from e2e_helpers.speech import audio, digit_strings
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
        made.append(
            digit_strings.join_recordings([_word(int(d), rng) for d in digits], digits, rng)
        )
    model = CTCRecognizer(epochs=2, channels=8, hidden=8, progress=False)
    with pytest.raises(RuntimeError, match="not fitted"):
        model.predict([made[0].wave])
    model.fit([s.wave for s in made], [s.digits for s in made])
    assert (
        len(model.history_) == 2
        and model.history_[1]["train_loss"] < model.history_[0]["train_loss"]
    )
    log_probs = model.log_probs([made[0].wave, made[1].wave])
    assert log_probs[0].shape[1] == 11 and np.allclose(
        np.exp(log_probs[0]).sum(axis=1), 1, atol=1e-4
    )
    texts = model.predict([s.wave for s in made[:4]])
    assert len(texts) == 4 and all(isinstance(t, str) for t in texts)


def test_inputs_are_checked():
    model = CTCRecognizer(progress=False)
    with pytest.raises(TypeError, match="list of recordings"):
        model.fit(np.zeros(800), [[1]])
    with pytest.raises(ValueError, match="one digit sequence per utterance"):
        model.fit([np.zeros(800)] * 2, [[1]])


# -- the sample rate travels with the audio: a recording at another rate is refused where it enters

_CD = audio.Waveform(tone(440, n=8820, rate=44100), 44100)  # 0.2 s at 44.1 kHz
_RATE = (
    r"^waves\[1\] is sampled at 44100 Hz, but 8000 Hz is expected here \(sample_rate=8000\): "
    r"resample it first, e\.g\. speech\.resample\(waves\[1\], 8000\)"
)


@pytest.fixture(scope="module")
def tiny():
    """A CTC recogniser fitted for one epoch on six strings: enough to call every method."""
    rng = np.random.default_rng(5)
    made = [digit_strings.join_recordings([_word(d, rng)], [d], rng) for d in (0, 1, 2, 3, 4, 0)]
    model = CTCRecognizer(epochs=1, batch_size=6, channels=4, hidden=4, progress=False)
    return model.fit([s.wave for s in made], [s.digits for s in made]), made


RATE_CALLS = {
    "fit (unfitted)": lambda m, w: CTCRecognizer(progress=False).fit([w, _CD], [[1], [2]]),
    "fit with features given": lambda m, w: CTCRecognizer(progress=False).fit(
        [w, _CD], [[1], [2]], features=[np.zeros((5, 40))] * 2
    ),
    "features": lambda m, w: m.features([w, _CD]),
    "log_probs": lambda m, w: m.log_probs([w, _CD]),
    "predict": lambda m, w: m.predict([w, _CD]),
    "predict_digits": lambda m, w: m.predict_digits([w, _CD]),
}


@pytest.mark.parametrize("call", sorted(RATE_CALLS))
def test_a_recording_at_another_rate_is_refused(tiny, call):
    model, made = tiny
    with pytest.raises(ValueError, match=_RATE):
        RATE_CALLS[call](model, made[0].wave)


def test_waveforms_at_the_rate_give_what_plain_arrays_give(tiny):
    model, made = tiny
    assert all(isinstance(s.wave, audio.Waveform) and s.wave.sample_rate == 8000 for s in made)
    ours, plain = (
        model.log_probs([s.wave for s in made]),
        model.log_probs([np.asarray(s.wave) for s in made]),
    )
    assert all(np.array_equal(a, b) for a, b in zip(ours, plain))
