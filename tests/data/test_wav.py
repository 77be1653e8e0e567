"""wav.read_wav: float32 mono in [-1, 1], clear errors naming the file."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile

from e2e_helpers.data import read_wav


def test_reads_int16_mono_as_float32(tmp_path):
    path = tmp_path / "tone.wav"
    pcm = np.array([0, 16384, -16384, 32767, -32768], dtype=np.int16)
    soundfile.write(path, pcm, 8000, subtype="PCM_16")
    samples, rate = read_wav(path)
    assert rate == 8000
    assert samples.dtype == np.float32 and samples.shape == (5,)
    np.testing.assert_allclose(samples, pcm / 32768.0, atol=1e-6)
    assert samples.min() >= -1.0 and samples.max() <= 1.0


def test_averages_channels(tmp_path):
    path = tmp_path / "stereo.wav"
    stereo = np.array([[0.5, -0.5], [0.25, 0.75], [1.0, 0.0]], dtype=np.float32)
    soundfile.write(path, stereo, 16000, subtype="FLOAT")
    samples, rate = read_wav(str(path))
    assert rate == 16000 and samples.dtype == np.float32
    np.testing.assert_allclose(samples, stereo.mean(axis=1))


def test_missing_file_names_it(tmp_path):
    path = tmp_path / "nope.wav"
    with pytest.raises(FileNotFoundError, match="nope.wav"):
        read_wav(path)


@pytest.mark.parametrize("content", [b"", b"this is not audio at all", b"RIFF\x00\x00\x00\x00WAVE"])
def test_unreadable_file_names_it(tmp_path, content):
    path = tmp_path / "broken.wav"
    path.write_bytes(content)
    with pytest.raises(ValueError, match="broken.wav.*not a readable WAV"):
        read_wav(path)
