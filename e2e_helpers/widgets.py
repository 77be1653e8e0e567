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
from typing import Any, Callable, Mapping

__all__ = ["available", "show", "explore", "image_explorer"]


def available() -> bool:
    """Whether ipywidgets can be imported here."""
    try:
        import ipywidgets  # noqa: F401
    except ImportError:
        return False
    return True


def _png_bundle(fallback) -> dict[str, Any]:
    """A display bundle for *fallback*: a matplotlib Figure or PNG bytes."""
    from .plots import to_png

    png = fallback if isinstance(fallback, (bytes, bytearray)) else to_png(fallback)
    return {"image/png": base64.b64encode(png).decode("ascii")}


def show(widget, fallback, alt: str = "static picture of an interactive explorer") -> None:
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


def explore(render: Callable[..., Any], controls: Mapping[str, Any], initial: Mapping[str, Any] | None = None):
    """An explorer: *render*(**values) is re-run whenever a control changes.

    *controls* maps each argument of *render* to an ``ipywidgets.interact``
    abbreviation: a list of choices (drop-down), a ``(min, max, step)`` tuple
    (slider) or a string (text box). *initial* gives starting values. What
    *render* returns (a Figure, ``IPython.display.Audio``, ...) is displayed;
    a tuple is displayed item by item. The fallback is the first Figure that
    *render* returns for the starting values. Returns the widget, or ``None``
    where ipywidgets is missing.
    """
    from IPython.display import display

    first = dict(initial or {})
    static = _as_tuple(render(**_defaults(controls, first)))
    fallback = next((item for item in static if hasattr(item, "savefig")), None)
    if fallback is None:
        raise TypeError("render() must return a matplotlib Figure (alone or in a tuple) for the static fallback")
    if not available():
        for item in static:
            display(item)
        return None
    import ipywidgets

    def update(**values: Any) -> None:
        for item in _as_tuple(render(**values)):
            display(item)

    widget = ipywidgets.interactive(update, **_with_initial(controls, first))
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
    from inspect import Parameter

    import ipywidgets

    made = {}
    for name, spec in controls.items():
        widget = ipywidgets.interactive.widget_from_abbrev(spec, initial.get(name, Parameter.empty))
        widget.description = name.replace("_", " ")
        if hasattr(widget, "continuous_update"):
            widget.continuous_update = False
        made[name] = widget
    return made


def image_explorer(initial: int = 0, **data: Any):
    """Pick a test image with a slider: its keypoints, HOG, CNN feature maps and both predictions.

    *data* are the keyword arguments of :func:`e2e_helpers.plots.image_explorer_view`
    (``images``, ``labels``, ``classes``, ``keypoints``, ``hog_pictures``,
    ``feature_maps``, ``predictions``); the static fallback shows image *initial*.
    The picture is written into the widget's output directly (not captured
    from the kernel's output), so the explorer also runs under ``nbclient``
    and ``nbconvert --execute``. Returns the widget, or ``None`` without
    ipywidgets (then only the picture is displayed).
    """
    from functools import partial

    from .plots import image_explorer_view, to_png

    n = len(data.get("images", ()))
    if n == 0:
        raise ValueError("image_explorer needs images=... (at least one) and the other image_explorer_view arguments")
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

    slider = ipywidgets.IntSlider(value=initial, min=0, max=n - 1, description="test image", continuous_update=False)
    out = ipywidgets.Output()

    def draw(fig) -> None:
        out.outputs = ()
        out.append_display_data(Image(data=to_png(fig)))

    draw(first)
    slider.observe(lambda change: draw(render(index=change["new"])), names="value")
    box = ipywidgets.VBox([slider, out])
    show(box, first, alt="static picture of the image explorer")
    return box
