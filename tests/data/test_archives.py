"""archives: safe gunzip and safe extraction (tar and zip), refusing unsafe members before
writing."""

from __future__ import annotations

import io
import os
import tarfile
import tempfile
import zipfile
from pathlib import Path

import pytest
from fakedata import gz, sha256, tar_gz
from hypothesis import given
from hypothesis import strategies as st

from e2e_helpers.data import ChecksumError, DataError, UnsafeArchiveError
from e2e_helpers.data._archives import safe_extract, safe_gunzip

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


def link_info(
    name: str, target: str, kind: bytes = tarfile.SYMTYPE
) -> tuple[tarfile.TarInfo, None]:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, target
    return info, None


def fifo_info(name: str) -> tuple[tarfile.TarInfo, None]:
    info = tarfile.TarInfo(name)
    info.type = tarfile.FIFOTYPE
    return info, None


def test_extract_tar_member_root_into_place(tmp_path):
    archive = tmp_path / "a.tar.gz"
    archive.write_bytes(
        tar_gz({"top/keep/x.txt": b"x", "top/keep/sub/y.txt": b"y", "top/other.txt": b"o"})
    )
    target = tmp_path / "out" / "keep"
    assert safe_extract(archive, target, member_root="top/keep") == target
    assert (target / "x.txt").read_bytes() == b"x" and (
        target / "sub" / "y.txt"
    ).read_bytes() == b"y"
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
    members = (
        file_info("d/x.txt"),
        link_info("d/alias", "x.txt"),
        link_info("d/hard", "d/x.txt", tarfile.LNKTYPE),
    )
    archive.write_bytes(tar_with(*members))
    target = safe_extract(archive, tmp_path / "out")
    assert (target / "d" / "alias").read_bytes() == b"x" and (
        target / "d" / "hard"
    ).read_bytes() == b"x"


UNSAFE_TARS = {
    "dot-dot": [file_info("ok.txt"), file_info("../evil.txt")],
    "nested dot-dot": [file_info("a/../../evil.txt")],
    "absolute": [file_info("/tmp/evil.txt")],
    "symlink out": [link_info("escape", "../../outside")],
    "absolute symlink": [link_info("passwd", "/etc/passwd")],
    "hard link out": [link_info("hard", "../outside", tarfile.LNKTYPE)],
    "through a symlink": [link_info("here", "."), file_info("here/x.txt")],
    "fifo": [fifo_info("pipe")],
    "hard link to nothing": [link_info("hard", "missing.txt", tarfile.LNKTYPE)],
    "the folder itself": [file_info("./")],
    "a dot inside": [file_info("a/./b.txt")],
    "a file as a folder": [file_info("a"), file_info("a/b.txt")],
    "two kinds at one path": [file_info("a"), link_info("./a", "b")],
    "link without target": [link_info("empty", "")],
}


UNSAFE_REASONS = {
    "dot-dot": r"member '../evil.txt' has an absolute path or climbs out of the target folder",
    "nested dot-dot": r"member 'a/../../evil.txt' has an absolute path or climbs out",
    "absolute": r"member '/tmp/evil.txt' has an absolute path",
    "symlink out": r"member 'escape' is a symbolic link to '../../outside', outside the target "
    r"folder",
    "absolute symlink": r"member 'passwd' is a symbolic link to '/etc/passwd'",
    "hard link out": r"member 'hard' is a hard link to '../outside'",
    "through a symlink": r"member 'here/x.txt' would be written through a symbolic link",
    "fifo": r"member 'pipe' is a device or pipe",
    "hard link to nothing": r"member 'hard' is a hard link to 'missing.txt', which is not a file "
    r"earlier in the archive",
    "the folder itself": r"member './' would replace the target folder itself",
    "a dot inside": r"member 'a/./b.txt' has an empty, '.' or '..' part inside its path",
    "a file as a folder": r"member 'a/b.txt' clashes with 'a', which the archive holds as file",
    "two kinds at one path": r"member 'a' clashes with 'a', which the archive holds as file and "
    r"symlink",
    "link without target": r"member 'empty' is a symbolic link without a target",
}


@pytest.mark.parametrize("case", sorted(UNSAFE_TARS))
def test_unsafe_tar_is_refused_before_writing(tmp_path, case):
    workdir = tmp_path / "work"
    workdir.mkdir()
    archive = tmp_path / "evil.tar.gz"
    archive.write_bytes(tar_with(*UNSAFE_TARS[case]))
    with pytest.raises(
        UnsafeArchiveError, match=UNSAFE_REASONS[case] + r".*Nothing was written.*delete it"
    ):
        safe_extract(archive, workdir / "out")
    assert files_in(workdir) == [], "nothing written, no scratch folder left"
    assert not (tmp_path / "evil.txt").exists()
    assert archive.exists(), "an archive of the caller's is left alone"
    with pytest.raises(
        UnsafeArchiveError, match=UNSAFE_REASONS[case] + r".*so it was deleted from the cache"
    ) as info:
        safe_extract(archive, workdir / "out", delete_unsafe=True)
    assert info.value.deleted and not archive.exists(), (
        "an unsafe cached archive is removed, like an incomplete download"
    )
    assert files_in(workdir) == []


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


# ----------------------------------------------------------------- property: nothing lands outside
# the target

_SEGMENTS = st.sampled_from(["..", ".", "a", "b", "c.txt", ""])
_NAMES = st.builds(
    lambda lead, parts: lead + "/".join(parts),
    st.sampled_from(["", "/", "./"]),
    st.lists(_SEGMENTS, min_size=1, max_size=4),
)


def _everything(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


@given(
    st.lists(
        st.tuples(_NAMES, st.sampled_from(["file", "symlink", "hardlink", "folder"]), _NAMES),
        min_size=1,
        max_size=5,
        unique_by=lambda m: m[0],
    )
)
def test_extraction_never_writes_outside_the_target(members):
    infos = []
    for name, kind, target in members:
        if kind == "file":
            infos.append(file_info(name))
        elif kind == "folder":
            info = tarfile.TarInfo(name)
            info.type = tarfile.DIRTYPE
            infos.append((info, None))
        else:
            infos.append(
                link_info(name, target, tarfile.SYMTYPE if kind == "symlink" else tarfile.LNKTYPE)
            )
    with tempfile.TemporaryDirectory() as folder:
        sandbox = Path(folder)
        (sandbox / "work").mkdir()
        archive = sandbox / "test.tar"
        archive.write_bytes(tar_with(*infos))
        outside = _everything(sandbox)
        try:
            safe_extract(archive, sandbox / "work" / "out")
        except (DataError, OSError):  # refused, or not extractable: then nothing at all is left
            assert _everything(sandbox) == outside
            return
        written = _everything(sandbox) - outside
        assert all(path == "work/out" or path.startswith("work/out/") for path in written), written
        target = os.path.realpath(sandbox / "work" / "out")
        for path in (sandbox / "work" / "out").rglob("*"):
            if path.is_symlink():  # realpath, not resolve: a link to itself is a harmless loop
                assert os.path.commonpath([target, os.path.realpath(path)]) == target, path
