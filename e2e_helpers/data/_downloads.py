"""Cache-first, verified, atomic downloads of one :class:`~.registry.Source`, with a progress bar.

The rules every dataset follows:

* look in the local cache first, and accept a cached file only when its
  checksum matches;
* never touch the network when :func:`e2e_helpers.config.offline` is true:
  say instead exactly which files to put where;
* download with :func:`pooch.retrieve`, which writes to a temporary file in
  the target folder, checks it against the known hash, and only then moves it
  into place, so an interrupted or corrupt download never leaves a
  half-written file behind.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pooch
import requests
from tqdm.auto import tqdm

from .. import config
from ._cache import ensure_writable
from ._checksums import file_hash, split_checksum
from ._registry import Source
from .errors import ChecksumError, DataError, DataUnavailableError

_DOWNLOAD_CHUNK = 1 << 16


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
    checksum = None if source.checksum is None else ":".join(split_checksum(source.checksum))
    if path.is_file():
        if checksum is None:
            return path
        algorithm = checksum.partition(":")[0]
        got = f"{algorithm}:{file_hash(path, algorithm)}"
        if got == checksum:
            return path
        if config.offline():
            raise ChecksumError(
                path,
                checksum,
                got,
                advice=f"Replace it with a copy from {source.url}, or delete it and unset "
                "E2E_OFFLINE so that it is downloaded again.",
            )
    elif config.offline():
        raise DataUnavailableError(source.name, [source.filename], folder, source.url)
    ensure_writable(folder)
    path.unlink(missing_ok=True)  # a corrupt cached copy: never left in place
    _download(source, path, checksum, progress=progress)
    return path


def _download(source: Source, path: Path, checksum: str | None, *, progress: bool) -> None:
    """``pooch.retrieve`` into ``path``, with the errors said in the course's words."""
    bar = _LazyBar(source.filename) if progress else False
    logger = pooch.get_logger()
    level = logger.level
    logger.setLevel(logging.WARNING)  # the bar says what is downloaded; no hint to copy a hash
    try:
        pooch.retrieve(
            source.url,
            known_hash=checksum,
            fname=path.name,
            path=path.parent,
            downloader=pooch.HTTPDownloader(progressbar=bar, chunk_size=_DOWNLOAD_CHUNK),
        )
    except ValueError as exc:  # pooch: the download does not match known_hash, and was deleted
        found = re.search(r"but got (\w+)", str(exc))
        algorithm = str(checksum).partition(":")[0]
        raise ChecksumError(
            path,
            str(checksum),
            f"{algorithm}:{found.group(1) if found else 'another hash'}",
            advice=f"The download from {source.url} was corrupt or the file on the server changed, "
            f"so it was deleted. Try again later, or check {source.homepage}.",
        ) from None
    except requests.exceptions.RequestException as exc:
        raise DataError(
            f"Could not download {source.url} ({exc}). Check your internet connection and try "
            f"again, or download it by hand into {path.parent} (see {source.homepage})."
        ) from exc
    finally:
        logger.setLevel(level)
        if bar:
            bar.close()


class _LazyBar:
    """A ``tqdm.auto`` bar made when pooch sets the download size (a notebook bar needs it first).

    pooch's own ``progressbar=True`` bar has no file name and is 79 pixels wide in a notebook.
    """

    def __init__(self, description: str) -> None:
        self.description, self.bar = description, None

    @property
    def total(self) -> float | None:
        return self.bar.total if self.bar is not None else None

    @total.setter
    def total(self, value: int) -> None:
        self.bar = tqdm(
            total=value or None, desc=self.description, unit="B", unit_scale=True, unit_divisor=1024
        )

    def update(self, n: int) -> None:
        if self.bar is not None:
            self.bar.update(n)

    def reset(self) -> None:
        if self.bar is not None:
            self.bar.reset()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
