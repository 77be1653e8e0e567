"""What the loaders return: frozen dataclasses holding NumPy arrays and metadata.

:class:`ImageData` (image sets), :class:`TabularData` (a table of
measurements), :class:`Recording` and :class:`SpokenDigits` (the FSDD), and
:class:`UnofficialDataWarning`, raised when a loader uses a file that is not
the official release.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import DataError
from .wav import Waveform, read_wav


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
        parts = [f"{split} {images.shape} {images.dtype}" for split, images in self.splits()]
        tag = "official" if self.official else "NOT the official release"
        return f"ImageData({self.name!r}: {', '.join(parts)}; {len(self.classes)} classes; {tag})"

    def splits(self) -> list[tuple[str, np.ndarray]]:
        """``[(split name, images), ...]`` in the order train, val, test, for the splits present."""
        splits = [
            ("train", self.train_images),
            ("val", self.val_images),
            ("test", self.test_images),
        ]
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
            raise ValueError(
                f"Unknown speaker {held_out!r}: expected one of {', '.join(sorted(self.speakers))}."
            )
        train = tuple(r for r in self.recordings if r.speaker != held_out)
        test = tuple(r for r in self.recordings if r.speaker == held_out)
        return train, test

    def waveforms(self, recordings: Sequence[Recording] | None = None) -> list[Waveform]:
        """The float32 samples of ``recordings`` (default: all), read with :func:`~.wav.read_wav`:
        Waveforms at ``sample_rate``."""
        waves = []
        for recording in self.recordings if recordings is None else recordings:
            samples, rate = read_wav(recording.path)
            if rate != self.sample_rate:
                raise DataError(
                    f"{recording.path} is sampled at {rate} Hz, expected {self.sample_rate} Hz."
                )
            waves.append(samples)
        return waves

    def labels(self, recordings: Sequence[Recording] | None = None) -> np.ndarray:
        """The digits of ``recordings`` (default: all) as an int64 array."""
        chosen = self.recordings if recordings is None else recordings
        return np.array([r.digit for r in chosen], dtype=np.int64)
