"""The explorers' widgets as a front end sees them: the models and messages a real kernel sends.

Colab's front end hosts ipywidgets 7 (the replica pins 7.7.1, ``make test-colab``),
JupyterLab 4 hosts 8; a JupyterLab 4 page cannot load the 7.x front end, so this
test checks the kernel side in whichever ipywidgets is installed: a notebook
runs the explorers in a fresh kernel, a "front end" message moves a control
(the ``update`` message a browser sends when a slider is dragged), and the
widget state that nbclient recorded from the kernel's comm messages must hold
every displayed model, in the model versions of the installed ipywidgets'
own front end, with the explorer's picture redrawn.
"""

from __future__ import annotations

import base64
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"

_SETUP = f"""
import sys
sys.path[:0] = [{str(ROOT)!r}, {str(ROOT / "tests")!r}]
from fakedata import toy_learning_curves
from e2e_helpers.figures import canvas, explorers

def frame(message):  # what a front end sends when the user moves a control
    data = {{"method": "update", "state": message, "buffer_paths": []}}
    return {{"content": {{"data": data}}, "buffers": []}}

import ipywidgets
print(sys.executable, ipywidgets.__version__)
"""
_EXPLORE = """
def render(size, colour):
    fig, ax = canvas.figure()
    ax.plot(range(size), color=colour)
    return fig, f"{colour} line of {size} points"

controls = {"size": (2, 10, 2), "colour": ["black", "red"]}
box = explorers.explore(render, controls, initial={"size": 4})
"""
_MOVE = """
slider = box.children[0]
slider._handle_msg(frame({"value": 8}))
print(slider.value)
"""
_SIZES = """
sizes = explorers.size_explorer(toy_learning_curves(), initial=500)
first_picture = bytes(sizes.children[1].value)
sizes.children[0]._handle_msg(frame({"index": 2}))
print(sizes.children[0].value, bytes(sizes.children[1].value) != first_picture)
"""


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """The explorer notebook, executed in a fresh kernel of this environment, and the widget state
    recorded."""
    pytest.importorskip("ipywidgets")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in (_SETUP, _EXPLORE, _MOVE, _SIZES)]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    folder = tmp_path_factory.mktemp("widgets")
    client = NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        store_widget_state=True,
        resources={"metadata": {"path": str(folder)}},
    )
    client.execute()
    return nb, nb.metadata["widgets"][WIDGET_STATE]["state"]


def _views(cell) -> list[str]:
    return [
        out["data"][WIDGET_VIEW]["model_id"]
        for out in cell.outputs
        if WIDGET_VIEW in out.get("data", {})
    ]


def test_every_displayed_explorer_is_a_model_the_kernel_opened(run):
    nb, state = run
    views = _views(nb.cells[1]) + _views(nb.cells[3])
    assert len(views) == 2
    for model_id in views:
        assert state[model_id]["model_name"] == "VBoxModel"
        children = [
            child.removeprefix("IPY_MODEL_") for child in state[model_id]["state"]["children"]
        ]
        assert all(child in state for child in children), (
            "every child model was sent to the front end"
        )


def test_the_kernel_is_this_environment(run):
    import sys

    import ipywidgets

    nb, _ = run
    assert nb.cells[0].outputs[0]["text"].split() == [sys.executable, ipywidgets.__version__]


def test_models_are_those_of_the_installed_widgets_front_end(run):
    import ipywidgets
    from ipywidgets import _version

    _, state = run
    expected = {
        "@jupyter-widgets/controls": _version.__jupyter_widgets_controls_version__,
        "@jupyter-widgets/base": _version.__jupyter_widgets_base_version__,
        "@jupyter-widgets/output": getattr(_version, "__jupyter_widgets_output_version__", "1.0.0"),
    }
    for model in state.values():
        assert model["model_module_version"] == expected[model["model_module"]], (
            model,
            ipywidgets.__version__,
        )
    names = {model["model_name"] for model in state.values()}
    assert {
        "VBoxModel",
        "IntSliderModel",
        "DropdownModel",
        "OutputModel",
        "SelectionSliderModel",
        "ImageModel",
    } <= names
    if ipywidgets.__version__.startswith("7."):
        assert expected["@jupyter-widgets/controls"] == "1.5.0", (
            "what Colab's ipywidgets 7 front end renders"
        )


def test_a_front_end_update_redraws_the_explorer(run):
    nb, state = run
    assert nb.cells[2].outputs[0]["text"].strip() == "8", "the update message set the slider"
    output = next(m for m in state.values() if m["model_name"] == "OutputModel")
    shown = output["state"]["outputs"]
    assert any("black line of 8 points" in str(o["data"]) for o in shown), (
        "the Output widget holds the new result"
    )
    assert any(base64.b64decode(o["data"].get("image/png", ""))[:4] == b"\x89PNG" for o in shown)
    assert nb.cells[3].outputs[-1]["text"].split() == ["5000", "True"], (
        "the size slider moved and the picture changed"
    )
