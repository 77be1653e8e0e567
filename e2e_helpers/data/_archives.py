"""Safe decompression and extraction: ``.gz`` files; ``.tar.gz``, ``.tgz``, ``.tar``, ``.zip``.

An archive is extracted into a temporary folder that is renamed into place at
the end, so a failure leaves nothing behind. Tar archives go through
``tarfile``'s ``filter="data"`` (it refuses devices and pipes, strips
permissions and owners, and checks each path with ``os.path.realpath``); the
member names and link targets are also checked here first, as plain paths,
because that filter's realpath checks can be bypassed with symbolic-link tricks
on Python releases before 3.11.13, 3.12.11 and 3.13.4 (CVE-2025-4517, CVE-2025-4330).
Zip archives need no check for links: ``zipfile`` never creates one and strips
absolute and ``..`` parts itself; a name that tries to climb out is still refused.
"""

from __future__ import annotations

import gzip
import hashlib
import posixpath
import re
import shutil
import tarfile
import tempfile
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path

from .._files import atomic_path, replace_folder
from ._cache import ensure_writable
from ._checksums import split_checksum
from .errors import ChecksumError, DataError, UnsafeArchiveError

_CHUNK = 1 << 20  # decompressed 1 MiB at a time


def safe_gunzip(archive: Path | str, target: Path | str, expected: str | None = None) -> Path:
    """Decompress a ``.gz`` file to ``target`` atomically, checking the result against ``expected``.

    Raises :class:`ChecksumError` when the decompressed content is not the
    expected one and :class:`DataError` when ``archive`` is not valid gzip; in
    both cases ``target`` is left as it was.
    """
    archive, target = Path(archive), Path(target)
    algorithm, digest = split_checksum(expected) if expected else ("sha256", None)
    ensure_writable(target.parent)
    hasher = hashlib.new(algorithm)
    try:
        with atomic_path(target) as part, part.open("wb") as out, gzip.open(archive, "rb") as src:
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
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise DataError(
            f"{archive} is not a valid gzip file ({exc}): delete it and get a fresh copy."
        ) from exc
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


def _odd_parts(name: str) -> bool:
    """True when *name*, past a leading ``./`` and a trailing ``/``, has an empty, . or .. part."""
    parts = name.replace("\\", "/").removeprefix("./").rstrip("/").split("/")
    return any(part in ("", ".", "..") for part in parts)


def _ancestors(norm: str) -> Iterable[str]:
    parts = norm.split("/")
    return ("/".join(parts[:i]) for i in range(1, len(parts)))


def _kind(member: tarfile.TarInfo) -> str:
    return (
        "folder"
        if member.isdir()
        else "symlink"
        if member.issym()
        else "hard link"
        if member.islnk()
        else "file"
    )


def _check_tar_path(
    archive: Path, member: tarfile.TarInfo, symlinks: set, kinds: dict[str | None, list[str]]
) -> str:
    """The normalised path of *member*; UnsafeArchiveError if it escapes, is odd, or clashes."""
    norm = _inside(member.name)
    if norm is None:
        raise UnsafeArchiveError(
            archive, member.name, "has an absolute path or climbs out of the target folder"
        )
    if any(parent in symlinks for parent in _ancestors(norm)):
        raise UnsafeArchiveError(archive, member.name, "would be written through a symbolic link")
    if norm == "." and not member.isdir():
        raise UnsafeArchiveError(archive, member.name, "would replace the target folder itself")
    if member.name not in (".", "./") and _odd_parts(member.name):
        raise UnsafeArchiveError(
            archive, member.name, "has an empty, '.' or '..' part inside its path"
        )
    if not member.isdir() and member.name.endswith("/"):
        raise UnsafeArchiveError(archive, member.name, "ends with '/' but is not a folder")
    # One path held twice is fine for two files or two folders (the later wins), never with a link.
    here = kinds[norm]
    clash = next((p for p in _ancestors(norm) if set(kinds.get(p, ["folder"])) != {"folder"}), None)
    if clash is None and (
        len(set(here)) > 1 or (len(here) > 1 and {"symlink", "hard link"} & set(here))
    ):
        clash = norm
    if clash is not None:
        raise UnsafeArchiveError(
            archive,
            member.name,
            f"clashes with {clash!r}, which the archive holds as {' and '.join(kinds[clash])}",
        )
    return norm


