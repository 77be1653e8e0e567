"""Helpers for the course *End-to-End Deep Learning, hands-on*.

Importing the package is cheap and has no side effects: no files are created,
nothing is downloaded or seeded, and torch is not imported until a submodule
that needs it is used. Submodules are loaded on first attribute access, so
``import e2e_helpers as e2e; e2e.config.fast_mode()`` works.
"""

from __future__ import annotations

import importlib
from types import ModuleType

__version__ = "0.1.0"

__all__ = [
    "audio",
    "colab",
    "compare",
    "config",
    "ctc",
    "curves",
    "datasets",
    "diagrams",
    "downloads",
    "estimators",
    "explain",
    "features",
    "introspect",
    "models",
    "notebooks",
    "plots",
    "recognizers",
    "report",
    "site",
    "speakers",
    "strings",
    "texture",
    "training",
    "vision",
    "widgets",
]


def __getattr__(name: str) -> ModuleType:
    if name in __all__:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
