"""Writing into the local data cache: check that a folder is writable, move a finished file into place.

Every file of the cache is first written under a temporary name in its
target folder and renamed into place only once it is complete and checked.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import DataDirError

__all__ = ["ensure_writable", "move_into_place"]

_FILE_MODE = 0o644  # temporary files are created private (0o600); the cache is not secret


def ensure_writable(folder: Path | str) -> Path:
    """Create ``folder`` if needed and check that files can be written in it."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise DataDirError(folder, exc.strerror or str(exc)) from exc
    return folder


def move_into_place(part: Path, path: Path) -> None:
    """Make the finished temporary file ``part`` readable by all (0o644) and rename it to ``path``."""
    part.chmod(_FILE_MODE)
    os.replace(part, path)
