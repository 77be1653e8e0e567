"""Reading WAV files, with :mod:`soundfile` (which needs no FFmpeg), as float32 mono samples."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile

__all__ = ["read_wav"]


def read_wav(path: Path | str) -> tuple[np.ndarray, int]:
    """Read a sound file as ``(float32 mono samples in [-1, 1], sample rate)``.

    Several channels are averaged into one.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"No audio file {path}: check the path (expected a .wav file).")
    try:
        samples, rate = soundfile.read(path, dtype="float32", always_2d=True)
    except (RuntimeError, TypeError) as exc:  # soundfile.LibsndfileError is a RuntimeError
        raise ValueError(
            f"{path} is not a readable WAV file ({exc}): expected PCM or float WAV audio; "
            "if it came with a dataset, delete it and load the dataset again to restore it."
        ) from exc
    return samples.mean(axis=1, dtype=np.float32), int(rate)
