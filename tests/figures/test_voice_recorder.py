"""figures.voice_recorder: the recorder widget's kernel side, driven by the messages its front end
sends.

A front end sends ``custom`` messages (``start``, PCM ``chunk``s with binary buffers, then
``take`` with the rate; ``wav`` for an uploaded file; ``error`` when the browser refused);
these tests send the same frames to the widget's comm handler, in whichever ipywidgets is
installed (8 here, 7.7.1 in the Colab replica). The browser side is tests/course/test_browser.py's.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
import soundfile
from fakedata import tone

from e2e_helpers import figures
from e2e_helpers.figures import voice_recorder
from e2e_helpers.figures.voice_recorder import Recorder

pytest.importorskip("anywidget")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _pcm(rate: int = 48_000, seconds: float = 1.0, channels: int = 1) -> bytes:
    """Interleaved little-endian int16 PCM of a voiced 'word', as the front end sends it."""
    n = int(rate * seconds)
    wave = tone(220, 660, n=n, rate=rate, amplitudes=0.15)
    wave[: n // 5] = 0.0
    pcm = (wave * 32767).astype("<i2")
    return np.repeat(pcm, channels).tobytes()


def _frame(content: dict, buffers: list | None = None) -> dict:
    """A ``custom`` comm message from the front end."""
    data = {"method": "custom", "content": content}
    return {"content": {"data": data}, "buffers": [memoryview(b) for b in buffers or []]}


def _send_take(rec: Recorder, data: bytes, **content) -> None:
    widget = rec.widget
    widget._handle_msg(_frame({"type": "start"}))
    for start in range(0, len(data), 1 << 16):
        widget._handle_msg(_frame({"type": "chunk"}, [data[start : start + (1 << 16)]]))
    widget._handle_msg(_frame({"type": "take", "rate": 48_000, "channels": 1, **content}))


def test_recorder_is_the_one_public_name():
    assert figures.recorder is voice_recorder.recorder
    assert voice_recorder.__all__ == ["recorder"]


def test_recorder_shows_the_widget_with_a_static_note(displayed):
    rec = figures.recorder(["seven"])
    (bundle,), options = displayed[-1]
    assert options == {"raw": True, "metadata": {}}, "Colab's widget-manager metadata: none here"
    assert bundle[WIDGET_VIEW]["model_id"] == rec.widget.model_id
    assert "needs a running Python kernel" in bundle["text/html"]
    assert "nothing is written to disk" in bundle["text/html"]
    assert "image/png" not in bundle, "not an explorer: no picture stands in for it"


def test_the_front_end_module_ships_with_the_package():
    source = voice_recorder._ESM.read_text(encoding="utf-8")
    assert "export default" in source and "getUserMedia" in source and "Int16Array" in source
    assert Recorder().widget._esm == source


def test_a_recorded_take_arrives_at_the_device_rate_and_the_prompts_advance():
    rec = Recorder(["seven", "three"])
    assert rec.widget.prompt == "Say 'seven' (take 1 of 2)"
    _send_take(rec, _pcm(48_000))
    assert len(rec.takes) == 1 and rec.takes[0].sample_rate == 48_000
    assert len(rec.takes[0]) == 48_000
    assert rec.labels == ["seven"] and rec.prompt == "three"
    assert rec.widget.status_kind == "ok" and rec.widget.n_takes == 1
    assert rec.widget.status.startswith("Take 1: 1.00 s at 48,000 Hz.")
    assert rec.widget.prompt == "Say 'three' (take 2 of 2)"
    waves = rec.waves()
    assert waves[0].sample_rate == 8000 and len(waves[0]) == 8000


def test_trimmed_waves_keep_the_spoken_part():
    rec = Recorder()
    word = tone(220, 660, n=4000, amplitudes=0.15)  # 0.5 s of 'speech' at 8 kHz
    quiet = tone(100, n=8000, amplitudes=1e-4, noise=1e-4)  # a second of room noise
    rec.add(np.r_[quiet, word, quiet, quiet], 8000)
    (whole,), (trimmed,) = rec.waves(), rec.waves(trim=True)
    assert len(whole) == 28_000 and trimmed.sample_rate == 8000
    assert 4000 <= len(trimmed) <= 4000 + 2 * 400 + 160, "the word and about 50 ms either side"
    np.testing.assert_allclose(np.sum(trimmed**2), np.sum(word**2), rtol=0.01)


def test_stereo_and_the_limit_are_noted_in_the_widget():
    rec = Recorder(max_seconds=2)
    _send_take(rec, _pcm(channels=2), channels=2, limited=True)
    assert rec.takes[0].ndim == 1
    assert "The recording is stereo" in rec.widget.status
    assert "Stopped at the 2 s limit." in rec.widget.status
    assert rec.widget.max_seconds == 2.0


@pytest.mark.parametrize(
    ("data", "content", "message"),
    [
        (b"", {}, "is empty"),
        (np.zeros(48_000, "<i2").tobytes(), {}, "is silent"),
        (_pcm()[:-1], {}, "sent 95999 bytes for 1 channels"),
        (_pcm(), {"rate": 1000}, "recorded at 1000 Hz"),
        (_pcm(seconds=3), {}, "more than max_seconds=2"),
    ],
    ids=["empty", "silent", "odd-bytes", "rate", "too-long"],
)
def test_bad_takes_keep_nothing_and_say_why(data, content, message):
    rec = Recorder(["one"], max_seconds=2)
    _send_take(rec, data, **content)
    assert rec.takes == [] and rec.prompt == "one"
    assert rec.widget.status_kind == "error" and message in rec.widget.status


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("NotAllowedError", "refused the microphone (permission denied)"),
        ("NotFoundError", "no microphone was found"),
        ("NotReadableError", "could not be started"),
        ("Unsupported", "only on https:// pages or localhost"),
        ("TypeError", "could not record (TypeError: boom)"),
    ],
)
def test_browser_refusals_point_to_the_wav_fallback(name, words):
    rec = Recorder()
    rec.widget._handle_msg(_frame({"type": "error", "name": name, "message": "boom"}))
    assert rec.widget.status_kind == "error"
    assert words.lower() in rec.widget.status.lower()
    assert "upload a WAV file below, or in a cell: rec.add('my_take.wav')" in rec.widget.status


def test_an_uploaded_wav_goes_through_the_same_checks():
    rec = Recorder()
    out = io.BytesIO()
    wave = tone(300, n=44_100, rate=44_100, amplitudes=0.2)
    soundfile.write(out, np.stack([wave, wave], 1), 44_100, format="WAV", subtype="PCM_16")
    rec.widget._handle_msg(_frame({"type": "start"}))
    rec.widget._handle_msg(_frame({"type": "chunk"}, [out.getvalue()]))
    rec.widget._handle_msg(_frame({"type": "wav", "name": "take.wav"}))
    assert rec.takes[0].sample_rate == 44_100 and rec.labels == [None]
    assert "The uploaded file is stereo" in rec.widget.status
    rec.widget._handle_msg(_frame({"type": "chunk"}, [b"RIFF nonsense"]))
    rec.widget._handle_msg(_frame({"type": "wav", "name": "bad.wav"}))
    assert "not a readable sound file" in rec.widget.status and len(rec.takes) == 1


def test_add_is_the_fallback_without_a_browser(tmp_path):
    rec = Recorder(["seven", "three"])
    path = tmp_path / "seven.wav"
    soundfile.write(path, tone(200, n=16_000, rate=16_000, amplitudes=0.2), 16_000)
    assert rec.add(path).sample_rate == 16_000
    with pytest.warns(UserWarning, match="stereo"):
        rec.add(np.zeros((8000, 2)) + tone(200, n=8000)[:, None], 8000)
    assert rec.digits() == [7, 3] and rec.done
    with pytest.raises(ValueError, match="all 2 prompts already have a take"):
        rec.add(path)
    with pytest.raises(ValueError, match="is silent"):
        Recorder().add(np.zeros(8000), 8000)


def test_undo_asks_the_prompt_again():
    rec = Recorder(["seven", "three"])
    rec.add(tone(200, n=8000, amplitudes=0.2), 8000)
    rec.widget._handle_msg(_frame({"type": "undo"}))
    assert rec.takes == [] and rec.prompt == "seven"
    assert rec.widget.status.startswith("Last take discarded. Say 'seven'")
    assert rec.widget.n_takes == 0


def test_digits_need_digit_prompts():
    rec = Recorder(["hello"])
    rec.add(tone(200, n=8000, amplitudes=0.2), 8000)
    with pytest.raises(ValueError, match=r"prompts \['hello'\] are not digit words"):
        rec.digits()


def test_without_anywidget_the_fallback_still_works(monkeypatch, displayed):
    monkeypatch.setattr(voice_recorder, "_widget_class", lambda: None)
    rec = figures.recorder(["one"])
    assert rec.widget is None
    (bundle,), _ = displayed[-1]
    assert WIDGET_VIEW not in bundle and "needs a running Python kernel" in bundle["text/html"]
    rec.add(tone(200, n=8000, amplitudes=0.2), 8000)
    assert rec.status.startswith("Take 1: 1.00 s at 8,000 Hz.") and rec.done


@pytest.mark.parametrize("seconds", [0, -1, 301, 600.0, "30"])
def test_max_seconds_must_be_positive_and_bounded(seconds):
    with pytest.raises(ValueError, match="max_seconds must be a positive number of seconds, at mo"):
        Recorder(max_seconds=seconds)


def test_more_bytes_than_a_take_may_hold_are_dropped_with_a_message():
    rec = Recorder(max_seconds=1)
    rec._max_bytes = 1000  # as if a front end sent far more than a 1-s take
    _send_take(rec, _pcm(48_000, seconds=0.5))
    assert rec.takes == [] and rec.widget.status_kind == "error"
    assert "more than the 0 MB a take may hold" in rec.widget.status
    _send_take(rec, b"")  # the next take starts afresh
    assert "is empty" in rec.widget.status


def test_in_colab_the_bundle_carries_the_custom_widget_manager(monkeypatch, displayed):
    """anywidget's own metadata goes with the display (Colab renders custom widgets with it)."""
    rec = Recorder()
    metadata = {WIDGET_VIEW: {"colab": {"custom_widget_manager": {"url": "https://x"}}}}
    data = {WIDGET_VIEW: {"model_id": rec.widget.model_id}, "text/plain": "w"}
    monkeypatch.setattr(rec.widget, "_repr_mimebundle_", lambda **_: (data, metadata))
    rec._ipython_display_()
    (bundle,), options = displayed[-1]
    assert (
        options["metadata"] == metadata and "needs a running Python kernel" in bundle["text/html"]
    )
