"""Image datasets: Fashion-MNIST, CIFAR-10 and PneumoniaMNIST (MedMNIST v2), as
:class:`~.containers.ImageData`.

Each loader looks in the local cache first, verifies what it finds and
downloads what is missing from the official source (unless ``E2E_OFFLINE=1``).
torchvision, which reads Fashion-MNIST and CIFAR-10, is imported only when
those loaders run.
"""

from __future__ import annotations

import warnings
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from .. import config
from ._archives import safe_extract, safe_gunzip
from ._checksums import checksum_matches
from ._containers import ImageData, UnofficialDataWarning
from ._downloads import fetch
from ._registry import FASHION_MNIST_MIRROR, SOURCES, Source
from .errors import DataDirError, DataError, DataUnavailableError

__all__ = ["load_fashion_mnist"]  # the others through data.load(name)

#: Folders where a system package may have put Fashion-MNIST (Debian/Ubuntu: ``apt install
# dataset-fashion-mnist``).
FASHION_MNIST_SYSTEM_DIRS: tuple[Path, ...] = (Path("/usr/share/datasets/fashion-mnist"),)


# ----------------------------------------------------------------- Fashion-MNIST


def _idx_ready(source: Source, root: Path, raw: Path, notes: list[str]) -> bool:
    """Make ``raw/<file>`` (decompressed, verified) from local files only; False if impossible."""
    target = raw / source.filename.removesuffix(".gz")
    expected = source.contents_checksum
    if target.is_file():
        if expected is None or checksum_matches(target, expected):
            return True
        notes.append(f"{target} is corrupt (its sha256 is not the expected one).")
    candidates = [root / source.filename, raw / source.filename]
    candidates += [folder / source.filename for folder in FASHION_MNIST_SYSTEM_DIRS]
    for gz in dict.fromkeys(candidates):
        if gz.is_file():
            try:
                safe_gunzip(gz, target, expected)
                return True
            except DataDirError:
                raise
            except DataError as exc:  # not gzip, or not the expected content
                notes.append(f"{gz} was not usable: {exc}")
    return False


def load_fashion_mnist(*, progress: bool = True) -> ImageData:
    """Fashion-MNIST: 60,000 training and 10,000 test images, 28x28 grey, 10 classes.

    Read by ``torchvision.datasets.FashionMNIST`` from the decompressed files in
    ``<data_dir>/fashion-mnist/FashionMNIST/raw/``, which are made (and checked
    by sha256) from the ``.gz`` files found in ``<data_dir>/fashion-mnist/``,
    in ``/usr/share/datasets/fashion-mnist/``, or downloaded.
    """
    from torchvision.datasets import FashionMNIST

    sources = SOURCES["fashion-mnist"]
    root = config.data_dir() / sources[0].subfolder
    raw = root / "FashionMNIST" / "raw"
    notes: list[str] = []
    missing = [source for source in sources if not _idx_ready(source, root, raw, notes)]
    if missing and config.offline():
        system = ", ".join(str(folder) for folder in FASHION_MNIST_SYSTEM_DIRS)
        raise DataUnavailableError(
            "fashion-mnist",
            [source.filename for source in missing],
            root,
            FASHION_MNIST_MIRROR,
            detail="\n".join(
                [
                    *notes,
                    f"Also looked in {system} (Debian/Ubuntu: apt install dataset-fashion-mnist).",
                ]
            ),
        )
    for source in missing:
        safe_gunzip(
            fetch(source, root, progress=progress),
            raw / source.filename.removesuffix(".gz"),
            source.contents_checksum,
        )
    train = FashionMNIST(str(root), train=True, download=False)
    test = FashionMNIST(str(root), train=False, download=False)
    return ImageData(
        name="fashion-mnist",
        train_images=train.data.numpy(),
        train_labels=train.targets.numpy().astype(np.int64),
        test_images=test.data.numpy(),
        test_labels=test.targets.numpy().astype(np.int64),
        classes=tuple(train.classes),
    )


# ----------------------------------------------------------------- CIFAR-10


def _cifar_problems(cifar: Any, folder: Path) -> list[str]:
    """Files of ``folder`` that are missing or fail torchvision's md5 (train_list, test_list,
    meta)."""
    from torchvision.datasets.utils import check_integrity

    expected = [*cifar.train_list, *cifar.test_list, [cifar.meta["filename"], cifar.meta["md5"]]]
    return [
        f"{name} ({'corrupt' if (folder / name).is_file() else 'missing'})"
        for name, md5 in expected
        if not check_integrity(str(folder / name), md5)
    ]


