"""Loading any course dataset by name: :func:`load` and the table :data:`LOADERS` it dispatches on.

>>> sorted(LOADERS)
['breast-cancer', 'cifar-10', 'fashion-mnist', 'fsdd', 'pneumoniamnist']
>>> digits = load("fsdd")                    # doctest: +SKIP
>>> train, test = digits.official_split()    # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .fsdd import load_fsdd
from .images import load_cifar10, load_fashion_mnist, load_pneumoniamnist
from .tabular import load_breast_cancer

__all__ = ["load"]

#: Dataset name -> loader.
LOADERS: dict[str, Callable[..., Any]] = {
    "fsdd": load_fsdd,
    "fashion-mnist": load_fashion_mnist,
    "cifar-10": load_cifar10,
    "pneumoniamnist": load_pneumoniamnist,
    "breast-cancer": load_breast_cancer,
}


def load(name: str, **kwargs: Any) -> Any:
    """Load a dataset by name (see :data:`LOADERS`), e.g. ``load("fashion-mnist")``."""
    key = name.strip().lower().replace("_", "-") if isinstance(name, str) else name
    if key not in LOADERS:
        raise ValueError(f"Unknown dataset {name!r}: expected one of {', '.join(sorted(LOADERS))}.")
    return LOADERS[key](**kwargs)
