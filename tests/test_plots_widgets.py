"""The figure helpers and the widget explorer with its static fallback."""

from __future__ import annotations

import base64

import pytest
from matplotlib.figure import Figure

from e2e_helpers import plots, widgets


def _line(n: int = 3):
    fig, ax = plots.figure()
    ax.plot(range(n))
    return fig


def test_figure_and_png(tmp_path):
    fig, axes = plots.figure(1, 2)
    assert isinstance(fig, Figure) and len(axes) == 2
    png = plots.to_png(_line())
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert plots.save_png(_line(), tmp_path / "a.png").read_bytes()[:4] == b"\x89PNG"


def test_figures_display_as_png_in_ipython_without_pyplot(monkeypatch):
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    monkeypatch.setattr("IPython.get_ipython", lambda: shell)
    fig = _line()
    data, _ = shell.display_formatter.format(fig)
    png = data["image/png"]
    assert (base64.b64decode(png) if isinstance(png, str) else png)[:4] == b"\x89PNG"


def test_show_bundles_widget_and_picture(displayed):
    import ipywidgets

    slider = ipywidgets.IntSlider()
    widgets.show(slider, _line(), alt="a line")
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

    widget = widgets.explore(render, {"size": (2, 10, 2), "name": ["a", "b"]}, initial={"size": 4})
    assert calls[0] == (4, "a"), "the static fallback uses the starting values"
    widget_bundle(widget)
    controls = {c.description: c for c in widget.children if hasattr(c, "value") and c.description}
    controls["name"].value = "b"
    assert calls[-1] == (4, "b")


def test_explore_needs_a_figure_for_the_fallback(displayed):
    with pytest.raises(TypeError, match="matplotlib Figure"):
        widgets.explore(lambda k: "text only", {"k": [1, 2]})


def test_explore_without_ipywidgets_shows_the_picture_only(displayed, monkeypatch):
    monkeypatch.setattr(widgets, "available", lambda: False)
    assert widgets.explore(lambda k: _line(k), {"k": [2, 3]}) is None
    assert isinstance(displayed[0][0][0], Figure)


# -- 01_intuition figures ------------------------------------------------------


def _curves():
    import numpy as np

    from e2e_helpers.curves import LearningCurves

    sizes = np.array([50, 500, 5000])
    return LearningCurves(
        sizes=sizes,
        scores={"HOG": [np.array([0.6, 0.62]), np.array([0.8]), np.array([0.85])],
                "CNN": [np.array([0.5, 0.55]), np.array([0.79]), np.array([0.9])]},
        fit_seconds={"HOG": [np.array([0.1, 0.1]), np.array([0.2]), np.array([1.0])],
                     "CNN": [np.array([1.0, 1.0]), np.array([2.0]), np.array([9.0])]},
    )


def test_intuition_figures():
    import numpy as np

    from e2e_helpers import vision

    rng = np.random.default_rng(0)
    images = rng.integers(0, 255, (40, 28, 28)).astype(np.uint8)
    labels = np.arange(40) % 4
    classes = ["a", "b", "c", "d"]
    assert isinstance(plots.sample_grid(images, labels, classes, per_class=3), Figure)
    assert isinstance(plots.class_balance(labels, classes, labels[:10]), Figure)
    hog = vision.HOGFeatures().fit(images[:2])
    assert len(plots.hog_pictures(images[:3], hog, titles=classes[:3]).axes) == 6
    history = [{"epoch": 1, "train_loss": 1.0, "val_loss": 0.9, "val_accuracy": 0.7},
               {"epoch": 2, "train_loss": 0.5, "val_loss": 0.6, "val_accuracy": 0.8}]
    assert isinstance(plots.training_curve(history), Figure)
    maps = rng.random((3, 5, 28, 28))
    assert len(plots.what_each_sees(images[:3], hog, maps, titles=classes[:3], n_maps=2).axes) == 12
    with pytest.raises(ValueError, match="feature_maps must have shape"):
        plots.what_each_sees(images[:3], hog, maps[:2])
    with pytest.raises(ValueError, match="history is empty"):
        plots.training_curve([])
    curves = _curves()
    fig = plots.learning_curves(curves, behind="HOG", ahead="CNN", marker=500)
    assert any("crossover" in t.get_text() for t in fig.axes[0].texts)
    assert "never overtakes" in plots.learning_curves(curves, behind="CNN", ahead="HOG").axes[0].get_title()
    import numpy as np

    from e2e_helpers.curves import LearningCurves

    always = LearningCurves(sizes=curves.sizes, scores={"HOG": [np.array([0.5])] * 3, "CNN": [np.array([0.6])] * 3},
                            fit_seconds={"HOG": [np.array([1.0])] * 3, "CNN": [np.array([1.0])] * 3})
    assert "at every size" in plots.learning_curves(always, behind="HOG", ahead="CNN").axes[0].get_title()
    assert isinstance(plots.accuracy_at_size(curves, 500), Figure)
    assert isinstance(plots.summary_bars(["HOG", "CNN"], [0.88, 0.92], [10, 90], [1, 2]), Figure)
    with pytest.raises(ValueError, match="differ"):
        plots.sample_grid(images, labels[:3], classes)


def test_size_explorer(displayed, widget_bundle):
    widget = widgets.size_explorer(_curves(), initial=500)
    widget_bundle(widget)
    assert widget is not None and widget.children[0].value == 500
    before = widget.children[1].value
    widget.children[0].value = 5000
    assert widget.children[1].value != before, "moving the slider redraws the picture"
    assert any(isinstance(objs[0], dict) and "image/png" in objs[0] for objs, _ in displayed)
    with pytest.raises(ValueError, match="measured sizes"):
        widgets.size_explorer(_curves(), initial=51)
