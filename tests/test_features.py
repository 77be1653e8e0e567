"""features: the step-by-step MFCC agrees with torchaudio's; log-mel shapes; clear errors."""

from __future__ import annotations

import numpy as np
import pytest
import torchaudio

from e2e_helpers import features


def _signal(n: int = 4000, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(n) / 8000
    return (0.5 * np.sin(2 * np.pi * 440 * t) + 0.2 * np.sin(2 * np.pi * 1500 * t) + 0.05 * rng.normal(size=n)).astype(np.float32)


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
