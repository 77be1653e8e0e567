"""Every figure of the course.

Each function returns a :class:`matplotlib.figure.Figure` made without pyplot
(no global state, nothing shown twice): a notebook cell ends with the figure
to show it, and :func:`save_png` writes it to a file. No function here calls
``plt.show()``. Inside IPython, :func:`figure` registers a PNG display for
figures, so they show without ``%matplotlib inline`` or pyplot.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

__all__ = ["figure", "to_png", "save_png"]


def figure(nrows: int = 1, ncols: int = 1, *, size: tuple[float, float] | None = None, **subplot_kw: Any):
    """A new ``(Figure, axes)`` pair with a constrained layout; *axes* as ``plt.subplots`` gives them."""
    from matplotlib.figure import Figure

    _show_figures_inline()
    fig = Figure(figsize=size or (4.0 * ncols, 3.2 * nrows), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=True, **subplot_kw)
    return fig, axes


def to_png(fig, dpi: int = 100) -> bytes:
    """The figure as PNG bytes (for widgets' static fallbacks and tests)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def save_png(fig, path: Path | str, dpi: int = 100) -> Path:
    """Write the figure to *path* as PNG and return the path."""
    path = Path(path)
    path.write_bytes(to_png(fig, dpi))
    return path


def _show_figures_inline() -> None:
    """In IPython, display a Figure that ends a cell as a PNG (pyplot-free figures have no display)."""
    import sys

    if "IPython" not in sys.modules:
        return
    from IPython import get_ipython
    from matplotlib.figure import Figure

    shell = get_ipython()
    if shell is not None:
        shell.display_formatter.formatters["image/png"].for_type(Figure, lambda fig: to_png(fig))
