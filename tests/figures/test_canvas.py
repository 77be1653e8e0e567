"""The drawing surface: pyplot-free figures, PNG bytes and files, inline display in IPython."""

from __future__ import annotations

import base64
import subprocess
import sys

from matplotlib.figure import Figure

from e2e_helpers.figures import canvas


def _line(n: int = 3):
    fig, ax = canvas.figure()
    ax.plot(range(n))
    return fig


def test_figure_and_png(tmp_path):
    fig, axes = canvas.figure(1, 2)
    assert isinstance(fig, Figure) and len(axes) == 2
    png = canvas.to_png(_line())
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert canvas.save_png(_line(), tmp_path / "a.png").read_bytes()[:4] == b"\x89PNG"


def test_figures_display_as_png_in_ipython_without_pyplot(monkeypatch):
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    monkeypatch.setattr("IPython.get_ipython", lambda: shell)
    fig = _line()
    data, _ = shell.display_formatter.format(fig)
    png = data["image/png"]
    assert (base64.b64decode(png) if isinstance(png, str) else png)[:4] == b"\x89PNG"


def test_importing_the_course_tools_needs_no_torch_scikit_learn_or_matplotlib():
    code = (
        "import sys, e2e_helpers.course, e2e_helpers.course.site, "
        "e2e_helpers.course.colab_replica; "
        "print(sorted({'torch', 'sklearn', 'matplotlib'} & set(sys.modules)))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"
