"""The local data cache: check that a folder can be written to before anything is written into it.

Every file of the cache is then written with ``e2e_helpers._files.atomic_path``: under a temporary
name in its target folder, renamed into place only once it is complete and checked.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from .errors import DataDirError


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
