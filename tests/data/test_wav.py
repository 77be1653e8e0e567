"""wav: read_wav gives float32 mono in [-1, 1] and refuses bad samples naming the file; check_wave, the one sample check."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile

from e2e_helpers.data import check_wave, read_wav


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


# ------------------------------------------------------------------ bad samples are refused where they enter


BAD_FLOAT_WAVS = {
    "NaN": ([0.1, np.nan, 0.2, np.nan], r"bad.wav holds 2 non-finite samples \(2 NaN, 0 inf\), the first at sample 1.*Re-export"),
    "inf": ([0.1, 0.2, -np.inf], r"bad.wav holds 1 non-finite sample \(0 NaN, 1 inf\), the first at sample 2"),
    "NaN, inf and 4.0": ([np.nan, np.inf, 4.0, 0.5], r"bad.wav holds 2 non-finite samples \(1 NaN, 1 inf\), the first at sample 0"),
    "out of range": ([0.5, 4.0, -1.5, 1.0], r"bad.wav holds 2 float samples outside \[-1, 1\] \(largest magnitude 4\).*divide the samples by 4"),
    "one out of range": ([0.5, -1.25], r"bad.wav holds 1 float sample outside \[-1, 1\] \(largest magnitude 1.25\)"),
}


@pytest.mark.parametrize("case", sorted(BAD_FLOAT_WAVS))
def test_float_wav_with_bad_samples_is_refused(tmp_path, case):
    values, message = BAD_FLOAT_WAVS[case]
    path = tmp_path / "bad.wav"
    soundfile.write(path, np.array(values, dtype=np.float32), 8000, subtype="FLOAT")
    with pytest.raises(ValueError, match=message):
        read_wav(path)


def test_float_wav_at_full_scale_is_read(tmp_path):
    path = tmp_path / "full.wav"
    soundfile.write(path, np.array([-1.0, 1.0, 0.0], dtype=np.float32), 8000, subtype="FLOAT")
    np.testing.assert_array_equal(read_wav(path)[0], [-1.0, 1.0, 0.0])


BAD_WAVES = {
    "one NaN": (np.r_[np.zeros(5), np.nan], r"wave holds 1 non-finite sample \(1 NaN, 0 inf\) of 6, the first at index 5: replace them, e\.g\. with np\.nan_to_num\(wave\), or re-export"),
    "NaN and inf": ([np.inf, 0.0, np.nan], r"wave holds 2 non-finite samples \(1 NaN, 1 inf\) of 3, the first at index 0"),
    "overflows float32": (np.array([1e39, 0.0]), r"wave holds 1 non-finite sample \(0 NaN, 1 inf\)"),
    "2-D": (np.zeros((2, 3)), r"wave must be a 1-D array of samples \(one mono recording\), got shape \(2, 3\)"),
    "scalar": (0.5, r"wave must be a 1-D array of samples .*got shape \(\)"),
    "text": (np.array(["a", "b"]), r"wave must be a 1-D array of samples .*dtype <U1"),
    "bools": (np.array([True, False]), r"dtype bool"),
}


@pytest.mark.parametrize("case", sorted(BAD_WAVES))
def test_check_wave_refuses_bad_samples(case):
    wave, message = BAD_WAVES[case]
    with pytest.raises(ValueError, match=message):
        check_wave(wave, dtype=np.float32)


def test_check_wave_names_the_array_and_keeps_good_samples():
    wave = np.array([0.0, 0.5], dtype=np.float32)
    assert check_wave(wave, dtype=np.float32) is wave, "no copy of a good array"
    assert check_wave(np.array([1, 2], dtype=np.int16)).dtype == np.float64
    with pytest.raises(ValueError, match=r"waves\[3\] holds 1 non-finite sample.*np\.nan_to_num\(waves\[3\]\)"):
        check_wave([np.nan], name="waves[3]")
