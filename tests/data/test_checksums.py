"""checksums: file hashes, verification, malformed checksums (also refused by Source)."""

from __future__ import annotations

import hashlib

import pytest
from fakedata import PAYLOAD, make_source, sha256

from e2e_helpers.data import ChecksumError
from e2e_helpers.data._checksums import checksum_matches, file_hash, split_checksum, verify


def test_file_hash_and_verify(tmp_path):
    path = tmp_path / "f.bin"
    path.write_bytes(PAYLOAD)
    assert file_hash(path) == hashlib.sha256(PAYLOAD).hexdigest()
    assert file_hash(path, "md5") == hashlib.md5(PAYLOAD).hexdigest()
    verify(path, f"sha256:{sha256(PAYLOAD)}")
    verify(path, f"MD5:{hashlib.md5(PAYLOAD).hexdigest().upper()}")
    assert checksum_matches(path, f"sha256:{sha256(PAYLOAD)}")
    with pytest.raises(ChecksumError) as info:
        verify(path, "sha256:" + "0" * 64)
    assert info.value.expected == "sha256:" + "0" * 64
    assert info.value.got == f"sha256:{sha256(PAYLOAD)}"
    assert str(path) in str(info.value) and "delete it" in str(info.value)


@pytest.mark.parametrize("bad", ["abc", "sha999:00", "sha256:not-hex", ":00", "sha256"])
def test_malformed_checksum_is_rejected(tmp_path, bad):
    path = tmp_path / "f.bin"
    path.write_bytes(b"x")
    with pytest.raises(ValueError, match="algorithm"):
        verify(path, bad)
    with pytest.raises(ValueError, match="algorithm"):
        make_source(checksum=bad)


@pytest.mark.parametrize(
    "kw", [{"url": "ftp://example.invalid/x"}, {"filename": "../x"}, {"filename": "a/b"}]
)
def test_source_rejects_bad_fields(kw):
    with pytest.raises(ValueError):
        make_source(**kw)


def test_split_checksum_lowers_both_parts():
    assert split_checksum("SHA256:ABCdef") == ("sha256", "abcdef")
