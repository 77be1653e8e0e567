"""Test configuration: every test runs offline, in its own empty data folder.

The data folder the session started with (``E2E_DATA_DIR``, which ``.ci/run``
seeds from the offline copies of the real datasets, or a learner's own cache)
is remembered as the *real* data folder: the ``real_data_dir`` fixture hands
it to the tests that need real data, and skips them with the reason when the
dataset is not there.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakedata import LocalServer
from hypothesis import settings

from e2e_helpers import config

_REAL_DATA_DIR = config.data_dir()

# Property-based tests: the same examples on every run, nothing written to the working tree.
settings.register_profile("course", derandomize=True, database=None, deadline=None, max_examples=60)
settings.load_profile("course")


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Offline, an empty temporary data folder, full mode, no results folder."""
    monkeypatch.setenv("E2E_OFFLINE", "1")
    monkeypatch.setenv("E2E_DATA_DIR", str(tmp_path / "data"))
    for name in ("E2E_FAST", "E2E_DEVICE", "E2E_RESULTS_DIR"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True, scope="session")
def _one_torch_thread():
    """The tests' tiny tensors train faster on one thread, and stay fast on a busy 2-core
    machine."""
    try:
        import torch
    except ImportError:  # the torch-free unit tests under a newer Python (test_newer_python.py)
        yield
        return
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalServer]:
    """A running :class:`LocalServer`; proxies are bypassed for it."""
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, "127.0.0.1,localhost")
    with LocalServer() as running:
        yield running


@pytest.fixture(scope="session")
def real_data_root() -> Path:
    """The data folder the session started with, for processes started outside the test (it may lack
    datasets)."""
    return _REAL_DATA_DIR


@pytest.fixture
def real_data_dir(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The real data folder, set as ``E2E_DATA_DIR``; skips if the dataset is absent.

    Mark the test with ``@pytest.mark.dataset("fsdd")`` (a sub-folder name) to
    say which dataset it needs.
    """
    marker = request.node.get_closest_marker("dataset")
    needed = marker.args[0] if marker else ""
    if not (_REAL_DATA_DIR / needed).is_dir():
        pytest.skip(
            f"real data {needed or 'folder'} not found in {_REAL_DATA_DIR / needed}: "
            f"set E2E_DATA_DIR to a folder holding it (CI seeds one from ../shared/data)"
        )
    monkeypatch.setenv("E2E_DATA_DIR", str(_REAL_DATA_DIR))
    return _REAL_DATA_DIR


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "dataset(name): the real dataset sub-folder a test needs")


def pytest_report_header(config: pytest.Config) -> str:
    where = f"{_REAL_DATA_DIR} (exists: {_REAL_DATA_DIR.is_dir()})"
    return f"e2e: real data folder {where}, os.cpu_count()={os.cpu_count()}"


@pytest.fixture
def displayed(monkeypatch) -> list:
    """What ``IPython.display.display`` was called with, as ``(objects, keywords)`` pairs (nothing
    is shown)."""
    shown: list = []
    monkeypatch.setattr("IPython.display.display", lambda *objs, **kw: shown.append((objs, kw)))
    return shown


@pytest.fixture
def widget_bundle(displayed):
    """A check for the last displayed output: *widget*'s view with its static fallback in the same
    bundle.

    Front ends that render widgets show the view; the others (GitHub,
    nbconvert, the rendered site) fall back to the PNG, then to the text.
    """

    def check(widget) -> dict:
        import base64

        bundle = displayed[-1][0][0]
        assert set(bundle) == {
            "application/vnd.jupyter.widget-view+json",
            "image/png",
            "text/plain",
        }
        assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == widget.model_id
        assert base64.b64decode(bundle["image/png"])[:4] == b"\x89PNG"
        assert bundle["text/plain"].strip(), "a text description for text-only front ends"
        return bundle

    return check
