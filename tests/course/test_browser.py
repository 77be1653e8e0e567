"""The course where learners run it: JupyterLab in a real (headless) browser, and the rendered site.

A JupyterLab server from this environment serves a temporary copy of
``notebooks/`` (the committed notebooks are never touched); Debian's Chromium,
driven by playwright, opens every course notebook, runs all cells in fast mode
and checks that no cell fails, that the ipywidgets explorers and tqdm bars
really render, and that the notebook's own kernelspec (this environment's
Python) ran it. The voice recorder is driven with Chromium's fake microphone playing a
digit string made of FSDD test recordings: record, stop, and the kernel must hold that audio at
the rate the page recorded at; a refused microphone must point to the WAV fallback.
Screenshots go to ``test-artifacts/browser/``.

Skipped, with the reason, where the playwright package or Chromium at
``/usr/bin/chromium`` is missing (``.ci/run`` installs Chromium); a browser is
never downloaded.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import nbformat
import numpy as np
import pytest
import soundfile

from e2e_helpers.course import colab, notebook_runner, site

ROOT = Path(__file__).resolve().parents[2]
COURSE = notebook_runner.notebook_paths(ROOT / "notebooks")
ARTIFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
RUN_SECONDS = 600  # one notebook's run-all in fast mode (10-60 s on a quiet 2-core machine)
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# JupyterLab's user settings for the test: no news or update checks (no network, no
# opt-in toast), and every cell kept in the page so that its outputs can be inspected.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
}

pytestmark = pytest.mark.browser


def _unavailable(reason: str) -> None:
    """Skip, saying why; with E2E_REQUIRE_BROWSER=1 (set by .ci/run) fail instead, so CI never skips
    silently."""
    if os.environ.get("E2E_REQUIRE_BROWSER") == "1":
        pytest.fail(f"E2E_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


def _sync_playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        _unavailable(
            f"the playwright package is not installed ({exc}): pip install -c constraints.txt -e "
            f"'.[test]'"
        )
    if not CHROMIUM.is_file():
        _unavailable(
            f"no Chromium at {CHROMIUM}: install Debian's `chromium` package (`.ci/run` does, as "
            f"root)"
        )
    return sync_playwright


@pytest.fixture(scope="module")
def driver() -> Iterator:
    """Playwright, started once for the browsers of this module (it cannot be started twice)."""
    sync_playwright = _sync_playwright()
    with sync_playwright() as started:
        yield started


@pytest.fixture(scope="module")
def browser(driver) -> Iterator:
    """Headless Chromium from the system (never a downloaded browser)."""
    chromium = driver.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )
    yield chromium
    chromium.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get_json(url: str):
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (localhost)
        return json.load(response)


class Lab:
    """A running JupyterLab server on 127.0.0.1 serving *root*."""

    def __init__(self, root: Path, port: int, token: str, process: subprocess.Popen, log: Path):
        self.root, self.port, self.token, self.process, self.log = root, port, token, process, log

    def url(self, path: str) -> str:
        sep = "&" if "?" in path else "?"
        return f"http://127.0.0.1:{self.port}/{path}{sep}token={self.token}"

    def api(self, path: str):
        return _get_json(self.url(f"api/{path}"))


@pytest.fixture(scope="module")
def lab(tmp_path_factory, browser, real_data_root) -> Iterator[Lab]:
    """JupyterLab from this environment on a free port, with a token, on a copy of notebooks/."""
    base = tmp_path_factory.mktemp("lab")
    root = base / "notebooks"
    shutil.copytree(ROOT / "notebooks", root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    jupyter = {
        name: base / name.lower()
        for name in (
            "JUPYTER_PATH",
            "JUPYTER_CONFIG_DIR",
            "JUPYTER_DATA_DIR",
            "JUPYTER_RUNTIME_DIR",
            "JUPYTERLAB_SETTINGS_DIR",
            "JUPYTERLAB_WORKSPACES_DIR",
            "IPYTHONDIR",
        )
    }
    for plugin, values in LAB_SETTINGS.items():
        path = jupyter["JUPYTERLAB_SETTINGS_DIR"] / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    # The notebooks' kernelspec "python3", pointing at this environment's Python
    # (JUPYTER_PATH comes first in Jupyter's search path).
    spec = jupyter["JUPYTER_PATH"] / "kernels" / "python3" / "kernel.json"
    spec.parent.mkdir(parents=True)
    spec.write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Python 3 (course environment)",
                "language": "python",
            }
        )
    )
    env = {**os.environ, **{k: str(v) for k, v in jupyter.items()}}
    # What the kernels inherit: fast mode, offline, the real data folder.
    env.update(E2E_FAST="1", E2E_OFFLINE="1", E2E_DATA_DIR=str(real_data_root))
    env.pop("E2E_RESULTS_DIR", None)
    port, token = _free_port(), secrets.token_hex(16)
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        "--LabApp.expose_app_in_browser=True",
    ]
    if hasattr(os, "getuid") and os.getuid() == 0:
        command.append("--allow-root")
    log = base / "jupyterlab.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(command, env=env, cwd=root, stdout=out, stderr=subprocess.STDOUT)
    server = Lab(root, port, token, process, log)
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                pytest.fail(
                    f"JupyterLab exited with {process.returncode}:\n{log.read_text()[-3000:]}"
                )
            try:
                server.api("status")
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not answer in 120 s:\n{log.read_text()[-3000:]}")
                time.sleep(0.5)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        (ARTIFACTS / "jupyterlab.log").parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(log, ARTIFACTS / "jupyterlab.log")


# JavaScript run in the page (JupyterLab exposes its application as window.jupyterapp).
_NOTEBOOK_READY = """() => {
    const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
    const session = panel && panel.sessionContext && panel.sessionContext.session;
    const kernel = session && session.kernel;
    return !!(panel && panel.content && panel.context.isReady && kernel
              && kernel.status === 'idle');
}"""
_RUN_ALL = """() => {
    window.e2eRun = undefined;
    window.jupyterapp.commands.execute('notebook:run-all-cells').then(
        ok => { window.e2eRun = String(ok); }, err => { window.e2eRun = 'failed: ' + err; });
}"""
_RUN_FINISHED = """() => {
    if (window.e2eRun === undefined) return false;
    const panel = window.jupyterapp.shell.currentWidget;
    const kernel = panel.sessionContext.session.kernel;
    const pending = panel.content.widgets.filter(
        cell => cell.model.type === 'code' && cell.model.sharedModel.getSource().trim()
                && cell.model.executionCount === null);
    return kernel.status === 'idle' && pending.length === 0;
}"""
_SAVE = "() => window.jupyterapp.commands.execute('docmanager:save')"
_KERNEL = """() => {
    const k = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
    return [k.name, k.id];
}"""


def _dismiss_dialogs(page) -> None:
    """Accept JupyterLab's dialogs (kernel selection keeps the notebook's own kernel) and close
    toasts."""
    for selector in (
        ".jp-Dialog .jp-mod-accept",
        ".Toastify__toast .jp-toast-dismiss",
        ".Toastify__close-button",
    ):
        for button in page.locator(selector).all():
            if button.is_visible():
                button.click()


def _wait(page, script: str, seconds: float) -> None:
    """Wait until *script* is true, dismissing any dialog or toast that comes up meanwhile."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(script):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {seconds:.0f} s waiting for {script[:80]!r}")
        _dismiss_dialogs(page)
        page.wait_for_timeout(500)


