"""datasets: the registry and every loader, on generated files in the real formats and on the real data."""

from __future__ import annotations

import dataclasses
import gzip
import warnings
from pathlib import Path

import numpy as np
import pytest
from fakedata import (
    cifar_members,
    fashion_files,
    fsdd_archive,
    fsdd_manifest,
    fsdd_recordings,
    gz,
    md5,
    medmnist_arrays,
    npz_bytes,
    sha256,
    tar_gz,
    write_fsdd,
)

from e2e_helpers import config, datasets
from e2e_helpers.datasets import SOURCES, ImageData, SpokenDigits, UnofficialDataWarning, load
from e2e_helpers.downloads import ChecksumError, DataError, DataUnavailableError


def online(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("E2E_OFFLINE", "0")


def data() -> Path:
    return config.data_dir()


# ----------------------------------------------------------------- registry and dispatch


def test_unknown_dataset_lists_the_known_ones():
    with pytest.raises(ValueError) as info:
        load("mnist")
    message = str(info.value)
    assert "'mnist'" in message
    for name in ("fsdd", "fashion-mnist", "cifar-10", "pneumoniamnist", "breast-cancer"):
        assert name in message


def test_names_are_normalised():
    assert load("Breast_Cancer").X.shape == (569, 30)


@pytest.mark.parametrize("name", ["fsdd", "fashion-mnist", "cifar-10", "pneumoniamnist"])
def test_invalid_offline_value_is_a_config_error(monkeypatch, name):
    monkeypatch.setenv("E2E_OFFLINE", "sometimes")
    with pytest.raises(config.ConfigError, match="E2E_OFFLINE"):
        load(name)


def test_registry_is_complete_and_secure():
    assert set(SOURCES) | {"breast-cancer"} == set(datasets.LOADERS)
    for name, sources in SOURCES.items():
        assert sources, name
        for source in sources:
            assert source.name == name and source.licence and source.homepage.startswith("https://")
            if name != "fashion-mnist":  # torchvision's only Fashion-MNIST mirror is plain http (sha256-checked)
                assert source.url.startswith("https://"), source.url
            assert source.checksum or name == "fsdd", "only FSDD (unstable GitHub archive) has no archive checksum"
    assert all(source.contents_checksum for source in SOURCES["fashion-mnist"])


def test_registry_agrees_with_torchvision():
    from torchvision.datasets import CIFAR10, FashionMNIST

    fashion = SOURCES["fashion-mnist"]
    assert [(s.filename, s.checksum) for s in fashion] == [(f, f"md5:{m}") for f, m in FashionMNIST.resources]
    assert all(s.url == FashionMNIST.mirrors[0] + s.filename for s in fashion)
    (cifar,) = SOURCES["cifar-10"]
    assert (cifar.url, cifar.filename, cifar.checksum) == (CIFAR10.url, CIFAR10.filename, f"md5:{CIFAR10.tgz_md5}")


def test_fsdd_manifest_and_speakers_ship_with_the_package():
    manifest = datasets._fsdd_manifest()
    assert len(manifest) == 3000
    recordings = [datasets._parse_recording(Path("."), name) for name in manifest]
    assert {r.digit for r in recordings} == set(range(10))
    assert {r.take for r in recordings} == set(range(50))
    speakers = datasets._fsdd_speakers()
    assert {r.speaker for r in recordings} == set(speakers) and len(speakers) == 6
    assert all({"gender", "accent"} <= set(meta) for meta in speakers.values())


# ----------------------------------------------------------------- FSDD (generated)


@pytest.fixture
def fsdd(monkeypatch):
    """Generated recordings (2 speakers x 3 digits x takes 0-6) and their manifest, patched in."""
    recordings = fsdd_recordings()
    monkeypatch.setattr(datasets, "_fsdd_manifest", lambda: fsdd_manifest(recordings))
    return recordings


def use_fsdd_url(monkeypatch, url: str) -> None:
    monkeypatch.setitem(SOURCES, "fsdd", (dataclasses.replace(SOURCES["fsdd"][0], url=url),))


def test_fsdd_from_a_verified_cache(fsdd):
    write_fsdd(data() / "fsdd", fsdd)
    digits = load("fsdd")
    assert isinstance(digits, SpokenDigits) and len(digits.recordings) == 42 and digits.sample_rate == 8000
    assert set(digits.speakers) == {"george", "jackson"} and digits.speakers["george"]["accent"] == "GRC/Greek"
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
    assert digits.labels(test[:3]).dtype == np.int64
    assert "42 recordings" in repr(digits)


def test_fsdd_offline_and_missing_says_where_to_get_it(fsdd):
    with pytest.raises(DataUnavailableError) as info:
        load("fsdd")
    message = str(info.value)
    expectations = ("'fsdd'", str(data() / "fsdd"), SOURCES["fsdd"][0].url, "unset E2E_OFFLINE", "0_george_0.wav")
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
    # A damaged and an unexpected recording are repaired from the cached archive, without the network.
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


# ----------------------------------------------------------------- Fashion-MNIST (generated IDX files)


@pytest.fixture
def fashion(monkeypatch, tmp_path, server):
    """Generated IDX files; the registry points at the local server; no system folder."""
    raw = fashion_files()
    sources = []
    for source in SOURCES["fashion-mnist"]:
        content = raw[source.filename.removesuffix(".gz")]
        sources.append(
            dataclasses.replace(
                source,
                url=server.add(source.filename, gz(content)),
                checksum=f"md5:{md5(gz(content))}",
                contents_checksum=f"sha256:{sha256(content)}",
            )
        )
    monkeypatch.setitem(SOURCES, "fashion-mnist", tuple(sources))
    monkeypatch.setattr(datasets, "FASHION_MNIST_SYSTEM_DIRS", (tmp_path / "usr-share-datasets" / "fashion-mnist",))
    return raw


def put_gz(folder: Path, raw: dict[str, bytes], *, compress=gz) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in raw.items():
        (folder / f"{name}.gz").write_bytes(compress(content))


def check_fashion(images: ImageData) -> None:
    assert images.name == "fashion-mnist" and images.official
    assert images.train_images.shape == (12, 28, 28) and images.train_images.dtype == np.uint8
    assert images.test_images.shape == (5, 28, 28)
    assert images.train_labels.dtype == np.int64 and images.train_labels.shape == (12,)
    assert images.classes[0] == "T-shirt/top" and len(images.classes) == 10
    assert images.val_images is None and images.val_labels is None


def test_fashion_from_gz_files_in_the_data_dir(fashion, server):
    # Compressed with other gzip headers (as Debian's copies): only the decompressed content counts.
    put_gz(data() / "fashion-mnist", fashion, compress=lambda content: gzip.compress(content, mtime=12345))
    check_fashion(load("fashion-mnist"))
    raw = data() / "fashion-mnist" / "FashionMNIST" / "raw"
    assert sorted(p.name for p in raw.iterdir()) == sorted(fashion)
    assert server.requests == []
    check_fashion(load("fashion-mnist"))  # now from the decompressed files


def test_fashion_from_the_system_folder(fashion):
    put_gz(datasets.FASHION_MNIST_SYSTEM_DIRS[0], fashion)
    check_fashion(load("fashion-mnist"))


def test_fashion_repairs_a_corrupt_decompressed_file(fashion):
    put_gz(data() / "fashion-mnist", fashion)
    load("fashion-mnist")
    damaged = data() / "fashion-mnist" / "FashionMNIST" / "raw" / "t10k-labels-idx1-ubyte"
    damaged.write_bytes(b"damaged")
    check_fashion(load("fashion-mnist"))
    assert damaged.read_bytes() == fashion["t10k-labels-idx1-ubyte"]


def test_fashion_offline_and_missing_says_where_to_get_it(fashion, server):
    with pytest.raises(DataUnavailableError) as info:
        load("fashion-mnist")
    message = str(info.value)
    for expected in ("'fashion-mnist'", "train-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
                     str(data() / "fashion-mnist"), "apt install dataset-fashion-mnist", "unset E2E_OFFLINE"):
        assert expected in message
    assert server.requests == []


def test_fashion_offline_wrong_content_is_named(fashion):
    put_gz(data() / "fashion-mnist", dict(fashion, **{"train-labels-idx1-ubyte": b"wrong"}))
    with pytest.raises(DataUnavailableError, match="train-labels-idx1-ubyte.gz was not usable") as info:
        load("fashion-mnist")
    assert "train-images-idx3-ubyte.gz" not in str(info.value).split("Expected in")[1]


def test_fashion_online_download(monkeypatch, fashion, server):
    online(monkeypatch)
    check_fashion(load("fashion-mnist", progress=False))
    assert len(server.requests) == 4
    check_fashion(load("fashion-mnist", progress=False))
    assert len(server.requests) == 4


# ----------------------------------------------------------------- CIFAR-10 (generated pickled batches)


@pytest.fixture
def cifar(monkeypatch, server):
    """A generated release archive on the local server; torchvision's md5 lists patched to match."""
    from torchvision.datasets import CIFAR10

    members = cifar_members(n=3)
    archive = tar_gz(members, folders=("cifar-10-batches-py/",))
    digests = {name.split("/")[-1]: md5(content) for name, content in members.items()}
    monkeypatch.setattr(CIFAR10, "train_list", [[f"data_batch_{i}", digests[f"data_batch_{i}"]] for i in range(1, 6)])
    monkeypatch.setattr(CIFAR10, "test_list", [["test_batch", digests["test_batch"]]])
    monkeypatch.setattr(CIFAR10, "meta", dict(CIFAR10.meta, md5=digests["batches.meta"]))
    url = server.add("cifar.tar.gz", archive)
    source = dataclasses.replace(SOURCES["cifar-10"][0], url=url, checksum=f"md5:{md5(archive)}")
    monkeypatch.setitem(SOURCES, "cifar-10", (source,))
    return archive


def check_cifar(images: ImageData) -> None:
    assert images.name == "cifar-10"
    assert images.train_images.shape == (15, 32, 32, 3) and images.train_images.dtype == np.uint8
    assert images.test_images.shape == (3, 32, 32, 3)
    assert images.train_labels.dtype == np.int64 and images.train_labels.shape == (15,)
    assert images.classes[:2] == ("airplane", "automobile") and len(images.classes) == 10


def test_cifar_online_download_then_cache(monkeypatch, server, cifar):
    online(monkeypatch)
    check_cifar(load("cifar-10", progress=False))
    assert len(server.requests) == 1
    monkeypatch.setenv("E2E_OFFLINE", "1")
    check_cifar(load("cifar-10"))


def test_cifar_offline_from_the_cached_archive(cifar, server):
    (data() / "cifar-10").mkdir(parents=True)
    (data() / "cifar-10" / "cifar-10-python.tar.gz").write_bytes(cifar)
    check_cifar(load("cifar-10"))
    assert server.requests == []


def test_cifar_offline_and_missing_says_where_to_get_it(cifar, server):
    with pytest.raises(DataUnavailableError) as info:
        load("cifar-10")
    message = str(info.value)
    for expected in ("'cifar-10'", "cifar-10-python.tar.gz", str(data() / "cifar-10"), "data_batch_1 (missing)"):
        assert expected in message
    assert server.requests == []


def test_cifar_offline_corrupt_archive_is_a_checksum_error(cifar):
    (data() / "cifar-10").mkdir(parents=True)
    (data() / "cifar-10" / "cifar-10-python.tar.gz").write_bytes(cifar[:-10])
    with pytest.raises(ChecksumError, match="cifar-10-python.tar.gz"):
        load("cifar-10")


def test_cifar_corrupt_batch_is_re_extracted(cifar):
    (data() / "cifar-10").mkdir(parents=True)
    (data() / "cifar-10" / "cifar-10-python.tar.gz").write_bytes(cifar)
    load("cifar-10")
    (data() / "cifar-10" / "cifar-10-batches-py" / "data_batch_3").write_bytes(b"damaged")
    check_cifar(load("cifar-10"))


# ----------------------------------------------------------------- PneumoniaMNIST (generated npz)


def write_npz(name: str, arrays: dict[str, np.ndarray]) -> Path:
    path = data() / "medmnist" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(npz_bytes(arrays))
    return path


def use_official_md5(monkeypatch, content: bytes, url: str | None = None) -> None:
    source = SOURCES["pneumoniamnist"][0]
    monkeypatch.setitem(
        SOURCES, "pneumoniamnist", (dataclasses.replace(source, checksum=f"md5:{md5(content)}", url=url or source.url),)
    )


def test_pneumonia_official_file(monkeypatch):
    path = write_npz("pneumoniamnist.npz", medmnist_arrays())
    use_official_md5(monkeypatch, path.read_bytes())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        images = load("pneumoniamnist")
    assert images.official and images.classes == ("normal", "pneumonia")
    assert images.train_images.shape == (8, 28, 28) and images.val_images.shape == (4, 28, 28)
    assert images.test_labels.shape == (6,) and images.test_labels.dtype == np.int64


def test_pneumonia_subset_is_accepted_with_a_warning():
    write_npz("pneumoniamnist_subset.npz", medmnist_arrays((10, 2, 4)))
    with pytest.warns(UnofficialDataWarning, match="NOT the official"):
        images = load("pneumoniamnist")
    assert not images.official and images.train_labels.shape == (10,)
    assert "NOT the official" in repr(images)


def test_pneumonia_official_file_with_wrong_checksum_offline():
    write_npz("pneumoniamnist.npz", medmnist_arrays())
    with pytest.raises(ChecksumError, match="pneumoniamnist.npz"):
        load("pneumoniamnist")


def test_pneumonia_offline_and_missing_says_where_to_get_it():
    with pytest.raises(DataUnavailableError) as info:
        load("pneumoniamnist")
    for expected in ("'pneumoniamnist'", "pneumoniamnist.npz", str(data() / "medmnist"), "zenodo.org"):
        assert expected in str(info.value)


BAD_ARRAYS = {
    "missing key": lambda a: {k: v for k, v in a.items() if k != "val_labels"},
    "wrong image size": lambda a: dict(a, train_images=np.zeros((8, 32, 32), np.uint8)),
    "float images": lambda a: dict(a, test_images=a["test_images"].astype(np.float32)),
    "length mismatch": lambda a: dict(a, test_labels=a["test_labels"][:-1]),
    "label out of range": lambda a: dict(a, train_labels=np.full((8, 1), 7, np.uint8)),
    "object array": lambda a: dict(a, train_labels=np.array([None] * 8, dtype=object)),
}


@pytest.mark.parametrize("case", sorted(BAD_ARRAYS))
def test_pneumonia_bad_files_are_clear_errors(monkeypatch, case):
    arrays = BAD_ARRAYS[case](medmnist_arrays())
    write_npz("pneumoniamnist_subset.npz", arrays)
    with pytest.raises(DataUnavailableError, match="pneumoniamnist_subset.npz"):
        load("pneumoniamnist")  # an unusable unofficial file is reported, not used
    official = write_npz("pneumoniamnist.npz", arrays)
    use_official_md5(monkeypatch, official.read_bytes())
    with pytest.raises(DataError, match="pneumoniamnist.npz"):
        load("pneumoniamnist")  # the right checksum but the wrong content: still refused


def test_pneumonia_online_download(monkeypatch, server):
    online(monkeypatch)
    content = npz_bytes(medmnist_arrays())
    use_official_md5(monkeypatch, content, server.add("pneumoniamnist.npz", content) + "?download=1")
    assert load("pneumoniamnist", progress=False).official
    assert (data() / "medmnist" / "pneumoniamnist.npz").read_bytes() == content
    assert server.requests == ["/pneumoniamnist.npz?download=1"]


# ----------------------------------------------------------------- breast cancer (ships with scikit-learn)


def test_breast_cancer():
    table = load("breast-cancer")
    assert table.X.shape == (569, 30) and table.X.dtype == np.float64
    assert table.y.shape == (569,) and table.y.dtype == np.int64 and set(np.unique(table.y)) == {0, 1}
    assert len(table.feature_names) == 30 and table.target_names == ("malignant", "benign")


# ----------------------------------------------------------------- real data (E2E_DATA_DIR at session start)


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


@pytest.mark.dataset("fashion-mnist")
def test_real_fashion_mnist(real_data_dir, monkeypatch, tmp_path):
    # Decompress into a scratch folder, so the real data folder is only read.
    scratch = tmp_path / "scratch" / "fashion-mnist"
    (scratch / "FashionMNIST" / "raw").mkdir(parents=True)
    for gz_file in (real_data_dir / "fashion-mnist").glob("*.gz"):
        (scratch / gz_file.name).symlink_to(gz_file)
    for raw_file in (real_data_dir / "fashion-mnist" / "FashionMNIST" / "raw").glob("*-ubyte"):
        (scratch / "FashionMNIST" / "raw" / raw_file.name).symlink_to(raw_file)
    monkeypatch.setenv("E2E_DATA_DIR", str(scratch.parent))
    images = load("fashion-mnist")
    assert images.train_images.shape == (60000, 28, 28) and images.test_images.shape == (10000, 28, 28)
    assert images.train_labels.shape == (60000,) and len(images.classes) == 10
    assert np.bincount(images.test_labels).tolist() == [1000] * 10


@pytest.mark.dataset("medmnist")
def test_real_pneumonia_subset(real_data_dir):
    if (real_data_dir / "medmnist" / "pneumoniamnist.npz").exists():
        pytest.skip("the official file is present: the subset is not used")
    with pytest.warns(UnofficialDataWarning):
        images = load("pneumoniamnist")
    assert not images.official
    sizes = (len(images.train_images), len(images.val_images), len(images.test_images))
    assert sizes == (2428, 270, 468)
    assert images.train_images.shape[1:] == (28, 28) and set(np.unique(images.train_labels)) == {0, 1}