def _check_tar_members(archive: Path, members: list[tarfile.TarInfo]) -> None:
    symlinks = {_inside(m.name) for m in members if m.issym()}
    kinds: dict[
        str | None, list[str]
    ] = {}  # normalised path -> the kind of each member the archive holds there
    for member in members:
        kinds.setdefault(_inside(member.name), []).append(_kind(member))
    files_so_far: set[str] = set()
    for member in members:
        norm = _check_tar_path(archive, member, symlinks, kinds)
        if member.issym():
            target = _inside(posixpath.join(posixpath.dirname(norm), member.linkname))
            if not member.linkname:
                raise UnsafeArchiveError(
                    archive, member.name, "is a symbolic link without a target"
                )
            if target is None:
                raise UnsafeArchiveError(
                    archive,
                    member.name,
                    f"is a symbolic link to {member.linkname!r}, outside the target folder",
                )
        elif member.islnk():
            target = _inside(member.linkname)
            if (
                target is None
                or target in symlinks
                or any(p in symlinks for p in _ancestors(target))
            ):
                raise UnsafeArchiveError(
                    archive,
                    member.name,
                    f"is a hard link to {member.linkname!r}, outside the target folder",
                )
            if target not in files_so_far:
                raise UnsafeArchiveError(
                    archive,
                    member.name,
                    f"is a hard link to {member.linkname!r}, "
                    "which is not a file earlier in the archive",
                )
        if member.isfile() or member.islnk():
            files_so_far.add(norm)


def _check_zip_members(archive: Path, infos: list[zipfile.ZipInfo]) -> None:
    for info in infos:
        if _inside(info.filename) is None:
            raise UnsafeArchiveError(
                archive, info.filename, "has an absolute path or climbs out of the target folder"
            )


def _filter_reason(exc: tarfile.FilterError) -> str:
    """Why ``tarfile``'s data filter refused a member, in the words of the checks above."""
    if isinstance(exc, tarfile.SpecialFileError):
        return "is a device or pipe, not a file or folder"
    return f"was refused by tarfile's data filter ({exc})"


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
                if not hasattr(tarfile, "data_filter"):  # pragma: no cover - Python < 3.11.4
                    raise DataError(
                        f"Cannot extract {archive} safely: this Python has no tarfile extraction "
                        "filters. Use Python 3.11.4 or newer."
                    )
                members = tf.getmembers()
                _check_tar_members(archive, members)
                tf.extractall(destination, members=members, filter="data")
        else:
            raise DataError(
                f"{archive} is not a .tar.gz, .tgz, .tar or .zip archive: cannot extract it."
            )
    except (tarfile.TarError, zipfile.BadZipFile, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        if isinstance(exc, tarfile.FilterError):
            raise UnsafeArchiveError(archive, exc.tarinfo.name, _filter_reason(exc)) from exc
        raise DataError(
            f"{archive} is not a readable archive ({exc}): "
            "delete it and run again to download a fresh copy."
        ) from exc


def safe_extract(
    archive: Path | str,
    target: Path | str,
    *,
    member_root: str | None = None,
    delete_unsafe: bool = False,
) -> Path:
    """Extract ``archive`` so that its content (or its ``member_root`` folder) becomes ``target``.

    Every member is checked first: an absolute path, a ``..`` that climbs out,
    or a link pointing outside raises :class:`UnsafeArchiveError` before
    anything is written (a device or pipe, refused by ``tarfile``'s data filter
    as it extracts, leaves nothing behind either). Extraction goes to a
    temporary sibling folder that is renamed to ``target`` at the end
    (replacing an existing ``target``), so a failure leaves nothing behind.
    With *delete_unsafe* (the loaders, for archives in the data cache) an
    unsafe archive is also deleted, like an incomplete download, so the next
    load fetches a fresh copy.
    """
    archive, target = Path(archive), Path(target)
    root = None if member_root is None else _inside(member_root)
    if member_root is not None and root in (None, "."):
        raise ValueError(
            f"member_root {member_root!r} must be a relative folder inside the archive."
        )
    ensure_writable(target.parent)
    scratch = Path(tempfile.mkdtemp(prefix=f".{target.name}.extracting-", dir=target.parent))
    try:
        try:
            _extract_all(archive, scratch)
        except UnsafeArchiveError as exc:
            if not delete_unsafe:
                raise
            archive.unlink(missing_ok=True)
            raise UnsafeArchiveError(archive, exc.member, exc.reason, deleted=True) from exc
        source = scratch / root if root else scratch
        if not source.is_dir():
            raise DataError(
                f"{archive} has no folder {member_root!r}: "
                "it is not the expected archive; delete it."
            )
        if source == scratch:
            scratch.chmod(0o755)
        replace_folder(source, target)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return target
