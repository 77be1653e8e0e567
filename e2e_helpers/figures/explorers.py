"""Interactive explorers: the only module that imports ipywidgets.

Every explorer is shown with a static fallback. :func:`show` puts the live
widget and a PNG picture of its initial state in *one* output, so a front end
that renders widgets (JupyterLab, Notebook, Colab) shows the widget, and one
that cannot (GitHub, nbconvert without widget state, an unrun notebook opened
in a viewer) shows the picture instead. Without ipywidgets, only the picture
is displayed.
"""

from __future__ import annotations

import base64
import zlib
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from inspect import Parameter
from typing import TYPE_CHECKING, Any

import numpy as np

from ..speech import digits_to_text, text_to_digits
from ..speech.audio import frame_energy_db
from ..speech.digit_strings import join_recordings
from .canvas import figure, to_png
from .curve_plots import accuracy_at_size
from .image_results import image_explorer_view
from .speech_plots import vad_figure

if TYPE_CHECKING:
    from ipywidgets import VBox, Widget
    from matplotlib.figure import Figure

    from ..learn.learning_curve import LearningCurves
    from ..speech import CTCRecognizer, PhoneHMMRecognizer
    from ..speech.digit_strings import DigitString

__all__ = [
    "show",
    "explore",
    "size_explorer",
    "image_explorer",
    "speech_player",
]


def available() -> bool:
    """Whether ipywidgets can be imported here."""
    try:
        import ipywidgets  # noqa: F401
    except ImportError:
        return False
    return True


def _png_bundle(fallback: Figure | bytes) -> dict[str, Any]:
    """A display bundle for *fallback*: a matplotlib Figure or PNG bytes."""
    png = fallback if isinstance(fallback, (bytes, bytearray)) else to_png(fallback)
    return {"image/png": base64.b64encode(png).decode("ascii")}


def show(
    widget: Widget | None,
    fallback: Figure | bytes,
    alt: str = "static picture of an interactive explorer",
) -> None:
    """Display *widget* with *fallback* (a Figure or PNG bytes) as its static stand-in."""
    from IPython.display import display

    bundle = {**_png_bundle(fallback), "text/plain": alt}
    if widget is not None:
        bundle["application/vnd.jupyter.widget-view+json"] = {
            "version_major": 2,
            "version_minor": 0,
            "model_id": widget.model_id,
        }
    display(bundle, raw=True)


def explore(
    render: Callable[..., Any],
    controls: Mapping[str, Any],
    initial: Mapping[str, Any] | None = None,
) -> VBox | None:
    """An explorer: *render*(**values) is re-run whenever a control changes.

    *controls* maps each argument of *render* to an ``ipywidgets.interact``
    abbreviation: a list of choices (drop-down), a ``(min, max, step)`` tuple
    (slider) or a string (text box). *initial* gives starting values. What
    *render* returns (a Figure, ``IPython.display.Audio``, ``Markdown``, ...)
    is shown below the controls; a tuple item by item. The fallback is the
    first Figure that *render* returns for the starting values.

    Unlike ``ipywidgets.interact``, nothing is captured from the kernel's
    output: each update writes the results into an ``Output`` widget's state
    (:func:`output_bundle`), which works the same in JupyterLab, Colab and
    headless runners. Returns the widget, or ``None`` where ipywidgets is
    missing (then the starting results are displayed).
    """
    from IPython.display import display

    first = _defaults(controls, dict(initial or {}))
    static = _as_tuple(render(**first))
    fallback = next((item for item in static if hasattr(item, "savefig")), None)
    if fallback is None:
        raise TypeError(
            "render() must return a matplotlib Figure (alone or in a tuple) for the static fallback"
        )
    if not available():
        for item in static:
            display(item)
        return None
    import ipywidgets

    made = _with_initial(controls, first)
    out = ipywidgets.Output()
    out.outputs = tuple(output_bundle(item) for item in static)

    def update(_change: Any = None) -> None:
        results = render(**{name: w.value for name, w in made.items()})
        out.outputs = tuple(output_bundle(item) for item in _as_tuple(results))

    for w in made.values():
        w.observe(update, names="value")
    widget = ipywidgets.VBox([*made.values(), out])
    show(widget, fallback)
    return widget


def _as_tuple(result: Any) -> tuple:
    return result if isinstance(result, tuple) else (result,)


