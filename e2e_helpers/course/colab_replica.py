"""The Colab replica (``make test-colab``): Colab's package versions, checked installs, fast-mode
figures.

``constraints-colab.txt`` pins the packages of Colab's runtime that the course
uses (:data:`COLAB_PACKAGES`); regenerate it from a Colab ``pip freeze`` with
``python -m e2e_helpers.course.colab_replica constraints pip-freeze.txt > constraints-colab.txt``.
``python -m e2e_helpers.course.colab_replica install`` installs the package into
the running Python as the notebooks' setup cell does (from the checkout instead
of GitHub, after removing a previous install) and fails when that changed any
package that was there before. The notebook tests save each notebook's fast-mode figures
with :func:`save_fast_figures` (into ``E2E_FAST_FIGURES``); the replica's run
compares its own with the main environment's (:mod:`.invariants`).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .._files import write_text_atomically
from .colab import pip_arguments

# main, the command line, is reached through the module: colab_replica.main([...])
__all__ = [
    "COLAB_PACKAGES",
    "CONSTRAINTS",
    "parse_freeze",
    "constraints_text",
    "install_changes",
    "install_as_colab",
    "fingerprint",
    "save_fast_figures",
    "load_fast_figures",
]

#: Colab's packages that the course uses or that shape its kernel (names as pip spells them).
COLAB_PACKAGES = (
    "ipykernel",
    "ipython",
    "ipywidgets",
    "matplotlib",
    "nbclient",
    "nbformat",
    "notebook",
    "numpy",
    "pillow",
    "pooch",
    "scikit-image",
    "scikit-learn",
    "scipy",
    "soundfile",
    "torch",
    "torchaudio",
    "torchvision",
    "tqdm",
    "filelock",  # course.results locks results files with it
    "anywidget",  # the voice recorder's widget foundation
    "psygnal",  # anywidget's
)
CONSTRAINTS = "constraints-colab.txt"
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;#]+)")


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_freeze(text: str) -> dict[str, str]:
    """``{canonical name: version}`` of the ``name==version`` lines of a ``pip freeze`` (others are
    skipped)."""
    pins = {}
    for line in text.splitlines():
        found = _PIN.match(line.strip())
        if found:
            pins[_canonical(found[1])] = found[2]
    return pins


def constraints_text(freeze: str, source: str) -> str:
    """``constraints-colab.txt`` from Colab's ``pip freeze`` output *freeze*; *source* says where it
    came from."""
    pins = parse_freeze(freeze)
    missing = [name for name in COLAB_PACKAGES if name not in pins]
    if missing:
        raise ValueError(
            f"the freeze from {source} lacks {', '.join(missing)}: is it a Colab `pip freeze`?"
        )
    if (
        "+" in pins["torch"]
    ):  # Colab's torch is a CUDA build (2.x.y+cu126); the registry's is the same code
        pins = {name: version.split("+")[0] for name, version in pins.items()}
    header = [
        "# Google Colab's runtime, the packages the course uses (pip install -r "
        "constraints-colab.txt).",
        f"# Source: {source}, Python 3.13.",
        "# Regenerate from a Colab `pip freeze`:",
        "#   python -m e2e_helpers.course.colab_replica constraints pip-freeze.txt > "
        "constraints-colab.txt",
    ]
    return "\n".join(header + [f"{name}=={pins[name]}" for name in sorted(COLAB_PACKAGES)]) + "\n"


def install_changes(before: str, after: str) -> tuple[list[str], list[str]]:
    """``(changed, added)`` between two ``pip freeze`` outputs: packages replaced or removed, and
    new ones."""
    old, new = parse_freeze(before), parse_freeze(after)
    changed = [
        f"{name} {version} -> {new.get(name, 'removed')}"
        for name, version in sorted(old.items())
        if new.get(name) != version
    ]
    added = [f"{name}=={version}" for name, version in sorted(new.items()) if name not in old]
    return changed, added


def _pip(*args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "pip", *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(
            f"pip {' '.join(args)} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}"
        )
    return done.stdout


def install_as_colab(checkout: Path) -> tuple[list[str], list[str]]:
    """Install the package from *checkout* into this Python as the setup cell does;
    ``(changed, added)``.

    A previous install of the package (and captum, which it brings) is removed
    first, so every run starts from Colab's packages alone.
    """
    _pip("uninstall", "--yes", "--quiet", "e2e-helpers", "captum")
    before = _pip("freeze", "--all")
    _pip(*pip_arguments(Path(checkout).resolve().as_uri()))
    return install_changes(before, _pip("freeze", "--all"))


def fingerprint(root: Path) -> str:
    """A hash of the notebooks and the package's code under *root*: what fast-mode figures depend
    on."""
    digest = hashlib.sha256()
    files = sorted([*root.glob("notebooks/[0-9][0-9]_*.ipynb"), *root.glob("e2e_helpers/**/*.py")])
    for path in files:
        digest.update(
            path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0"
        )
    return digest.hexdigest()[:16]


def save_fast_figures(folder: Path, notebook: str, figures: dict[str, float], root: Path) -> Path:
    """Write *notebook*'s fast-mode *figures* to ``folder/<notebook>.json`` with the code's
    fingerprint."""
    path = Path(folder) / f"{notebook}.json"
    data = {
        "fingerprint": fingerprint(root),
        "python": platform.python_version(),
        "figures": figures,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomically(path, json.dumps(data, indent=2, sort_keys=True) + "\n")
    return path


def load_fast_figures(folder: Path, notebook: str, root: Path) -> dict[str, float]:
    """The figures :func:`save_fast_figures` wrote for *notebook*; ``FileNotFoundError`` when absent
    or stale."""
    path = Path(folder) / f"{notebook}.json"
    advice = (
        "run the main environment's notebook tests first "
        "(`make test-course` or `make fast-figures`)"
    )
    if not path.is_file():
        raise FileNotFoundError(f"no fast-mode figures of {notebook} in {folder}: {advice}")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if data.get("fingerprint") != fingerprint(root):
        raise FileNotFoundError(
            f"{path} is from other notebooks or package code than these: {advice}"
        )
    return data["figures"]


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``constraints FREEZE``, ``install`` or ``stale FOLDER``."""
    parser = argparse.ArgumentParser(
        prog="python -m e2e_helpers.course.colab_replica", description=__doc__.splitlines()[0]
    )
    sub = parser.add_subparsers(dest="command", required=True)
    constraints = sub.add_parser(
        "constraints", help="print constraints-colab.txt made from a Colab pip freeze"
    )
    constraints.add_argument("freeze", type=Path)
    constraints.add_argument(
        "--source", default="github.com/googlecolab/backend-info, pip-freeze.txt"
    )
    sub.add_parser(
        "install",
        help="install the package from this checkout as the setup cell does; fail if that "
        "changed an installed package",
    )
    stale = sub.add_parser(
        "stale", help="exit 0 if FOLDER lacks fresh fast-mode figures of some notebook"
    )
    stale.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    if args.command == "constraints":
        print(constraints_text(args.freeze.read_text(encoding="utf-8"), args.source), end="")
        return 0
    if args.command == "install":
        changed, added = install_as_colab(Path.cwd())
        print(
            f"installing the package as the setup cell does added: {', '.join(added) or 'nothing'}"
        )
        if changed:
            print(f"and CHANGED Colab's packages: {', '.join(changed)}", file=sys.stderr)
            return 1
        print("and changed none of the packages installed before")
        return 0
    root = Path.cwd()
    for path in sorted(root.glob("notebooks/[0-9][0-9]_*.ipynb")):
        try:
            load_fast_figures(args.folder, path.stem, root)
        except FileNotFoundError as exc:
            print(exc)
            return 0
    return 1


if __name__ == "__main__":
    sys.exit(main())
