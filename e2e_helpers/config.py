"""The one place for course-wide settings.

Every setting is read from an environment variable *when it is asked for*, so
importing this module does nothing, and a notebook or test can change a
setting with ``os.environ`` (or ``monkeypatch.setenv``) at any time.

====================  =======================================================
variable              meaning
====================  =======================================================
``E2E_DATA_DIR``      where datasets are cached (default: a per-user cache
                      folder, see :func:`data_dir`)
``E2E_OFFLINE``       ``1`` forbids every download (default ``0``)
``E2E_FAST``          ``1`` shrinks every notebook to a smoke run (default
                      ``0``, the full course)
``E2E_DEVICE``        ``auto`` (cuda > mps > cpu), ``cpu``, ``cuda`` or
                      ``mps`` (default ``auto``)
``E2E_RESULTS_DIR``   where :mod:`e2e_helpers.course.results` writes each notebook's
                      figures (unset: figures are only shown, not written)
====================  =======================================================
"""

from __future__ import annotations

import os
import platform
import random
import sys
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    import torch

__all__ = [
    "ConfigError",
    "data_dir",
    "offline",
    "fast_mode",
    "mode",
    "by_mode",
    "device",
    "results_dir",
    "seed_everything",
    "environment_summary",
]

T = TypeVar("T")

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
_DEVICES = ("auto", "cpu", "cuda", "mps")


class ConfigError(ValueError):
    """An ``E2E_*`` environment variable holds a value we cannot use."""


def _flag(name: str) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ConfigError(
        f"{name}={os.environ[name]!r} is not a yes/no value: "
        f"set it to 1 (on) or 0 (off), or unset it."
    )


def _default_cache() -> Path:
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "e2e-course"


def _folder(name: str, raw: str, unset: str) -> Path:
    """The folder *raw* from variable *name*, resolved; ``ConfigError`` if it is a file (*unset*:
    what unsetting does)."""
    path = Path(raw).expanduser()
    if path.exists() and not path.is_dir():
        raise ConfigError(
            f"{name}={raw!r} is a file, not a folder: point it at a "
            f"folder (it is created if missing) or unset it {unset}."
        )
    return path.resolve()


def data_dir() -> Path:
    """Folder where datasets are cached (``E2E_DATA_DIR``; not created here)."""
    raw = os.environ.get("E2E_DATA_DIR", "").strip()
    if not raw:
        return _default_cache()
    return _folder("E2E_DATA_DIR", raw, f"to use {_default_cache()}")


def offline() -> bool:
    """True when downloads are forbidden (``E2E_OFFLINE=1``)."""
    return _flag("E2E_OFFLINE")


def fast_mode() -> bool:
    """True for the smoke-run sizes used by the tests (``E2E_FAST=1``)."""
    return _flag("E2E_FAST")


def mode() -> str:
    """``"fast"`` or ``"full"``."""
    return "fast" if fast_mode() else "full"


def by_mode(*, full: T, fast: T) -> T:
    """Pick the full-course or the smoke-run value of a setting.

    >>> epochs = by_mode(full=12, fast=1)
    """
    return fast if fast_mode() else full


def results_dir() -> Path | None:
    """Folder for recorded figures (``E2E_RESULTS_DIR``; not created here), or None when unset."""
    raw = os.environ.get("E2E_RESULTS_DIR", "").strip()
    return _folder("E2E_RESULTS_DIR", raw, "to only show the figures") if raw else None


def device(preference: str | None = None) -> torch.device:
    """The torch device to use: ``E2E_DEVICE`` or *preference*; auto is cuda > mps > cpu."""
    import torch

    name = (preference or os.environ.get("E2E_DEVICE", "auto")).strip().lower() or "auto"
    if name not in _DEVICES:
        raise ConfigError(
            f"device {name!r} is not one of {', '.join(_DEVICES)}: "
            f"set E2E_DEVICE (or the device argument) to one of them."
        )
    mps = getattr(torch.backends, "mps", None)
    has_mps = bool(mps and mps.is_available())
    if name == "auto":
        name = "cuda" if torch.cuda.is_available() else "mps" if has_mps else "cpu"
    elif name == "cuda" and not torch.cuda.is_available():
        raise ConfigError(
            "device 'cuda' was asked for but torch sees no CUDA GPU: use 'auto' or 'cpu'."
        )
    elif name == "mps" and not has_mps:
        raise ConfigError(
            "device 'mps' was asked for but this machine has no Apple GPU: use 'auto' or 'cpu'."
        )
    return torch.device(name)


def seed_everything(seed: int = 0) -> int:
    """Seed Python, NumPy and torch (CPU and CUDA) so that reruns repeat; returns *seed*."""
    # config imports with the standard library alone (any Python, nothing installed)
    import numpy as np
    import torch

    if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed < 2**32:
        raise ConfigError(f"seed must be an int in [0, 2**32), got {seed!r}.")
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.cuda.manual_seed_all(seed)
    torch.backends.cudnn.deterministic = True
    torch.backends.cudnn.benchmark = False
    return seed


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "missing"


def environment_summary() -> str:
    """One line for the top of a notebook: versions, device, mode, data folder."""
    versions = ", ".join(
        f"{name} {_version(dist)}"
        for name, dist in [
            ("e2e_helpers", "e2e-helpers"),
            ("torch", "torch"),
            ("torchvision", "torchvision"),
            ("torchaudio", "torchaudio"),
            ("scikit-learn", "scikit-learn"),
        ]
    )
    return (
        f"Python {platform.python_version()} | {versions} | device {device().type} | "
        f"mode {mode()} | offline {'yes' if offline() else 'no'} | data {data_dir()}"
    )