def _defaults(controls: Mapping[str, Any], initial: Mapping[str, Any]) -> dict[str, Any]:
    """The values the controls start at: *initial*, else the first choice or the low end."""
    values = {}
    for name, spec in controls.items():
        if name in initial:
            values[name] = initial[name]
        elif isinstance(spec, tuple):
            values[name] = spec[0]
        elif isinstance(spec, (list, range)):
            first = spec[0]
            values[name] = first[1] if isinstance(first, tuple) and len(first) == 2 else first
        else:
            values[name] = spec
    return values


def _with_initial(controls: Mapping[str, Any], initial: Mapping[str, Any]) -> dict[str, Any]:
    """Widgets for *controls*, starting at *initial* where given."""
    import ipywidgets

    made = {}
    for name, spec in controls.items():
        widget = ipywidgets.interactive.widget_from_abbrev(spec, initial.get(name, Parameter.empty))
        widget.description = name.replace("_", " ")
        if hasattr(widget, "continuous_update"):
            widget.continuous_update = False
        made[name] = widget
    return made


def speech_view(
    test_string: int,
    typed: str,
    *,
    utterances: Sequence[DigitString],
    pool_waves: Sequence[np.ndarray],
    pool_labels: Sequence[int],
    traditional: PhoneHMMRecognizer,
    end_to_end: CTCRecognizer,
    sample_rate: int = 8000,
) -> tuple[Any, ...]:
    """Render one utterance: a figure (waveform with the words the HMM decoder found, both
    transcripts), a player and a verdict.

    *typed* (digits such as ``"314"``, or empty) builds a new string from the
    recordings in *pool_waves*; otherwise ``utterances[test_string]`` is shown.
    """
    from IPython.display import Audio, Markdown

    if typed.strip():
        try:
            digits = text_to_digits(typed)
        except ValueError as exc:
            fig, ax = figure(size=(8, 1.2))
            ax.axis("off")
            ax.text(0.5, 0.5, str(exc), ha="center", va="center", wrap=True)
            return fig, Markdown(f"**Cannot build a string:** {exc}")
        digits = digits[:8]
        rng = np.random.default_rng(zlib.crc32(typed.encode()))
        by_digit = {d: np.flatnonzero(np.asarray(pool_labels) == d) for d in range(10)}
        chosen = [pool_waves[rng.choice(by_digit[d])] for d in digits]
        utterance = join_recordings(chosen, digits, rng, sample_rate=sample_rate)
        source = f"typed '{typed.strip()}', built from held-out test recordings"
    else:
        utterance = utterances[int(test_string)]
        source = f"held-out test string {int(test_string)}"
    wave = utterance.wave
    grammar, hop = traditional.grammar(), traditional.hop_length
    found = [
        (grammar.labels[g], start * hop, end * hop)
        for g, start, end in traditional.decode([wave])[0].segments
        if grammar.labels[g] >= 0
    ]
    words_traditional = digits_to_text([d for d, _, _ in found])
    words_e2e = end_to_end.predict([wave])[0]
    fig = vad_figure(
        wave,
        frame_energy_db(wave, sample_rate),
        [(a, b) for _, a, b in found],
        sample_rate,
        truth=list(utterance.words),
        texts=words_traditional.split(),
        segment_label="word found by the HMM decoder",
        title=f"truth: {utterance.text}\ntraditional: {words_traditional or '(nothing)'}"
        f"   |   end-to-end: {words_e2e or '(nothing)'}",
    )

    def mark(text: str) -> str:
        return "right" if text == utterance.text else "wrong"

    verdict = Markdown(
        f"{source}, {len(wave) / sample_rate:.2f} s  \n"
        f"**truth:** {utterance.text}  \n"
        f"**traditional (phone HMMs, digit-loop Viterbi):** {words_traditional or '(nothing)'} "
        f"({mark(words_traditional)})  \n"
        f"**end-to-end (CTC):** {words_e2e or '(nothing)'} ({mark(words_e2e)})"
    )
    return fig, Audio(wave, rate=sample_rate), verdict


