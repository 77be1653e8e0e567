"""speech.features: the step-by-step MFCC agrees with torchaudio's; log-mel shapes; spectrograms;
clear errors."""

from __future__ import annotations

import numpy as np
import pytest
import torchaudio
from fakedata import tone
from hypothesis import given
from hypothesis import strategies as st

from e2e_helpers.speech import audio, features, model_inputs


def _signal(n: int = 4000, seed: int = 0) -> np.ndarray:
    return tone(440, 1500, n=n, amplitudes=(0.5, 0.2), noise=0.05, seed=seed)


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"n_mels": 26, "n_mfcc": 12, "f_min": 0.0, "f_max": 3800.0},
        {"frame_ms": 32.0, "hop_ms": 16.0},
    ],
)
def test_mfcc_agrees_with_torchaudio(options):
    wave = _signal()
    ours = features.mfcc(wave, 8000, **options)
    theirs = features.torchaudio_mfcc(wave, 8000, **options)
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, atol=1e-3, rtol=1e-4)
    assert features.mfcc_agreement(wave, 8000, **options) < 1e-3


def test_filterbank_matches_torchaudio():
    ours = features.mel_filterbank(200, 40, 8000, 20.0)
    theirs = (
        torchaudio.functional.melscale_fbanks(101, 20.0, 4000.0, 40, 8000, None, "htk").numpy().T
    )
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
    np.testing.assert_allclose(
        steps.emphasized[1:], wave[1:] - 0.97 * wave[:-1].astype(np.float64), atol=1e-6
    )
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


def _with(values: dict[int, float], n: int = 4000) -> np.ndarray:
    """:func:`_signal` with the samples at the given indexes replaced."""
    wave = _signal(n)
    for index, value in values.items():
        wave[index] = value
    return wave


def _cd_copy(n: int = 4000) -> audio.Waveform:
    """:func:`_signal`'s 8 kHz samples resampled to 44.1 kHz, as a Waveform at that rate."""
    return audio.resample(_signal(n), 44100, from_rate=8000)


_RATE = (
    r"is sampled at 44100 Hz, but 8000 Hz is expected here \(sample_rate=8000\): resample it "
    r"first, e\.g\. speech\.resample\("
)
_ONE_NAN = (
    r"holds 1 non-finite sample \(1 NaN, 0 inf\) of 4000, the first at index 1234: replace them, "
    r"e\.g\. with np\.nan_to_num"
)
_TWO_INF = r"holds 2 non-finite samples \(0 NaN, 2 inf\) of 4000, the first at index 10"

