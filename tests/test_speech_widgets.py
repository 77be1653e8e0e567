"""The speech figures and the speech player (widgets.explore: no output capture)."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from e2e_helpers import features, plots, strings, widgets


def _wave(n=4000, seed=0):
    rng = np.random.default_rng(seed)
    return (np.sin(np.arange(n) * 0.3) * (np.arange(n) % 2000 < 1200) + 0.01 * rng.normal(size=n)).astype(np.float32)


def test_speech_figures_are_figures():
    wave = _wave()
    assert isinstance(plots.waveforms_and_spectrograms([wave, wave[:1000]], ["a", "b"]), Figure)
    assert isinstance(plots.mfcc_steps_figure(features.mfcc_steps(wave)), Figure)
    assert isinstance(plots.units_figure(wave, np.arange(48) % 5, np.repeat(np.arange(4), 12), 5), Figure)
    assert isinstance(plots.vad_figure(wave, np.zeros(50), [(0, 1200)], truth=[(0, 1200)], texts=["one"]), Figure)
    log_probs = np.log(np.full((20, 11), 1 / 11))
    log_probs[5] = np.log(np.r_[0.05, 0.9, np.full(9, 0.05 / 9)])
    assert isinstance(plots.ctc_posteriors_figure(wave, log_probs, ["blank", *strings.DIGIT_WORDS]), Figure)
    assert isinstance(plots.noise_curves([20, 0], {"a": [0.9, 0.1]}, clean={"a": 1.0}), Figure)
    with pytest.raises(ValueError, match="one title per recording"):
        plots.waveforms_and_spectrograms([wave], [])


def test_output_bundle_formats_figures_audio_and_markdown():
    from IPython.display import Audio, Markdown

    fig, _ = plots.figure()
    assert "image/png" in widgets.output_bundle(fig)["data"]
    audio = widgets.output_bundle(Audio(np.sin(np.arange(800.0)), rate=8000))
    assert audio["output_type"] == "display_data" and "text/html" in audio["data"]
    assert widgets.output_bundle(Markdown("**x**"))["data"]["text/markdown"] == "**x**"


def test_explore_updates_without_capturing(displayed):
    from IPython.display import Markdown

    calls = []

    def render(k, word):
        calls.append((k, word))
        fig, ax = plots.figure()
        ax.plot(range(k + 2))
        return fig, Markdown(f"{word}{k}")

    widget = widgets.explore(render, {"k": (0, 5, 1), "word": ""}, initial={"k": 2})
    assert calls == [(2, "")], "rendered once, for the fallback and the first view"
    bundle = displayed[-1][0][0]
    assert "application/vnd.jupyter.widget-view+json" in bundle and "image/png" in bundle
    slider, text, out = widget.children
    assert out.outputs[1]["data"]["text/markdown"] == "2"
    text.value = "x"
    assert calls[-1] == (2, "x") and out.outputs[1]["data"]["text/markdown"] == "x2"


class _Fixed:
    """A stand-in recogniser that always answers the same."""

    def __init__(self, answer: str) -> None:
        self.answer = answer

    def segment(self, wave):
        return [(0, len(wave) // 2)]

    def predict(self, waves):
        return [self.answer for _ in waves]


def test_speech_view_for_a_string_and_typed_digits():
    from IPython.display import Audio

    rng = np.random.default_rng(0)
    pool = [_wave(800, seed=k) for k in range(20)]
    labels = [k % 10 for k in range(20)]
    utterance = strings.join_recordings(pool[:2], [0, 1], rng)
    options = dict(utterances=[utterance], pool_waves=pool, pool_labels=labels,
                   traditional=_Fixed("zero"), end_to_end=_Fixed("zero one"))
    fig, player, verdict = widgets.speech_view(0, "", **options)
    assert isinstance(fig, Figure) and isinstance(player, Audio)
    assert "zero one (right)" in verdict.data and "zero (wrong)" in verdict.data
    fig, player, verdict = widgets.speech_view(0, "42", **options)
    assert "typed '42'" in verdict.data and "four two" in verdict.data
    fig, message = widgets.speech_view(0, "forty", **options)
    assert "Cannot build" in message.data


def test_speech_player_shows_its_fallback(widget_bundle):
    rng = np.random.default_rng(0)
    pool = [_wave(800, seed=k) for k in range(20)]
    utterances = [strings.join_recordings(pool[:2], [0, 1], rng)]
    player = widgets.speech_player(utterances, pool, [k % 10 for k in range(20)], _Fixed("zero"), _Fixed("zero one"))
    widget_bundle(player)
