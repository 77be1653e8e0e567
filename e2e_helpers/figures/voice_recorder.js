// The recorder's front end (an anywidget module, for ipywidgets 7 and 8 alike).
// The microphone is read with Web Audio at the device's own rate and sent to the kernel as
// 16-bit PCM (interleaved when stereo), in chunks, then a "take" message with the rate; an
// uploaded file goes to the kernel as its bytes. The kernel checks every take and writes the
// messages shown here (the prompt and the status line). Nothing is stored in the browser.
const CHUNK_BYTES = 1 << 19;
const MAX_FILE_BYTES = 64 << 20;

function make(tag, name, text) {
  const node = document.createElement(tag);
  node.className = `e2e-recorder-${name}`;
  if (text !== undefined) node.textContent = text;
  return node;
}

function sendBytes(model, buffer) {
  for (let start = 0; start < buffer.byteLength; start += CHUNK_BYTES) {
    model.send({ type: "chunk" }, undefined, [buffer.slice(start, start + CHUNK_BYTES)]);
  }
}

function render({ model, el }) {
  const root = make("div", "root");
  root.style.cssText = "display:flex;flex-direction:column;gap:6px;padding:6px 0;";
  const prompt = make("div", "prompt");
  prompt.style.cssText = "font-size:1.15em;font-weight:bold;";
  const row = make("div", "controls");
  row.style.cssText = "display:flex;align-items:center;gap:8px;flex-wrap:wrap;";
  const record = make("button", "record", "\u25cf Record");
  const stop = make("button", "stop", "\u25a0 Stop");
  const undo = make("button", "undo", "Discard last take");
  const meter = make("div", "meter");
  meter.style.cssText = "width:160px;height:10px;border:1px solid #888;border-radius:3px;";
  const level = make("div", "level");
  level.style.cssText = "height:100%;width:0%;background:#2a9d2a;";
  meter.append(level);
  const clock = make("span", "clock", "");
  row.append(record, stop, meter, clock, undo);
  const status = make("div", "status");
  status.style.cssText = "white-space:pre-wrap;";
  const upload = make("label", "upload", "\u2026or upload a WAV file: ");
  const file = document.createElement("input");
  file.type = "file";
  file.accept = ".wav,audio/wav,audio/x-wav,audio/*";
  upload.append(file);
  root.append(prompt, row, status, upload);
  el.append(root);
  stop.disabled = true;

  const sync = () => {
    prompt.textContent = model.get("prompt");
    status.textContent = model.get("status");
    status.dataset.kind = model.get("status_kind");
    status.style.color = model.get("status_kind") === "error" ? "#c0392b" : "";
    undo.disabled = model.get("n_takes") === 0;
    root.dataset.takes = String(model.get("n_takes"));
  };
  for (const name of ["prompt", "status", "status_kind", "n_takes"]) {
    model.on(`change:${name}`, sync);
  }
  sync();

  let session = null;
  const fail = (name, message) => {
    record.disabled = false;
    clock.textContent = "";
    model.send({ type: "error", name: String(name || "Error"), message: String(message || "") });
  };
  const show = (energy, peak) => {
    const db = 10 * Math.log10(energy + 1e-10);
    level.style.width = `${Math.max(0, Math.min(100, ((db + 60) / 60) * 100))}%`;
    level.style.background = peak >= 0.99 ? "#c0392b" : "#2a9d2a";
  };

  const finish = () => {
    const s = session;
    if (!s) return;
    session = null;
    s.node.onaudioprocess = null;
    s.source.disconnect();
    s.node.disconnect();
    s.stream.getTracks().forEach((track) => track.stop());
    s.context.close();
    stop.disabled = true;
    record.disabled = false;
    clock.textContent = "";
    show(0, 0);
    const pcm = new Int16Array(s.frames * s.channels);
    let at = 0;
    for (const block of s.blocks) {
      pcm.set(block, at);
      at += block.length;
    }
    sendBytes(model, pcm.buffer);
    root.dataset.rate = String(s.context.sampleRate);
    root.dataset.deviceRate = String(s.deviceRate || "");
    root.dataset.frames = String(s.frames);
    model.send({
      type: "take",
      rate: s.context.sampleRate,
      device_rate: s.deviceRate,
      channels: s.channels,
      frames: s.frames,
      limited: s.limited,
    });
  };

  const begin = (stream) => {
    const track = stream.getAudioTracks()[0];
    const settings = track && track.getSettings ? track.getSettings() : {};
    const Context = window.AudioContext || window.webkitAudioContext;
    let context;
    try {
      context = settings.sampleRate ? new Context({ sampleRate: settings.sampleRate }) : new Context();
    } catch (err) {
      context = new Context();
    }
    const channels = Math.max(1, Math.min(2, settings.channelCount || 1));
    const source = context.createMediaStreamSource(stream);
    const node = context.createScriptProcessor(4096, channels, 1);
    const limit = Math.round(model.get("max_seconds") * context.sampleRate);
    const s = { stream, context, source, node, channels, blocks: [], frames: 0, limited: false };
    s.deviceRate = settings.sampleRate || null;
    node.onaudioprocess = (event) => {
      const input = event.inputBuffer;
      const n = Math.min(input.length, limit - s.frames);
      if (n <= 0 || session !== s) return;
      const block = new Int16Array(n * channels);
      let energy = 0;
      let peak = 0;
      for (let c = 0; c < channels; c++) {
        const data = input.getChannelData(Math.min(c, input.numberOfChannels - 1));
        for (let i = 0; i < n; i++) {
          const x = Math.max(-1, Math.min(1, data[i]));
          energy += x * x;
          peak = Math.max(peak, Math.abs(x));
          block[i * channels + c] = x < 0 ? x * 32768 : x * 32767;
        }
      }
      s.blocks.push(block);
      s.frames += n;
      show(energy / (n * channels), peak);
      const most = model.get("max_seconds");
      clock.textContent = `recording\u2026 ${(s.frames / context.sampleRate).toFixed(1)} s (at most ${most} s)`;
      if (s.frames >= limit) {
        s.limited = true;
        finish();
      }
    };
    source.connect(node);
    node.connect(context.destination);
    if (context.state === "suspended") context.resume();
    return s;
  };

  record.onclick = async () => {
    if (session) return;
    model.send({ type: "start" });
    const media = navigator.mediaDevices;
    if (!media || !media.getUserMedia) {
      fail("Unsupported", window.isSecureContext ? "no getUserMedia" : "not a secure context");
      return;
    }
    record.disabled = true;
    clock.textContent = "asking for the microphone\u2026";
    let stream;
    try {
      stream = await media.getUserMedia({
        audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false },
      });
    } catch (err) {
      fail(err && err.name, err && err.message);
      return;
    }
    try {
      session = begin(stream);
      stop.disabled = false;
      clock.textContent = "recording\u2026";
    } catch (err) {
      stream.getTracks().forEach((track) => track.stop());
      fail(err && err.name, err && err.message);
    }
  };
  stop.onclick = finish;
  undo.onclick = () => model.send({ type: "undo" });
  file.onchange = async () => {
    const chosen = file.files && file.files[0];
    file.value = "";
    if (!chosen) return;
    model.send({ type: "start" });
    if (chosen.size > MAX_FILE_BYTES) {
      fail("FileTooLarge", `${chosen.name}: ${chosen.size} bytes`);
      return;
    }
    sendBytes(model, await chosen.arrayBuffer());
    model.send({ type: "wav", name: chosen.name });
  };
  return () => {
    if (session) finish();
  };
}

export default { render };
