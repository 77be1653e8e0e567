"""speech.model_inputs: HMM frames (MFCC + deltas, CMVN), MFCC statistics, log-mel windows."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torchaudio
from fakedata import tone

from e2e_helpers.speech import audio, model_inputs


def _tone(freq: float, seconds: float, rate: int = 8000, amplitude: float = 0.5) -> np.ndarray:
    return tone(freq, n=int(seconds * rate), rate=rate, amplitudes=amplitude)


def test_mfcc_deltas_are_cepstra_then_their_derivatives():
    wave = tone(440, 1500, n=4000, amplitudes=(0.5, 0.2), noise=0.05)
    frames = model_inputs.mfcc_deltas(wave)
    assert frames.shape == (1 + (4000 - 256) // 80, 39) and frames.dtype == np.float32
    cepstra = torch.from_numpy(frames[:, :13].T.copy())
    deltas = torchaudio.functional.compute_deltas(cepstra, win_length=5)
    np.testing.assert_allclose(frames[:, 13:26], deltas.T.numpy(), atol=1e-5)
    np.testing.assert_allclose(
        frames[:, 26:],
        torchaudio.functional.compute_deltas(deltas, win_length=5).T.numpy(),
        atol=1e-5,
    )
    steady = model_inputs.mfcc_deltas(_tone(700, 0.5))
    assert np.abs(steady[5:-5, 13:]).max() < 1e-3, "a steady tone has no deltas away from its ends"


def test_normalize_frames_removes_mean_and_scale():
    frames = np.random.default_rng(0).normal(3, 5, size=(50, 4)).astype(np.float32)
    frames[:, 3] = 7.0  # a constant feature
    out = model_inputs.normalize_frames(frames)
    np.testing.assert_allclose(out.mean(axis=0), 0, atol=1e-5)
    np.testing.assert_allclose(out[:, :3].std(axis=0), 1, atol=1e-5)
    assert np.all(out[:, 3] == 0)
    with pytest.raises(ValueError, match="at least one frame"):
        model_inputs.normalize_frames(np.zeros((0, 4)))


def test_mfcc_statistics_keep_the_spectral_envelope():
    """The old statistics were taken after mean removal: their 13 MFCC means were all zero."""
    waves = [_tone(300, 0.3), _tone(1200, 0.9), _tone(300, 0.3, amplitude=0.05)]
    F = model_inputs.mfcc_statistics(waves)
    assert F.shape == (3, 52) and F.dtype == np.float32 and np.isfinite(F).all()
    frames = model_inputs.mfcc_deltas(waves[1])[:, :26]
    np.testing.assert_allclose(
        F[1], np.r_[frames.mean(axis=0), frames.std(axis=0)], rtol=1e-5, atol=1e-5
    )
    assert np.abs(F[:, :13]).max(axis=0).min() > 1e-3, "every MFCC mean carries information"
    assert abs(F[0, 1] - F[1, 1]) > 1.0, "a low and a high tone differ in their mean spectral slope"
    assert F[0, 0] - F[2, 0] > 5.0, "c0's mean tells a loud from a quiet recording"


def test_mfcc_statistics_of_no_recordings_have_the_right_shape():
    assert model_inputs.mfcc_statistics([]).shape == (0, 52)
    with pytest.raises(TypeError, match=r"pass \[wave\]"):
        model_inputs.mfcc_statistics(_tone(300, 0.3))


def test_mean_normalized_mfcc_statistics_follow_the_word_through_time():
    low, high = _tone(300, 0.4), _tone(1500, 0.4)
    rising, falling = np.r_[low, high], np.r_[high, low]
    F = model_inputs.mfcc_statistics([rising, falling], mean_normalize=True, segments=4)
    assert F.shape == (2, 26 * 5) and F.dtype == np.float32
    frames = model_inputs.mfcc_deltas(rising)[:, :26]
    frames = frames - frames.mean(axis=0)
    quarters = [part.mean(axis=0) for part in np.array_split(frames, 4)]
    np.testing.assert_allclose(F[0], np.r_[*quarters, frames.std(axis=0)], rtol=1e-4, atol=1e-4)
    # the spectral slope c1 moves one way through a rising word, the other way through a falling one
    c1 = F[:, 1:104:26]  # c1 of each quarter, in time order
    assert c1[0, 0] - c1[0, 3] > 1.0 and c1[1, 3] - c1[1, 0] > 1.0
    np.testing.assert_allclose(c1[0], -c1[1], atol=0.5)
    # a quieter copy (another microphone gain) only shifts the cepstra: mean removal cancels it
    quiet = model_inputs.mfcc_statistics([0.1 * rising], mean_normalize=True, segments=4)
    np.testing.assert_allclose(quiet[0, :13], F[0, :13], atol=0.3)  # up to the log floor
    plain = model_inputs.mfcc_statistics([rising, 0.1 * rising])
    assert plain[0, 0] - plain[1, 0] > 5.0, "without normalisation the gain stays in c0"
    one = model_inputs.mfcc_statistics([rising], mean_normalize=True)
    assert one.shape == (1, 52) and np.abs(one[0, :26]).max() < 1e-4, "one segment: means are 0"


def test_mfcc_statistics_refuse_more_segments_than_frames():
    with pytest.raises(ValueError, match="segments must be a positive int, got 0"):
        model_inputs.mfcc_statistics([_tone(300, 0.3)], segments=0)
    with pytest.raises(ValueError, match=r"waves\[1\] gives 2 frames, fewer than segments=4"):
        model_inputs.mfcc_statistics([_tone(300, 0.3), np.zeros(256 + 80)], segments=4)


def test_log_mel_window_centres_crops_and_normalises():
    short, long = _tone(500, 0.2), _tone(500, 1.5)
    X = model_inputs.log_mel_window([short, long], n_frames=64, n_mels=20)
    assert X.shape == (2, 20, 64) and X.dtype == np.float32
    np.testing.assert_allclose(X.mean(axis=2), 0, atol=1e-4)  # band means removed
    # padding before the short tone is one flat value per band
    assert np.ptp(X[0][:, :5], axis=1).max() < 1e-5
    raw = model_inputs.log_mel_window([short, long], n_frames=64, n_mels=20, mean_normalize=False)
    np.testing.assert_allclose(raw - raw.mean(axis=2, keepdims=True), X, atol=1e-4)
    assert raw.mean() < -1.0, "the log energies themselves, not centred"
    with pytest.raises(ValueError, match="n_frames must be a positive int, got 0"):
        model_inputs.log_mel_window([short], n_frames=0)


_CD = audio.Waveform(tone(440, n=22050, rate=44100), 44100)  # 0.5 s at 44.1 kHz
_RATE = (
    r"is sampled at 44100 Hz, but 8000 Hz is expected here \(sample_rate=8000\): resample it "
    r"first, e\.g\. speech\.resample\("
)
_EIGHT = audio.Waveform(_tone(500, 0.5), 8000)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: model_inputs.mfcc_deltas(_CD), ValueError, "^wave " + _RATE + r"wave, 8000\)"),
        (
            lambda: model_inputs.mfcc_statistics([_EIGHT, _CD]),
            ValueError,
            r"^waves\[1\] " + _RATE + r"waves\[1\], 8000\)",
        ),
        (lambda: model_inputs.log_mel_window([_CD]), ValueError, r"^waves\[0\] " + _RATE),
        (
            lambda: model_inputs.check_recordings([_EIGHT, _CD], sample_rate=8000),
            ValueError,
            r"^waves\[1\] " + _RATE,
        ),
        (
            lambda: model_inputs.check_recordings([_EIGHT, [np.nan]]),
            ValueError,
            r"^waves\[1\] holds 1 non-finite sample",
        ),
        (lambda: model_inputs.mfcc_deltas(np.zeros((2, 400))), ValueError, "1-D array of samples"),
        (
            lambda: model_inputs.mfcc_deltas(np.zeros(250)),
            ValueError,
            "fewer than one frame \\(256\\)",
        ),
        (
            lambda: model_inputs.mfcc_deltas(np.zeros(400), n_fft=128),
            ValueError,
            "at least the frame length",
        ),
        (
            lambda: model_inputs.check_recordings(np.zeros(400)),
            TypeError,
            "wrap a single recording in a list",
        ),
        (lambda: model_inputs.check_recordings([]), ValueError, "at least one recording"),
    ],
)
def test_bad_input_is_explained(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_waveforms_at_the_rate_asked_for_are_taken():
    # a plain array's rate is unknown
    model_inputs.check_recordings([_EIGHT, np.asarray(_CD)], sample_rate=8000)
    model_inputs.check_recordings([_CD])  # no rate asked for
    assert model_inputs.mfcc_deltas(_CD, 44100, n_fft=2048).shape[1] == 39
    np.testing.assert_array_equal(
        model_inputs.mfcc_statistics([_EIGHT]), model_inputs.mfcc_statistics([np.asarray(_EIGHT)])
    )


def test_an_int16_recording_gives_the_features_of_the_same_recording_as_floats():
    floats = tone(440, 1500, n=4000, amplitudes=(0.5, 0.2), noise=0.05)
    pcm = np.round(np.clip(floats, -1, 1 - 2**-15) * 32768).astype(np.int16)  # scipy.io.wavfile
    same = (pcm / 32768).astype(np.float32)
    for features in (model_inputs.mfcc_statistics, model_inputs.log_mel_window):
        np.testing.assert_array_equal(features([pcm]), features([same]))
        np.testing.assert_array_equal(features([audio.Waveform(pcm, 8000)]), features([same]))
    unscaled = model_inputs.mfcc_statistics([pcm.astype(np.float32)])
    assert not np.allclose(unscaled, model_inputs.mfcc_statistics([same]))
    with pytest.raises(ValueError, match=r"waves\[1\] holds int64 samples"):
        model_inputs.mfcc_statistics([pcm, pcm.astype(np.int64)])
