"""A microphone recorder for the learner's own voice, and its fallback: a WAV file.

:func:`recorder` shows a widget (an `anywidget <https://anywidget.dev>`_ module, so the same
code runs with ipywidgets 7 in Colab and 8 in JupyterLab): a record button, a level meter, a
stop button, an optional prompt ("say 'seven'", one take per prompt) and a file picker. The
browser reads the microphone with Web Audio at the device's own rate and sends 16-bit PCM to
the kernel; every take, recorded or uploaded, is checked by
:func:`~e2e_helpers.speech.own_voice.voice_recording` (silence, clipping, length, stereo,
rate), and the widget shows what was kept or why not. Where the browser cannot record (no
microphone, permission refused, a page that is not https:// or localhost) it says so and points
to the fallback, which a cell can also use without any widget: ``rec.add("take.wav")``.

The takes stay in the kernel's memory (:attr:`Recorder.takes`, at the recorded rate;
:meth:`Recorder.waves` resamples them for the 8 kHz recognisers); nothing is written to disk.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ..data import Waveform
from ..speech import DIGIT_WORDS, energy_vad, resample, voice_recording
from ..speech.own_voice import RATES

__all__ = ["recorder"]

_ESM = Path(__file__).with_name("voice_recorder.js")
#: The longest take a recorder may be set to (s): the browser holds a take in memory.
LONGEST = 300.0
#: The most bytes one take or file may bring (the front end refuses larger files itself).
_MAX_FILE_BYTES = 64 << 20
_FALLBACK = "or upload a WAV file below, or in a cell: rec.add('my_take.wav')"
#: What the browser's refusal (a DOMException's name) means, and what to do.
_BROWSER_ERRORS = {
    "NotAllowedError": "the browser was refused the microphone (permission denied): allow it "
    "for this page (the microphone or lock icon by the address bar), then press Record again",
    "NotFoundError": "no microphone was found: plug one in (or choose it in the system's sound "
    "settings), then press Record again",
    "NotReadableError": "the microphone could not be started (another program may be using "
    "it): close that program, then press Record again",
    "Unsupported": "this page cannot reach a microphone: the browser allows one only on "
    "https:// pages or localhost",
    "FileTooLarge": "the file is larger than 64 MB: a few digits need far less; cut it first",
}
_BROWSER_ERRORS |= {
    "SecurityError": _BROWSER_ERRORS["NotAllowedError"],
    "PermissionDeniedError": _BROWSER_ERRORS["NotAllowedError"],
    "OverconstrainedError": _BROWSER_ERRORS["NotFoundError"],
    "DevicesNotFoundError": _BROWSER_ERRORS["NotFoundError"],
    "AbortError": _BROWSER_ERRORS["NotReadableError"],
    "TrackStartError": _BROWSER_ERRORS["NotReadableError"],
}
_STATIC = (
    "<p><b>Recorder</b> (needs a running Python kernel and a browser with a microphone: "
    "JupyterLab, VS Code or Colab). The audio stays in the kernel's memory; nothing is written "
    "to disk. Without a recording, the cells below use a held-out FSDD recording.</p>"
)


def _browser_error(name: str, detail: str = "") -> str:
    """The message shown when the browser could not record: what happened, the fix, the
    fallback."""
    known = _BROWSER_ERRORS.get(name)
    said = f" ({name}: {detail})" if detail else f" ({name})"
    what = known or f"the browser could not record{said}"
    return f"{what[0].upper()}{what[1:]}; {_FALLBACK}."


class Recorder:
    """Takes of one voice: recorded in the widget or added from files or samples, each checked.

    *prompts* (e.g. ``["seven", "three"]``) asks for one take of each, in order;
    :attr:`labels` holds the prompt each take answered (``None`` without prompts).
    *max_seconds* bounds a take: the widget stops recording there, and a longer
    file is refused.
    """

    def __init__(self, prompts: Sequence[str] = (), *, max_seconds: float = 30.0) -> None:
        if not (isinstance(max_seconds, (int, float)) and 0 < max_seconds <= LONGEST):
            raise ValueError(
                f"max_seconds must be a positive number of seconds, at most {LONGEST:g} (the "
                f"browser holds a take in memory), got {max_seconds!r}."
            )
        self.prompts = tuple(str(p) for p in prompts)
        self.max_seconds = float(max_seconds)
        self.takes: list[Waveform] = []
        self.labels: list[str | None] = []
        self.status, self.status_kind = "", ""
        self._chunks: list[bytes] = []
        self._received = 0
        # 16-bit samples, at most 2 channels at the highest accepted rate, or a whole file
        self._max_bytes = max(_MAX_FILE_BYTES, int(self.max_seconds * RATES[1] * 2 * 2) + 4096)
        self.widget = _widget(self)
        self._refresh()

    @property
    def prompt(self) -> str | None:
        """The prompt the next take answers; ``None`` without prompts or once all are taken."""
        n = len(self.takes)
        return self.prompts[n] if n < len(self.prompts) else None

    @property
    def done(self) -> bool:
        """Whether every prompt has its take (without prompts: whether there is one take)."""
        return len(self.takes) >= max(1, len(self.prompts))

    def prompt_text(self) -> str:
        """What the widget asks for now."""
        n, total = len(self.takes), len(self.prompts)
        if not total:
            return "Press Record, say a few digits (e.g. 'three one four'), press Stop."
        if self.prompt is None:
            return f"All {total} takes recorded: run the next cell."
        return f"Say '{self.prompt}' (take {n + 1} of {total})"

    def add(
        self, source: ArrayLike | bytes | str | Path, sample_rate: int | None = None
    ) -> Waveform:
        """Check and keep one take: a WAV file's path or bytes, or samples at *sample_rate*.

        Returns the kept :class:`~e2e_helpers.data.Waveform` (at its own rate);
        raises ``ValueError`` saying what to fix (and keeps nothing) for bad input.
        """
        wave, notes = self._keep(source, sample_rate)
        for note in notes:
            warnings.warn(note, UserWarning, stacklevel=2)
        return wave

    def waves(self, rate: int = 8000, *, trim: bool = False) -> list[Waveform]:
        """Every take resampled to *rate* Hz (the recognisers' 8 kHz by default).

        With *trim*, each is cut to its spoken part (from the first to the last stretch that
        :func:`~e2e_helpers.speech.energy_vad` finds, with 50 ms either side), as FSDD's
        single words are: a model that looks at a fixed window then sees the word, not the
        pause before it.
        """
        waves = [resample(take, rate) for take in self.takes]
        if not trim:
            return waves
        spans = [energy_vad(wave, rate, pad_ms=50.0) for wave in waves]
        return [
            Waveform(wave[found[0][0] : found[-1][1]], rate) if found else wave
            for wave, found in zip(waves, spans)
        ]

    def digits(self) -> list[int]:
        """The digit of each take, from its prompt (prompts must be digit words)."""
        unknown = sorted({str(label) for label in self.labels if label not in DIGIT_WORDS})
        if unknown:
            raise ValueError(f"prompts {unknown} are not digit words {list(DIGIT_WORDS)}.")
        return [DIGIT_WORDS.index(label) for label in self.labels]

    def undo(self) -> None:
        """Drop the last take (its prompt is asked again)."""
        if self.takes:
            self.takes.pop()
            self.labels.pop()
            self._say(f"Last take discarded. {self.prompt_text()}", "ok")

    def _keep(
        self, source: Any, sample_rate: int | None, *, note: str = ""
    ) -> tuple[Waveform, list[str]]:
        if self.prompts and self.prompt is None:
            message = (
                f"all {len(self.prompts)} prompts already have a take: discard one to redo it, "
                f"or make a new recorder for more."
            )
            self._say(message, "error")
            raise ValueError(message)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                wave = voice_recording(source, sample_rate, max_seconds=self.max_seconds)
            except (ValueError, FileNotFoundError) as exc:
                self._say(f"Nothing kept: {exc}", "error")
                raise
        notes = [str(w.message) for w in caught] + ([note] if note else [])
        self.labels.append(self.prompt)
        self.takes.append(wave)
        said = f"Take {len(self.takes)}: {len(wave) / wave.sample_rate:.2f} s at "
        self._say(" ".join([f"{said}{wave.sample_rate:,} Hz.", *notes, self.prompt_text()]), "ok")
        return wave, notes

    def _say(self, text: str, kind: str) -> None:
        self.status, self.status_kind = text, kind
        self._refresh()

    def _refresh(self) -> None:
        if self.widget is not None:
            self.widget.prompt = self.prompt_text()
            self.widget.status, self.widget.status_kind = self.status, self.status_kind
            self.widget.n_takes = len(self.takes)

    def receive(self, content: dict[str, Any], buffers: Sequence[Any] = ()) -> None:
        """Handle one message from the widget's front end (``content["type"]``: ``start``,
        ``chunk``, ``take``, ``wav``, ``error`` or ``undo``)."""
        kind = content.get("type")
        if kind == "start":
            self._chunks, self._received = [], 0
            self._say("", "")
        elif kind == "chunk":
            for buffer in buffers:
                self._received += memoryview(buffer).nbytes
                if self._received <= self._max_bytes:
                    self._chunks.append(bytes(buffer))
        elif kind == "error":
            self._say(
                _browser_error(str(content.get("name")), str(content.get("message"))), "error"
            )
        elif kind == "undo":
            self.undo()
        elif kind in ("take", "wav"):
            self._take(kind, content)

    def _take(self, kind: str, content: dict[str, Any]) -> None:
        """Check and keep the bytes received since ``start``: PCM (``take``) or a file (``wav``)."""
        data, received = b"".join(self._chunks), self._received
        self._chunks, self._received = [], 0
        if received > self._max_bytes:
            self._say(
                f"Nothing kept: the browser sent {received / 2**20:.0f} MB, more than the "
                f"{self._max_bytes / 2**20:.0f} MB a take may hold. Record a shorter take.",
                "error",
            )
            return
        stopped = bool(content.get("limited"))
        limited = f"Stopped at the {self.max_seconds:g} s limit." if stopped else ""
        try:
            source = (data, None) if kind == "wav" else _pcm(data, content)
        except ValueError as exc:
            self._say(f"Nothing kept: {exc} Record again.", "error")
            return
        try:
            self._keep(*source, note=limited)
        except (ValueError, FileNotFoundError):
            pass  # _keep said why in the widget

    def _ipython_display_(self) -> None:
        from IPython.display import display

        data, metadata = {}, {}
        if self.widget is not None:  # anywidget's bundle (with Colab's widget-manager metadata)
            data, metadata = self.widget._repr_mimebundle_()
        bundle = {**data, "text/html": _STATIC, "text/plain": "a recorder (needs a live kernel)"}
        display(bundle, metadata=metadata, raw=True)


def _pcm(data: bytes, content: dict[str, Any]) -> tuple[np.ndarray, int]:
    """``(int16 samples (n, channels), rate)`` of a ``take`` message's bytes."""
    channels, rate = content.get("channels"), content.get("rate")
    if not isinstance(channels, int) or not 1 <= channels <= 8 or len(data) % (2 * channels):
        raise ValueError(f"the browser sent {len(data)} bytes for {channels!r} channels.")
    if not isinstance(rate, (int, float)) or not RATES[0] <= rate <= RATES[1]:
        raise ValueError(f"the browser recorded at {rate!r} Hz: expected {RATES[0]}-{RATES[1]}.")
    return np.frombuffer(data, dtype="<i2").reshape(-1, channels), int(rate)