def _kernel_python(kernel_id: str) -> str | None:
    """The executable of the kernel process with *kernel_id* (Linux /proc), or None where that
    cannot be seen."""
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            argv = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if any(f"kernel-{kernel_id}.json".encode() in arg for arg in argv):
            return argv[0].decode()
    return None


def _expected(path: Path) -> tuple[int, bool]:
    """From the committed notebook: how many explorers (widgets with a PNG stand-in) and whether
    tqdm bars show."""
    nb = nbformat.read(path, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    views = [o.get("data", {}) for o in outputs if WIDGET_VIEW in o.get("data", {})]
    explorers = sum("image/png" in data for data in views)
    tqdm = any(re.search(r"\d+%\|.*\| \d+/\d+", data.get("text/plain", "")) for data in views)
    return explorers, tqdm


def _screenshot_full(page, path: Path) -> None:
    """The whole notebook in one picture: the window made as tall as the notebook's scrolled
    content."""
    page.evaluate(
        "() => { window.jupyterapp.shell.collapseLeft(); window.jupyterapp.shell.collapseRight(); }"
    )
    page.evaluate(
        "() => document.querySelectorAll('.jp-WindowedPanel-outer').forEach(e => { e.scrollTop = "
        "0; })"
    )
    height = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('.jp-WindowedPanel-outer, "
        ".jp-Notebook')].map(e => e.scrollHeight))"
    )
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": min(int(height) + 200, 30000)})
    page.wait_for_timeout(1000)
    page.screenshot(path=str(path))
    page.set_viewport_size(size)


@pytest.mark.timeout(RUN_SECONDS + 300)
@pytest.mark.parametrize("path", COURSE, ids=[p.stem for p in COURSE])
def test_notebook_runs_in_jupyterlab(path, lab, browser):
    """Run all cells in JupyterLab: no errors, explorers and tqdm bars render as widgets."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    spec = lab.api("kernelspecs")["kernelspecs"]["python3"]["spec"]
    assert spec["argv"][0] == sys.executable, "the notebooks' kernel is this environment's Python"
    explorers, tqdm = _expected(path)

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    messages: list[str] = []
    page.on(
        "console", lambda m: messages.append(f"{m.type}: {m.text}") if m.type == "error" else None
    )
    try:
        start = time.monotonic()
        page.goto(lab.url(f"lab/tree/{path.name}?reset"), timeout=120_000)
        _wait(page, _NOTEBOOK_READY, 180)
        name, kernel_id = page.evaluate(_KERNEL)
        assert name == "python3"
        assert _kernel_python(kernel_id) in (None, sys.executable), (
            "the kernel runs this environment's Python"
        )
        page.evaluate(_RUN_ALL)
        _wait(page, _RUN_FINISHED, RUN_SECONDS)
        seconds = time.monotonic() - start
        page.evaluate(_SAVE)

        saved = nbformat.read(lab.root / path.name, as_version=4)
        errors = [
            o
            for c in saved.cells
            if c.cell_type == "code"
            for o in c.get("outputs", [])
            if o.output_type == "error"
        ]
        if any(e.ename == "DataUnavailableError" for e in errors):
            pytest.skip(f"{path.name} needs data that is not here (offline): {errors[0].evalue}")
        _screenshot_full(page, ARTIFACTS / f"{path.stem}.png")
        assert errors == [], f"{path.name}: error outputs {[(e.ename, e.evalue) for e in errors]}"
        assert page.evaluate("() => window.e2eRun") == "true"
        assert notebook_runner.problems(saved) == [], "run top to bottom, no widget state saved"

        text = page.locator(".jp-Notebook").inner_text()
        for bad in ("Error displaying widget", "model not found", "Traceback"):
            assert bad.lower() not in text.lower(), f"{path.name} shows {bad!r}"
        # each displayed widget's root view
        views = page.locator(".jp-OutputArea-output > .jupyter-widgets")
        assert views.count() >= explorers + tqdm, (
            f"{views.count()} widgets rendered, {explorers + tqdm} expected at least"
        )
        sliders = page.locator(".jp-Notebook .widget-slider")
        assert sliders.count() >= explorers, (
            f"{explorers} explorers expected, {sliders.count()} sliders rendered"
        )
        if explorers:
            explorer = views.filter(has=page.locator(".widget-slider")).first
            pictures = explorer.locator("img")
            assert pictures.count() > 0, "the explorer shows its picture"
            assert pictures.first.evaluate("img => img.complete && img.naturalWidth > 0"), (
                "the explorer's picture loaded"
            )
            explorer.scroll_into_view_if_needed()
            explorer.screenshot(path=str(ARTIFACTS / f"{path.stem}-explorer.png"))
        bars = page.locator(".jp-Notebook .widget-hprogress")
        if tqdm:
            assert bars.count() > 0, "tqdm progress bars render as widgets"
            row = views.filter(has=page.locator(".widget-hprogress")).first
            assert "100%" in row.inner_text(), f"the first tqdm bar finished: {row.inner_text()!r}"
            row.scroll_into_view_if_needed()
            row.screenshot(path=str(ARTIFACTS / f"{path.stem}-tqdm.png"))
        print(
            f"{path.name}: ran in JupyterLab in {seconds:.0f} s, {views.count()} widget views, "
            f"{sliders.count()} sliders, {bars.count()} progress bars"
        )
    except BaseException as exc:  # a failure or a timeout, not a skip: keep what the page showed
        if not isinstance(exc, pytest.skip.Exception):
            page.screenshot(path=str(ARTIFACTS / f"{path.stem}-failure.png"))
            (ARTIFACTS / f"{path.stem}-console.txt").write_text("\n".join(messages))
            (ARTIFACTS / f"{path.stem}-failure.html").write_text(page.content())
        raise
    finally:
        context.close()


@pytest.mark.timeout(300)
def test_notebook_without_kernelspec_gets_this_python(lab, browser):
    """JupyterLab asks which kernel a notebook without a kernelspec should use; the default is this
    environment."""
    nb = nbformat.v4.new_notebook()  # no kernelspec in its metadata
    nb.cells = [nbformat.v4.new_code_cell("import sys\nprint(sys.executable)")]
    nbformat.write(nb, lab.root / "scratch.ipynb")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(lab.url("lab/tree/scratch.ipynb?reset"), timeout=120_000)
        _wait(page, _NOTEBOOK_READY, 180)  # accepts the kernel dialog
        page.evaluate(_RUN_ALL)
        _wait(page, _RUN_FINISHED, 120)
        page.evaluate(_SAVE)
        saved = nbformat.read(lab.root / "scratch.ipynb", as_version=4)
        assert saved.metadata.kernelspec.name == "python3"
        assert saved.cells[0].outputs[0].text.strip() == sys.executable
    finally:
        context.close()
        (lab.root / "scratch.ipynb").unlink(missing_ok=True)


@pytest.mark.timeout(600)
def test_course_site_in_the_browser(tmp_path, browser):
    """``make site``'s pages open from disk: the index links every notebook, a notebook page shows
    its
    pictures, navigation and Colab button, and the search finds a notebook."""
    if not COURSE:
        pytest.skip("notebooks/ holds no course notebooks yet")
    out = tmp_path / "site"
    site.build(COURSE, ROOT / "results" / "results.json", out)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    try:
        page.goto((out / "index.html").as_uri())
        links = page.locator("main h2 a.reference.internal")
        assert links.count() == len(COURSE), "the index links every notebook"
        assert page.locator("nav.bd-links a").count() >= len(COURSE) + 1, (
            "the side bar lists the pages"
        )
        page.screenshot(path=str(ARTIFACTS / "site-index.png"), full_page=True)
        links.first.click()
        page.wait_for_load_state("load")
        assert page.url.endswith(f"/notebooks/{COURSE[0].stem}.html")
        images = page.locator("main .cell_output img")
        assert images.count() > 0
        loaded = images.evaluate_all(
            "imgs => imgs.every(img => img.complete && img.naturalWidth > 0)"
        )
        assert loaded, "every output picture (figures, explorers' static pictures) loads offline"
        hrefs = page.locator("a[href*='colab.research.google.com/github']").evaluate_all(
            "as => as.map(a => a.href)"
        )
        assert colab.notebook_url(COURSE[0].stem) in hrefs, "the page's Open-in-Colab button"
        page.screenshot(path=str(ARTIFACTS / f"site-{COURSE[0].stem}.png"))
        page.goto((out / "search.html").as_uri() + "?q=spectrogram")
        found = page.locator("#search-results li a")
        found.first.wait_for(timeout=60_000)
        targets = found.evaluate_all("as => as.map(a => a.getAttribute('href'))")
        assert any("02_speech_recognition" in target for target in targets), targets
        page.screenshot(path=str(ARTIFACTS / "site-search.png"))
        found.first.click()
        page.wait_for_load_state("load")
        assert "/notebooks/" in page.url, "a search result opens a notebook page"
        page.goto((out / "results.html").as_uri())
        cells = page.locator("main td").all_inner_texts()
        raw = re.compile(r"-1(?![\d.])|crossover_|cnn_")  # a -1 sentinel, not -1.5 points
        assert cells and not any(raw.match(cell.strip()) for cell in cells), (
            "the results page shows labels and units, not raw names or -1"
        )
        page.screenshot(path=str(ARTIFACTS / "site-results.png"), full_page=True)
    finally:
        page.close()


# ------------------------------------------------------------------ the voice recorder
# Chromium's fake microphone plays a WAV file (looped) to getUserMedia; the page's recorder
# widget sends what it captured to the kernel, which the test then compares with the file.
PLAYED_DIGITS, PLAYED_SPEAKER, PLAYED_RATE = (3, 1, 4), "jackson", 48_000
RECORD_SECONDS = 8.0  # two passes of the file: one whole pass lies in any such window
_RECORDER = "from e2e_helpers import figures, speech\nrec = figures.recorder(max_seconds=20)"
_RECEIVED = """import json
import numpy as np
take = rec.takes[0]
np.save("received.npy", np.asarray(take))
print(json.dumps({"rate": take.sample_rate, "seconds": len(take) / take.sample_rate,
                  "takes": len(rec.takes), "status": rec.status}))"""
# Both of notebook 02's recognisers, trained quickly (a quarter of the fitting recordings, 300
# strings: a minute or two), transcribe one whole pass of the looped file, found in the take by
# the test (its start, in seconds, is written to pass.json before this cell runs).
_TRANSCRIBE = """from e2e_helpers import data
fsdd = data.load("fsdd", progress=False)
corpus = speech.digit_corpus(fsdd, n_strings=300, n_validation_strings=10, n_test_strings=10,
                             every=4)
X, y = corpus.training_set()
hmm = speech.PhoneHMMRecognizer(units="word", n_components=8, normalization="global").fit(X, y)
ctc = speech.CTCRecognizer(epochs=8, hidden=64, lr=3e-3, random_state=0).fit(X, y)
start, seconds = json.load(open("pass.json"))
one_pass = take[int(start * take.sample_rate) : int((start + seconds) * take.sample_rate)]
first = speech.resample(one_pass, 8000)
said = {"traditional": hmm.predict([first])[0], "end-to-end": ctc.predict([first])[0]}
print(json.dumps(said))"""
_REFUSED = "from e2e_helpers import figures\nrefused = figures.recorder()"
_RUN_CELL = """index => {
    window.e2eRun = undefined;
    const panel = window.jupyterapp.shell.currentWidget;
    panel.content.activeCellIndex = index;
    window.jupyterapp.commands.execute('notebook:run-cell').then(
        ok => { window.e2eRun = String(ok); }, err => { window.e2eRun = 'failed: ' + err; });
}"""
_CELL_DONE = """index => {
    if (window.e2eRun === undefined) return false;
    const panel = window.jupyterapp.shell.currentWidget;
    const cell = panel.content.widgets[index];
    return panel.sessionContext.session.kernel.status === 'idle'
        && cell.model.executionCount !== null;
}"""
_REJECT_MICROPHONE = """navigator.mediaDevices.getUserMedia = () =>
    Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));"""


def _played_wav(path: Path, data_root: Path) -> np.ndarray:
    """A digit string of FSDD test recordings (takes 0), at 48 kHz 16-bit PCM, written to *path*."""
    from e2e_helpers import speech
    from e2e_helpers.speech.digit_strings import join_recordings

    files = [
        data_root / "fsdd" / "recordings" / f"{d}_{PLAYED_SPEAKER}_0.wav" for d in PLAYED_DIGITS
    ]
    if not all(f.is_file() for f in files):
        pytest.skip(f"FSDD is not in {data_root}: the fake microphone plays its test recordings")
    waves = [speech.read_wav(f)[0] for f in files]
    # half a second of pause either side, and faint noise (30 dB below the speech) throughout, as
    # a room and a microphone give (and as the recognisers' training strings have)
    string = join_recordings(
        waves, PLAYED_DIGITS, 0, edge_s=(0.5, 0.5), gain=(0.6, 0.6), snr_db=30.0
    )
    wave = speech.resample(string.wave, PLAYED_RATE, from_rate=8000)
    soundfile.write(path, wave, PLAYED_RATE, subtype="PCM_16")
    return np.asarray(wave)


def _best_match(heard: np.ndarray, heard_rate: int, played: np.ndarray) -> tuple[float, float]:
    """Where one whole pass of *played* lies in *heard* (its start, in seconds) and how well it
    matches there (the normalised correlation, 1 for a copy), both compared at 8 kHz."""
    from scipy.signal import correlate

    from e2e_helpers import speech

    heard = np.asarray(speech.resample(heard, 8000, from_rate=heard_rate), dtype=np.float64)
    played = np.asarray(speech.resample(played, 8000, from_rate=PLAYED_RATE), dtype=np.float64)
    n = len(played)
    if len(heard) < n:
        return 0.0, 0.0
    dot = correlate(heard, played, mode="valid")
    local = np.sqrt(np.convolve(heard**2, np.ones(n), mode="valid"))
    match = dot / (np.linalg.norm(played) * local + 1e-9)
    best = int(np.argmax(match))
    return float(match[best]), best / 8000


@pytest.fixture(scope="module")
def microphone(driver, tmp_path_factory, real_data_root) -> Iterator:
    """Headless Chromium whose microphone plays a digit string from FSDD, and that string."""
    path = tmp_path_factory.mktemp("microphone") / "played.wav"
    played = _played_wav(path, real_data_root)
    args = [
        *CHROMIUM_ARGS,
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={path}",
        "--autoplay-policy=no-user-gesture-required",
    ]
    chromium = driver.chromium.launch(executable_path=str(CHROMIUM), args=args, headless=True)
    yield chromium, played
    chromium.close()


def _cell_text(page, lab: Lab, index: int) -> str:
    """The printed output of cell *index* of recorder.ipynb, read from the saved notebook."""
    page.evaluate(_SAVE)
    page.wait_for_timeout(1000)
    saved = nbformat.read(lab.root / "recorder.ipynb", as_version=4)
    return "".join(o.get("text", "") for o in saved.cells[index].outputs)


def _open_and_run(page, lab: Lab, name: str, cells: list[str], run: int) -> None:
    """Write a notebook of *cells*, open it in JupyterLab and run its cell *run*."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, lab.root / name)
    page.goto(lab.url(f"lab/tree/{name}?reset"), timeout=120_000)
    _wait(page, _NOTEBOOK_READY, 180)
    page.evaluate(_RUN_CELL, run)
    _wait(page, f"() => ({_CELL_DONE})({run})", 120)


