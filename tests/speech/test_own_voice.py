"""speech.own_voice: a learner's recording (samples or a WAV file) checked, mono, at its own rate.

Runs in the main environment and in the Colab replica alike (``make test-colab``).
"""

from __future__ import annotations

import io

import numpy as np
import pytest
import soundfile
from fakedata import tone

from e2e_helpers import speech
from e2e_helpers.data import Waveform
from e2e_helpers.speech.own_voice import voice_recording


def _voice(rate: int = 48_000, seconds: float = 1.0, level: float = 0.3) -> np.ndarray:
    """A 'word' (a 220 Hz + 660 Hz tone) between two short silences, float32 at *rate*."""
    n = int(rate * seconds)
    wave = tone(220, 660, n=n, rate=rate, amplitudes=level / 2)
    wave[: n // 5] = wave[-n // 5 :] = 0.0
    return wave


def _wav(samples: np.ndarray, rate: int, subtype: str = "PCM_16") -> bytes:
    out = io.BytesIO()
    soundfile.write(out, samples, rate, format="WAV", subtype=subtype)
    return out.getvalue()


def test_public_in_speech():
    assert speech.voice_recording is voice_recording
    assert "voice_recording" in speech.__all__


@pytest.mark.parametrize("rate", [8000, 16_000, 44_100, 48_000, 96_000])
def test_samples_keep_their_rate_and_resample_on_request(rate):
    wave = voice_recording(_voice(rate), rate)
    assert isinstance(wave, Waveform) and wave.sample_rate == rate and len(wave) == rate
    assert wave.dtype == np.float32
    low = voice_recording(_voice(rate), rate, to_rate=8000)
    assert low.sample_rate == 8000 and len(low) == 8000
    np.testing.assert_allclose(low, speech.resample(wave, 8000), atol=1e-6)


def test_int16_pcm_from_the_browser_is_scaled():
    pcm = (_voice() * 32767).astype("<i2")
    wave = voice_recording(pcm, 48_000)
    np.testing.assert_allclose(wave, _voice(), atol=1e-4)


def test_a_waveform_brings_its_rate():
    wave = Waveform(_voice(16_000), 16_000)
    assert voice_recording(wave).sample_rate == 16_000
    with pytest.raises(ValueError, match="at 16000 Hz, not sample_rate=8000"):
        voice_recording(wave, 8000)


def test_plain_samples_need_a_rate():
    with pytest.raises(ValueError, match=r"rate of plain samples is unknown.*48000"):
        voice_recording(_voice())


@pytest.mark.parametrize("rate", [4000, 7999, 400_000, 44_100.5])
def test_unusual_rates_are_refused_with_the_range(rate):
    with pytest.raises(ValueError, match="expected a whole number of Hz from 8000 to 192000"):
        voice_recording(np.zeros(1000), rate)


@pytest.mark.parametrize("layout", ["samples, channels", "channels, samples"])
def test_stereo_is_mixed_down_with_a_note(layout):
    left, right = _voice(), 0.5 * _voice()
    stereo = np.stack([left, right], axis=1 if layout == "samples, channels" else 0)
    with pytest.warns(UserWarning, match="The recording is stereo: its 2 channels were averaged"):
        wave = voice_recording(stereo, 48_000)
    np.testing.assert_allclose(wave, 0.75 * _voice(), atol=1e-6)


def test_a_stereo_wav_file_is_mixed_down_too():
    data = _wav(np.stack([_voice(), _voice()], axis=1), 48_000)
    with pytest.warns(UserWarning, match="The uploaded file is stereo"):
        wave = voice_recording(data)
    assert wave.sample_rate == 48_000 and wave.ndim == 1


def test_wav_bytes_and_path_give_the_same_recording(tmp_path):
    data = _wav(_voice(44_100), 44_100)
    path = tmp_path / "take.wav"
    path.write_bytes(data)
    from_bytes, from_path = voice_recording(data), voice_recording(path)
    assert from_bytes.sample_rate == from_path.sample_rate == 44_100
    np.testing.assert_array_equal(from_bytes, from_path)
    np.testing.assert_allclose(from_path, _voice(44_100), atol=1e-4)
    assert voice_recording(str(path)).sample_rate == 44_100
    with pytest.raises(ValueError, match="carries its own rate"):
        voice_recording(path, 44_100)


def test_files_that_are_not_sound_are_refused(tmp_path):
    with pytest.raises(FileNotFoundError, match="No audio file"):
        voice_recording(tmp_path / "missing.wav")
    with pytest.raises(ValueError, match="is empty \\(0 bytes\\)"):
        voice_recording(b"")
    with pytest.raises(ValueError, match="not a readable sound file.*WAV \\(16-bit PCM\\)"):
        voice_recording(b"this is not audio at all")


@pytest.mark.parametrize("n", [0, 100, 9000])
def test_empty_or_too_short_is_refused(n):
    match = "is empty" if n == 0 else "only 0.\\d\\d s long"
    with pytest.raises(ValueError, match=f"{match}: nothing to recognise.*Press record"):
        voice_recording(np.zeros(n, np.float32), 48_000)


def test_too_long_is_refused_not_trimmed():
    ten_minutes = np.zeros(600 * 8000, np.float32)
    with pytest.raises(ValueError, match=r"600.0 s long, more than max_seconds=30.*nothing was"):
        voice_recording(ten_minutes, 8000)
    assert len(voice_recording(_voice(8000, seconds=40), 8000, max_seconds=45)) == 320_000


def test_a_too_long_file_is_refused_before_it_is_decoded(monkeypatch):
    data = _wav(_voice(8000, seconds=40), 8000)
    monkeypatch.setattr(soundfile.SoundFile, "read", lambda *a, **k: pytest.fail("decoded"))
    with pytest.raises(ValueError, match=r"uploaded file is 40.0 s long, more than max_second"):
        voice_recording(data)


@pytest.mark.parametrize("seconds", [0, -5, "30"])
def test_max_seconds_must_be_positive(seconds):
    with pytest.raises(ValueError, match="max_seconds must be a positive number of seconds"):
        voice_recording(_voice(), 48_000, max_seconds=seconds)


def test_silence_is_refused():
    hum = tone(50, n=48_000, rate=48_000, amplitudes=1e-4, noise=1e-4)
    with pytest.raises(ValueError, match=r"is silent: its loudest moment is at -\d+ dBFS.*muted"):
        voice_recording(hum, 48_000)
    quiet = voice_recording(_voice(level=0.01), 48_000)  # as quiet as FSDD's quietest
    assert len(quiet) == 48_000


def test_clipping_is_refused():
    loud = np.clip(5 * _voice(), -1, 1)
    with pytest.raises(ValueError, match=r"is clipped: \d+\.\d% of its samples are at full scale"):
        voice_recording(loud, 48_000)
    few = _voice()
    few[1000:1010] = 1.0  # a few samples at full scale are no clipping
    assert len(voice_recording(few, 48_000)) == 48_000


def test_float_beyond_full_scale_and_bad_values_are_refused():
    with pytest.raises(ValueError, match=r"beyond \[-1, 1\] \(largest 1\.\d+\).*int16 PCM"):
        voice_recording(2 * _voice() / 0.3, 48_000)
    bad = _voice()
    bad[5] = np.nan
    with pytest.raises(ValueError, match="non-finite"):
        voice_recording(bad, 48_000)
    with pytest.raises(ValueError, match="at most 8 channels"):
        voice_recording(np.zeros((100, 100)), 48_000)


def test_fsdd_like_recording_passes(tmp_path):
    """An 8 kHz 16-bit mono WAV, as FSDD's files are, is kept as it is."""
    data = _wav(_voice(8000, seconds=0.5), 8000)
    wave = voice_recording(data)
    assert wave.sample_rate == 8000 and len(wave) == 4000
