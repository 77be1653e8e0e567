"""Helpers for the course *End-to-End Deep Learning, hands-on*.

The package is a few concept subpackages; data flows one way through them:

- ``data``: the registry of official sources, verified downloads, safe archives, dataset loaders;
- ``learn``: generic networks, the one training loop, ``TorchClassifier`` (PyTorch behind
  scikit-learn's API), learning curves, intervals, the summary table;
- ``speech`` and ``vision``: features, networks and pipelines for sound and images, built on
  ``learn``; the speech recognisers (scikit-learn estimators too);
- ``explain``: attribution maps, sanity checks, looking inside a trained CNN;
- ``figures``: every figure, the pipeline diagrams and the interactive explorers;
- ``course``: the Colab setup, running the notebooks, the results, the site;

with ``config`` (settings from ``E2E_*`` variables) on top. Importing the package is cheap and has
no side effects: no files are created, nothing is downloaded or seeded, and torch is not imported
until a
name that needs it is used. Subpackages load on first attribute access, so
``import e2e_helpers as e2e; e2e.config.fast_mode()`` works.
"""

from __future__ import annotations

import importlib
from types import ModuleType

__version__ = "0.1.0"

__all__ = ["config", "data", "learn", "speech", "vision", "explain", "figures", "course"]


def __getattr__(name: str) -> ModuleType:
    if name in __all__:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
