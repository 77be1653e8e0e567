"""speech.recognizers: the CTC recogniser on generated 'words' made of tone sequences.

The segmenting recogniser is tested in test_phone_hmm.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from fakedata import tone
from sklearn.exceptions import NotFittedError

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
    model = CTCRecognizer(epochs=2, channels=8, hidden=8, random_state=0, progress=False)
    with pytest.raises(NotFittedError, match="not fitted"):
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
    per_utterance = CTCRecognizer(**{**model.get_params(), "normalization": "utterance"})
    features = per_utterance.features([made[0].wave])[0]
    assert np.allclose(features.mean(axis=0), 0, atol=1e-4), "each utterance's own mean removed"
    per_utterance.fit([s.wave for s in made], [s.digits for s in made])
    assert per_utterance.history_[1]["train_loss"] < per_utterance.history_[0]["train_loss"]


def test_the_waveform_front_end_reads_samples_in_the_log_mel_frames_and_learns():
    rng = np.random.default_rng(4)
    made = [
        digit_strings.join_recordings([_word(int(d), rng)], [int(d)], rng)
        for d in rng.integers(0, 5, size=24)
    ]
    waves, digits = [s.wave for s in made], [s.digits for s in made]
    model = CTCRecognizer(
        epochs=3,
        channels=8,
        hidden=8,
        n_mels=6,
        front_end="waveform",
        random_state=0,
        progress=False,
    )
    frames = model.features(waves[:2])
    log_mel = CTCRecognizer(n_mels=6).features(waves[:2])
    assert [f.shape for f in frames] == [(len(m), 80) for m in log_mel], "the same frames"
    peak = waves[0] / np.abs(waves[0]).max()
    kept = frames[0].size - 40  # frame t centred on sample 80 t: the last < 40 samples left out
    assert len(peak) - 40 < kept <= len(peak)
    np.testing.assert_allclose(frames[0].ravel()[40:], peak[:kept], atol=1e-6)
    np.testing.assert_array_equal(frames[0][0, :40], 0)
    model.fit(waves, digits)
    assert model.history_[-1]["train_loss"] < model.history_[0]["train_loss"]
    filters = model.model_.filterbank.conv.weight
    assert filters.shape == (6, 1, 64)  # 6 learned filters of 8 ms
    log_probs = model.log_probs(waves[:3])
    assert [len(p) for p in log_probs] == [(len(m) - 1) // 2 + 1 for m in log_mel[:2]] + [
        len(log_probs[2])
    ]
    assert all(isinstance(t, str) for t in model.predict(waves[:3]))
    with pytest.raises(ValueError, match="use normalization='global' with front_end='waveform'"):
        CTCRecognizer(front_end="waveform", normalization="utterance").features(waves[:1])
    with pytest.raises(ValueError, match="multiple of 20 samples .* got sample_rate=11025"):
        CTCRecognizer(front_end="waveform", sample_rate=11025).features([np.asarray(waves[0])])
    with pytest.raises(ValueError, match="front_end must be 'log-mel' or 'waveform'"):
        CTCRecognizer(front_end="mfcc", progress=False).fit(waves, digits)


# -- the sample rate travels with the audio: a recording at another rate is refused where it enters

_CD = audio.Waveform(tone(440, n=8820, rate=44100), 44100)  # 0.2 s at 44.1 kHz
_RATE = (
    r"^(?P<a>X|waves)\[1\] is sampled at 44100 Hz, but 8000 Hz is expected here "
    r"\(sample_rate=8000\): resample it first, e\.g\. speech\.resample\((?P=a)\[1\], 8000\)"
)


@pytest.fixture(scope="module")
def tiny():
    """A CTC recogniser fitted for one epoch on six strings: enough to call every method."""
    rng = np.random.default_rng(5)
    made = [digit_strings.join_recordings([_word(d, rng)], [d], rng) for d in (0, 1, 2, 3, 4, 0)]
    model = CTCRecognizer(
        epochs=1, batch_size=6, channels=4, hidden=4, random_state=0, progress=False
    )
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
    "score": lambda m, w: m.score([w, _CD], [[1], [2]]),
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


# -- the estimator contract: a fixed random_state is deterministic, torch's global state untouched


def test_a_fixed_random_state_gives_the_same_network_and_leaves_torch_global_state_alone(tiny):
    model, made = tiny
    waves, digits = [s.wave for s in made], [s.digits for s in made]
    before = torch.get_rng_state()
    again = CTCRecognizer(**model.get_params()).fit(waves, digits)
    assert torch.equal(torch.get_rng_state(), before), "fit forks torch's generator"
    for (name, a), b in zip(model.model_.state_dict().items(), again.model_.state_dict().values()):
        assert torch.equal(a, b), name
    assert again.history_ == model.history_
    other = CTCRecognizer(**{**model.get_params(), "random_state": 1}).fit(waves, digits)
    assert not torch.equal(other.model_.head.weight, model.model_.head.weight)


def test_score_is_the_sentence_accuracy_of_predict(tiny):
    model, made = tiny
    waves, digits = [s.wave for s in made], [list(s.digits) for s in made]
    found = model.predict_digits(waves)
    assert model.score(waves, digits) == np.mean([f == d for f, d in zip(found, digits)])
    assert model.score(waves[:1], [found[0]]) == 1.0, "an empty transcript is right for silence"


# -- bad input is refused before any work, with the argument, the value and the fix

_NAN = np.r_[np.zeros(400), np.nan, np.zeros(399)].astype(np.float32)
_ONE = np.zeros(800, np.float32)
BAD_CALLS = {
    "fit: no recordings": (
        lambda m: CTCRecognizer().fit([], []),
        ValueError,
        r"X is empty \(\[\]\): pass at least one recording",
    ),
    "fit: one bare recording": (
        lambda m: CTCRecognizer().fit(_ONE, [[1]]),
        TypeError,
        r"X must be a list of recordings .* wrap a single recording in a list: \[wave\]",
    ),
    "fit: lengths differ": (
        lambda m: CTCRecognizer().fit([_ONE] * 2, [[1]]),
        ValueError,
        "X holds 2 recordings but y holds 1 digit sequences: pass one digit sequence per recording",
    ),
    "fit: NaN audio": (
        lambda m: CTCRecognizer().fit([_ONE, _NAN], [[1], [2]]),
        ValueError,
        r"X\[1\] holds 1 non-finite sample .* first at index 400: replace them",
    ),
    "fit: digit 12": (
        lambda m: CTCRecognizer().fit([_ONE], [[1, 12]]),
        ValueError,
        r"y\[0\] is \[1, 12\], which holds 12: each digit must be an int 0-9",
    ),
    "fit: digit -1": (
        lambda m: CTCRecognizer().fit([_ONE], [[-1]]),
        ValueError,
        r"y\[0\] is \[-1\], which holds -1",
    ),
    "fit: a label, not a sequence": (
        lambda m: CTCRecognizer().fit([_ONE], [3]),
        ValueError,
        r"y\[0\] is 3, not a sequence of digits: wrap a single digit in a tuple, e\.g\. \(3,\)",
    ),
    "fit: text, not digits": (
        lambda m: CTCRecognizer().fit([_ONE], ["three"]),
        ValueError,
        r"y\[0\] is the text 'three', not digits: .* \(speech\.text_to_digits",
    ),
    "fit: empty transcript": (
        lambda m: CTCRecognizer().fit([_ONE], [[]]),
        ValueError,
        r"y\[0\] is empty: training and alignment need at least one digit",
    ),
    "fit: zero epochs": (
        lambda m: CTCRecognizer(epochs=0).fit([_ONE], [[1]]),
        ValueError,
        "epochs must be an int >= 1, got 0",
    ),
    "fit: unknown normalisation": (
        lambda m: CTCRecognizer(normalization="speaker").fit([_ONE], [[1]]),
        ValueError,
        "normalization must be 'utterance' or 'global'",
    ),
    "fit: zero batch size": (
        lambda m: CTCRecognizer(batch_size=0).fit([_ONE], [[1]]),
        ValueError,
        "batch_size must be an int >= 1, got 0",
    ),
    "fit: features for other recordings": (
        lambda m: CTCRecognizer().fit([_ONE] * 2, [[1], [2]], features=[np.zeros((5, 40))]),
        ValueError,
        "features must hold one array of frames per recording, got 1 for 2 recordings",
    ),
    "predict: no recordings": (
        lambda m: m.predict([]),
        ValueError,
        r"X is empty \(\[\]\)",
    ),
    "log_probs: NaN audio": (
        lambda m: m.log_probs([_NAN]),
        ValueError,
        r"waves\[0\] holds 1 non-finite sample \(1 NaN",
    ),
    "score: lengths differ": (
        lambda m: m.score([_ONE] * 2, [[1]]),
        ValueError,
        "X holds 2 recordings but y holds 1 digit sequences",
    ),
    "score: digit 10": (
        lambda m: m.score([_ONE], [[10]]),
        ValueError,
        r"y\[0\] is \[10\], which holds 10",
    ),
}


@pytest.mark.parametrize("call", sorted(BAD_CALLS))
def test_bad_input_is_refused_with_the_fix(tiny, call):
    model, _ = tiny
    function, error, message = BAD_CALLS[call]
    before = {k: v for k, v in vars(model).items()}
    with pytest.raises(error, match=message):
        function(model)
    assert vars(model).keys() == before.keys()
