"""The drawing surface every figure shares: a pyplot-free Figure, PNG output, inline display, small
helpers.

Each figure function of the package returns a :class:`matplotlib.figure.Figure`
made without pyplot (no global state, nothing shown twice): a notebook cell
ends with the figure to show it, and :func:`save_png` writes it to a file.
Nothing here calls ``plt.show()``. Inside IPython, :func:`figure` registers a
PNG display for figures, so they show without ``%matplotlib inline`` or pyplot.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.colors import Colormap
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

__all__ = ["figure"]


def figure(
    nrows: int = 1, ncols: int = 1, *, size: tuple[float, float] | None = None, **subplot_kw: Any
) -> tuple[Figure, Any]:
    """A new ``(Figure, axes)`` pair with a constrained layout; *axes* as ``plt.subplots`` gives
    them."""
    show_figures_inline()
    fig = Figure(figsize=size or (4.0 * ncols, 3.2 * nrows), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=True, **subplot_kw)
    return fig, axes


def to_png(fig: Figure, dpi: int = 100) -> bytes:
    """The figure as PNG bytes (for widgets' static fallbacks and tests)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def save_png(fig: Figure, path: Path | str, dpi: int = 100) -> Path:
    """Write the figure to *path* as PNG and return the path."""
    path = Path(path)
    path.write_bytes(to_png(fig, dpi))
    return path


def show_figures_inline() -> None:
    """In IPython, display a Figure that ends a cell as a PNG (pyplot-free figures have no
    display)."""
    if "IPython" not in sys.modules:
        return
    from IPython import get_ipython

    shell = get_ipython()
    if shell is not None:
        shell.display_formatter.formatters["image/png"].for_type(Figure, lambda fig: to_png(fig))


def show_image(ax: Axes, image: ArrayLike, title: str | None = None) -> None:
    """An image on *ax*: grey with the grey colour map, colour as RGB; no ticks."""
    image = np.asarray(image)
    if image.ndim == 3 and image.shape[-1] == 3:
        ax.imshow(image if image.dtype == np.uint8 else np.clip(image, 0, 1))
    else:
        ax.imshow(image, cmap="gray")
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title, fontsize=8)


def figure_grid(nrows: int, ncols: int, *, size: tuple[float, float]) -> tuple[Figure, np.ndarray]:
    """:func:`figure` whose axes are always a 2-D array ``[row][col]``."""
    fig, axes = figure(nrows, ncols, size=size)
    return fig, np.asarray(axes, dtype=object).reshape(nrows, ncols)


def tab10() -> Colormap:
    """Matplotlib's ten categorical colours (``tab10``), as a colour map: ``tab10()(3)`` is the
    fourth."""
    return colormaps["tab10"]


def overlay_heat(ax: Axes, image: ArrayLike, heat: ArrayLike, title: str | None = None) -> None:
    """*image* in grey (:func:`show_image`) with *heat* (absolute values, scaled to its maximum) on
    top."""
    show_image(ax, image, title)
    heat = np.abs(np.asarray(heat, dtype=float))
    top = heat.max()
    ax.imshow(heat / top if top > 0 else heat, cmap="inferno", alpha=0.6, vmin=0, vmax=1)
