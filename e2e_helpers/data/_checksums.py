"""Checksums written ``"<algorithm>:<hex digest>"`` (``"sha256:..."``, ``"md5:..."``): parse, check.

>>> split_checksum("MD5:C58F30")
('md5', 'c58f30')
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pooch

from .errors import ChecksumError


def split_checksum(expected: str) -> tuple[str, str]:
    """``(algorithm, hex digest)``, both lower case, of ``"<algorithm>:<hex digest>"``.

    Raises ValueError if it is malformed.
    """
    algorithm, sep, digest = expected.partition(":")
    algorithm = algorithm.lower()
    if (
        not sep
        or algorithm not in hashlib.algorithms_guaranteed
        or not re.fullmatch(r"[0-9a-fA-F]+", digest)
    ):
        raise ValueError(
            f"checksum {expected!r} is not '<algorithm>:<hex digest>' "
            f"(e.g. 'sha256:9f86d0...' or 'md5:c58f30...')."
        )
    return algorithm, digest.lower()


def file_hash(path: Path | str, algorithm: str = "sha256") -> str:
    """Hex digest of a file (``algorithm`` as in :mod:`hashlib`), by :func:`pooch.file_hash`."""
    return pooch.file_hash(str(path), alg=algorithm)


def checksum_matches(path: Path | str, expected: str) -> bool:
    """True when the file's checksum is ``expected`` (``"sha256:..."``, ``"md5:..."``)."""
    algorithm, digest = split_checksum(expected)
    return file_hash(path, algorithm) == digest


def verify(path: Path | str, expected: str) -> None:
    """Raise :class:`ChecksumError` unless the file's checksum is ``expected``."""
    algorithm, digest = split_checksum(expected)
    got = file_hash(path, algorithm)
    if got != digest:
        raise ChecksumError(path, f"{algorithm}:{digest}", f"{algorithm}:{got}")