@pytest.mark.timeout(600)
def test_recorder_hands_the_fake_microphone_to_the_kernel(lab, microphone):
    """Record and stop in JupyterLab: the kernel holds the played digits at the device's rate, and
    both recognisers transcribe them."""
    from e2e_helpers import speech

    chromium, played = microphone
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        cells = [_RECORDER, _RECEIVED, _TRANSCRIBE]
        _open_and_run(page, lab, "recorder.ipynb", cells, 0)
        widget = page.locator(".e2e-recorder-root")
        widget.wait_for(timeout=60_000)
        page.locator(".e2e-recorder-record").click()
        page.locator(".e2e-recorder-stop:not([disabled])").wait_for(timeout=30_000)
        page.wait_for_timeout(int(RECORD_SECONDS * 1000))
        page.locator(".e2e-recorder-stop").click()
        status = page.locator(".e2e-recorder-status")
        page.wait_for_function(
            "() => /Take 1|Nothing kept/.test("
            "document.querySelector('.e2e-recorder-status').textContent)",
            timeout=60_000,
        )
        shown = status.inner_text()
        widget.screenshot(path=str(ARTIFACTS / "recorder.png"))
        assert shown.startswith("Take 1:"), shown
        browser_rate = int(widget.get_attribute("data-rate"))
        device_rate = widget.get_attribute("data-device-rate")
        page.evaluate(_RUN_CELL, 1)
        _wait(page, f"() => ({_CELL_DONE})(1)", 120)
        heard = np.load(lab.root / "received.npy")
        rate = int(json.loads(_cell_text(page, lab, 1))["rate"])
        match, start = _best_match(heard, rate, played)
        (lab.root / "pass.json").write_text(json.dumps([start, len(played) / PLAYED_RATE]))
        page.evaluate(_RUN_CELL, 2)
        _wait(page, f"() => ({_CELL_DONE})(2)", 400)
        report = json.loads(_cell_text(page, lab, 1))
        transcripts = json.loads(_cell_text(page, lab, 2).strip().splitlines()[-1])
    finally:
        context.close()
    level = 20 * np.log10(np.sqrt(np.mean(heard**2)) / np.sqrt(np.mean(played**2)))
    print(
        f"played {len(played) / PLAYED_RATE:.2f} s at {PLAYED_RATE} Hz (looped); the device "
        f"reported {device_rate or '?'} Hz, the page recorded at {browser_rate} Hz; the kernel "
        f"got {report['seconds']:.2f} s at {report['rate']} Hz, level {level:+.1f} dB against the "
        f"file, correlation with a whole pass of it {match:.3f} (from {start:.2f} s). Widget: "
        f"{shown!r}. Played '{speech.digits_to_text(PLAYED_DIGITS)}'; transcripts of that pass: "
        f"{transcripts}"
    )
    assert report["takes"] == 1 and report["rate"] == browser_rate
    if device_rate:
        assert int(device_rate) == browser_rate, "recorded at the device's own rate"
    assert RECORD_SECONDS - 1 < report["seconds"] < RECORD_SECONDS + 5
    assert abs(level) < 10, "about the level of the file the microphone played"
    assert match > 0.8, "what the kernel received is the file the fake microphone played"
    assert set(transcripts) == {"traditional", "end-to-end"}
    assert all(isinstance(text, str) for text in transcripts.values()), "both transcripts appear"


@pytest.mark.timeout(300)
def test_recorder_says_what_to_do_when_the_microphone_is_refused(lab, microphone):
    """A refused permission shows the refusal and the WAV fallback in the widget."""
    chromium, _ = microphone
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(_REJECT_MICROPHONE)
    page = context.new_page()
    try:
        _open_and_run(page, lab, "refused.ipynb", [_REFUSED], 0)
        page.locator(".e2e-recorder-record").click()
        status = page.locator(".e2e-recorder-status[data-kind='error']")
        status.wait_for(timeout=60_000)
        text = status.inner_text()
        page.locator(".e2e-recorder-root").screenshot(path=str(ARTIFACTS / "recorder-refused.png"))
    finally:
        context.close()
    assert "refused the microphone (permission denied)" in text, text
    assert "upload a WAV file below" in text
