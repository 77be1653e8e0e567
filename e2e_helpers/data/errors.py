"""The errors of the data layer: one family under :class:`DataError`, each saying what to do next.

A message names the files, the folder and the official address, so that a
learner offline (``E2E_OFFLINE=1``) knows exactly what to put where.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

__all__ = [
    "DataError",
    "DataUnavailableError",
    "ChecksumError",
    "UnsafeArchiveError",
    "DataDirError",
]

_MAX_LISTED = 8


class DataError(RuntimeError):
    """A dataset could not be fetched, verified or read."""


class DataUnavailableError(DataError):
    """Offline, and the dataset's files are not in the local cache."""

    def __init__(
        self, dataset: str, files: Sequence[str], folder: Path | str, url: str, detail: str = ""
    ) -> None:
        self.dataset, self.files, self.folder, self.url = dataset, tuple(files), Path(folder), url
        listed = [f"  - {name}" for name in self.files[:_MAX_LISTED]]
        if len(self.files) > _MAX_LISTED:
            listed.append(f"  ... ({len(self.files)} files in all)")
        super().__init__(
            f"Dataset {dataset!r} is not in the local cache and downloads are off "
            f"(E2E_OFFLINE=1).\n"
            + (f"{detail}\n" if detail else "")
            + f"Expected in {self.folder}:\n"
            + "\n".join(listed)
            + f"\nDownload {'them' if len(self.files) > 1 else 'it'} by hand from {url} into that "
            f"folder, "
            "or unset E2E_OFFLINE to download automatically."
        )


class ChecksumError(DataError):
    """A file's checksum is not the expected one (corrupt or incomplete file)."""

    def __init__(self, file: Path | str, expected: str, got: str, advice: str = "") -> None:
        self.file, self.expected, self.got = file, expected, got
        advice = advice or (
            f"The file is corrupt or incomplete: delete it (rm '{file}') and run again; "
            "it will be downloaded again (with E2E_OFFLINE unset)."
        )
        super().__init__(f"Checksum mismatch for {file}: expected {expected}, got {got}. {advice}")


class UnsafeArchiveError(DataError):
    """An archive member would land outside the extraction folder (*deleted*: the archive was
    removed from the cache)."""

    def __init__(
        self, archive: Path | str, member: str, reason: str, *, deleted: bool = False
    ) -> None:
        self.archive, self.member, self.reason, self.deleted = (
            Path(archive),
            member,
            reason,
            deleted,
        )
        advice = (
            "The archive is not the expected one, so it was deleted from the cache: load again "
            "with "
            "E2E_OFFLINE unset to download a fresh copy from the official source."
            if deleted
            else "The archive is not the expected one: delete it and download it again from the "
            "official source."
        )
        super().__init__(
            f"Refusing to extract {self.archive}: member {member!r} {reason}. Nothing was written. "
            f"{advice}"
        )


class DataDirError(DataError):
    """The data folder cannot be created or written to."""

    def __init__(self, folder: Path | str, reason: str) -> None:
        self.folder = Path(folder)
        super().__init__(
            f"Cannot write to the data folder {self.folder} ({reason}). "
            "Set E2E_DATA_DIR to a writable folder, e.g. `export E2E_DATA_DIR=~/e2e-data`."
        )
