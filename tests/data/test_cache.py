"""cache: the data folder must be writable, and is created when missing."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from e2e_helpers.data import DataDirError
from e2e_helpers.data._cache import ensure_writable


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_read_only_data_dir_is_a_clear_error(tmp_path):
    if os.geteuid() == 0:
        pytest.skip(
            "running as root: chmod does not stop root from writing (covered by the file-in-path "
            "test)"
        )
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(DataDirError, match="E2E_DATA_DIR") as info:
            ensure_writable(folder)
        assert str(folder) in str(info.value)
    finally:
        folder.chmod(0o700)


def test_ensure_writable_creates_the_folder(tmp_path):
    folder = tmp_path / "a" / "b"
    assert ensure_writable(folder) == folder and folder.is_dir() and files_in(folder) == []
