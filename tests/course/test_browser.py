"""The course where learners run it: JupyterLab in a real (headless) browser, and the rendered site.

A JupyterLab server from this environment serves a temporary copy of
``notebooks/`` (the committed notebooks are never touched); Debian's Chromium,
driven by playwright, opens every course notebook, runs all cells in fast mode
and checks that no cell fails, that the ipywidgets explorers and tqdm bars
really render, and that the notebook's own kernelspec (this environment's
Python) ran it. Screenshots go to ``test-artifacts/browser/``.

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
import pytest

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
def browser(tmp_path_factory) -> Iterator:
    """Headless Chromium from the system (never a downloaded browser)."""
    sync_playwright = _sync_playwright()
    with sync_playwright() as driver:
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
        assert cells and not any(
            cell.strip().startswith(("-1", "crossover_", "cnn_")) for cell in cells
        ), "the results page shows labels and units, not raw names or -1"
        page.screenshot(path=str(ARTIFACTS / "site-results.png"), full_page=True)
    finally:
        page.close()
