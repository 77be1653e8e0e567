"""downloads: checksums, cache-first fetch (offline and against a local server), safe extraction."""

from __future__ import annotations

import hashlib
import io
import os
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from fakedata import gz, sha256, tar_gz

from e2e_helpers import config
from e2e_helpers.downloads import (
    ChecksumError,
    DataDirError,
    DataError,
    DataUnavailableError,
    Source,
    UnsafeArchiveError,
    checksum_matches,
    ensure_writable,
    fetch,
    file_hash,
    safe_extract,
    safe_gunzip,
    verify,
)

PAYLOAD = b"0123456789" * 1000


def make_source(url: str = "https://example.invalid/data.bin", checksum: str | None = None, **kw) -> Source:
    fields = dict(
        name="toy",
        url=url,
        filename="data.bin",
        checksum=checksum,
        subfolder="toy",
        licence="CC0",
        homepage="https://example.invalid/",
    )
    return Source(**{**fields, **kw})


def online(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("E2E_OFFLINE", "0")


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# ----------------------------------------------------------------- checksums


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


@pytest.mark.parametrize("kw", [{"url": "ftp://example.invalid/x"}, {"filename": "../x"}, {"filename": "a/b"}])
def test_source_rejects_bad_fields(kw):
    with pytest.raises(ValueError):
        make_source(**kw)


# ----------------------------------------------------------------- fetch, offline


def test_offline_missing_file_says_what_to_do(tmp_path, server):
    source = make_source(url=server.add("data.bin", PAYLOAD), checksum=f"sha256:{sha256(PAYLOAD)}")
    with pytest.raises(DataUnavailableError) as info:
        fetch(source)
    message = str(info.value)
    folder = config.data_dir() / "toy"
    for expected in ("'toy'", "data.bin", str(folder), source.url, "unset E2E_OFFLINE"):
        assert expected in message
    assert info.value.folder == folder and info.value.files == ("data.bin",)
    assert server.requests == [], "offline must never touch the network"
    assert not config.data_dir().exists(), "nothing is created offline"


def test_offline_cached_file_is_used(tmp_path, server):
    source = make_source(url=server.add("data.bin", PAYLOAD), checksum=f"sha256:{sha256(PAYLOAD)}")
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / "data.bin").write_bytes(PAYLOAD)
    assert fetch(source, folder) == folder / "data.bin"
    assert server.requests == []


def test_offline_corrupt_cache_is_a_checksum_error(tmp_path, server):
    source = make_source(url=server.add("data.bin", PAYLOAD), checksum=f"sha256:{sha256(PAYLOAD)}")
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / "data.bin").write_bytes(b"garbage")
    with pytest.raises(ChecksumError) as info:
        fetch(source, folder)
    assert info.value.got == f"sha256:{sha256(b'garbage')}"
    assert "E2E_OFFLINE" in str(info.value) and source.url in str(info.value)
    assert (folder / "data.bin").read_bytes() == b"garbage", "offline, the file is left for the user to inspect"
    assert server.requests == []


@pytest.mark.parametrize("value", ["maybe", "2", "offline"])
def test_invalid_offline_value_is_a_config_error(monkeypatch, value):
    monkeypatch.setenv("E2E_OFFLINE", value)
    with pytest.raises(config.ConfigError, match="E2E_OFFLINE"):
        fetch(make_source(checksum=None))


# ----------------------------------------------------------------- fetch, online (local server)


@pytest.mark.parametrize("algorithm", ["sha256", "md5"])
def test_download_is_verified_and_cached(monkeypatch, server, algorithm):
    online(monkeypatch)
    digest = hashlib.new(algorithm, PAYLOAD).hexdigest()
    source = make_source(url=server.add("data.bin", PAYLOAD), checksum=f"{algorithm}:{digest}")
    path = fetch(source, progress=True)
    assert path == config.data_dir() / "toy" / "data.bin"
    assert path.read_bytes() == PAYLOAD
    assert files_in(path.parent) == ["data.bin"], "no temporary file is left behind"
    assert fetch(source, progress=False) == path
    assert len(server.requests) == 1, "the second call is served from the cache"


