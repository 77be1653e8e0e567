"""Lazy re-exports for the subpackages' ``__init__``: a table of which module holds which public name.

Each subpackage lists its public names by module; a name's module is imported
on first use, so ``from e2e_helpers.speech import read_wav`` does not import
torch, and importing a subpackage stays cheap. Modules are named differently
from the names they export, so a submodule never hides a function.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(
    package: str, table: Mapping[str, Sequence[str]]
) -> tuple[list[str], Callable[[str], Any], Callable[[], list[str]]]:
    """``__all__``, ``__getattr__`` and ``__dir__`` for *package* from ``{module: [public names]}``.

    >>> names, getattr_, dir_ = lazy_exports("e2e_helpers", {"config": ["fast_mode"]})
    >>> names, getattr_("fast_mode").__name__
    (['fast_mode'], 'fast_mode')
    """
    where: dict[str, str] = {}
    for module, names in table.items():
        for name in names:
            if name in where or name in table:
                raise ValueError(f"{package}: {name!r} is listed twice or is also a module name")
            where[name] = module

    def __getattr__(name: str) -> Any:
        if name in where:
            value = getattr(importlib.import_module(f"{package}.{where[name]}"), name)
            setattr(sys.modules[package], name, value)  # later lookups skip __getattr__
            return value
        if name in table:
            return importlib.import_module(f"{package}.{name}")
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__() -> list[str]:
        return sorted({*where, *table, *vars(sys.modules[package])})

    return sorted(where), __getattr__, __dir__
