"""The course's datasets: one registry of official sources, and their loaders.

Every loader looks in the local cache (:func:`e2e_helpers.config.data_dir`)
first, verifies what it finds, downloads what is missing from the official
source (unless ``E2E_OFFLINE=1``) and returns plain objects: frozen
dataclasses holding NumPy arrays and metadata.

=================  ==========================================  =================
name               what                                        loader
=================  ==========================================  =================
``fsdd``           Free Spoken Digit Dataset v1.0.10 (audio)   :func:`load_fsdd`
``fashion-mnist``  Fashion-MNIST (28x28 grey images)           :func:`load_fashion_mnist`
``cifar-10``       CIFAR-10 (32x32 colour images)              :func:`load_cifar10`
``pneumoniamnist`` PneumoniaMNIST, MedMNIST v2 (28x28 x-rays)  :func:`load_pneumoniamnist`
``breast-cancer``  Breast Cancer Wisconsin (30 measurements)   :func:`load_breast_cancer`
=================  ==========================================  =================

>>> digits = load("fsdd")                    # doctest: +SKIP
>>> train, test = digits.official_split()    # doctest: +SKIP
"""

from __future__ import annotations

import json
import re
import warnings
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from . import config
from .downloads import (
    DataDirError,
    DataError,
    DataUnavailableError,
    Source,
    UnsafeArchiveError,
    checksum_matches,
    fetch,
    file_hash,
    safe_extract,
    safe_gunzip,
)

__all__ = [
    "SOURCES",
    "LOADERS",
    "FASHION_MNIST_SYSTEM_DIRS",
    "Recording",
    "SpokenDigits",
    "ImageData",
    "TabularData",
    "UnofficialDataWarning",
    "load",
    "load_fsdd",
    "load_fashion_mnist",
    "load_cifar10",
    "load_pneumoniamnist",
    "load_breast_cancer",
]


# ----------------------------------------------------------------- registry

_FSDD_HOME = "https://github.com/Jakobovski/free-spoken-digit-dataset"
_FASHION_MIRROR = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"  # torchvision's FashionMNIST.mirrors


def _fashion(filename: str, md5: str, sha256: str) -> Source:
    return Source(
        name="fashion-mnist",
        url=_FASHION_MIRROR + filename,
        filename=filename,
        checksum=f"md5:{md5}",  # torchvision's FashionMNIST.resources
        subfolder="fashion-mnist",
        licence="MIT",
        homepage="https://github.com/zalandoresearch/fashion-mnist",
        contents_checksum=f"sha256:{sha256}",  # of the decompressed IDX file
    )


#: The one registry: dataset name -> the files it is made of, at their official addresses.
SOURCES: dict[str, tuple[Source, ...]] = {
    "fsdd": (
        Source(
            name="fsdd",
            url=f"{_FSDD_HOME}/archive/refs/tags/v1.0.10.tar.gz",
            filename="free-spoken-digit-dataset-1.0.10.tar.gz",
            checksum=None,  # GitHub archives are not byte-stable: each recording is checked instead
            subfolder="fsdd",
            licence="CC BY-SA 4.0",
            homepage=_FSDD_HOME,
        ),
    ),
    "fashion-mnist": (
        _fashion(
            "train-images-idx3-ubyte.gz",
            "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
            "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
        ),
        _fashion(
            "train-labels-idx1-ubyte.gz",
            "25c81989df183df01b3e8a0aad5dffbe",
            "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
        ),
        _fashion(
            "t10k-images-idx3-ubyte.gz",
            "bef4ecab320f06d8554ea6380940ec79",
            "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
        ),
        _fashion(
            "t10k-labels-idx1-ubyte.gz",
            "bb300cfdad3c16e7a12a480ee83cd310",
            "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
        ),
    ),
    "cifar-10": (
        Source(
            name="cifar-10",
            url="https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz",  # torchvision's CIFAR10.url
            filename="cifar-10-python.tar.gz",
            checksum="md5:c58f30108f718f92721af3b95e74349a",  # torchvision's CIFAR10.tgz_md5
            subfolder="cifar-10",
            licence="no licence stated; cite Krizhevsky (2009), Learning Multiple Layers of Features from Tiny Images",
            homepage="https://www.cs.toronto.edu/~kriz/cifar.html",
        ),
    ),
    "pneumoniamnist": (
        Source(
            name="pneumoniamnist",
            url="https://zenodo.org/records/10519652/files/pneumoniamnist.npz?download=1",  # medmnist's INFO
            filename="pneumoniamnist.npz",
            checksum="md5:28209eda62fecd6e6a2d98b1501bb15f",
            subfolder="medmnist",
            licence="CC BY 4.0",
            homepage="https://medmnist.com/",
        ),
    ),
}

