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
    assert base64.b64decode(data["image/png"])[:4] == b"\x89PNG" if isinstance(data["image/png"], str) else data["image/png"][:4] == b"\x89PNG"


@pytest.fixture
def displayed(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda *objs, **kw: shown.append((objs, kw)))
    return shown


def test_show_bundles_widget_and_picture(displayed):
    import ipywidgets

    slider = ipywidgets.IntSlider()
    widgets.show(slider, _line(), alt="a line")
    (bundle,), options = displayed[0]
    assert options == {"raw": True}
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == slider.model_id
    assert base64.b64decode(bundle["image/png"])[:4] == b"\x89PNG"
    assert bundle["text/plain"] == "a line"


def test_explore_renders_initial_values_and_updates(displayed):
    calls = []

    def render(size, name):
        calls.append((size, name))
        return _line(size), f"{name}:{size}"

    widget = widgets.explore(render, {"size": (2, 10, 2), "name": ["a", "b"]}, initial={"size": 4})
    assert calls[0] == (4, "a"), "the static fallback uses the starting values"
    assert "application/vnd.jupyter.widget-view+json" in displayed[-1][0][0]
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
