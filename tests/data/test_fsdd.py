"""fsdd: the Free Spoken Digit Dataset loader, on generated recordings and on the real data."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
import soundfile
from fakedata import FSDD_TOP, fsdd_archive, fsdd_manifest, fsdd_recordings, tar_gz, write_fsdd

import e2e_helpers.data.fsdd as fsdd_loader
from e2e_helpers import config
from e2e_helpers.data import DataError, DataUnavailableError, UnsafeArchiveError, Waveform, load
from e2e_helpers.data._containers import Recording, SpokenDigits
from e2e_helpers.data._registry import SOURCES


def online(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("E2E_OFFLINE", "0")


def data() -> Path:
    return config.data_dir()


def test_fsdd_manifest_and_speakers_ship_with_the_package():
    manifest = fsdd_loader._fsdd_manifest()
    assert len(manifest) == 3000
    recordings = [fsdd_loader._parse_recording(Path("."), name) for name in manifest]
    assert {r.digit for r in recordings} == set(range(10))
    assert {r.take for r in recordings} == set(range(50))
    speakers = fsdd_loader._fsdd_speakers()
    assert {r.speaker for r in recordings} == set(speakers) and len(speakers) == 6
    assert all({"gender", "accent"} <= set(meta) for meta in speakers.values())


# ----------------------------------------------------------------- FSDD (generated)


@pytest.fixture
def fsdd(monkeypatch):
    """Generated recordings (2 speakers x 3 digits x takes 0-6) and their manifest, patched in."""
    recordings = fsdd_recordings()
    monkeypatch.setattr(fsdd_loader, "_fsdd_manifest", lambda: fsdd_manifest(recordings))
    return recordings


def use_fsdd_url(monkeypatch, url: str) -> None:
    monkeypatch.setitem(SOURCES, "fsdd", (dataclasses.replace(SOURCES["fsdd"][0], url=url),))


def test_fsdd_from_a_verified_cache(fsdd):
    write_fsdd(data() / "fsdd", fsdd)
    digits = load("fsdd")
    assert (
        isinstance(digits, SpokenDigits)
        and len(digits.recordings) == 42
        and digits.sample_rate == 8000
    )
    assert (
        set(digits.speakers) == {"george", "jackson"}
        and digits.speakers["george"]["accent"] == "GRC/Greek"
    )
    train, test = digits.official_split()
    assert len(train) == 12 and len(test) == 30
    assert all(r.take >= 5 for r in train) and all(r.take < 5 for r in test)
    train, test = digits.speaker_split("jackson")
    assert {r.speaker for r in test} == {"jackson"} and {r.speaker for r in train} == {"george"}
    assert len(train) + len(test) == 42
    with pytest.raises(ValueError, match="'nobody'.*george, jackson"):
        digits.speaker_split("nobody")
    waves = digits.waveforms(test[:2])
    assert len(waves) == 2 and all(w.dtype == np.float32 and w.ndim == 1 for w in waves)
    assert all(isinstance(w, Waveform) and w.sample_rate == 8000 for w in waves), (
        "the rate travels with the samples"
    )
    assert digits.labels(test[:3]).dtype == np.int64
    assert "42 recordings" in repr(digits)


def test_fsdd_offline_and_missing_says_where_to_get_it(fsdd):
    with pytest.raises(DataUnavailableError) as info:
        load("fsdd")
    message = str(info.value)
    expectations = (
        "'fsdd'",
        str(data() / "fsdd"),
        SOURCES["fsdd"][0].url,
        "unset E2E_OFFLINE",
        "0_george_0.wav",
    )
    for expected in expectations:
        assert expected in message
    assert not data().exists()


def test_fsdd_offline_corrupt_recording_is_named(fsdd):
    write_fsdd(data() / "fsdd", fsdd)
    (data() / "fsdd" / "recordings" / "1_jackson_3.wav").write_bytes(b"damaged")
    with pytest.raises(DataUnavailableError, match=r"1 corrupt \(recordings/1_jackson_3.wav\)"):
        load("fsdd")


def test_fsdd_offline_extra_recording_is_named(fsdd):
    write_fsdd(data() / "fsdd", fsdd)
    (data() / "fsdd" / "recordings" / "9_stranger_0.wav").write_bytes(b"who?")
    with pytest.raises(DataError, match="9_stranger_0.wav"):
        load("fsdd")


def test_fsdd_offline_from_a_cached_release_archive(fsdd):
    (data() / "fsdd").mkdir(parents=True)
    (data() / "fsdd" / SOURCES["fsdd"][0].filename).write_bytes(fsdd_archive(fsdd))
    assert len(load("fsdd").recordings) == 42
    assert sorted(p.name for p in (data() / "fsdd" / "recordings").iterdir()) == sorted(fsdd)


def test_fsdd_online_download_then_repair(monkeypatch, server, fsdd):
    online(monkeypatch)
    use_fsdd_url(monkeypatch, server.add("v1.0.10.tar.gz", fsdd_archive(fsdd)))
    assert len(load("fsdd", progress=False).recordings) == 42
    assert len(server.requests) == 1
    # A damaged and an unexpected recording are repaired from the cached archive, without the
    # network.
    folder = data() / "fsdd" / "recordings"
    (folder / "0_george_0.wav").write_bytes(b"damaged")
    (folder / "9_stranger_0.wav").write_bytes(b"who?")
    load("fsdd", progress=False)
    assert (folder / "0_george_0.wav").read_bytes() == fsdd["0_george_0.wav"]
    assert not (folder / "9_stranger_0.wav").exists()
    assert len(server.requests) == 1


def test_fsdd_online_wrong_archive_is_an_error_and_deleted(monkeypatch, server, fsdd):
    online(monkeypatch)
    wrong = dict(fsdd, **{"0_george_0.wav": b"not the release"})
    use_fsdd_url(monkeypatch, server.add("v1.0.10.tar.gz", fsdd_archive(wrong)))
    with pytest.raises(DataError, match="does not hold the expected recordings") as info:
        load("fsdd", progress=False)
    assert "0_george_0.wav" in str(info.value)
    assert not (data() / "fsdd" / SOURCES["fsdd"][0].filename).exists()


def test_fsdd_online_replaces_a_bad_cached_archive(monkeypatch, server, fsdd):
    online(monkeypatch)
    use_fsdd_url(monkeypatch, server.add("v1.0.10.tar.gz", fsdd_archive(fsdd)))
    (data() / "fsdd").mkdir(parents=True)
    (data() / "fsdd" / SOURCES["fsdd"][0].filename).write_bytes(b"truncated junk")
    assert len(load("fsdd", progress=False).recordings) == 42
    assert len(server.requests) == 1


def _unsafe_fsdd_archive(recordings: dict[str, bytes]) -> bytes:
    """The release archive with one member that climbs out of the target folder."""
    members = {f"{FSDD_TOP}/recordings/{name}": data for name, data in recordings.items()}
    return tar_gz(
        {**members, f"{FSDD_TOP}/recordings/../../../evil.txt": b"x"}, folders=(f"{FSDD_TOP}/",)
    )


_UNSAFE = (
    r"Refusing to extract .*free-spoken-digit-dataset-1.0.10.tar.gz: member .*evil.txt' has an "
    r"absolute path or climbs out"
)


def test_fsdd_offline_unsafe_cached_archive_is_deleted(fsdd):
    archive = data() / "fsdd" / SOURCES["fsdd"][0].filename
    archive.parent.mkdir(parents=True)
    archive.write_bytes(_unsafe_fsdd_archive(fsdd))
    with pytest.raises(UnsafeArchiveError, match=_UNSAFE + r".*so it was deleted from the cache"):
        load("fsdd")
    assert not archive.exists(), "removed like an incomplete download"
    assert (
        not (data() / "fsdd" / "recordings").exists() and not (data().parent / "evil.txt").exists()
    )
    with pytest.raises(DataUnavailableError, match="Put the release archive in the folder below"):
        load("fsdd")  # the next load asks for a fresh copy instead of failing the same way


def test_fsdd_online_unsafe_download_is_deleted(monkeypatch, server, fsdd):
    online(monkeypatch)
    use_fsdd_url(monkeypatch, server.add("v1.0.10.tar.gz", _unsafe_fsdd_archive(fsdd)))
    with pytest.raises(UnsafeArchiveError, match=_UNSAFE + r".*so it was deleted from the cache"):
        load("fsdd", progress=False)
    assert not (data() / "fsdd" / SOURCES["fsdd"][0].filename).exists()
    use_fsdd_url(monkeypatch, server.add("v1.0.10-fixed.tar.gz", fsdd_archive(fsdd)))
    assert len(load("fsdd", progress=False).recordings) == 42, (
        "the next load downloads a fresh copy"
    )


# ----------------------------------------------------------------- real data (E2E_DATA_DIR at
# session start)


@pytest.mark.dataset("fsdd")
def test_real_fsdd(real_data_dir):
    digits = load("fsdd")
    assert len(digits.recordings) == 3000 and len(digits.speakers) == 6
    train, test = digits.official_split()
    assert len(train) == 2700 and len(test) == 300
    takes: dict[tuple[int, str], set[int]] = {}
    for r in digits.recordings:
        takes.setdefault((r.digit, r.speaker), set()).add(r.take)
    assert len(takes) == 60 and all(t == set(range(50)) for t in takes.values())
    for speaker in digits.speakers:
        train, test = digits.speaker_split(speaker)
        assert len(test) == 500 and len(train) == 2500 and {r.speaker for r in test} == {speaker}
    (wave,) = digits.waveforms(test[:1])
    assert wave.dtype == np.float32 and wave.ndim == 1 and 0 < np.abs(wave).max() <= 1
    assert digits.sample_rate == 8000


def test_waveforms_refuses_a_recording_at_another_rate(tmp_path):
    path = tmp_path / "1_cd_0.wav"
    soundfile.write(path, np.zeros(441, dtype=np.int16), 44100, subtype="PCM_16")
    digits = SpokenDigits(recordings=(Recording(1, "cd", 0, path),), speakers={}, root=tmp_path)
    with pytest.raises(DataError, match=r"1_cd_0.wav is sampled at 44100 Hz, expected 8000 Hz"):
        digits.waveforms()
