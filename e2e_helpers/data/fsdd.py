"""The Free Spoken Digit Dataset v1.0.10: 3,000 recordings, each checked against a sha256 manifest.

The manifest (``fsdd_sha256.txt``) and the speakers' metadata
(``fsdd_speakers.json``) ship with this package; missing, corrupt or
unexpected recordings are restored from the official release archive.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import NamedTuple

from .. import config
from ._archives import safe_extract
from ._checksums import file_hash
from ._containers import Recording, SpokenDigits
from ._downloads import fetch
from ._registry import SOURCES, Source
from .errors import DataDirError, DataError, DataUnavailableError, UnsafeArchiveError

__all__: list[str] = []  # data.load("fsdd")

_FSDD_ROOT_IN_ARCHIVE = "free-spoken-digit-dataset-1.0.10/recordings"
_FSDD_NAME = re.compile(r"(?:.*/)?(\d)_([A-Za-z]+)_(\d+)\.wav")


@lru_cache(maxsize=1)
def _fsdd_manifest() -> dict[str, str]:
    """``{"recordings/<file>.wav": sha256}`` for every recording, from the package."""
    text = resources.files(__package__).joinpath("fsdd_sha256.txt").read_text(encoding="ascii")
    pairs = (line.split(maxsplit=1) for line in text.splitlines() if line.strip())
    return {name.lstrip("*").strip(): digest.lower() for digest, name in pairs}


@lru_cache(maxsize=1)
def _fsdd_speakers() -> dict[str, dict[str, str]]:
    return json.loads(
        resources.files(__package__).joinpath("fsdd_speakers.json").read_text(encoding="utf-8")
    )


class _Problems(NamedTuple):
    missing: list[str]
    corrupt: list[str]
    extra: list[str]

    def __bool__(self) -> bool:
        return bool(self.missing or self.corrupt or self.extra)

    def summary(self) -> str:
        parts = [
            f"{len(files)} {what} ({', '.join(files[:3])}{', ...' if len(files) > 3 else ''})"
            for what, files in (
                ("missing", self.missing),
                ("corrupt", self.corrupt),
                ("unexpected", self.extra),
            )
            if files
        ]
        return "FSDD recordings checked against e2e_helpers/data/fsdd_sha256.txt: " + "; ".join(
            parts
        )


def _check_fsdd(root: Path, manifest: dict[str, str]) -> _Problems:
    """Compare the recordings under ``root`` with the sha256 manifest."""
    missing, corrupt = [], []
    for name, digest in manifest.items():
        path = root / name
        if not path.is_file():
            missing.append(name)
        elif file_hash(path) != digest:
            corrupt.append(name)
    folders = {Path(name).parent for name in manifest}
    extra = sorted(
        (folder / path.name).as_posix()
        for folder in folders
        if (root / folder).is_dir()
        for path in (root / folder).glob("*.wav")
        if (folder / path.name).as_posix() not in manifest
    )
    return _Problems(missing, corrupt, extra)


def _extract_fsdd(archive: Path, root: Path, manifest: dict[str, str]) -> str:
    """Extract the recordings from the release archive; '' if they all verify, else what is
    wrong."""
    try:
        safe_extract(
            archive, root / "recordings", member_root=_FSDD_ROOT_IN_ARCHIVE, delete_unsafe=True
        )
    except (UnsafeArchiveError, DataDirError):  # never papered over (an unsafe archive is deleted)
        raise
    except DataError as exc:  # unreadable archive, or not the expected one
        return str(exc)
    problems = _check_fsdd(root, manifest)
    return problems.summary() if problems else ""


def _restore_fsdd(
    source: Source, root: Path, manifest: dict[str, str], problems: _Problems, progress: bool
) -> None:
    """Re-create the recordings from the cached or a freshly downloaded archive."""
    archive = root / source.filename
    if archive.is_file():
        trouble = _extract_fsdd(archive, root, manifest)
        if not trouble:
            return
        if config.offline():
            raise DataError(
                f"The archive {archive} does not hold the FSDD v1.0.10 recordings ({trouble}). "
                f"Delete it, then unset E2E_OFFLINE to download it again, or replace it with "
                f"{source.url}."
            )
        archive.unlink()
    elif config.offline():
        if problems.missing or problems.corrupt:
            raise DataUnavailableError(
                source.name,
                [source.filename],
                root,
                source.url,
                detail=f"{problems.summary()}.\nPut the release archive in the folder below (it is "
                f"extracted "
                f"and checked), or extract its folder {_FSDD_ROOT_IN_ARCHIVE}/ as "
                f"{root / 'recordings'} yourself.",
            )
        raise DataError(
            f"{root / 'recordings'} holds files that are not FSDD v1.0.10 recordings: "
            f"{problems.summary()}. "
            "Remove them, or delete the folder and load again with E2E_OFFLINE unset to restore it."
        )
    archive = fetch(source, root, progress=progress)
    trouble = _extract_fsdd(archive, root, manifest)
    if trouble:
        archive.unlink(missing_ok=True)
        raise DataError(
            f"The archive downloaded from {source.url} does not hold the expected recordings "
            f"({trouble}); "
            f"it was deleted. Try again; if this persists the release changed upstream (see "
            f"{source.homepage})."
        )


def _parse_recording(root: Path, name: str) -> Recording:
    match = _FSDD_NAME.fullmatch(name)
    if match is None:
        raise DataError(
            f"FSDD manifest entry {name!r} is not 'recordings/<digit>_<speaker>_<take>.wav'."
        )
    digit, speaker, take = match.groups()
    return Recording(digit=int(digit), speaker=speaker, take=int(take), path=root / name)


def load_fsdd(*, progress: bool = True) -> SpokenDigits:
    """The Free Spoken Digit Dataset v1.0.10: 3,000 recordings at 8 kHz, each checked by sha256.

    Cached in ``<data_dir>/fsdd/recordings/``; missing, corrupt or unexpected
    recordings are restored from the official release archive.
    """
    source = SOURCES["fsdd"][0]
    root = config.data_dir() / source.subfolder
    manifest = _fsdd_manifest()
    problems = _check_fsdd(root, manifest)
    if problems:
        _restore_fsdd(source, root, manifest, problems, progress)
    recordings = tuple(sorted(_parse_recording(root, name) for name in manifest))
    metadata = _fsdd_speakers()
    speakers = {
        name: dict(metadata.get(name, {})) for name in sorted({r.speaker for r in recordings})
    }
    return SpokenDigits(recordings=recordings, speakers=speakers, root=root)
