"""archives: safe gunzip and safe extraction (tar and zip), refusing unsafe members before writing."""

from __future__ import annotations

import io
import os
import tarfile
import zipfile
from pathlib import Path

import pytest
from fakedata import gz, sha256, tar_gz

from e2e_helpers.data import ChecksumError, DataError, UnsafeArchiveError, safe_extract, safe_gunzip

PAYLOAD = b"0123456789" * 1000


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


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
