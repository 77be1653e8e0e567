"""The widget explorers with their static fallback: explore, the size and image explorers, the
speech player."""

from __future__ import annotations

import base64

import numpy as np
import pytest
from fakedata import speech_like, toy_learning_curves
from matplotlib.figure import Figure

from e2e_helpers.figures import canvas, explorers
from e2e_helpers.speech import loop_grammar
from e2e_helpers.speech.digit_strings import join_recordings
from e2e_helpers.speech.viterbi_search import BestPath


def _line(n: int = 3):
    fig, ax = canvas.figure()
    ax.plot(range(n))
    return fig


def test_show_bundles_widget_and_picture(displayed):
    import ipywidgets

    slider = ipywidgets.IntSlider()
    explorers.show(slider, _line(), alt="a line")
    (bundle,), options = displayed[0]
    assert options == {"raw": True}
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == slider.model_id
    assert base64.b64decode(bundle["image/png"])[:4] == b"\x89PNG"
    assert bundle["text/plain"] == "a line"


def test_explore_renders_initial_values_and_updates(displayed, widget_bundle):
    calls = []

    def render(size, name):
        calls.append((size, name))
        return _line(size), f"{name}:{size}"

    widget = explorers.explore(
        render, {"size": (2, 10, 2), "name": ["a", "b"]}, initial={"size": 4}
    )
    assert calls[0] == (4, "a"), "the static fallback uses the starting values"
    widget_bundle(widget)
    controls = {c.description: c for c in widget.children if hasattr(c, "value") and c.description}
    controls["name"].value = "b"
    assert calls[-1] == (4, "b")


def test_explore_needs_a_figure_for_the_fallback(displayed):
    with pytest.raises(TypeError, match="matplotlib Figure"):
        explorers.explore(lambda k: "text only", {"k": [1, 2]})


def test_explore_without_ipywidgets_shows_the_picture_only(displayed, monkeypatch):
    monkeypatch.setattr(explorers, "available", lambda: False)
    assert explorers.explore(lambda k: _line(k), {"k": [2, 3]}) is None
    assert isinstance(displayed[0][0][0], Figure)


def test_explore_updates_without_capturing(displayed):
    from IPython.display import Markdown

    calls = []

    def render(k, word):
        calls.append((k, word))
        fig, ax = canvas.figure()
        ax.plot(range(k + 2))
        return fig, Markdown(f"{word}{k}")

    widget = explorers.explore(render, {"k": (0, 5, 1), "word": ""}, initial={"k": 2})
    assert calls == [(2, "")], "rendered once, for the fallback and the first view"
    bundle = displayed[-1][0][0]
    assert "application/vnd.jupyter.widget-view+json" in bundle and "image/png" in bundle
    slider, text, out = widget.children
    assert out.outputs[1]["data"]["text/markdown"] == "2"
    text.value = "x"
    assert calls[-1] == (2, "x") and out.outputs[1]["data"]["text/markdown"] == "x2"


def test_output_bundle_formats_figures_audio_and_markdown():
    from IPython.display import Audio, Markdown

    fig, _ = canvas.figure()
    assert "image/png" in explorers.output_bundle(fig)["data"]
    audio = explorers.output_bundle(Audio(np.sin(np.arange(800.0)), rate=8000))
    assert audio["output_type"] == "display_data" and "text/html" in audio["data"]
    assert explorers.output_bundle(Markdown("**x**"))["data"]["text/markdown"] == "**x**"


# -- the size explorer (notebook 01) -------------------------------------------


def test_size_explorer(displayed, widget_bundle):
    widget = explorers.size_explorer(toy_learning_curves(), initial=500)
    widget_bundle(widget)
    assert widget is not None and widget.children[0].value == 500
    before = widget.children[1].value
    widget.children[0].value = 5000
    assert widget.children[1].value != before, "moving the slider redraws the picture"
    assert any(isinstance(objs[0], dict) and "image/png" in objs[0] for objs, _ in displayed)
    with pytest.raises(ValueError, match="measured sizes"):
        explorers.size_explorer(toy_learning_curves(), initial=51)


# -- the image explorer (notebook 03) ------------------------------------------


def test_image_explorer_widget(explorer_data, displayed, widget_bundle):
    data = explorer_data
    box = explorers.image_explorer(initial=2, **data)
    widget_bundle(box)
    slider, out = box.children
    first = out.outputs
    slider.value = 5
    assert out.outputs and out.outputs != first, "moving the slider redraws the picture"
    with pytest.raises(ValueError, match="initial must be in"):
        explorers.image_explorer(initial=99, **data)


def test_image_explorer_without_ipywidgets(explorer_data, displayed, monkeypatch):
    monkeypatch.setattr(explorers, "available", lambda: False)
    assert explorers.image_explorer(**explorer_data) is None
    assert isinstance(displayed[0][0][0], Figure)


# -- the speech player (notebook 02) -------------------------------------------


class _Fixed:
    """A stand-in recogniser that always answers the same."""

    def __init__(self, answer: str) -> None:
        self.answer = answer

    def predict(self, waves):
        return [self.answer for _ in waves]


class _FixedDecoder:
    """A stand-in HMM recogniser whose best path is always 'zero' over the first 5 frames."""

    hop_length = 80

    def grammar(self):
        return loop_grammar([[0]] * 10, [1])

    def decode(self, waves):
        return [
            BestPath(np.r_[np.ones(5, int), np.zeros(5, int)], -1.0, ((1, 0, 5), (0, 5, 10)))
            for _ in waves
        ]


def test_speech_view_for_a_string_and_typed_digits():
    from IPython.display import Audio

    rng = np.random.default_rng(0)
    pool = [speech_like(800, seed=k) for k in range(20)]
    labels = [k % 10 for k in range(20)]
    utterance = join_recordings(pool[:2], [0, 1], rng)
    options = dict(
        utterances=[utterance],
        pool_waves=pool,
        pool_labels=labels,
        traditional=_FixedDecoder(),
        end_to_end=_Fixed("zero one"),
    )
    fig, player, verdict = explorers.speech_view(0, "", **options)
    assert isinstance(fig, Figure) and isinstance(player, Audio)
    assert "zero one (right)" in verdict.data and "zero (wrong)" in verdict.data
    fig, player, verdict = explorers.speech_view(0, "42", **options)
    assert "typed '42'" in verdict.data and "four two" in verdict.data
    fig, message = explorers.speech_view(0, "forty", **options)
    assert "Cannot build" in message.data


def test_speech_player_shows_its_fallback(widget_bundle):
    rng = np.random.default_rng(0)
    pool = [speech_like(800, seed=k) for k in range(20)]
    utterances = [join_recordings(pool[:2], [0, 1], rng)]
    player = explorers.speech_player(
        utterances, pool, [k % 10 for k in range(20)], _FixedDecoder(), _Fixed("zero one")
    )
    widget_bundle(player)
