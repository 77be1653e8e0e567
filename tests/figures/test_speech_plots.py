"""The speech figures (notebook 02) and the speaker results (notebook 04)."""

from __future__ import annotations

import numpy as np
import pytest
from fakedata import speech_like
from matplotlib.figure import Figure

from e2e_helpers.figures import canvas, speech_plots, speech_results
from e2e_helpers.learn.intervals import Estimate
from e2e_helpers.speech import DIGIT_WORDS, SpeakerScores, loop_grammar, mfcc_steps
from e2e_helpers.speech.phone_hmm import Alignment
from e2e_helpers.speech.viterbi_search import BestPath


def test_speech_figures_are_figures():
    wave = speech_like()
    assert isinstance(
        speech_plots.waveforms_and_spectrograms([wave, wave[:1000]], ["a", "b"]), Figure
    )
    assert isinstance(speech_plots.mfcc_steps_figure(mfcc_steps(wave)), Figure)
    alignment = Alignment(
        phones=(("sil", 0, 10), ("W", 10, 20), ("AH", 20, 35), ("N", 35, 48)),
        words=(("one", 10, 48),),
        score=-1.0,
    )
    assert isinstance(speech_plots.alignment_figure(wave, alignment, title="one"), Figure)
    grammar = loop_grammar([[0, 1], [2]], [3])
    path = BestPath(
        nodes=np.r_[np.zeros(5, int), np.ones(10, int), np.full(10, 2)],
        score=-3.0,
        segments=((0, 0, 15), (1, 15, 25)),
    )
    assert isinstance(speech_plots.decoder_path_figure(wave, path, grammar, title="path"), Figure)
    assert isinstance(
        speech_plots.vad_figure(wave, np.zeros(50), [(0, 1200)], truth=[(0, 1200)], texts=["one"]),
        Figure,
    )
    log_probs = np.log(np.full((20, 11), 1 / 11))
    log_probs[5] = np.log(np.r_[0.05, 0.9, np.full(9, 0.05 / 9)])
    assert isinstance(
        speech_plots.ctc_posteriors_figure(wave, log_probs, ["blank", *DIGIT_WORDS]), Figure
    )
    hmm_words = [("three", 3, 20), ("one", 25, 40)]
    with_words = speech_plots.ctc_posteriors_figure(
        wave, log_probs, ["blank", *DIGIT_WORDS], words=hmm_words
    )
    assert {"HMM: three", "HMM: one"} <= {t.get_text() for t in with_words.axes[1].texts}
    assert isinstance(with_words, Figure)
    assert isinstance(speech_results.noise_curves([20, 0], {"a": [_e(0.9), _e(0.1)]}), Figure)
    with pytest.raises(ValueError, match="one title per recording"):
        speech_plots.waveforms_and_spectrograms([wave], [])


def test_speaker_figures():
    per_speaker = {"traditional": {"a": 0.5, "b": 0.7}, "end-to-end": {"a": 0.8, "b": 0.9}}
    figures = [
        speech_results.speaker_bars(
            per_speaker, {"traditional": 0.9, "end-to-end": 0.98}, title="LOSO"
        ),
        speech_results.speaker_bars(per_speaker),
        speech_results.speaker_bars(
            {"net": SpeakerScores(("a", "b"), (0, 1), np.array([[0.8, 0.9], [0.6, 0.7]]))}
        ),
        speech_results.adaptation_curves(
            {
                "new voice": {
                    k: SpeakerScores(("a", "b"), (0,), np.array([[0.5 + k / 20], [0.6 + k / 20]]))
                    for k in (0, 1, 5)
                },
                "control": {
                    k: SpeakerScores(("a", "b"), (0,), np.array([[0.5], [0.6]])) for k in (0, 1, 5)
                },
            },
            title="adaptation",
        ),
    ]
    for fig in figures:
        assert isinstance(fig, Figure) and canvas.to_png(fig)[:4] == b"\x89PNG"


def test_adaptation_values_are_written_apart_and_once():
    scores = lambda values: SpeakerScores(("a",), (0,), np.array([[values]]))  # noqa: E731
    fig = speech_results.adaptation_curves(
        {
            "new voice": {0: scores(0.873), 1: scores(0.934)},
            "control": {0: scores(0.873), 1: scores(0.821)},
            "SVM": {0: scores(0.720), 1: scores(0.833)},
        }
    )
    texts = fig.axes[0].texts
    assert sorted(t.get_text() for t in texts if t.xy[0] == 0) == ["0.720", "0.873"], (
        "lines that start together: one label"
    )
    at_one = {t.get_text(): t for t in texts if t.xy[0] == 1}
    assert set(at_one) == {"0.934", "0.833", "0.821"}
    offsets = {text: t.xyann for text, t in at_one.items()}
    assert offsets["0.934"][1] > 0 and offsets["0.821"][1] < 0 and offsets["0.833"] == (7, 0), (
        offsets
    )


def _e(value: float) -> Estimate:
    return Estimate(value, value - 0.02, value + 0.02)


def test_noise_curve_values_go_above_the_higher_point_and_below_the_lower():
    fig = speech_results.noise_curves(
        [27.0, 19.5, 0.0],
        {"a": [_e(0.986), _e(0.952), _e(0.242)], "b": [_e(0.978), _e(0.984), _e(0.036)]},
    )
    offsets = {t.get_text(): t.xyann[1] for t in fig.axes[0].texts}
    assert offsets["0.98"] > 0 and offsets["0.95"] < 0, (
        "19.5 dB: b is higher, so it is written above"
    )
    assert offsets["0.24"] > 0 and offsets["0.04"] < 0
    assert fig.axes[0].xaxis_inverted(), "noisier to the right"
    with pytest.raises(ValueError, match="one per condition"):
        speech_results.noise_curves([20.0], {"a": [_e(0.9), _e(0.1)]})
