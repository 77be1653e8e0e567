"""images: the Fashion-MNIST, CIFAR-10 and PneumoniaMNIST loaders, on generated files and on the
real data."""

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
    gz,
    md5,
    medmnist_arrays,
    npz_bytes,
    sha256,
    tar_gz,
)

import e2e_helpers.data.images as image_loaders
from e2e_helpers import config
from e2e_helpers.data import (
    ChecksumError,
    DataError,
    DataUnavailableError,
    UnsafeArchiveError,
    load,
)
from e2e_helpers.data._containers import ImageData, UnofficialDataWarning
from e2e_helpers.data._registry import SOURCES


def online(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("E2E_OFFLINE", "0")


def data() -> Path:
    return config.data_dir()


# ----------------------------------------------------------------- Fashion-MNIST (generated IDX
# files)


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
    system_dirs = (tmp_path / "usr-share-datasets" / "fashion-mnist",)
    monkeypatch.setattr(image_loaders, "FASHION_MNIST_SYSTEM_DIRS", system_dirs)
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
    put_gz(
        data() / "fashion-mnist",
        fashion,
        compress=lambda content: gzip.compress(content, mtime=12345),
    )
    check_fashion(load("fashion-mnist"))
    raw = data() / "fashion-mnist" / "FashionMNIST" / "raw"
    assert sorted(p.name for p in raw.iterdir()) == sorted(fashion)
    assert server.requests == []
    check_fashion(load("fashion-mnist"))  # now from the decompressed files


def test_fashion_from_the_system_folder(fashion):
    put_gz(image_loaders.FASHION_MNIST_SYSTEM_DIRS[0], fashion)
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
    for expected in (
        "'fashion-mnist'",
        "train-images-idx3-ubyte.gz",
        "t10k-labels-idx1-ubyte.gz",
        str(data() / "fashion-mnist"),
        "apt install dataset-fashion-mnist",
        "unset E2E_OFFLINE",
    ):
        assert expected in message
    assert server.requests == []


def test_fashion_offline_wrong_content_is_named(fashion):
    put_gz(data() / "fashion-mnist", dict(fashion, **{"train-labels-idx1-ubyte": b"wrong"}))
    with pytest.raises(
        DataUnavailableError, match="train-labels-idx1-ubyte.gz was not usable"
    ) as info:
        load("fashion-mnist")
    assert "train-images-idx3-ubyte.gz" not in str(info.value).split("Expected in")[1]


def test_fashion_online_download(monkeypatch, fashion, server):
    online(monkeypatch)
    check_fashion(load("fashion-mnist", progress=False))
    assert len(server.requests) == 4
    check_fashion(load("fashion-mnist", progress=False))
    assert len(server.requests) == 4


# ----------------------------------------------------------------- CIFAR-10 (generated pickled
# batches)


@pytest.fixture
def cifar(monkeypatch, server):
    """A generated release archive on the local server; torchvision's md5 lists patched to match."""
    from torchvision.datasets import CIFAR10

    members = cifar_members(n=3)
    archive = tar_gz(members, folders=("cifar-10-batches-py/",))
    digests = {name.split("/")[-1]: md5(content) for name, content in members.items()}
    monkeypatch.setattr(
        CIFAR10,
        "train_list",
        [[f"data_batch_{i}", digests[f"data_batch_{i}"]] for i in range(1, 6)],
    )
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
    for expected in (
        "'cifar-10'",
        "cifar-10-python.tar.gz",
        str(data() / "cifar-10"),
        "data_batch_1 (missing)",
    ):
        assert expected in message
    assert server.requests == []


def test_cifar_offline_corrupt_archive_is_a_checksum_error(cifar):
    (data() / "cifar-10").mkdir(parents=True)
    (data() / "cifar-10" / "cifar-10-python.tar.gz").write_bytes(cifar[:-10])
    with pytest.raises(ChecksumError, match="cifar-10-python.tar.gz"):
        load("cifar-10")


def test_cifar_unsafe_cached_archive_is_deleted(monkeypatch, cifar):
    unsafe = tar_gz(
        {**cifar_members(n=3), "cifar-10-batches-py/../../evil.txt": b"x"},
        folders=("cifar-10-batches-py/",),
    )
    monkeypatch.setitem(
        SOURCES,
        "cifar-10",
        (dataclasses.replace(SOURCES["cifar-10"][0], checksum=f"md5:{md5(unsafe)}"),),
    )
    archive = data() / "cifar-10" / "cifar-10-python.tar.gz"
    archive.parent.mkdir(parents=True)
    archive.write_bytes(unsafe)
    with pytest.raises(
        UnsafeArchiveError,
        match=r"member 'cifar-10-batches-py/../../evil.txt' has an absolute path or "
        r"climbs out.*so it was deleted from the cache",
    ):
        load("cifar-10")
    assert not archive.exists() and not (data() / "cifar-10" / "cifar-10-batches-py").exists()


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
        SOURCES,
        "pneumoniamnist",
        (dataclasses.replace(source, checksum=f"md5:{md5(content)}", url=url or source.url),),
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
    for expected in (
        "'pneumoniamnist'",
        "pneumoniamnist.npz",
        str(data() / "medmnist"),
        "zenodo.org",
    ):
        assert expected in str(info.value)


BAD_ARRAYS = {
    "missing key": (
        lambda a: {k: v for k, v in a.items() if k != "val_labels"},
        "lacks the arrays val_labels",
    ),
    "wrong image size": (
        lambda a: dict(a, train_images=np.zeros((8, 32, 32), np.uint8)),
        r"train images are not \(N, 28, 28\) uint8",
    ),
    "float images": (
        lambda a: dict(a, test_images=a["test_images"].astype(np.float32)),
        "test images are not",
    ),
    "length mismatch": (
        lambda a: dict(a, test_labels=a["test_labels"][:-1]),
        "test 6 images but 5 labels",
    ),
    "label out of range": (
        lambda a: dict(a, train_labels=np.full((8, 1), 7, np.uint8)),
        r"train labels are not all 0 \(normal\) or 1 \(pneumonia\)",
    ),
    "object array": (
        lambda a: dict(a, train_labels=np.array([None] * 8, dtype=object)),
        "not a readable MedMNIST .npz file",
    ),
    "no test images": (
        lambda a: dict(
            a, test_images=np.zeros((0, 28, 28), np.uint8), test_labels=np.zeros((0, 1), np.uint8)
        ),
        r"test holds no images \(every split needs some: an accuracy on 0 images is NaN\) \(shapes "
        r"\(0, 28, 28\)",
    ),
    "no validation images": (
        lambda a: dict(
            a, val_images=np.zeros((0, 28, 28), np.uint8), val_labels=np.zeros(0, np.int64)
        ),
        "val holds no images",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_ARRAYS))
def test_pneumonia_bad_files_are_clear_errors(monkeypatch, case):
    make, message = BAD_ARRAYS[case]
    arrays = make(medmnist_arrays())
    write_npz("pneumoniamnist_subset.npz", arrays)
    with pytest.raises(DataUnavailableError, match="pneumoniamnist_subset.npz.*" + message):
        load("pneumoniamnist")  # an unusable unofficial file is reported, not used
    official = write_npz("pneumoniamnist.npz", arrays)
    use_official_md5(monkeypatch, official.read_bytes())
    with pytest.raises(DataError, match="pneumoniamnist.npz.*" + message):
        load("pneumoniamnist")  # the right checksum but the wrong content: still refused


def test_pneumonia_online_download(monkeypatch, server):
    online(monkeypatch)
    content = npz_bytes(medmnist_arrays())
    use_official_md5(
        monkeypatch, content, server.add("pneumoniamnist.npz", content) + "?download=1"
    )
    assert load("pneumoniamnist", progress=False).official
    assert (data() / "medmnist" / "pneumoniamnist.npz").read_bytes() == content
    assert server.requests == ["/pneumoniamnist.npz?download=1"]


# ----------------------------------------------------------------- real data (E2E_DATA_DIR at
# session start)


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
    assert images.train_images.shape == (60000, 28, 28) and images.test_images.shape == (
        10000,
        28,
        28,
    )
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
    assert images.train_images.shape[1:] == (28, 28) and set(np.unique(images.train_labels)) == {
        0,
        1,
    }