#: Folders where a system package may have put Fashion-MNIST (Debian/Ubuntu: ``apt install dataset-fashion-mnist``).
FASHION_MNIST_SYSTEM_DIRS: tuple[Path, ...] = (Path("/usr/share/datasets/fashion-mnist"),)


def _source(name: str) -> Source:
    return SOURCES[name][0]


# ----------------------------------------------------------------- result types


class UnofficialDataWarning(UserWarning):
    """A loader used a file that is not the official release (e.g. a subset)."""


@dataclass(frozen=True, eq=False)
class ImageData:
    """Images (``uint8``, ``(N, H, W)`` or ``(N, H, W, 3)``) with ``int64`` labels ``(N,)``."""

    name: str
    train_images: np.ndarray
    train_labels: np.ndarray
    test_images: np.ndarray
    test_labels: np.ndarray
    classes: tuple[str, ...]
    val_images: np.ndarray | None = None
    val_labels: np.ndarray | None = None
    official: bool = True

    def __repr__(self) -> str:
        parts = [f"{split} {images.shape} {images.dtype}" for split, images in self._splits()]
        tag = "official" if self.official else "NOT the official release"
        return f"ImageData({self.name!r}: {', '.join(parts)}; {len(self.classes)} classes; {tag})"

    def _splits(self) -> list[tuple[str, np.ndarray]]:
        splits = [("train", self.train_images), ("val", self.val_images), ("test", self.test_images)]
        return [(name, images) for name, images in splits if images is not None]


@dataclass(frozen=True, eq=False)
class TabularData:
    """A table of measurements ``X`` (float64) with labels ``y`` (int64)."""

    name: str
    X: np.ndarray
    y: np.ndarray
    feature_names: tuple[str, ...]
    target_names: tuple[str, ...]

    def __repr__(self) -> str:
        return f"TabularData({self.name!r}: X {self.X.shape}, classes {self.target_names})"


@dataclass(frozen=True, order=True)
class Recording:
    """One FSDD recording: ``{digit}_{speaker}_{take}.wav``."""

    digit: int
    speaker: str
    take: int
    path: Path


@dataclass(frozen=True, eq=False)
class SpokenDigits:
    """The Free Spoken Digit Dataset: recordings, speaker metadata and splits."""

    recordings: tuple[Recording, ...]
    speakers: dict[str, dict[str, str]]
    root: Path
    sample_rate: int = 8000
    name: str = "fsdd"

    def __repr__(self) -> str:
        return (
            f"SpokenDigits({len(self.recordings)} recordings, {len(self.speakers)} speakers, "
            f"{self.sample_rate} Hz, in {self.root})"
        )

    def official_split(self) -> tuple[tuple[Recording, ...], tuple[Recording, ...]]:
        """``(train, test)``: takes 5-49 for training, takes 0-4 for testing."""
        train = tuple(r for r in self.recordings if r.take >= 5)
        test = tuple(r for r in self.recordings if r.take < 5)
        return train, test

    def speaker_split(self, held_out: str) -> tuple[tuple[Recording, ...], tuple[Recording, ...]]:
        """``(train, test)``: every recording of ``held_out`` is the test set."""
        if held_out not in self.speakers:
            raise ValueError(f"Unknown speaker {held_out!r}: expected one of {', '.join(sorted(self.speakers))}.")
        train = tuple(r for r in self.recordings if r.speaker != held_out)
        test = tuple(r for r in self.recordings if r.speaker == held_out)
        return train, test

    def waveforms(self, recordings: Sequence[Recording] | None = None) -> list[np.ndarray]:
        """The float32 samples of ``recordings`` (default: all), read with :func:`e2e_helpers.audio.read_wav`."""
        from .audio import read_wav

        waves = []
        for recording in self.recordings if recordings is None else recordings:
            samples, rate = read_wav(recording.path)
            if rate != self.sample_rate:
                raise DataError(f"{recording.path} is sampled at {rate} Hz, expected {self.sample_rate} Hz.")
            waves.append(samples)
        return waves

    def labels(self, recordings: Sequence[Recording] | None = None) -> np.ndarray:
        """The digits of ``recordings`` (default: all) as an int64 array."""
        chosen = self.recordings if recordings is None else recordings
        return np.array([r.digit for r in chosen], dtype=np.int64)