def test_download_with_wrong_checksum_leaves_nothing(monkeypatch, server):
    online(monkeypatch)
    source = make_source(url=server.add("data.bin", PAYLOAD), checksum="sha256:" + "0" * 64)
    with pytest.raises(ChecksumError) as info:
        fetch(source, progress=False)
    assert info.value.got == f"sha256:{sha256(PAYLOAD)}"
    assert source.url in str(info.value)
    assert files_in(config.data_dir() / "toy") == []


def test_corrupt_cache_is_downloaded_again(monkeypatch, server):
    online(monkeypatch)
    source = make_source(url=server.add("data.bin", PAYLOAD), checksum=f"sha256:{sha256(PAYLOAD)}")
    folder = config.data_dir() / "toy"
    folder.mkdir(parents=True)
    (folder / "data.bin").write_bytes(PAYLOAD[:100])
    assert fetch(source, progress=False).read_bytes() == PAYLOAD
    assert len(server.requests) == 1 and files_in(folder) == ["data.bin"]


@pytest.mark.parametrize("checksum", [None, "sha256"])
def test_truncated_download_leaves_nothing(monkeypatch, server, checksum):
    online(monkeypatch)
    url = server.add("data.bin", PAYLOAD, truncate=True)
    source = make_source(url=url, checksum=checksum and f"sha256:{sha256(PAYLOAD)}")
    with pytest.raises(DataError) as info:
        fetch(source, progress=False)
    assert url in str(info.value)
    assert files_in(config.data_dir() / "toy") == []


def test_http_error_is_a_data_error(monkeypatch, server):
    online(monkeypatch)
    source = make_source(url=f"{server.url}/nowhere.bin")
    with pytest.raises(DataError, match="404") as info:
        fetch(source, progress=False)
    assert source.url in str(info.value) and "by hand" in str(info.value)
    assert files_in(config.data_dir() / "toy") == []


# ----------------------------------------------------------------- data folder


