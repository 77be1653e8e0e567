"""registry: every dataset has a complete, secure source that agrees with torchvision's own
records."""

from __future__ import annotations

from e2e_helpers.data._registry import SOURCES
from e2e_helpers.data.loaders import LOADERS


def test_registry_is_complete_and_secure():
    assert set(SOURCES) | {"breast-cancer"} == set(LOADERS)
    for name, sources in SOURCES.items():
        assert sources, name
        for source in sources:
            assert source.name == name and source.licence and source.homepage.startswith("https://")
            if (
                name != "fashion-mnist"
            ):  # torchvision's only Fashion-MNIST mirror is plain http (sha256-checked)
                assert source.url.startswith("https://"), source.url
            assert source.checksum or name == "fsdd", (
                "only FSDD (unstable GitHub archive) has no archive checksum"
            )
    assert all(source.contents_checksum for source in SOURCES["fashion-mnist"])


def test_registry_agrees_with_torchvision():
    from torchvision.datasets import CIFAR10, FashionMNIST

    fashion = SOURCES["fashion-mnist"]
    assert [(s.filename, s.checksum) for s in fashion] == [
        (f, f"md5:{m}") for f, m in FashionMNIST.resources
    ]
    assert all(s.url == FashionMNIST.mirrors[0] + s.filename for s in fashion)
    (cifar,) = SOURCES["cifar-10"]
    assert (cifar.url, cifar.filename, cifar.checksum) == (
        CIFAR10.url,
        CIFAR10.filename,
        f"md5:{CIFAR10.tgz_md5}",
    )
