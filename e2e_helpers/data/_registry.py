"""The one registry of the course's datasets: each file at its official address, with its checksum.

:class:`Source` describes one file; :data:`SOURCES` maps a dataset name to
the files it is made of. The loaders (:mod:`.fsdd`, :mod:`.images`) read it
when they run, so a test may point an entry at a local server.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ._checksums import split_checksum


@dataclass(frozen=True)
class Source:
    """One file of a dataset, at its official address.

    ``checksum`` is ``"<algorithm>:<hex digest>"`` of the file as downloaded,
    or None where the host does not serve stable bytes (then the caller checks
    the contents). ``contents_checksum`` is the checksum of the decompressed
    content, for ``.gz`` files whose compressed bytes differ between mirrors.
    """

    name: str
    url: str
    filename: str
    checksum: str | None
    subfolder: str
    licence: str
    homepage: str
    contents_checksum: str | None = None

    def __post_init__(self) -> None:
        for value in (self.checksum, self.contents_checksum):
            if value is not None:
                split_checksum(value)
        if not self.url.startswith(("https://", "http://")):
            raise ValueError(
                f"Source {self.name!r}: url {self.url!r} must start with https:// (or http://)."
            )
        if Path(self.filename).name != self.filename or self.filename in ("", ".", ".."):
            raise ValueError(
                f"Source {self.name!r}: filename {self.filename!r} must be a plain file name."
            )


_FSDD_HOME = "https://github.com/Jakobovski/free-spoken-digit-dataset"

#: Where Fashion-MNIST's four ``.gz`` files are (torchvision's ``FashionMNIST.mirrors``).
FASHION_MNIST_MIRROR = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"


def _fashion(filename: str, md5: str, sha256: str) -> Source:
    return Source(
        name="fashion-mnist",
        url=FASHION_MNIST_MIRROR + filename,
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
            # torchvision's CIFAR10.url
            url="https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz",
            filename="cifar-10-python.tar.gz",
            checksum="md5:c58f30108f718f92721af3b95e74349a",  # torchvision's CIFAR10.tgz_md5
            subfolder="cifar-10",
            licence="no licence stated; cite Krizhevsky (2009), Learning Multiple Layers of "
            "Features from Tiny Images",
            homepage="https://www.cs.toronto.edu/~kriz/cifar.html",
        ),
    ),
    "pneumoniamnist": (
        Source(
            name="pneumoniamnist",
            # medmnist's INFO
            url="https://zenodo.org/records/10519652/files/pneumoniamnist.npz?download=1",
            filename="pneumoniamnist.npz",
            checksum="md5:28209eda62fecd6e6a2d98b1501bb15f",
            subfolder="medmnist",
            licence="CC BY 4.0",
            homepage="https://medmnist.com/",
        ),
    ),
}
