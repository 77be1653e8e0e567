"""speech.phone_hmm: phone HMMs trained from word transcripts on generated speech."""

from __future__ import annotations

import numpy as np
import pytest
from fakedata import tone
from sklearn.exceptions import NotFittedError

from e2e_helpers.speech import audio, digit_strings, lexicon
from e2e_helpers.speech.phone_hmm import Alignment, PhoneHMMRecognizer
from e2e_helpers.speech.recognizers import SegmentingRecognizer

RATE = 8000
#: every phone of the lexicon sounds like its own chord: words are phone sequences, as in speech
CHORDS = {p: (250 + 160 * k, 3300 - 150 * k) for k, p in enumerate(lexicon.PHONES)}


def _word(digit: int, rng: np.random.Generator) -> np.ndarray:
    parts = [
        tone(*CHORDS[p], n=int(rng.uniform(0.06, 0.1) * RATE), rate=RATE, amplitudes=(1.0, 0.4))
        for p in lexicon.PRONUNCIATIONS[digit]
    ]
    return np.concatenate(parts) * rng.uniform(0.4, 1.0)


def _strings(n: int, seed: int, max_digits: int = 3) -> list[digit_strings.DigitString]:
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        digits = rng.integers(0, 10, size=rng.integers(1, max_digits + 1))
        out.append(
            digit_strings.join_recordings(
                [_word(int(d), rng) for d in digits],
                digits,
                rng,
                gap_s=(0.05, 0.2),
                edge_s=(0.02, 0.1),
                snr_db=30.0,
            )
        )
    return out


@pytest.fixture(scope="module")
def trained():
    strings = _strings(120, 0)
    model = PhoneHMMRecognizer(n_components=2, rounds_per_size=2)
    return model.fit([s.wave for s in strings], [s.digits for s in strings]), strings


def test_recognises_connected_digits_without_segmenting(trained):
    model, _ = trained
    test = _strings(20, 1)
    hypotheses = model.predict([s.wave for s in test])
    assert np.mean([h == s.text for h, s in zip(hypotheses, test)]) >= 0.9
    assert (
        model.predict_digits([test[0].wave]) == [list(test[0].digits)]
        or hypotheses[0] != test[0].text
    )


def test_training_improves_the_fit_round_after_round(trained):
    model, _ = trained
    likelihoods = [h["log_likelihood_per_frame"] for h in model.history_]
    assert len(likelihoods) == 3 and likelihoods[-1] > likelihoods[0]
    assert [h["components"] for h in model.history_] == [1.0, 1.0, 2.0]
    assert model.phone_models == 19 and model.mixtures_.n_states == 20 * 3
    assert np.all(np.exp(model.log_stay_) >= 0.05) and np.all(np.exp(model.log_stay_) <= 0.95)


def test_classifies_isolated_words_with_a_one_word_grammar(trained):
    model, _ = trained
    rng = np.random.default_rng(2)
    digits = np.arange(10)
    waves = [np.pad(_word(int(d), rng), 400) for d in digits]
    found = model.classify(waves)
    assert found.shape == (10,) and np.mean(found == digits) >= 0.9


def test_forced_alignment_finds_phones_and_words_in_order(trained):
    model, strings = trained
    s = strings[0]
    alignment = model.align(s.wave, s.digits)
    assert isinstance(alignment, Alignment)
    assert [w for w, _, _ in alignment.words] == s.text.split()
    spoken = [p for p, _, _ in alignment.phones if p != lexicon.SILENCE]
    assert spoken == lexicon.phone_sequence(s.digits)
    frames = [(a, b) for _, a, b in alignment.phones]
    assert frames[0][0] == 0 and all(b == c for (_, b), (c, _) in zip(frames, frames[1:])), (
        "phones tile the utterance"
    )
    centre = lambda frame: 80 * frame + 128  # noqa: E731 - the middle of frame k: 256 samples from 80 k
    for (_, start, end), (true_start, true_end) in zip(alignment.words, s.words):
        assert abs(centre(start) - true_start) <= 240 and abs(centre(end) - true_end) <= 240, (
            "word boundaries within 30 ms"
        )


