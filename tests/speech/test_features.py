"""speech.features: the step-by-step MFCC agrees with torchaudio's; log-mel shapes; spectrograms; clear errors."""

from __future__ import annotations

import numpy as np
import pytest
import torchaudio

from fakedata import tone

from e2e_helpers.speech import features


def _signal(n: int = 4000, seed: int = 0) -> np.ndarray:
    return tone(440, 1500, n=n, amplitudes=(0.5, 0.2), noise=0.05, seed=seed)


@pytest.mark.parametrize("options", [{}, {"n_mels": 26, "n_mfcc": 12, "f_min": 0.0, "f_max": 3800.0}, {"frame_ms": 32.0, "hop_ms": 16.0}])
def test_mfcc_agrees_with_torchaudio(options):
    wave = _signal()
    ours = features.mfcc(wave, 8000, **options)
    theirs = features.torchaudio_mfcc(wave, 8000, **options)
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, atol=1e-3, rtol=1e-4)
    assert features.mfcc_agreement(wave, 8000, **options) < 1e-3


def test_filterbank_matches_torchaudio():
    ours = features.mel_filterbank(200, 40, 8000, 20.0)
    theirs = torchaudio.functional.melscale_fbanks(101, 20.0, 4000.0, 40, 8000, None, "htk").numpy().T
    np.testing.assert_allclose(ours, theirs, atol=1e-5)
    assert ours.shape == (40, 101) and ours.max() <= 1.0


def test_steps_have_consistent_shapes():
    wave = _signal(1000)
    steps = features.mfcc_steps(wave)
    n_frames = 1 + (1000 - 200) // 80
    assert steps.frames.shape == steps.windowed.shape == (n_frames, 200)
    assert steps.power.shape == (n_frames, 101) and len(steps.freqs) == 101
    assert steps.mel_energies.shape == steps.log_mel.shape == (n_frames, 40)
    assert steps.mfcc.shape == (n_frames, 13)
    np.testing.assert_allclose(steps.emphasized[1:], wave[1:] - 0.97 * wave[:-1].astype(np.float64), atol=1e-6)
    np.testing.assert_allclose(steps.windowed, steps.frames * steps.window)


def test_tone_peaks_in_the_right_band():
    t = np.arange(4000) / 8000
    steps = features.mfcc_steps(np.sin(2 * np.pi * 1000 * t), preemphasis=0.0)
    assert abs(steps.freqs[steps.power.mean(axis=0).argmax()] - 1000) <= 40
    assert features.mel_to_hz(features.hz_to_mel(1000.0)) == pytest.approx(1000.0)


def test_log_mel_batch_matches_single():
    waves = [_signal(800, 1), _signal(2000, 2)]
    batch = features.log_mel_batch(waves)
    assert [b.shape for b in batch] == [(11, 40), (26, 40)]
    np.testing.assert_allclose(batch[0], features.log_mel(waves[0]), atol=1e-4)
    assert batch[0].dtype == np.float32


def test_bad_inputs_are_explained():
    with pytest.raises(ValueError, match="1-D array"):
        features.mfcc(np.zeros((2, 400)))
    with pytest.raises(ValueError, match="fewer than one frame"):
        features.mfcc(np.zeros(50))
    with pytest.raises(ValueError, match="n_mfcc"):
        features.mfcc(_signal(), n_mfcc=50)
    with pytest.raises(ValueError, match="f_max"):
        features.mel_filterbank(200, 40, 8000, 0.0, 5000.0)
    with pytest.raises(TypeError, match="list of 1-D"):
        features.log_mel_batch(_signal())


# -- spectrogram for pictures (was plots._spectrogram_db) --------------------------------------


def _old_spectrogram_db(wave, sample_rate, n_fft=256, hop=64):
    """A copy of the computation of the old ``plots._spectrogram_db``, before it moved onto ``audio.frames``."""
    wave = np.asarray(wave, dtype=np.float64)
    if len(wave) < n_fft:
        wave = np.pad(wave, (0, n_fft - len(wave)))
    n = 1 + (len(wave) - n_fft) // hop
    frames = wave[np.arange(n_fft)[None, :] + hop * np.arange(n)[:, None]] * np.hanning(n_fft)
    power = np.abs(np.fft.rfft(frames, axis=1)) ** 2
    db = 10 * np.log10(power + 1e-10)
    return np.fft.rfftfreq(n_fft, 1 / sample_rate), (np.arange(n) * hop + n_fft / 2) / sample_rate, db.T


@pytest.mark.parametrize(("n", "n_fft", "hop"), [(4000, 256, 64), (1001, 128, 50), (100, 256, 64), (256, 256, 64)])
def test_spectrogram_db_is_the_old_computation(n, n_fft, hop):
    wave = _signal(n, 7)
    new = features.spectrogram_db(wave, 8000, n_fft=n_fft, hop=hop)
    old = _old_spectrogram_db(wave, 8000, n_fft=n_fft, hop=hop)
    for ours, theirs in zip(new, old):
        assert ours.shape == theirs.shape and ours.dtype == theirs.dtype
        np.testing.assert_array_equal(ours, theirs)
    freqs, times, db = new
    assert db.shape == (len(freqs), len(times)) == (n_fft // 2 + 1, 1 + (max(n, n_fft) - n_fft) // hop)
