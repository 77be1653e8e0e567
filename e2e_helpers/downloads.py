"""Verified, atomic downloads and safe archive extraction.

The rules every dataset follows (see :mod:`e2e_helpers.datasets` for the
registry of sources):

* look in the local cache first, and accept a cached file only when its
  checksum matches;
* never touch the network when :func:`e2e_helpers.config.offline` is true:
  say instead exactly which files to put where;
* download through a temporary file in the target folder, check it, and only
  then rename it into place, so an interrupted or corrupt download never
  leaves a half-written file behind;
* extract archives only after every member was checked to stay inside the
  target folder, into a temporary folder that is renamed into place at the end.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import posixpath
import re
import shutil
import stat
import tarfile
import tempfile
import uuid
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from . import config

__all__ = [
    "DataError",
    "DataUnavailableError",
    "ChecksumError",
    "UnsafeArchiveError",
    "DataDirError",
    "Source",
    "file_hash",
    "checksum_matches",
    "verify",
    "ensure_writable",
    "fetch",
    "safe_gunzip",
    "safe_extract",
]

_CHUNK = 1 << 20
_DOWNLOAD_CHUNK = 1 << 16
_MAX_LISTED = 8
_FILE_MODE = 0o644  # temporary files are created private (0o600); the cache is not secret


# ----------------------------------------------------------------- errors


class DataError(RuntimeError):
    """A dataset could not be fetched, verified or read."""


class DataUnavailableError(DataError):
    """Offline, and the dataset's files are not in the local cache."""

    def __init__(self, dataset: str, files: Sequence[str], folder: Path | str, url: str, detail: str = "") -> None:
        self.dataset, self.files, self.folder, self.url = dataset, tuple(files), Path(folder), url
        listed = [f"  - {name}" for name in self.files[:_MAX_LISTED]]
        if len(self.files) > _MAX_LISTED:
            listed.append(f"  ... ({len(self.files)} files in all)")
        super().__init__(
            f"Dataset {dataset!r} is not in the local cache and downloads are off (E2E_OFFLINE=1).\n"
            + (f"{detail}\n" if detail else "")
            + f"Expected in {self.folder}:\n"
            + "\n".join(listed)
            + f"\nDownload {'them' if len(self.files) > 1 else 'it'} by hand from {url} into that folder, "
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
    """An archive member would land outside the extraction folder."""

    def __init__(self, archive: Path | str, member: str, reason: str) -> None:
        self.archive, self.member = Path(archive), member
        super().__init__(
            f"Refusing to extract {self.archive}: member {member!r} {reason}. Nothing was written. "
            "The archive is not the expected one: delete it and download it again from the official source."
        )


class DataDirError(DataError):
    """The data folder cannot be created or written to."""

    def __init__(self, folder: Path | str, reason: str) -> None:
        self.folder = Path(folder)
        super().__init__(
            f"Cannot write to the data folder {self.folder} ({reason}). "
            "Set E2E_DATA_DIR to a writable folder, e.g. `export E2E_DATA_DIR=~/e2e-data`."
        )


# ----------------------------------------------------------------- sources


@dataclass(frozen=True)
class Source:
    """One file of a dataset, at its official address.

    ``checksum`` is ``"<algorithm>:<hex digest>"`` of the file as downloaded,
    or None where the host does not serve stable bytes (then the caller checks
    the contents). ``contents_checksum`` is the checksum of the decompressed
    content, for ``.gz`` files whose compressed bytes differ between mirrors.
    """

    name: str
    url: str
    filename: str
    checksum: str | None
    subfolder: str
    licence: str
    homepage: str
    contents_checksum: str | None = None

    def __post_init__(self) -> None:
        for value in (self.checksum, self.contents_checksum):
            if value is not None:
                _split_checksum(value)
        if not self.url.startswith(("https://", "http://")):
            raise ValueError(f"Source {self.name!r}: url {self.url!r} must start with https:// (or http://).")
        if Path(self.filename).name != self.filename or self.filename in ("", ".", ".."):
            raise ValueError(f"Source {self.name!r}: filename {self.filename!r} must be a plain file name.")


# ----------------------------------------------------------------- checksums


def _split_checksum(expected: str) -> tuple[str, str]:
    algorithm, sep, digest = expected.partition(":")
    algorithm = algorithm.lower()
    if not sep or algorithm not in hashlib.algorithms_guaranteed or not re.fullmatch(r"[0-9a-fA-F]+", digest):
        raise ValueError(
            f"checksum {expected!r} is not '<algorithm>:<hex digest>' "
            f"(e.g. 'sha256:9f86d0...' or 'md5:c58f30...')."
        )
    return algorithm, digest.lower()


def file_hash(path: Path | str, algorithm: str = "sha256") -> str:
    """Hex digest of a file, read in chunks (``algorithm`` as in :mod:`hashlib`)."""
    digest = hashlib.new(algorithm)
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def checksum_matches(path: Path | str, expected: str) -> bool:
    """True when the file's checksum is ``expected`` (``"sha256:..."``, ``"md5:..."``)."""
    algorithm, digest = _split_checksum(expected)
    return file_hash(path, algorithm) == digest


def verify(path: Path | str, expected: str) -> None:
    """Raise :class:`ChecksumError` unless the file's checksum is ``expected``."""
    algorithm, digest = _split_checksum(expected)
    got = file_hash(path, algorithm)
    if got != digest:
        raise ChecksumError(path, f"{algorithm}:{digest}", f"{algorithm}:{got}")


# ----------------------------------------------------------------- folders


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


# ----------------------------------------------------------------- fetch


def fetch(source: Source, folder: Path | str | None = None, *, progress: bool = True) -> Path:
    """Path of ``source``'s file in ``folder``, downloaded and verified if needed.

    ``folder`` defaults to ``config.data_dir() / source.subfolder``. A cached
    file with the right checksum is returned as is (a source without checksum
    is trusted once cached; its caller checks the contents). Offline, a missing
    file raises :class:`DataUnavailableError` and a corrupt one
    :class:`ChecksumError`; online, both are (re-)downloaded.
    """
    folder = Path(folder) if folder is not None else config.data_dir() / source.subfolder
    path = folder / source.filename
    if path.is_file():
        if source.checksum is None:
            return path
        algorithm, digest = _split_checksum(source.checksum)
        got = file_hash(path, algorithm)
        if got == digest:
            return path
        if config.offline():
            raise ChecksumError(
                path,
                source.checksum,
                f"{algorithm}:{got}",
                advice=f"Replace it with a copy from {source.url}, or delete it and unset E2E_OFFLINE "
                "so that it is downloaded again.",
            )
    elif config.offline():
        raise DataUnavailableError(source.name, [source.filename], folder, source.url)
    ensure_writable(folder)
    path.unlink(missing_ok=True)  # a corrupt cached copy: never left in place
    _download(source, path, progress=progress)
    return path


def _download(source: Source, path: Path, *, progress: bool) -> None:
    """Download to a temporary file next to ``path``, verify, rename into place."""
    import pooch
    import requests

    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    os.close(fd)
    part = Path(name)
    bar = _LazyBar(source.filename) if progress else False
    try:
        pooch.HTTPDownloader(progressbar=bar, chunk_size=_DOWNLOAD_CHUNK)(source.url, str(part), None)
        if source.checksum is not None:
            verify(part, source.checksum)
        part.chmod(_FILE_MODE)
        os.replace(part, path)
    except ChecksumError as exc:
        raise ChecksumError(
            path,
            exc.expected,
            exc.got,
            advice=f"The download from {source.url} was corrupt or the file on the server changed, "
            f"so it was deleted. Try again later, or check {source.homepage}.",
        ) from None
    except requests.exceptions.RequestException as exc:
        raise DataError(
            f"Could not download {source.url} ({exc}). Check your internet connection and try again, "
            f"or download it by hand into {path.parent} (see {source.homepage})."
        ) from exc
    finally:
        if bar:
            bar.close()
        part.unlink(missing_ok=True)


class _LazyBar:
    """A ``tqdm.auto`` bar made when pooch sets the download size (a notebook bar needs it up front)."""

    def __init__(self, description: str) -> None:
        self.description, self.bar = description, None

    @property
    def total(self) -> float | None:
        return self.bar.total if self.bar is not None else None

    @total.setter
    def total(self, value: int) -> None:
        from tqdm.auto import tqdm

        self.bar = tqdm(total=value or None, desc=self.description, unit="B", unit_scale=True, unit_divisor=1024)

    def update(self, n: int) -> None:
        if self.bar is not None:
            self.bar.update(n)

    def reset(self) -> None:
        if self.bar is not None:
            self.bar.reset()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


# ----------------------------------------------------------------- archives


def safe_gunzip(archive: Path | str, target: Path | str, expected: str | None = None) -> Path:
    """Decompress a ``.gz`` file to ``target`` atomically, checking the result against ``expected``.

    Raises :class:`ChecksumError` when the decompressed content is not the
    expected one and :class:`DataError` when ``archive`` is not valid gzip; in
    both cases ``target`` is left as it was.
    """
    archive, target = Path(archive), Path(target)
    algorithm, digest = _split_checksum(expected) if expected else ("sha256", None)
    ensure_writable(target.parent)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    part = Path(name)
    try:
        hasher = hashlib.new(algorithm)
        with os.fdopen(fd, "wb") as out, gzip.open(archive, "rb") as src:
            for chunk in iter(lambda: src.read(_CHUNK), b""):
                hasher.update(chunk)
                out.write(chunk)
        if digest is not None and hasher.hexdigest() != digest:
            raise ChecksumError(
                f"{target} (decompressed from {archive})",
                f"{algorithm}:{digest}",
                f"{algorithm}:{hasher.hexdigest()}",
                advice=f"{archive} is not the expected file: delete it and get a fresh copy.",
            )
        part.chmod(_FILE_MODE)
        os.replace(part, target)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise DataError(f"{archive} is not a valid gzip file ({exc}): delete it and get a fresh copy.") from exc
    finally:
        part.unlink(missing_ok=True)
    return target



def _inside(relpath: str) -> str | None:
    """The normalised relative path, or None if it is absolute or climbs out."""
    path = relpath.replace("\\", "/")
    if path.startswith("/") or re.match(r"^[A-Za-z]:", path):
        return None
    norm = posixpath.normpath(path)
    if norm == ".." or norm.startswith("../"):
        return None
    return norm


def _ancestors(norm: str) -> Iterable[str]:
    parts = norm.split("/")
    return ("/".join(parts[:i]) for i in range(1, len(parts)))


def _check_tar_members(archive: Path, members: list[tarfile.TarInfo]) -> None:
    symlinks = {_inside(m.name) for m in members if m.issym()}
    for member in members:
        norm = _inside(member.name)
        if norm is None:
            raise UnsafeArchiveError(archive, member.name, "has an absolute path or climbs out of the target folder")
        if any(parent in symlinks for parent in _ancestors(norm)):
            raise UnsafeArchiveError(archive, member.name, "would be written through a symbolic link")
        if member.issym():
            target = _inside(posixpath.join(posixpath.dirname(norm), member.linkname))
            if target is None or member.linkname.startswith("/"):
                raise UnsafeArchiveError(
                    archive, member.name, f"is a symbolic link to {member.linkname!r}, outside the target folder"
                )
        elif member.islnk():
            target = _inside(member.linkname)
            if target is None or target in symlinks or any(p in symlinks for p in _ancestors(target)):
                raise UnsafeArchiveError(
                    archive, member.name, f"is a hard link to {member.linkname!r}, outside the target folder"
                )
        elif not (member.isfile() or member.isdir()):
            raise UnsafeArchiveError(archive, member.name, "is a device or pipe, not a file or folder")


def _check_zip_members(archive: Path, infos: list[zipfile.ZipInfo]) -> None:
    for info in infos:
        if _inside(info.filename) is None:
            raise UnsafeArchiveError(archive, info.filename, "has an absolute path or climbs out of the target folder")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise UnsafeArchiveError(archive, info.filename, "is a symbolic link (not allowed in zip archives)")


def _extract_all(archive: Path, destination: Path) -> None:
    """Check every member, then extract ``archive`` (.tar.gz, .tgz, .tar, .zip)."""
    name = archive.name.lower()
    try:
        if name.endswith(".zip"):
            with zipfile.ZipFile(archive) as zf:
                _check_zip_members(archive, zf.infolist())
                zf.extractall(destination)
        elif name.endswith((".tar.gz", ".tgz", ".tar")):
            with tarfile.open(archive, "r:*") as tf:
                members = tf.getmembers()
                _check_tar_members(archive, members)
                if hasattr(tarfile, "data_filter"):
                    tf.extractall(destination, members=members, filter="data")
                else:  # pragma: no cover - Python without extraction filters
                    tf.extractall(destination, members=members)
        else:
            raise DataError(f"{archive} is not a .tar.gz, .tgz, .tar or .zip archive: cannot extract it.")
    except (tarfile.TarError, zipfile.BadZipFile, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        if isinstance(exc, getattr(tarfile, "FilterError", ())):
            member = getattr(exc, "tarinfo", None)
            raise UnsafeArchiveError(archive, member.name if member else "?", str(exc)) from exc
        raise DataError(
            f"{archive} is not a readable archive ({exc}): delete it and run again to download a fresh copy."
        ) from exc


def safe_extract(archive: Path | str, target: Path | str, *, member_root: str | None = None) -> Path:
    """Extract ``archive`` so that its content (or its ``member_root`` folder) becomes ``target``.

    Every member is checked first: an absolute path, a ``..`` that climbs out,
    or a link pointing outside raises :class:`UnsafeArchiveError` before
    anything is written. Extraction goes to a temporary sibling folder that is
    renamed to ``target`` at the end (replacing an existing ``target``), so a
    failure leaves nothing behind.
    """
    archive, target = Path(archive), Path(target)
    root = None if member_root is None else _inside(member_root)
    if member_root is not None and root in (None, "."):
        raise ValueError(f"member_root {member_root!r} must be a relative folder inside the archive.")
    ensure_writable(target.parent)
    scratch = Path(tempfile.mkdtemp(prefix=f".{target.name}.extracting-", dir=target.parent))
    try:
        _extract_all(archive, scratch)
        source = scratch / root if root else scratch
        if not source.is_dir():
            raise DataError(f"{archive} has no folder {member_root!r}: it is not the expected archive; delete it.")
        if source == scratch:
            scratch.chmod(0o755)
        _replace_folder(source, target)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return target


def _replace_folder(source: Path, target: Path) -> None:
    """Rename ``source`` to ``target``, replacing an existing ``target`` folder."""
    old = None
    if target.exists() or target.is_symlink():
        old = target.with_name(f".{target.name}.old-{uuid.uuid4().hex[:8]}")
        target.rename(old)
    try:
        source.rename(target)
    except OSError:
        if old is not None:
            old.rename(target)
        raise
    if old is not None:
        if old.is_dir() and not old.is_symlink():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink(missing_ok=True)