def test_insertion_penalty_is_chosen_on_validation_strings(trained):
    model = PhoneHMMRecognizer(n_components=2)
    base, strings = trained
    model.__dict__.update({k: v for k, v in vars(base).items() if k.endswith("_")})
    validation = _strings(10, 3)
    waves, digits = [s.wave for s in validation], [s.digits for s in validation]
    scores = model.tune_insertion_penalty(waves, digits, candidates=(-5000.0, -20.0, 0.0, 20.0))
    assert set(scores) == {-5000.0, -20.0, 0.0, 20.0} and scores[-5000.0] < scores[0.0], (
        "a huge penalty deletes words"
    )
    assert model.insertion_penalty == max(scores, key=lambda p: (scores[p], -abs(p)))
    assert scores[-20.0] == scores[0.0] == scores[20.0] and model.insertion_penalty == 0.0, (
        "ties: the smallest penalty"
    )


def test_training_is_deterministic(trained):
    model, strings = trained
    again = PhoneHMMRecognizer(n_components=2).fit(
        [s.wave for s in strings], [s.digits for s in strings]
    )
    np.testing.assert_array_equal(again.mixtures_.means, model.mixtures_.means)


def test_segmenting_recognizer_cuts_at_silences_then_classifies(trained):
    model, _ = trained
    rng = np.random.default_rng(4)
    spaced = [
        digit_strings.join_recordings(
            [_word(d, rng) for d in digits], digits, rng, gap_s=(0.2, 0.3), snr_db=30.0
        )
        for digits in ([1, 2], [7])
    ]
    reader = SegmentingRecognizer(model)
    assert reader.predict_digits([s.wave for s in spaced]) == [[1, 2], [7]]
    assert reader.predict([np.zeros(4000, np.float32)]) == [""], "silence: no words"


