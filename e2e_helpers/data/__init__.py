"""The data layer: the registry of official sources, verified downloads, safe archives, WAV reading, the loaders.

A newcomer's map: ``registry`` holds :class:`Source` and :data:`SOURCES` (every
dataset file at its official address, with its checksum); ``errors`` the
:class:`DataError` family, whose messages say which files to put where;
``checksums`` parses and verifies ``"sha256:..."`` checksums; ``cache`` checks
that the data folder is writable before anything is written into it;
``downloads`` has :func:`fetch` (cache first, never online when
``E2E_OFFLINE=1``, atomic, with a progress bar); ``archives`` decompresses and
extracts safely; ``wav`` has :class:`Waveform` (mono samples that carry
their sample rate), :func:`read_wav` and :func:`check_wave` (the one check
of audio samples, and of their rate); ``containers`` the dataclasses
the loaders return (:class:`ImageData`, :class:`TabularData`,
:class:`SpokenDigits`, ...); ``fsdd``, ``images`` and ``tabular`` the loaders
of each dataset; ``loaders`` the dispatcher :func:`load` (``load("fsdd")``).
Importing it needs neither torch nor scikit-learn: torchvision and scikit-learn
are imported only by the loaders that read through them.
"""

from .._exports import lazy_exports

__all__, __getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "errors": [
            "DataError",
            "DataUnavailableError",
            "ChecksumError",
            "UnsafeArchiveError",
            "DataDirError",
        ],
        "checksums": ["split_checksum", "file_hash", "checksum_matches", "verify"],
        "cache": ["ensure_writable"],
        "registry": ["Source", "SOURCES", "FASHION_MNIST_MIRROR"],
        "downloads": ["fetch"],
        "archives": ["safe_gunzip", "safe_extract"],
        "wav": ["Waveform", "read_wav", "check_wave"],
        "containers": [
            "UnofficialDataWarning",
            "ImageData",
            "TabularData",
            "Recording",
            "SpokenDigits",
        ],
        "fsdd": ["load_fsdd"],
        "images": [
            "FASHION_MNIST_SYSTEM_DIRS",
            "load_fashion_mnist",
            "load_cifar10",
            "load_pneumoniamnist",
        ],
        "tabular": ["load_breast_cancer"],
        "loaders": ["LOADERS", "load"],
    },
)
