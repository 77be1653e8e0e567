"""speech.audio: noise, voice activity, framing, augmentation; read_wav re-exported from data."""

from __future__ import annotations

import numpy as np
import pytest
from fakedata import tone

from e2e_helpers import data, speech
from e2e_helpers.speech import audio
from e2e_helpers.speech.audio import add_noise, energy_vad, frame_energy_db


def test_read_wav_is_the_data_one_re_exported():
    assert speech.read_wav is audio.read_wav is data.read_wav
    assert "read_wav" in audio.__all__ and "read_wav" in speech.__all__


# ------------------------------------------------------------------ noise and voice activity


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
    framed = audio.frames(np.arange(10.0), frame=4, hop=3)
    assert framed.tolist() == [[0, 1, 2, 3], [3, 4, 5, 6], [6, 7, 8, 9]]
    framed[0, 3] = -1.0  # a new array: the overlapping frames do not share samples
    assert framed[1, 0] == 3.0
    assert audio.frames(np.arange(3.0), frame=4, hop=1).shape == (0, 4), "shorter than a frame"
    with pytest.raises(ValueError, match="hop must be a positive int, got 0"):
        audio.frames(np.arange(10.0), frame=4, hop=0)


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
    wave = tone(500, n=rate, rate=rate, amplitudes=1.0)
    faster = audio.speed_perturb(wave, 1.25, rate)
    assert len(faster) == pytest.approx(len(wave) / 1.25, abs=2)
    peak = np.argmax(np.abs(np.fft.rfft(faster))) * rate / len(faster)
    assert peak == pytest.approx(625, abs=5)  # 500 Hz played 1.25x faster
    np.testing.assert_array_equal(audio.speed_perturb(wave, 1.0, rate), wave)
    with pytest.raises(
        ValueError, match=r"factor must be a finite number in \[0.5, 2.0\], got 3.0"
    ):
        audio.speed_perturb(wave, 3.0, rate)
    with pytest.raises(ValueError, match="1-D array"):
        audio.speed_perturb(np.zeros((2, 5)), 1.1)


def test_augment_is_reproducible_and_varied():
    pytest.importorskip(
        "torchaudio", reason="augment's speed perturbation resamples with torchaudio"
    )
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


# -- bad samples are refused where they enter -----------------------------------

# 4,357 samples, the last NaN
_NAN_WAVE = np.r_[np.sin(np.arange(4356) * 0.05), np.nan].astype(np.float32)
_NAN_MESSAGE = (
    r"wave holds 1 non-finite sample \(1 NaN, 0 inf\) of 4357, the first at index 4356: replace "
    r"them, e\.g\. with np\.nan_to_num\(wave\)"
)
_INF_WAVE = np.r_[np.inf, np.zeros(99), -np.inf]
_INF_MESSAGE = r"wave holds 2 non-finite samples \(0 NaN, 2 inf\) of 101, the first at index 0"
_SHAPE_MESSAGE = r"wave must be a 1-D array of samples \(one mono recording\), got shape \(2, 3\)"

AUDIO_CALLS = {
    "add_noise": lambda wave: add_noise(wave, 10.0, rng=0),
    "frame_energy_db": frame_energy_db,
    "energy_vad": energy_vad,
    "time_shift": lambda wave: audio.time_shift(wave, 80),
    "speed_perturb": lambda wave: audio.speed_perturb(wave, 1.1),
    "augment": lambda wave: audio.augment(wave, 0),
}


@pytest.mark.parametrize(
    "wave, message",
    [(_NAN_WAVE, _NAN_MESSAGE), (_INF_WAVE, _INF_MESSAGE), (np.zeros((2, 3)), _SHAPE_MESSAGE)],
    ids=["NaN", "inf", "2-D"],
)
@pytest.mark.parametrize("call", sorted(AUDIO_CALLS))
def test_bad_samples_are_refused_by_every_audio_function(call, wave, message):
    if call in ("speed_perturb", "augment"):
        pytest.importorskip("torchaudio", reason="speed perturbation resamples with torchaudio")
    with pytest.raises(ValueError, match=message):
        AUDIO_CALLS[call](wave)


