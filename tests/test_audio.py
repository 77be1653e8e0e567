"""audio.read_wav: float32 mono in [-1, 1], clear errors naming the file."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile

from e2e_helpers.audio import read_wav


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


# ------------------------------------------------------------------ noise and voice activity
from e2e_helpers import audio  # noqa: E402
from e2e_helpers.audio import add_noise, energy_vad, frame_energy_db  # noqa: E402


@pytest.mark.parametrize("snr", [20.0, 5.0, 0.0])
def test_add_noise_reaches_the_snr(snr):
    wave = np.sin(np.arange(80_000) * 0.05).astype(np.float32)
    noisy = add_noise(wave, snr, rng=0)
    measured = 10 * np.log10(np.mean(wave**2) / np.mean((noisy - wave) ** 2))
    assert measured == pytest.approx(snr, abs=0.1)
    np.testing.assert_array_equal(noisy, add_noise(wave, snr, rng=0)), "same seed, same noise"
    assert noisy.dtype == np.float32


def test_add_noise_rejects_bad_input():
    with pytest.raises(ValueError, match="1-D"):
        add_noise(np.zeros((2, 3)), 10)
    with pytest.raises(ValueError, match="finite"):
        add_noise(np.zeros(3), float("nan"))


def _bursts(starts_s, length_s=0.3, total_s=2.0, rate=8000):
    rng = np.random.default_rng(0)
    wave = 0.001 * rng.normal(size=int(total_s * rate))
    for start in starts_s:
        a, b = int(start * rate), int((start + length_s) * rate)
        wave[a:b] += 0.5 * np.sin(np.arange(b - a) * 0.3)
    return wave


def test_vad_finds_separated_words():
    segments = energy_vad(_bursts([0.2, 0.8, 1.4]))
    assert len(segments) == 3
    for (start, end), truth in zip(segments, [0.2, 0.8, 1.4]):
        assert abs(start / 8000 - truth) < 0.05 and abs(end / 8000 - truth - 0.3) < 0.06


def test_vad_merges_words_that_run_together_and_drops_clicks():
    assert len(energy_vad(_bursts([0.2, 0.53]))) == 1, "a 30 ms pause is bridged"
    assert energy_vad(_bursts([0.5], length_s=0.03)) == [], "a 30 ms click is not a word"


def test_frame_energy_db_levels():
    energy = frame_energy_db(np.ones(800))
    assert np.allclose(energy, 0.0, atol=1e-6) and len(energy) == 9


def test_frames_overlap_without_padding():
    from e2e_helpers import audio

    framed = audio.frames(np.arange(10.0), frame=4, hop=3)
    assert framed.tolist() == [[0, 1, 2, 3], [3, 4, 5, 6], [6, 7, 8, 9]]


# -- augmentation ---------------------------------------------------------------


def test_time_shift_adds_silence_on_one_side():
    wave = np.ones(10, dtype=np.float32)
    later, earlier = audio.time_shift(wave, 3), audio.time_shift(wave, -2)
    assert later.tolist() == [0, 0, 0] + [1] * 10
    assert earlier.tolist() == [1] * 10 + [0, 0]
    assert audio.time_shift(wave, 0).tolist() == wave.tolist()


def test_speed_perturb_changes_duration_and_pitch():
    pytest.importorskip("torchaudio", reason="speed perturbation resamples with torchaudio")
    rate = 8000
    t = np.arange(rate) / rate
    tone = np.sin(2 * np.pi * 500 * t).astype(np.float32)
    faster = audio.speed_perturb(tone, 1.25, rate)
    assert len(faster) == pytest.approx(len(tone) / 1.25, abs=2)
    peak = np.argmax(np.abs(np.fft.rfft(faster))) * rate / len(faster)
    assert peak == pytest.approx(625, abs=5)  # 500 Hz played 1.25x faster
    np.testing.assert_array_equal(audio.speed_perturb(tone, 1.0, rate), tone)
    with pytest.raises(ValueError, match="between 0.5 and 2"):
        audio.speed_perturb(tone, 3.0, rate)
    with pytest.raises(ValueError, match="1-D array"):
        audio.speed_perturb(np.zeros((2, 5)), 1.1)


def test_augment_is_reproducible_and_varied():
    pytest.importorskip("torchaudio", reason="augment's speed perturbation resamples with torchaudio")
    wave = np.sin(np.linspace(0, 200, 4000)).astype(np.float32)
    a, b = audio.augment(wave, 0), audio.augment(wave, 0)
    np.testing.assert_array_equal(a, b)
    rng = np.random.default_rng(1)
    copies = [audio.augment(wave, rng) for _ in range(5)]
    assert len({len(c) for c in copies}) > 1  # speeds and shifts differ
    assert all(c.dtype == np.float32 and np.isfinite(c).all() for c in copies)
    with pytest.raises(ValueError, match="at least one speed"):
        audio.augment(wave, 0, speeds=())
    with pytest.raises(ValueError, match="low <= high"):
        audio.augment(wave, 0, snr_db=(30, 10))