BAD_INPUTS = {
    "mfcc of a NaN sample": (
        lambda: features.mfcc(_with({1234: np.nan})),
        ValueError,
        "wave " + _ONE_NAN,
    ),
    "mfcc of inf samples": (
        lambda: features.mfcc(_with({10: np.inf, 20: -np.inf})),
        ValueError,
        "wave " + _TWO_INF,
    ),
    "mfcc_steps of a NaN sample": (
        lambda: features.mfcc_steps(_with({1234: np.nan})),
        ValueError,
        "wave " + _ONE_NAN,
    ),
    "torchaudio_mfcc of a NaN sample": (
        lambda: features.torchaudio_mfcc(_with({1234: np.nan})),
        ValueError,
        "wave " + _ONE_NAN,
    ),
    "log_mel of a NaN sample": (
        lambda: features.log_mel(_with({1234: np.nan})),
        ValueError,
        r"waves\[0\] " + _ONE_NAN,
    ),
    "log_mel_batch of a NaN sample": (
        lambda: features.log_mel_batch([_signal(), _with({1234: np.nan})]),
        ValueError,
        r"waves\[1\] " + _ONE_NAN,
    ),
    "log_mel_window of inf samples": (
        lambda: model_inputs.log_mel_window([_with({10: np.inf, 20: -np.inf})]),
        ValueError,
        r"waves\[0\] " + _TWO_INF,
    ),
    "spectrogram_db of a NaN sample": (
        lambda: features.spectrogram_db(_with({1234: np.nan}), 8000),
        ValueError,
        "wave " + _ONE_NAN,
    ),
    "mfcc of a 2-D array": (
        lambda: features.mfcc(np.zeros((2, 400))),
        ValueError,
        r"wave must be a 1-D array of samples",
    ),
    "mfcc of text": (
        lambda: features.mfcc(np.array(["a"] * 400)),
        ValueError,
        r"1-D array of samples.*dtype <U1",
    ),
    "mfcc shorter than a frame": (
        lambda: features.mfcc(np.zeros(50)),
        ValueError,
        "fewer than one frame",
    ),
    "too many coefficients": (lambda: features.mfcc(_signal(), n_mfcc=50), ValueError, "n_mfcc"),
    "f_max above Nyquist": (
        lambda: features.mel_filterbank(200, 40, 8000, 0.0, 5000.0),
        ValueError,
        "f_max",
    ),
    "log_mel_batch of one recording": (
        lambda: features.log_mel_batch(_signal()),
        TypeError,
        "list of 1-D",
    ),
    "log_mel_batch of a 2-D recording": (
        lambda: features.log_mel_batch([np.zeros((2, 3))]),
        ValueError,
        r"waves\[0\] must be a 1-D array of samples",
    ),
    "mfcc at 44.1 kHz": (
        lambda: features.mfcc(_cd_copy()),
        ValueError,
        "wave " + _RATE + r"wave, 8000\)",
    ),
    "mfcc_steps at 44.1 kHz": (
        lambda: features.mfcc_steps(_cd_copy()),
        ValueError,
        "wave " + _RATE,
    ),
    "torchaudio_mfcc at 44.1 kHz": (
        lambda: features.torchaudio_mfcc(_cd_copy()),
        ValueError,
        "wave " + _RATE,
    ),
    "mfcc_agreement at 44.1 kHz": (
        lambda: features.mfcc_agreement(_cd_copy()),
        ValueError,
        "wave " + _RATE,
    ),
    "log_mel at 44.1 kHz": (
        lambda: features.log_mel(_cd_copy()),
        ValueError,
        r"waves\[0\] " + _RATE,
    ),
    "log_mel_batch at 44.1 kHz": (
        lambda: features.log_mel_batch([_signal(), _cd_copy()]),
        ValueError,
        r"waves\[1\] " + _RATE + r"waves\[1\], 8000\)",
    ),
    "spectrogram_db at 44.1 kHz": (
        lambda: features.spectrogram_db(_cd_copy(), 8000),
        ValueError,
        "wave " + _RATE,
    ),
    "log_mel_batch of an empty recording": (
        lambda: features.log_mel_batch([_signal(), []]),
        ValueError,
        r"waves\[1\] is empty: every recording must hold at least one sample",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_inputs_are_explained(case):
    call, error, message = BAD_INPUTS[case]
    with pytest.raises(error, match=message):
        call()


def test_a_recording_resampled_to_the_rate_gives_the_frames_of_that_rate():
    """The bug this check closes: a 44.1 kHz copy of a 0.5 s recording gave 314 frames instead of
    55, silently."""
    eight, cd = _signal(4000), _cd_copy(4000)
    assert len(features.mfcc(eight)) == 48 and len(features.mfcc(cd, 44100)) == 48, (
        "given its own rate, it is fine"
    )
    back = audio.resample(cd, 8000)
    assert back.sample_rate == 8000 and features.mfcc(back).shape == features.mfcc(eight).shape
    assert len(features.log_mel(back)) == len(features.log_mel(eight)) == 51


@given(st.floats(min_value=0.0, max_value=1e6, allow_nan=False))
def test_mel_to_hz_inverts_hz_to_mel(hz):
    assert features.mel_to_hz(features.hz_to_mel(hz)) == pytest.approx(hz, rel=1e-9, abs=1e-6)


@given(
    st.floats(min_value=0.0, max_value=1e5, allow_nan=False),
    st.floats(min_value=1e-3, max_value=1e4),
)
def test_hz_to_mel_is_increasing(hz, step):
    assert features.hz_to_mel(hz + step) > features.hz_to_mel(hz)


# -- spectrogram for pictures (was plots._spectrogram_db) --------------------------------------


def _old_spectrogram_db(wave, sample_rate, n_fft=256, hop=64):
    """A copy of the computation of the old ``plots._spectrogram_db``, before it moved onto
    ``audio.frames``."""
    wave = np.asarray(wave, dtype=np.float64)
    if len(wave) < n_fft:
        wave = np.pad(wave, (0, n_fft - len(wave)))
    n = 1 + (len(wave) - n_fft) // hop
    frames = wave[np.arange(n_fft)[None, :] + hop * np.arange(n)[:, None]] * np.hanning(n_fft)
    power = np.abs(np.fft.rfft(frames, axis=1)) ** 2
    db = 10 * np.log10(power + 1e-10)
    return (
        np.fft.rfftfreq(n_fft, 1 / sample_rate),
        (np.arange(n) * hop + n_fft / 2) / sample_rate,
        db.T,
    )


@pytest.mark.parametrize(
    ("n", "n_fft", "hop"), [(4000, 256, 64), (1001, 128, 50), (100, 256, 64), (256, 256, 64)]
)
def test_spectrogram_db_is_the_old_computation(n, n_fft, hop):
    wave = _signal(n, 7)
    new = features.spectrogram_db(wave, 8000, n_fft=n_fft, hop=hop)
    old = _old_spectrogram_db(wave, 8000, n_fft=n_fft, hop=hop)
    for ours, theirs in zip(new, old):
        assert ours.shape == theirs.shape and ours.dtype == theirs.dtype
        np.testing.assert_array_equal(ours, theirs)
    freqs, times, db = new
    assert (
        db.shape == (len(freqs), len(times)) == (n_fft // 2 + 1, 1 + (max(n, n_fft) - n_fft) // hop)
    )