def load_cifar10(*, progress: bool = True) -> ImageData:
    """CIFAR-10: 50,000 training and 10,000 test images, 32x32x3 ``uint8``, 10 classes.

    Extracted from the official archive into ``<data_dir>/cifar-10/`` and read
    by ``torchvision.datasets.CIFAR10``, which checks each batch's md5.
    """
    from torchvision.datasets import CIFAR10

    source = SOURCES["cifar-10"][0]
    root = config.data_dir() / source.subfolder
    folder = root / CIFAR10.base_folder
    problems = _cifar_problems(CIFAR10, folder)
    if problems:
        if config.offline() and not (root / source.filename).is_file():
            raise DataUnavailableError(
                source.name,
                [source.filename],
                root,
                source.url,
                detail=f"{folder}: {', '.join(problems)}; the archive is extracted there when "
                f"present.",
            )
        archive = fetch(source, root, progress=progress)
        safe_extract(archive, folder, member_root=CIFAR10.base_folder, delete_unsafe=True)
        problems = _cifar_problems(CIFAR10, folder)
        if problems:
            raise DataError(
                f"{archive} passed its checksum, but its batches do not match torchvision's "
                f"checksums "
                f"({', '.join(problems)}): your torchvision may expect another release; please "
                f"report it."
            )
    train = CIFAR10(str(root), train=True, download=False)
    test = CIFAR10(str(root), train=False, download=False)
    return ImageData(
        name="cifar-10",
        train_images=np.asarray(train.data, dtype=np.uint8),
        train_labels=np.asarray(train.targets, dtype=np.int64),
        test_images=np.asarray(test.data, dtype=np.uint8),
        test_labels=np.asarray(test.targets, dtype=np.int64),
        classes=tuple(train.classes),
    )


# ----------------------------------------------------------------- PneumoniaMNIST

_MEDMNIST_SPLITS = ("train", "val", "test")
_PNEUMONIA_CLASSES = ("normal", "pneumonia")


def _medmnist_problem(images: np.ndarray, labels: np.ndarray) -> str:
    """What is wrong with one split's arrays ('' if nothing)."""
    if images.ndim != 3 or images.shape[1:] != (28, 28) or images.dtype != np.uint8:
        return "images are not (N, 28, 28) uint8"
    if labels.ndim != 1 or labels.dtype.kind not in "iu":
        return "labels are not (N,) or (N, 1) integers"
    if len(images) != len(labels):
        return f"{len(images)} images but {len(labels)} labels"
    if len(images) == 0:
        return "holds no images (every split needs some: an accuracy on 0 images is NaN)"
    if not np.isin(labels, (0, 1)).all():
        return "labels are not all 0 (normal) or 1 (pneumonia)"
    return ""


def _read_medmnist(path: Path, *, official: bool) -> ImageData:
    """Read and check a MedMNIST ``.npz`` (28x28, binary labels) without unpickling anything."""
    keys = [f"{split}_{kind}" for split in _MEDMNIST_SPLITS for kind in ("images", "labels")]
    try:
        with np.load(path, allow_pickle=False) as npz:
            absent = [key for key in keys if key not in npz.files]
            if absent:
                raise DataError(
                    f"{path} lacks the arrays {', '.join(absent)}: expected the keys "
                    f"{', '.join(keys)}."
                )
            arrays = {key: npz[key] for key in keys}
    except (
        OSError,
        ValueError,
        EOFError,
        zipfile.BadZipFile,
    ) as exc:  # not a zip, truncated, object arrays
        raise DataError(
            f"{path} is not a readable MedMNIST .npz file ({exc}): delete it and get a fresh copy."
        ) from exc
    parts: dict[str, np.ndarray] = {}
    for split in _MEDMNIST_SPLITS:
        images, labels = arrays[f"{split}_images"], arrays[f"{split}_labels"]
        labels = labels.reshape(-1) if labels.ndim == 2 and labels.shape[1:] == (1,) else labels
        problem = _medmnist_problem(images, labels)
        if problem:
            raise DataError(
                f"{path}: {split} {problem} (shapes {images.shape}, "
                f"{arrays[f'{split}_labels'].shape})."
            )
        parts[f"{split}_images"], parts[f"{split}_labels"] = images, labels.astype(np.int64)
    return ImageData(name="pneumoniamnist", classes=_PNEUMONIA_CLASSES, official=official, **parts)


def load_pneumoniamnist(*, progress: bool = True) -> ImageData:
    """PneumoniaMNIST (MedMNIST v2, 28x28): chest x-rays, normal vs pneumonia, with a validation
    split.

    Uses ``<data_dir>/medmnist/pneumoniamnist.npz`` (official, md5-checked,
    downloaded if needed). If it is absent but another
    ``pneumoniamnist*.npz`` there has the right arrays (e.g. a balanced subset),
    that one is used with an :class:`UnofficialDataWarning` and ``official=False``.
    """
    source = SOURCES["pneumoniamnist"][0]
    folder = config.data_dir() / source.subfolder
    rejected: list[str] = []
    if not (folder / source.filename).is_file():
        for path in sorted(folder.glob("pneumoniamnist*.npz")):
            try:
                data = _read_medmnist(path, official=False)
            except DataError as exc:
                rejected.append(str(exc))
                continue
            sizes = "/".join(str(len(images)) for _, images in data.splits())
            warnings.warn(
                f"Using {path}, which is NOT the official PneumoniaMNIST file {source.filename} "
                f"(train/val/test {sizes}); results are not comparable with published figures. "
                f"To use the official file, put it in {folder} (from {source.url}) or remove "
                f"{path.name} "
                "and load online.",
                UnofficialDataWarning,
                stacklevel=2,
            )
            return data
    if rejected and config.offline():
        raise DataUnavailableError(
            source.name, [source.filename], folder, source.url, detail="\n".join(rejected)
        )
    return _read_medmnist(fetch(source, folder, progress=progress), official=True)
