"""Colab: one repository address, and every notebook's badge and setup cell agree with it."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import nbformat
import pytest
from IPython.core.inputtransformer2 import TransformerManager
from packaging.utils import canonicalize_name

import e2e_helpers
from e2e_helpers.course import colab, notebook_runner

ROOT = Path(__file__).resolve().parents[2]
COURSE = notebook_runner.notebook_paths(ROOT / "notebooks")
TORCH_STACK = {"torch", "torchvision", "torchaudio"}
# What pip says when it cannot reach the package index (build isolation fetches setuptools from it).
_OFFLINE = re.compile(
    r"NewConnectionError|Failed to establish|Max retries|Name or service not known|"
    r"Temporary failure in name resolution|ProxyError|"
    r"Could not find a version that satisfies the requirement setuptools"
)


def test_repository_is_owner_slash_name():
    assert re.fullmatch(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", colab.REPOSITORY)


def test_ref_is_this_release_tag():
    assert colab.ref() == f"v{e2e_helpers.__version__}"


def test_badge_points_at_the_notebook_on_the_tag():
    badge = colab.badge("01_intuition")
    assert badge.startswith(
        "[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]("
    )
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


@pytest.mark.timeout(600)
def test_installing_the_package_keeps_the_installed_torch(tmp_path):
    """As in Colab: where torch, torchvision and torchaudio are installed, installing the package
    changes none of them."""
    # this environment has them
    installed = {name: metadata.version(name) for name in sorted(TORCH_STACK)}
    report = tmp_path / "pip-report.json"
    command = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--dry-run",
        "--quiet",
        "--disable-pip-version-check",
        "--report",
        str(report),
        str(ROOT),
    ]
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    if done.returncode != 0 and _OFFLINE.search(done.stderr):
        pytest.skip(
            f"the package index is unreachable, so pip cannot build the package: "
            f"{done.stderr.strip()[-300:]}"
        )
    assert done.returncode == 0, done.stderr
    would_install = {
        canonicalize_name(item["metadata"]["name"]): item["metadata"]["version"]
        for item in json.loads(report.read_text(encoding="utf-8"))["install"]
    }
    assert "e2e-helpers" in would_install
    touched = {
        name
        for name in would_install
        if name in TORCH_STACK or name.startswith("nvidia-") or name == "triton"
    }
    assert touched == set(), (
        f"installing the package would replace {touched} (installed: {installed})"
    )