@cache
def _widget_class() -> type | None:
    """The anywidget class of the recorder; ``None`` where anywidget is not installed."""
    try:
        import anywidget
        import traitlets
    except ImportError:
        return None

    class RecorderWidget(anywidget.AnyWidget):
        _esm = _ESM.read_text(encoding="utf-8")
        prompt = traitlets.Unicode("").tag(sync=True)
        status = traitlets.Unicode("").tag(sync=True)
        status_kind = traitlets.Unicode("").tag(sync=True)
        n_takes = traitlets.Int(0).tag(sync=True)
        max_seconds = traitlets.Float(30.0).tag(sync=True)

    return RecorderWidget


def _widget(owner: Recorder) -> Any:
    """The widget of *owner*, its messages handed to ``owner.receive``; ``None`` without
    anywidget."""
    cls = _widget_class()
    if cls is None:
        return None
    widget = cls(max_seconds=owner.max_seconds)
    widget.on_msg(lambda _widget, content, buffers: owner.receive(content, buffers))
    return widget


def recorder(prompts: Sequence[str] = (), *, max_seconds: float = 30.0) -> Recorder:
    """Show a recorder (one take per prompt, e.g. ``["seven", "three"]``) and return it.

    Its takes are ``rec.takes`` (at the microphone's rate) and ``rec.waves()``
    (resampled to 8 kHz); ``rec.add(path_or_bytes)`` adds a WAV file instead.
    In a static page, the widget's place shows a note that it needs a live kernel.
    """
    made = Recorder(prompts, max_seconds=max_seconds)
    made._ipython_display_()
    return made