def test_data_dir_inside_a_file_is_a_clear_error(monkeypatch, tmp_path, server):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("E2E_DATA_DIR", str(blocker / "data"))
    with pytest.raises(DataDirError, match="E2E_DATA_DIR") as info:
        ensure_writable(config.data_dir() / "toy")
    assert str(blocker) in str(info.value)
    online(monkeypatch)
    with pytest.raises(DataDirError):
        fetch(make_source(url=server.add("data.bin", PAYLOAD)))
    assert server.requests == [], "the folder is checked before downloading"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_read_only_data_dir_is_a_clear_error(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("running as root: chmod does not stop root from writing (covered by the file-in-path test)")
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


# ----------------------------------------------------------------- gunzip


def test_safe_gunzip(tmp_path):
    archive = tmp_path / "x.gz"
    archive.write_bytes(gz(PAYLOAD))
    target = tmp_path / "out" / "x"
    assert safe_gunzip(archive, target, f"sha256:{sha256(PAYLOAD)}").read_bytes() == PAYLOAD
    with pytest.raises(ChecksumError):
        safe_gunzip(archive, tmp_path / "out" / "y", "sha256:" + "0" * 64)
    archive.write_bytes(b"not gzip at all")
    with pytest.raises(DataError, match="gzip"):
        safe_gunzip(archive, tmp_path / "out" / "z")
    assert files_in(tmp_path / "out") == ["x"], "failures leave nothing behind"


# ----------------------------------------------------------------- archives


def tar_with(*infos: tuple[tarfile.TarInfo, bytes | None]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for info, data in infos:
            archive.addfile(info, io.BytesIO(data) if data is not None else None)
    return buffer.getvalue()


def file_info(name: str, data: bytes = b"x") -> tuple[tarfile.TarInfo, bytes]:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    return info, data


def link_info(name: str, target: str, kind: bytes = tarfile.SYMTYPE) -> tuple[tarfile.TarInfo, None]:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, target
    return info, None


def fifo_info(name: str) -> tuple[tarfile.TarInfo, None]:
    info = tarfile.TarInfo(name)
    info.type = tarfile.FIFOTYPE
    return info, None


def test_extract_tar_member_root_into_place(tmp_path):
    archive = tmp_path / "a.tar.gz"
    archive.write_bytes(tar_gz({"top/keep/x.txt": b"x", "top/keep/sub/y.txt": b"y", "top/other.txt": b"o"}))
    target = tmp_path / "out" / "keep"
    assert safe_extract(archive, target, member_root="top/keep") == target
    assert (target / "x.txt").read_bytes() == b"x" and (target / "sub" / "y.txt").read_bytes() == b"y"
    assert files_in(target.parent) == ["keep"], "no scratch folder is left behind"
    # Extracting again replaces the folder (stale files go).
    (target / "stale.txt").write_text("old")
    safe_extract(archive, target, member_root="top/keep")
    assert sorted(p.name for p in target.iterdir()) == ["sub", "x.txt"]
    assert files_in(target.parent) == ["keep"]


def test_extract_zip_whole(tmp_path):
    archive = tmp_path / "a.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("d/x.txt", "x")
    target = tmp_path / "out"
    safe_extract(archive, target)
    assert (target / "d" / "x.txt").read_text() == "x"


def test_extract_inside_links_are_fine(tmp_path):
    archive = tmp_path / "a.tar.gz"
    members = file_info("d/x.txt"), link_info("d/alias", "x.txt"), link_info("d/hard", "d/x.txt", tarfile.LNKTYPE)
    archive.write_bytes(tar_with(*members))
    target = safe_extract(archive, tmp_path / "out")
    assert (target / "d" / "alias").read_bytes() == b"x" and (target / "d" / "hard").read_bytes() == b"x"


UNSAFE_TARS = {
    "dot-dot": [file_info("ok.txt"), file_info("../evil.txt")],
    "nested dot-dot": [file_info("a/../../evil.txt")],
    "absolute": [file_info("/tmp/evil.txt")],
    "symlink out": [link_info("escape", "../../outside")],
    "absolute symlink": [link_info("passwd", "/etc/passwd")],
    "hard link out": [link_info("hard", "../outside", tarfile.LNKTYPE)],
    "through a symlink": [link_info("here", "."), file_info("here/x.txt")],
    "fifo": [fifo_info("pipe")],
}


@pytest.mark.parametrize("case", sorted(UNSAFE_TARS))
def test_unsafe_tar_is_refused_before_writing(tmp_path, case):
    workdir = tmp_path / "work"
    workdir.mkdir()
    archive = tmp_path / "evil.tar.gz"
    archive.write_bytes(tar_with(*UNSAFE_TARS[case]))
    with pytest.raises(UnsafeArchiveError, match="Nothing was written"):
        safe_extract(archive, workdir / "out")
    assert files_in(workdir) == [], "nothing written, no scratch folder left"
    assert not (tmp_path / "evil.txt").exists()


@pytest.mark.parametrize("name", ["../evil.txt", "/abs/evil.txt", "a/../../evil.txt"])
def test_unsafe_zip_is_refused_before_writing(tmp_path, name):
    workdir = tmp_path / "work"
    workdir.mkdir()
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("fine.txt", "ok")
        zf.writestr(zipfile.ZipInfo(name), "evil")
    with pytest.raises(UnsafeArchiveError):
        safe_extract(archive, workdir / "out")
    assert files_in(workdir) == []


def test_unreadable_archives_are_clear_errors(tmp_path):
    workdir = tmp_path / "work"
    workdir.mkdir()
    truncated = tmp_path / "t.tar.gz"
    truncated.write_bytes(tar_gz({"x.txt": os.urandom(50_000)})[:2_000])
    with pytest.raises(DataError, match="not a readable archive"):
        safe_extract(truncated, workdir / "out")
    other = tmp_path / "data.rar"
    other.write_bytes(b"x")
    with pytest.raises(DataError, match="not a .tar.gz"):
        safe_extract(other, workdir / "out")
    good = tmp_path / "g.tar.gz"
    good.write_bytes(tar_gz({"x.txt": b"x"}))
    with pytest.raises(DataError, match="no folder 'missing'"):
        safe_extract(good, workdir / "out", member_root="missing")
    with pytest.raises(ValueError):
        safe_extract(good, workdir / "out", member_root="../up")
    assert files_in(workdir) == []