def output_bundle(item: Any) -> dict[str, Any]:
    """*item* (a Figure, ``Audio``, ``Markdown``, any displayable) as an nbformat ``display_data``
    output."""
    if hasattr(item, "savefig"):
        data = {**_png_bundle(item), "text/plain": "<Figure>"}
    else:
        from IPython.core.formatters import format_display_data

        data, _ = format_display_data(item)
    return {"output_type": "display_data", "data": data, "metadata": {}}


def speech_player(
    utterances: Sequence[DigitString],
    pool_waves: Sequence[np.ndarray],
    pool_labels: Sequence[int],
    traditional: PhoneHMMRecognizer,
    end_to_end: CTCRecognizer,
    sample_rate: int = 8000,
) -> VBox | None:
    """Pick a held-out string or type digits; hear it and see both transcripts (static fallback: the
    first string)."""
    render = partial(
        speech_view,
        utterances=utterances,
        pool_waves=pool_waves,
        pool_labels=pool_labels,
        traditional=traditional,
        end_to_end=end_to_end,
        sample_rate=sample_rate,
    )
    return explore(
        render,
        {"test_string": (0, len(utterances) - 1, 1), "typed": ""},
        initial={"test_string": 0, "typed": ""},
    )


def size_explorer(curves: LearningCurves, initial: float | None = None) -> VBox | None:
    """A slider over training-set size showing every pipeline's accuracy there.

    *curves* is a :class:`~e2e_helpers.learn.LearningCurves`; the slider runs
    over its measured sizes (log-spaced) and the picture is
    :func:`~e2e_helpers.figures.curve_plots.accuracy_at_size`, redrawn as a PNG on each move
    (an ``Image`` widget, so no output capture is needed). Shown with a static
    fallback; returns the widget, or ``None`` without ipywidgets.
    """
    sizes = [int(s) for s in curves.sizes]
    start = int(initial) if initial is not None else sizes[len(sizes) // 2]
    if start not in sizes:
        raise ValueError(f"initial must be one of the measured sizes {sizes}, got {initial!r}")
    fallback = accuracy_at_size(curves, start)
    if not available():
        from IPython.display import display

        display(fallback)
        return None
    import ipywidgets

    slider = ipywidgets.SelectionSlider(
        options=[(f"{s:,}", s) for s in sizes],
        value=start,
        description="training images",
        continuous_update=False,
        style={"description_width": "initial"},
        layout={"width": "480px"},
    )
    picture = ipywidgets.Image(value=to_png(fallback), format="png")

    def redraw(change: dict) -> None:
        picture.value = to_png(accuracy_at_size(curves, change["new"]))

    slider.observe(redraw, names="value")
    box = ipywidgets.VBox([slider, picture])
    show(
        box, fallback, alt="learning curves with both pipelines' accuracy at one training-set size"
    )
    return box


def image_explorer(initial: int = 0, **data: Any) -> VBox | None:
    """Pick a test image with a slider: its keypoints, HOG, CNN feature maps and both predictions.

    *data* are the keyword arguments of
    :func:`~e2e_helpers.figures.image_results.image_explorer_view`
    (``images``, ``labels``, ``classes``, ``keypoints``, ``hog_pictures``,
    ``feature_maps``, ``predictions``); the static fallback shows image *initial*.
    The picture is written into the widget's output directly (not captured
    from the kernel's output), so the explorer also runs under ``nbclient``
    and ``nbconvert --execute``. Returns the widget, or ``None`` without
    ipywidgets (then only the picture is displayed).
    """
    n = len(data.get("images", ()))
    if n == 0:
        raise ValueError(
            "image_explorer needs images=... (at least one) and the other image_explorer_view "
            "arguments"
        )
    if not 0 <= initial < n:
        raise ValueError(f"initial must be in [0, {n - 1}], got {initial!r}")
    render = partial(image_explorer_view, **data)
    first = render(index=initial)
    if not available():
        from IPython.display import display

        display(first)
        return None
    import ipywidgets
    from IPython.display import Image

    slider = ipywidgets.IntSlider(
        value=initial, min=0, max=n - 1, description="test image", continuous_update=False
    )
    out = ipywidgets.Output()

    def draw(fig: Figure) -> None:
        out.outputs = ()
        out.append_display_data(Image(data=to_png(fig)))

    draw(first)
    slider.observe(lambda change: draw(render(index=change["new"])), names="value")
    box = ipywidgets.VBox([slider, out])
    show(box, first, alt="static picture of the image explorer")
    return box