_ONE = np.zeros(800)
_NAN = np.r_[np.zeros(400), np.inf, np.zeros(399)]
BAD_CALLS = {
    "predict before fit": (
        lambda m: PhoneHMMRecognizer().predict([_ONE]),
        NotFittedError,
        "not fitted yet",
    ),
    "fit: lengths differ": (
        lambda m: PhoneHMMRecognizer().fit([_ONE] * 2, [[1]]),
        ValueError,
        "X holds 2 recordings but y holds 1 digit sequences: pass one digit sequence per recording",
    ),
    "fit: one bare recording": (
        lambda m: PhoneHMMRecognizer().fit(_ONE, [[1]]),
        TypeError,
        r"X must be a list of recordings .* wrap a single recording in a list: \[wave\]",
    ),
    "fit: no recordings": (
        lambda m: PhoneHMMRecognizer().fit([], []),
        ValueError,
        r"X is empty \(\[\]\): pass at least one recording, e\.g\. \[wave\]",
    ),
    "fit: infinite audio": (
        lambda m: PhoneHMMRecognizer().fit([_ONE, _NAN], [[1], [2]]),
        ValueError,
        r"X\[1\] holds 1 non-finite sample \(0 NaN, 1 inf\) of 800, the first at index 400",
    ),
    "fit: zero components": (
        lambda m: PhoneHMMRecognizer(n_components=0).fit([_ONE], [[1]]),
        ValueError,
        "n_components must be an int in",
    ),
    "fit: zero rounds": (
        lambda m: PhoneHMMRecognizer(rounds_per_size=0).fit([_ONE], [[1]]),
        ValueError,
        "rounds_per_size must be an int in",
    ),
    "fit: digit 12": (
        lambda m: PhoneHMMRecognizer().fit([_ONE], [[12]]),
        ValueError,
        r"y\[0\] is \[12\], which holds 12: each digit must be an int 0-9",
    ),
    "fit: digit -1": (
        lambda m: PhoneHMMRecognizer().fit([_ONE], [[3, -1]]),
        ValueError,
        r"y\[0\] is \[3, -1\], which holds -1",
    ),
    "fit: empty transcript": (
        lambda m: PhoneHMMRecognizer().fit([_ONE], [()]),
        ValueError,
        r"y\[0\] is empty: training and alignment need at least one digit",
    ),
    "fit: features for other recordings": (
        lambda m: PhoneHMMRecognizer().fit([_ONE] * 2, [[1], [2]], features=[np.zeros((5, 39))]),
        ValueError,
        "one array of frames per recording, got 1 for 2",
    ),
    "tune: no candidates": (
        lambda m: m.tune_insertion_penalty([_ONE], [[1]], candidates=[]),
        ValueError,
        r"candidates is \[\]: pass at least one insertion penalty to try, e\.g\. \(-40\.0",
    ),
    "tune: NaN candidate": (
        lambda m: m.tune_insertion_penalty([_ONE], [[1]], candidates=[0.0, float("nan")]),
        ValueError,
        "candidates holds nan: every insertion penalty must be a finite number",
    ),
    "tune: lengths differ": (
        lambda m: m.tune_insertion_penalty([_ONE] * 2, [[1]]),
        ValueError,
        "waves holds 2 recordings but digit_sequences holds 1 digit sequences",
    ),
    "tune: digit 10": (
        lambda m: m.tune_insertion_penalty([_ONE], [[10]]),
        ValueError,
        r"digit_sequences\[0\] is \[10\], which holds 10",
    ),
    "tune: no recordings": (
        lambda m: m.tune_insertion_penalty([], []),
        ValueError,
        r"waves is empty \(\[\]\)",
    ),
    "align: digit 11": (
        lambda m: m.align(_ONE, [11]),
        ValueError,
        r"digits\[0\] is \[11\], which holds 11",
    ),
    "align: infinite audio": (
        lambda m: m.align(_NAN, [1]),
        ValueError,
        r"wave holds 1 non-finite sample",
    ),
    "classify: no recordings": (
        lambda m: m.classify([]),
        ValueError,
        r"waves is empty \(\[\]\)",
    ),
    "score: lengths differ": (
        lambda m: m.score([_ONE] * 3, [[1]]),
        ValueError,
        "X holds 3 recordings but y holds 1 digit sequences",
    ),
    "decode: features for other recordings": (
        lambda m: m.decode([_ONE] * 2, features=[np.zeros((5, 39))]),
        ValueError,
        "features must hold one array of frames per recording, got 1 for 2",
    ),
}


@pytest.mark.parametrize("call", sorted(BAD_CALLS))
def test_bad_input_is_refused_with_the_fix(trained, call):
    model, _ = trained
    function, error, message = BAD_CALLS[call]
    before = dict(vars(model))
    with pytest.raises(error, match=message):
        function(model)
    assert vars(model).keys() == before.keys(), "refused before any work"
    assert model.insertion_penalty == before["insertion_penalty"]


def test_degenerate_input_gives_a_meaningful_result(trained):
    model, _ = trained
    assert model.classify([np.zeros(400)]).tolist() == [-1], "two frames: too short for any word"
    assert model.predict([np.zeros(4000)]) == [""] or model.score([np.zeros(4000)], [[]]) == 0.0
    one = model.tune_insertion_penalty([np.zeros(4000)], [()], candidates=[-10.0])
    assert one == {-10.0: float(model.predict_digits([np.zeros(4000)]) == [[]])}


def test_bad_grammars_and_short_alignments_are_refused(trained):
    model, _ = trained
    with pytest.raises(ValueError, match="'loop' .* 'word' .* or 'phone'"):
        model.grammar("sentence")
    with pytest.raises(ValueError, match="too short for 'seven seven'"):
        model.align(np.zeros(600, np.float32), [7, 7])


# -- the sample rate travels with the audio: a recording at another rate is refused where it enters