# ----------------------------------------------------------------- FSDD

_FSDD_ROOT_IN_ARCHIVE = "free-spoken-digit-dataset-1.0.10/recordings"
_FSDD_NAME = re.compile(r"(?:.*/)?(\d)_([A-Za-z]+)_(\d+)\.wav")


@lru_cache(maxsize=1)
def _fsdd_manifest() -> dict[str, str]:
    """``{"recordings/<file>.wav": sha256}`` for every recording, from the package."""
    text = resources.files(__package__).joinpath("fsdd_sha256.txt").read_text(encoding="ascii")
    pairs = (line.split(maxsplit=1) for line in text.splitlines() if line.strip())
    return {name.lstrip("*").strip(): digest.lower() for digest, name in pairs}


@lru_cache(maxsize=1)
def _fsdd_speakers() -> dict[str, dict[str, str]]:
    return json.loads(resources.files(__package__).joinpath("fsdd_speakers.json").read_text(encoding="utf-8"))


class _Problems(NamedTuple):
    missing: list[str]
    corrupt: list[str]
    extra: list[str]

    def __bool__(self) -> bool:
        return bool(self.missing or self.corrupt or self.extra)

    def summary(self) -> str:
        parts = [
            f"{len(files)} {what} ({', '.join(files[:3])}{', ...' if len(files) > 3 else ''})"
            for what, files in (("missing", self.missing), ("corrupt", self.corrupt), ("unexpected", self.extra))
            if files
        ]
        return "FSDD recordings checked against e2e_helpers/fsdd_sha256.txt: " + "; ".join(parts)


def _check_fsdd(root: Path, manifest: dict[str, str]) -> _Problems:
    """Compare the recordings under ``root`` with the sha256 manifest."""
    missing, corrupt = [], []
    for name, digest in manifest.items():
        path = root / name
        if not path.is_file():
            missing.append(name)
        elif file_hash(path) != digest:
            corrupt.append(name)
    folders = {Path(name).parent for name in manifest}
    extra = sorted(
        (folder / path.name).as_posix()
        for folder in folders
        if (root / folder).is_dir()
        for path in (root / folder).glob("*.wav")
        if (folder / path.name).as_posix() not in manifest
    )
    return _Problems(missing, corrupt, extra)


def _extract_fsdd(archive: Path, root: Path, manifest: dict[str, str]) -> str:
    """Extract the recordings from the release archive; '' if they all verify, else what is wrong."""
    try:
        safe_extract(archive, root / "recordings", member_root=_FSDD_ROOT_IN_ARCHIVE)
    except (UnsafeArchiveError, DataDirError):  # never papered over
        raise
    except DataError as exc:  # unreadable archive, or not the expected one
        return str(exc)
    problems = _check_fsdd(root, manifest)
    return problems.summary() if problems else ""


