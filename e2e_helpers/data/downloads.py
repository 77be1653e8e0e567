"""Cache-first, verified, atomic downloads of one :class:`~.registry.Source`, with a progress bar.

The rules every dataset follows:

* look in the local cache first, and accept a cached file only when its
  checksum matches;
* never touch the network when :func:`e2e_helpers.config.offline` is true:
  say instead exactly which files to put where;
* download through a temporary file in the target folder, check it, and only
  then rename it into place, so an interrupted or corrupt download never
  leaves a half-written file behind.
"""

from __future__ import annotations

from pathlib import Path

import pooch
import requests
from tqdm.auto import tqdm

from .. import config
from .._files import atomic_path
from .cache import ensure_writable
from .checksums import file_hash, split_checksum, verify
from .errors import ChecksumError, DataError, DataUnavailableError
from .registry import Source

__all__ = ["fetch"]

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
    if path.is_file():
        if source.checksum is None:
            return path
        algorithm, digest = split_checksum(source.checksum)
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
    bar = _LazyBar(source.filename) if progress else False
    try:
        with atomic_path(path) as part:
            pooch.HTTPDownloader(progressbar=bar, chunk_size=_DOWNLOAD_CHUNK)(
                source.url, str(part), None
            )
            if source.checksum is not None:
                verify(part, source.checksum)
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


class _LazyBar:
    """A ``tqdm.auto`` bar made when pooch sets the download size (a notebook bar needs it up front)."""

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