_CD = audio.Waveform(tone(440, n=44100, rate=44100), 44100)  # 1 s at 44.1 kHz
_EIGHT = audio.Waveform(tone(440, n=8000, rate=8000), 8000)
_RATE = (
    r"^(?P<a>X|waves)\[1\] is sampled at 44100 Hz, but 8000 Hz is expected here "
    r"\(sample_rate=8000\): resample it first, e\.g\. speech\.resample\((?P=a)\[1\], 8000\)"
)
RATE_CALLS = {
    "fit (unfitted)": lambda m: PhoneHMMRecognizer().fit([_EIGHT, _CD], [[1], [2]]),
    "fit with features given": lambda m: PhoneHMMRecognizer().fit(
        [_EIGHT, _CD], [[1], [2]], features=[np.zeros((5, 39))] * 2
    ),
    "features": lambda m: m.features([_EIGHT, _CD]),
    "predict": lambda m: m.predict([_EIGHT, _CD]),
    "predict_digits": lambda m: m.predict_digits([_EIGHT, _CD]),
    "classify": lambda m: m.classify([_EIGHT, _CD]),
    "decode": lambda m: m.decode([_EIGHT, _CD], "word"),
    "tune_insertion_penalty": lambda m: m.tune_insertion_penalty([_EIGHT, _CD], [[1], [2]]),
    "segmenting predict": lambda m: SegmentingRecognizer(m).predict([_EIGHT, _CD]),
    "segmenting fit": lambda m: SegmentingRecognizer(m).fit([_EIGHT, _CD], [[1], [2]]),
    "score": lambda m: m.score([_EIGHT, _CD], [[1], [2]]),
}


@pytest.mark.parametrize("call", sorted(RATE_CALLS))
def test_a_recording_at_another_rate_is_refused(trained, call):
    model, _ = trained
    before = dict(vars(model))
    with pytest.raises(ValueError, match=_RATE):
        RATE_CALLS[call](model)
    assert (
        vars(model).keys() == before.keys()
        and model.insertion_penalty == before["insertion_penalty"]
    ), "refused before any work"


def test_align_refuses_a_recording_at_another_rate_and_takes_one_at_the_rate(trained):
    model, strings = trained
    with pytest.raises(
        ValueError, match=r"^wave is sampled at 44100 Hz, but 8000 Hz is expected here"
    ):
        model.align(_CD, [1])
    s = strings[0]
    assert isinstance(s.wave, audio.Waveform) and s.wave.sample_rate == 8000
    assert model.align(s.wave, s.digits) == model.align(np.asarray(s.wave), s.digits)
    assert model.predict([s.wave]) == model.predict([np.asarray(s.wave)])


def test_whole_word_units_and_global_normalisation_also_recognise(trained):
    _, strings = trained
    waves, digits = [s.wave for s in strings], [s.digits for s in strings]
    words = PhoneHMMRecognizer(units="word", normalization="global", n_components=2)
    words.fit(waves, digits)
    assert words.phone_models == sum(len(p) for p in lexicon.PRONUNCIATIONS) == 32
    assert words.mean_.shape == words.std_.shape == (39,)
    test = _strings(20, 1)
    assert words.score([s.wave for s in test], [s.digits for s in test]) >= 0.9
    features = words.features([test[0].wave])[0]
    assert abs(float(features.mean())) < 2.0, "the training set's statistics are removed"
    slots = words.grammar("phone")
    assert len(slots.segments) == 32 + 1 and slots.labels[1:5] == tuple(
        lexicon.PHONES.index(p) for p in lexicon.PRONUNCIATIONS[0]
    ), "zero.1 ... zero.4 stand for Z IH R OW"


def test_a_phone_loop_hears_phones_without_the_lexicon(trained):
    model, _ = trained
    test = _strings(10, 4)
    grammar = model.grammar("phone")
    assert len(grammar.segments) == len(lexicon.PHONES) + 1
    heard = [
        [lexicon.PHONES[k] for k in path.words(grammar)]
        for path in model.decode([s.wave for s in test], "phone")
    ]
    spoken = [lexicon.phone_sequence(s.digits) for s in test]
    exact = np.mean([h == s for h, s in zip(heard, spoken)])
    assert exact >= 0.5, "most strings' phones come out right, with no words to guide the search"