def _restore_fsdd(source: Source, root: Path, manifest: dict[str, str], problems: _Problems, progress: bool) -> None:
    """Re-create the recordings from the cached or a freshly downloaded archive."""
    archive = root / source.filename
    if archive.is_file():
        trouble = _extract_fsdd(archive, root, manifest)
        if not trouble:
            return
        if config.offline():
            raise DataError(
                f"The archive {archive} does not hold the FSDD v1.0.10 recordings ({trouble}). "
                f"Delete it, then unset E2E_OFFLINE to download it again, or replace it with {source.url}."
            )
        archive.unlink()
    elif config.offline():
        if problems.missing or problems.corrupt:
            raise DataUnavailableError(
                source.name,
                [source.filename],
                root,
                source.url,
                detail=f"{problems.summary()}.\nPut the release archive in the folder below (it is extracted "
                f"and checked), or extract its folder {_FSDD_ROOT_IN_ARCHIVE}/ as {root / 'recordings'} yourself.",
            )
        raise DataError(
            f"{root / 'recordings'} holds files that are not FSDD v1.0.10 recordings: {problems.summary()}. "
            "Remove them, or delete the folder and load again with E2E_OFFLINE unset to restore it."
        )
    archive = fetch(source, root, progress=progress)
    trouble = _extract_fsdd(archive, root, manifest)
    if trouble:
        archive.unlink(missing_ok=True)
        raise DataError(
            f"The archive downloaded from {source.url} does not hold the expected recordings ({trouble}); "
            f"it was deleted. Try again; if this persists the release changed upstream (see {source.homepage})."
        )


def _parse_recording(root: Path, name: str) -> Recording:
    match = _FSDD_NAME.fullmatch(name)
    if match is None:
        raise DataError(f"FSDD manifest entry {name!r} is not 'recordings/<digit>_<speaker>_<take>.wav'.")
    digit, speaker, take = match.groups()
    return Recording(digit=int(digit), speaker=speaker, take=int(take), path=root / name)


