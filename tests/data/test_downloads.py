"""downloads: cache-first fetch (offline and against a local server), and the data folder it writes
to."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from fakedata import PAYLOAD, make_source, sha256

from e2e_helpers import config
from e2e_helpers.data import ChecksumError, DataDirError, DataError, DataUnavailableError
from e2e_helpers.data._cache import ensure_writable
from e2e_helpers.data._downloads import fetch


def online(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("E2E_OFFLINE", "0")


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


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
    assert (folder / "data.bin").read_bytes() == b"garbage", (
        "offline, the file is left for the user to inspect"
    )
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