def test_check_wave_is_the_data_one_re_exported():
    assert speech.check_wave is audio.check_wave is data.check_wave
    assert "check_wave" in audio.__all__ and "check_wave" in speech.__all__


# -- the sample rate travels with the audio -------------------------------------

_CD_WAVE = audio.Waveform(tone(440, n=4410, rate=44100), 44100)  # 0.1 s at 44.1 kHz
_RATE_MESSAGE = (
    r"wave is sampled at 44100 Hz, but 8000 Hz is expected here \(sample_rate=8000\): "
    r"resample it first, e\.g\. speech\.resample\(wave, 8000\)"
)

RATE_CALLS = {
    "frame_energy_db": frame_energy_db,
    "energy_vad": energy_vad,
    "speed_perturb": lambda wave: audio.speed_perturb(wave, 1.1),
    "augment": lambda wave: audio.augment(wave, 0),
}


@pytest.mark.parametrize("call", sorted(RATE_CALLS))
def test_a_waveform_at_another_rate_is_refused(call):
    if call in ("speed_perturb", "augment"):
        pytest.importorskip("torchaudio", reason="speed perturbation resamples with torchaudio")
    with pytest.raises(ValueError, match=_RATE_MESSAGE):
        RATE_CALLS[call](_CD_WAVE)
    # the same samples as a plain array: the rate is unknown, taken as given
    RATE_CALLS[call](np.asarray(_CD_WAVE))


def test_waveform_and_resample_are_exported_with_the_audio_functions():
    assert speech.Waveform is audio.Waveform is data.Waveform
    assert {"Waveform", "resample"} <= set(audio.__all__) & set(speech.__all__)


KEEP_RATE = {
    "add_noise": lambda wave: add_noise(wave, 20.0, rng=0),
    "time_shift": lambda wave: audio.time_shift(wave, -30),
    "speed_perturb": lambda wave: audio.speed_perturb(wave, 0.9, 16000),
    "augment": lambda wave: audio.augment(wave, 1, 16000),
}


@pytest.mark.parametrize("call", sorted(KEEP_RATE))
def test_augmentations_keep_the_rate_of_their_input(call):
    if call in ("speed_perturb", "augment"):
        pytest.importorskip("torchaudio", reason="speed perturbation resamples with torchaudio")
    plain = tone(300, n=1600, rate=16000)
    wave = audio.Waveform(plain, 16000)
    out, out_plain = KEEP_RATE[call](wave), KEEP_RATE[call](plain)
    assert isinstance(out, audio.Waveform) and out.sample_rate == 16000 and out.dtype == np.float32
    assert type(out_plain) is np.ndarray, "a plain array in, a plain array out"
    np.testing.assert_array_equal(out, out_plain)


def test_resample_gives_the_length_and_rate_asked_for():
    pytest.importorskip("torchaudio", reason="resample uses torchaudio")
    eight = audio.resample(_CD_WAVE, 8000)
    assert (
        isinstance(eight, audio.Waveform)
        and eight.sample_rate == 8000
        and eight.dtype == np.float32
    )
    assert len(eight) == 800, "0.1 s at 8 kHz"
    peak = np.argmax(np.abs(np.fft.rfft(eight))) * 8000 / len(eight)
    assert peak == pytest.approx(440, abs=10), "the same tone"
    assert frame_energy_db(eight).shape == (9,), "and now the 8 kHz functions take it"
    plain = audio.resample(np.asarray(_CD_WAVE), 16000, from_rate=44100)
    assert plain.sample_rate == 16000 and len(plain) == 1600
    same = audio.resample(eight, 8000)
    np.testing.assert_array_equal(same, eight)
    assert not np.shares_memory(same, eight), "a copy, even at the same rate"
    with pytest.raises(
        ValueError,
        match=r"rate of a plain array is unknown: pass it, e\.g\. resample\(wave, 8000, "
        r"from_rate=44100\)",
    ):
        audio.resample(np.zeros(100), 8000)
    with pytest.raises(ValueError, match=r"sampled at 44100 Hz, not from_rate=8000"):
        audio.resample(_CD_WAVE, 8000, from_rate=8000)
    with pytest.raises(ValueError, match=r"sample_rate must be a positive int, got 0"):
        audio.resample(_CD_WAVE, 0)