def load_fsdd(*, progress: bool = True) -> SpokenDigits:
    """The Free Spoken Digit Dataset v1.0.10: 3,000 recordings at 8 kHz, each checked by sha256.

    Cached in ``<data_dir>/fsdd/recordings/``; missing, corrupt or unexpected
    recordings are restored from the official release archive.
    """
    source = _source("fsdd")
    root = config.data_dir() / source.subfolder
    manifest = _fsdd_manifest()
    problems = _check_fsdd(root, manifest)
    if problems:
        _restore_fsdd(source, root, manifest, problems, progress)
    recordings = tuple(sorted(_parse_recording(root, name) for name in manifest))
    metadata = _fsdd_speakers()
    speakers = {name: dict(metadata.get(name, {})) for name in sorted({r.speaker for r in recordings})}
    return SpokenDigits(recordings=recordings, speakers=speakers, root=root)


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
            _FASHION_MIRROR,
            detail="\n".join([*notes, f"Also looked in {system} (Debian/Ubuntu: apt install dataset-fashion-mnist)."]),
        )
    for source in missing:
        safe_gunzip(fetch(source, root, progress=progress), raw / source.filename.removesuffix(".gz"),
                    source.contents_checksum)
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
    """Files of ``folder`` that are missing or fail torchvision's md5 (train_list, test_list, meta)."""
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

    source = _source("cifar-10")
    root = config.data_dir() / source.subfolder
    folder = root / CIFAR10.base_folder
    problems = _cifar_problems(CIFAR10, folder)
    if problems:
        if config.offline() and not (root / source.filename).is_file():
            raise DataUnavailableError(
                source.name, [source.filename], root, source.url,
                detail=f"{folder}: {', '.join(problems)}; the archive is extracted there when present.",
            )
        archive = fetch(source, root, progress=progress)
        safe_extract(archive, folder, member_root=CIFAR10.base_folder)
        problems = _cifar_problems(CIFAR10, folder)
        if problems:
            raise DataError(
                f"{archive} passed its checksum, but its batches do not match torchvision's checksums "
                f"({', '.join(problems)}): your torchvision may expect another release; please report it."
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
                raise DataError(f"{path} lacks the arrays {', '.join(absent)}: expected the keys {', '.join(keys)}.")
            arrays = {key: npz[key] for key in keys}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:  # not a zip, truncated, object arrays
        raise DataError(
            f"{path} is not a readable MedMNIST .npz file ({exc}): delete it and get a fresh copy."
        ) from exc
    parts: dict[str, np.ndarray] = {}
    for split in _MEDMNIST_SPLITS:
        images, labels = arrays[f"{split}_images"], arrays[f"{split}_labels"]
        labels = labels.reshape(-1) if labels.ndim == 2 and labels.shape[1:] == (1,) else labels
        problem = _medmnist_problem(images, labels)
        if problem:
            raise DataError(f"{path}: {split} {problem} (shapes {images.shape}, {arrays[f'{split}_labels'].shape}).")
        parts[f"{split}_images"], parts[f"{split}_labels"] = images, labels.astype(np.int64)
    return ImageData(name="pneumoniamnist", classes=_PNEUMONIA_CLASSES, official=official, **parts)


def load_pneumoniamnist(*, progress: bool = True) -> ImageData:
    """PneumoniaMNIST (MedMNIST v2, 28x28): chest x-rays, normal vs pneumonia, with a validation split.

    Uses ``<data_dir>/medmnist/pneumoniamnist.npz`` (official, md5-checked,
    downloaded if needed). If it is absent but another
    ``pneumoniamnist*.npz`` there has the right arrays (e.g. a balanced subset),
    that one is used with an :class:`UnofficialDataWarning` and ``official=False``.
    """
    source = _source("pneumoniamnist")
    folder = config.data_dir() / source.subfolder
    rejected: list[str] = []
    if not (folder / source.filename).is_file():
        for path in sorted(folder.glob("pneumoniamnist*.npz")):
            try:
                data = _read_medmnist(path, official=False)
            except DataError as exc:
                rejected.append(str(exc))
                continue
            sizes = "/".join(str(len(images)) for _, images in data._splits())
            warnings.warn(
                f"Using {path}, which is NOT the official PneumoniaMNIST file {source.filename} "
                f"(train/val/test {sizes}); results are not comparable with published figures. "
                f"To use the official file, put it in {folder} (from {source.url}) or remove {path.name} "
                "and load online.",
                UnofficialDataWarning,
                stacklevel=2,
            )
            return data
    if rejected and config.offline():
        raise DataUnavailableError(source.name, [source.filename], folder, source.url, detail="\n".join(rejected))
    return _read_medmnist(fetch(source, folder, progress=progress), official=True)


# ----------------------------------------------------------------- Breast cancer


def load_breast_cancer() -> TabularData:
    """Breast Cancer Wisconsin (diagnostic): 569 tumours x 30 measurements; 0 = malignant, 1 = benign.

    Ships with scikit-learn: no download.
    """
    from sklearn.datasets import load_breast_cancer as sklearn_load

    bunch = sklearn_load()
    return TabularData(
        name="breast-cancer",
        X=np.asarray(bunch.data, dtype=np.float64),
        y=np.asarray(bunch.target, dtype=np.int64),
        feature_names=tuple(str(name) for name in bunch.feature_names),
        target_names=tuple(str(name) for name in bunch.target_names),
    )


# ----------------------------------------------------------------- dispatch

#: Dataset name -> loader.
LOADERS: dict[str, Callable[..., Any]] = {
    "fsdd": load_fsdd,
    "fashion-mnist": load_fashion_mnist,
    "cifar-10": load_cifar10,
    "pneumoniamnist": load_pneumoniamnist,
    "breast-cancer": load_breast_cancer,
}


def load(name: str, **kwargs: Any) -> Any:
    """Load a dataset by name (see :data:`LOADERS`), e.g. ``load("fashion-mnist")``."""
    key = name.strip().lower().replace("_", "-") if isinstance(name, str) else name
    if key not in LOADERS:
        raise ValueError(f"Unknown dataset {name!r}: expected one of {', '.join(sorted(LOADERS))}.")
    return LOADERS[key](**kwargs)
