"""Generated test data: signals that sound like tones or words, small files in the real datasets'
formats, and a local HTTP server.

Used across the tests (``from fakedata import tone``); nothing here touches the network beyond
127.0.0.1.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import pickle
import struct
import tarfile
import threading
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import soundfile

FSDD_TOP = "free-spoken-digit-dataset-1.0.10"


# ----------------------------------------------------------------- HTTP


class LocalServer:
    """Serves in-memory files on 127.0.0.1; counts requests; can cut a response short."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.truncated: set[str] = set()
        self.requests: list[str] = []
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def add(self, name: str, data: bytes, *, truncate: bool = False) -> str:
        """Serve ``data`` as ``name``; returns its URL."""
        self.files[name] = data
        if truncate:
            self.truncated.add(name)
        return f"{self.url}/{name}"

    @property
    def url(self) -> str:
        assert self._httpd is not None, "server not started"
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                server.requests.append(self.path)
                name = self.path.lstrip("/").split("?")[0]
                data = server.files.get(name)
                if data is None:
                    self.send_error(404, "not found")
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data[: len(data) // 2] if name in server.truncated else data)
                self.close_connection = True

            def log_message(self, *args: object) -> None:
                pass

        return Handler

    def __enter__(self) -> LocalServer:
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._httpd is not None and self._thread is not None
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


# ----------------------------------------------------------------- helpers


def tone(
    *freqs: float,
    n: int = 4000,
    rate: int = 8000,
    amplitudes: Sequence[float] | float = 0.5,
    noise: float = 0.0,
    seed: int = 0,
) -> np.ndarray:
    """A float32 signal of *n* samples: sines at *freqs* Hz (one amplitude each, or one for all),
    plus white noise of standard deviation *noise* drawn from ``default_rng(seed)``."""
    t = np.arange(n) / rate
    amps = np.broadcast_to(np.asarray(amplitudes, dtype=float), (len(freqs),))
    wave = sum(a * np.sin(2 * np.pi * f * t) for a, f in zip(amps, freqs))
    if noise:
        wave = wave + noise * np.random.default_rng(seed).normal(size=n)
    return np.asarray(wave, dtype=np.float32)


def speech_like(n: int = 4000, seed: int = 0) -> np.ndarray:
    """A float32 signal that alternates 0.15 s "words" (a sine) with 0.1 s pauses, plus faint
    noise."""
    rng = np.random.default_rng(seed)
    return (
        np.sin(np.arange(n) * 0.3) * (np.arange(n) % 2000 < 1200) + 0.01 * rng.normal(size=n)
    ).astype(np.float32)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def md5(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


def tar_gz(members: dict[str, bytes], *, folders: tuple[str, ...] = ()) -> bytes:
    """A .tar.gz holding ``members`` (name -> content) and empty ``folders``."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for folder in folders:
            info = tarfile.TarInfo(folder)
            info.type, info.mode = tarfile.DIRTYPE, 0o755
            archive.addfile(info)
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(data), 0o644
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


# ----------------------------------------------------------------- FSDD


def wav_bytes(seed: int, n: int = 400, rate: int = 8000, channels: int = 1) -> bytes:
    """A short 16-bit PCM WAV of noise."""
    rng = np.random.default_rng(seed)
    samples = rng.uniform(-0.5, 0.5, size=(n, channels)).astype(np.float32)
    buffer = io.BytesIO()
    soundfile.write(buffer, samples, rate, format="WAV", subtype="PCM_16")
    return buffer.getvalue()


def fsdd_recordings(
    speakers=("george", "jackson"), digits=(0, 1, 2), takes=range(7)
) -> dict[str, bytes]:
    """``{"<digit>_<speaker>_<take>.wav": wav bytes}``, each one different."""
    names = [f"{d}_{s}_{t}.wav" for s in speakers for d in digits for t in takes]
    return {name: wav_bytes(seed) for seed, name in enumerate(names)}


def fsdd_manifest(recordings: dict[str, bytes]) -> dict[str, str]:
    return {f"recordings/{name}": sha256(data) for name, data in recordings.items()}


def write_fsdd(root: Path, recordings: dict[str, bytes]) -> None:
    """Write the recordings as ``root/recordings/*.wav``."""
    (root / "recordings").mkdir(parents=True, exist_ok=True)
    for name, data in recordings.items():
        (root / "recordings" / name).write_bytes(data)


def fsdd_archive(recordings: dict[str, bytes]) -> bytes:
    """The release archive's layout: ``free-spoken-digit-dataset-1.0.10/recordings/*.wav`` and
    more."""
    members = {f"{FSDD_TOP}/README.md": b"# FSDD\n", f"{FSDD_TOP}/utils/spectogramer.py": b"pass\n"}
    members |= {f"{FSDD_TOP}/recordings/{name}": data for name, data in recordings.items()}
    return tar_gz(
        members, folders=(f"{FSDD_TOP}/", f"{FSDD_TOP}/recordings/", f"{FSDD_TOP}/utils/")
    )


# ----------------------------------------------------------------- Fashion-MNIST (IDX)


def idx_images(n: int, seed: int) -> bytes:
    pixels = np.random.default_rng(seed).integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
    return struct.pack(">IIII", 0x0803, n, 28, 28) + pixels.tobytes()


def idx_labels(n: int, seed: int) -> bytes:
    labels = np.random.default_rng(seed).integers(0, 10, size=n, dtype=np.uint8)
    return struct.pack(">II", 0x0801, n) + labels.tobytes()


def fashion_files(n_train: int = 12, n_test: int = 5) -> dict[str, bytes]:
    """Decompressed IDX files, by their torchvision names."""
    return {
        "train-images-idx3-ubyte": idx_images(n_train, 1),
        "train-labels-idx1-ubyte": idx_labels(n_train, 2),
        "t10k-images-idx3-ubyte": idx_images(n_test, 3),
        "t10k-labels-idx1-ubyte": idx_labels(n_test, 4),
    }


def gz(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


# ----------------------------------------------------------------- CIFAR-10 (pickled batches)


def _pickle(obj: object) -> bytes:
    return pickle.dumps(obj, protocol=2)


def cifar_members(n: int = 3) -> dict[str, bytes]:
    """``cifar-10-batches-py/*`` with ``n`` images per batch, in the dict format torchvision
    reads."""
    rng = np.random.default_rng(0)
    members = {}
    for index, name in enumerate([f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]):
        batch = {
            "batch_label": name,
            "labels": [int(x) for x in rng.integers(0, 10, size=n)],
            "data": rng.integers(0, 256, size=(n, 3072), dtype=np.uint8),
            "filenames": [f"img_{index}_{i}.png" for i in range(n)],
        }
        members[f"cifar-10-batches-py/{name}"] = _pickle(batch)
    names = [
        "airplane",
        "automobile",
        "bird",
        "cat",
        "deer",
        "dog",
        "frog",
        "horse",
        "ship",
        "truck",
    ]
    members["cifar-10-batches-py/batches.meta"] = _pickle(
        {"label_names": names, "num_cases_per_batch": n}
    )
    return members


# ----------------------------------------------------------------- MedMNIST (npz)


def medmnist_arrays(sizes: tuple[int, int, int] = (8, 4, 6)) -> dict[str, np.ndarray]:
    """The keys and dtypes of ``pneumoniamnist.npz``: uint8 images (N, 28, 28), labels (N, 1)."""
    rng = np.random.default_rng(0)
    arrays = {}
    for split, n in zip(("train", "val", "test"), sizes):
        arrays[f"{split}_images"] = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
        arrays[f"{split}_labels"] = (np.arange(n) % 2).astype(np.uint8).reshape(n, 1)
    return arrays


def npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


# -- small objects for unit tests ------------------------------------------------

PAYLOAD = b"0123456789" * 1000


def make_source(url: str = "https://example.invalid/data.bin", checksum: str | None = None, **kw):
    """A toy :class:`e2e_helpers.data.Source` (fields overridable by keyword)."""
    from e2e_helpers.data._registry import Source

    fields = dict(
        name="toy",
        url=url,
        filename="data.bin",
        checksum=checksum,
        subfolder="toy",
        licence="CC0",
        homepage="https://example.invalid/",
    )
    return Source(**{**fields, **kw})


def toy_learning_curves():
    """Learning curves of two made-up pipelines at three sizes, with fewer seeds at larger sizes."""
    from e2e_helpers.learn.learning_curve import LearningCurves

    return LearningCurves(
        sizes=np.array([50, 500, 5000]),
        scores={
            "HOG": [np.array([0.6, 0.62]), np.array([0.8]), np.array([0.85])],
            "CNN": [np.array([0.5, 0.55]), np.array([0.79]), np.array([0.9])],
        },
        fit_seconds={
            "HOG": [np.array([0.1, 0.1]), np.array([0.2]), np.array([1.0])],
            "CNN": [np.array([1.0, 1.0]), np.array([2.0]), np.array([9.0])],
        },
    )


def small_net(module=None, **kwargs):
    """A small, fast, deterministic :class:`e2e_helpers.learn.TorchClassifier` (an MLP by
    default)."""
    from e2e_helpers.learn import TorchClassifier, mlp

    options = {"epochs": 10, "batch_size": 32, "lr": 1e-2, "progress": False, "random_state": 0}
    return TorchClassifier(mlp if module is None else module, **{**options, **kwargs})
