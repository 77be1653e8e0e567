"""Colab: one repository address, and every notebook's badge and setup cell agree with it."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from IPython.core.inputtransformer2 import TransformerManager

import e2e_helpers
from e2e_helpers import colab, notebooks

ROOT = Path(__file__).resolve().parents[1]
COURSE = notebooks.notebook_paths(ROOT / "notebooks")


def test_repository_is_owner_slash_name():
    assert re.fullmatch(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", colab.REPOSITORY)


def test_ref_is_this_release_tag():
    assert colab.ref() == f"v{e2e_helpers.__version__}"


def test_badge_points_at_the_notebook_on_the_tag():
    badge = colab.badge("01_intuition")
    assert badge.startswith("[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](")
    assert f"github/{colab.REPOSITORY}/blob/{colab.ref()}/notebooks/01_intuition.ipynb)" in badge


@pytest.mark.parametrize("bad", ["", "notebooks/01_intuition", "01_intuition.ipynb"])
def test_notebook_url_rejects_paths(bad):
    with pytest.raises(ValueError, match="notebook stem"):
        colab.notebook_url(bad)


def test_setup_cell_installs_only_in_colab_and_never_torch():
    source = colab.setup_source()
    assert 'if "google.colab" in sys.modules:' in source
    assert f"git+https://github.com/{colab.REPOSITORY}@{colab.ref()}" in source
    assert "torch" not in source.split("%pip", 1)[1].replace("e2e-helpers", "")
    python = TransformerManager().transform_cell(source)  # what IPython runs
    namespace: dict = {}
    exec(compile(python, "<setup>", "exec"), namespace)  # outside Colab: does nothing
    assert "get_ipython().run_line_magic('pip'" in python


def test_readme_names_the_repository():
    assert colab.REPOSITORY in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", COURSE, ids=[p.stem for p in COURSE])
def test_notebook_has_badge_and_setup_cell(path):
    nb = nbformat.read(path, as_version=4)
    first = nb.cells[0]
    assert first.cell_type == "markdown" and colab.badge(path.stem) in first.source, (
        f"the first cell of {path.name} must carry colab.badge({path.stem!r})"
    )
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and code[0].source == colab.setup_source(), (
        f"the first code cell of {path.name} must be colab.setup_source() exactly"
    )
