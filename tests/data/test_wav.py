"""wav: read_wav gives a float32 mono Waveform in [-1, 1] and refuses bad samples naming the file;
check_wave, the one sample (and rate) check; Waveform."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest
import soundfile

from e2e_helpers.data import Waveform, check_wave, read_wav


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


# ------------------------------------------------------------------ bad samples are refused where
# they enter


BAD_FLOAT_WAVS = {
    "NaN": (
        [0.1, np.nan, 0.2, np.nan],
        r"bad.wav holds 2 non-finite samples \(2 NaN, 0 inf\), the first at sample 1.*Re-export",
    ),
    "inf": (
        [0.1, 0.2, -np.inf],
        r"bad.wav holds 1 non-finite sample \(0 NaN, 1 inf\), the first at sample 2",
    ),
    "NaN, inf and 4.0": (
        [np.nan, np.inf, 4.0, 0.5],
        r"bad.wav holds 2 non-finite samples \(1 NaN, 1 inf\), the first at sample 0",
    ),
    "out of range": (
        [0.5, 4.0, -1.5, 1.0],
        r"bad.wav holds 2 float samples outside \[-1, 1\] \(largest magnitude 4\).*divide the "
        r"samples by 4",
    ),
    "one out of range": (
        [0.5, -1.25],
        r"bad.wav holds 1 float sample outside \[-1, 1\] \(largest magnitude 1.25\)",
    ),
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
    "one NaN": (
        np.r_[np.zeros(5), np.nan],
        r"wave holds 1 non-finite sample \(1 NaN, 0 inf\) of 6, the first at index 5: replace "
        r"them, e\.g\. with np\.nan_to_num\(wave\), or re-export",
    ),
    "NaN and inf": (
        [np.inf, 0.0, np.nan],
        r"wave holds 2 non-finite samples \(1 NaN, 1 inf\) of 3, the first at index 0",
    ),
    "overflows float32": (
        np.array([1e39, 0.0]),
        r"wave holds 1 non-finite sample \(0 NaN, 1 inf\)",
    ),
    "2-D": (
        np.zeros((2, 3)),
        r"wave must be a 1-D array of samples \(one mono recording\), got shape \(2, 3\)",
    ),
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
    with pytest.raises(
        ValueError, match=r"waves\[3\] holds 1 non-finite sample.*np\.nan_to_num\(waves\[3\]\)"
    ):
        check_wave([np.nan], name="waves[3]")


# ------------------------------------------------------------------ the sample rate travels with
# the audio


def _wave(rate: int = 8000, n: int = 16) -> Waveform:
    return Waveform(np.linspace(-0.5, 0.5, n, dtype=np.float32), rate)


def test_read_wav_gives_a_waveform_at_the_rate_of_the_file(tmp_path):
    path = tmp_path / "cd.wav"
    soundfile.write(path, np.zeros(441, dtype=np.int16), 44100, subtype="PCM_16")
    samples, rate = read_wav(path)
    assert isinstance(samples, Waveform) and samples.sample_rate == rate == 44100
    assert samples.dtype == np.float32 and samples.shape == (441,)


def test_waveform_keeps_its_rate_through_views_slices_copies_and_arithmetic():
    wave = _wave(16000)
    kept = {
        "slice": wave[2:10],
        "step": wave[::2],
        "view": wave.view(),
        "copy": wave.copy(),
        "astype": wave.astype(np.float64),
        "scaled": 0.5 * wave,
        "sum": wave + wave,
        "power": wave**2,
        "ufunc": np.abs(wave),
        "negated": -wave,
    }
    for what, result in kept.items():
        assert isinstance(result, Waveform) and result.sample_rate == 16000, what
    assert Waveform(wave, 8000).sample_rate == 8000 and wave.sample_rate == 16000, (
        "re-wrapping sets a new rate on a new view"
    )
    assert np.shares_memory(Waveform(wave, 8000), wave), "a view, no copy"


def test_reductions_of_a_waveform_are_plain_numpy_scalars():
    wave = _wave()
    for result in (
        wave.max(),
        wave.min(),
        wave.sum(),
        wave.mean(),
        wave.std(),
        np.mean(wave**2),
        np.max(np.abs(wave)),
        np.sum(wave),
        np.dot(wave, wave),
        wave[3],
    ):
        assert isinstance(result, np.generic) and not isinstance(result, np.ndarray), type(result)
    assert type(wave.max()) is np.float32 and wave.max() == 0.5 and float(np.mean(wave**2)) > 0


@pytest.mark.parametrize("protocol", range(2, pickle.HIGHEST_PROTOCOL + 1))
def test_waveform_survives_pickling(protocol):
    wave = _wave(22050)
    back = pickle.loads(pickle.dumps(wave, protocol=protocol))
    assert isinstance(back, Waveform) and back.sample_rate == 22050 and back.dtype == np.float32
    np.testing.assert_array_equal(back, wave)
    assert copy.deepcopy(wave).sample_rate == copy.copy(wave).sample_rate == 22050


def test_waveform_says_its_rate_and_refuses_what_is_not_one_recording():
    assert repr(Waveform(np.array([0.0, 0.5]), 8000)) == "Waveform([0. , 0.5], sample_rate=8000)"
    assert str(Waveform(np.array([0.0, 0.5]), 8000)) == "[0.  0.5]"
    with pytest.raises(ValueError, match=r"one mono recording \(a 1-D array\), got shape \(2, 3\)"):
        Waveform(np.zeros((2, 3)), 8000)
    for rate in (0, -8000, 8000.0, None):
        with pytest.raises(ValueError, match=r"sample_rate must be a positive int"):
            Waveform(np.zeros(3), rate)


def test_a_waveform_still_works_where_a_plain_array_does(tmp_path):
    wave = _wave(8000)
    joined = np.concatenate([wave, np.zeros(4, np.float32), wave])
    assert joined.shape == (36,) and getattr(joined, "sample_rate", None) is None, (
        "a new array: its rate is unknown"
    )
    assert type(np.asarray(wave)) is np.ndarray and np.asarray(wave).dtype == np.float32
    np.testing.assert_array_equal(np.asarray(wave), wave)
    path = tmp_path / "out.wav"
    soundfile.write(path, wave, wave.sample_rate, subtype="FLOAT")
    again, rate = read_wav(path)
    assert rate == 8000 and again.sample_rate == 8000
    np.testing.assert_array_equal(again, wave)


def test_a_waveform_goes_into_torch_and_into_ipython_audio():
    torch = pytest.importorskip("torch", reason="torch is not installed (the torch-free test run)")
    tensor = torch.from_numpy(wave := _wave())
    assert tensor.dtype == torch.float32 and tensor.shape == (16,)
    np.testing.assert_array_equal(tensor.numpy(), wave)
    display = pytest.importorskip("IPython.display", reason="IPython is not installed")
    audio = display.Audio(wave, rate=wave.sample_rate)
    assert audio.data[:4] == b"RIFF"


def test_check_wave_refuses_a_waveform_at_another_rate_and_names_both():
    with pytest.raises(
        ValueError,
        match=r"^wave is sampled at 44100 Hz, but 8000 Hz is expected here \(sample_rate=8000\): "
        r"resample it first, e\.g\. speech\.resample\(wave, 8000\)\.$",
    ):
        check_wave(_wave(44100), sample_rate=8000)
    with pytest.raises(
        ValueError,
        match=r"^waves\[2\] is sampled at 16000 Hz, but 8000 Hz.*speech\.resample\(waves\[2\], "
        r"8000\)",
    ):
        check_wave(_wave(16000), name="waves[2]", sample_rate=8000)
    checked = check_wave(_wave(8000), sample_rate=8000, dtype=np.float32)
    assert type(checked) is np.ndarray, "check_wave returns the samples as a plain array"
    assert type(check_wave(_wave(44100))) is np.ndarray, "no sample_rate: the rate is not checked"
    assert check_wave(np.zeros(3), sample_rate=8000).shape == (3,), (
        "a plain array's rate is unknown: it passes"
    )
    unknown = np.zeros(3).view(Waveform)
    assert unknown.sample_rate is None and check_wave(unknown, sample_rate=8000).shape == (3,)


# ------------------------------------------- integer PCM, as scipy.io.wavfile.read returns it


@pytest.mark.parametrize(
    ("dtype", "pcm", "floats"),
    [
        (np.int16, [-32768, 0, 16384, 32767], [-1.0, 0.0, 0.5, 32767 / 32768]),
        (np.int32, [-(2**31), 0, 2**30, 2**31 - 1], [-1.0, 0.0, 0.5, 1 - 2**-31]),
        (np.uint8, [0, 128, 192, 255], [-1.0, 0.0, 0.5, 127 / 128]),
    ],
)
def test_integer_pcm_is_scaled_as_a_wav_reader_scales_it(tmp_path, dtype, pcm, floats):
    scipy_wavfile = pytest.importorskip("scipy.io.wavfile")
    samples = np.array(pcm, dtype=dtype)
    np.testing.assert_array_equal(check_wave(samples), floats)
    assert check_wave(samples, dtype=np.float32).dtype == np.float32
    wave = Waveform(samples, 8000)
    assert wave.dtype == np.float32 and wave.sample_rate == 8000
    np.testing.assert_allclose(wave, floats, rtol=1e-7)
    path = tmp_path / "pcm.wav"
    scipy_wavfile.write(path, 8000, samples)
    rate, raw = scipy_wavfile.read(path)
    assert raw.dtype == dtype and rate == 8000
    np.testing.assert_array_equal(check_wave(raw, dtype=np.float32), read_wav(path)[0])


@pytest.mark.parametrize("dtype", [np.int8, np.int64, np.uint16])
def test_other_integer_samples_are_refused_with_the_fix(dtype):
    for make in (lambda x: check_wave(x, name="waves[0]"), lambda x: Waveform(x, 8000)):
        with pytest.raises(
            ValueError, match=r"integer audio must be WAV's PCM.*floats in \[-1, 1\]"
        ):
            make(np.zeros(4, dtype=dtype))
