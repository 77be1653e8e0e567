"""The code does not rely on Python 3.11: it compiles and imports on every newer Python found.

The whole suite runs on Python 3.13, Colab's, in the Colab replica
(``make test-colab``, which ``.ci/run`` runs); here every newer Python found
(3.12, 3.13, ...) compiles the package and the tests and imports the package
with the standard library alone. Skipped, with the reason, where none is found.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_COMPILE_AND_IMPORT = """
import pathlib, sys
root = pathlib.Path(sys.argv[1])
for path in sorted([*root.glob("e2e_helpers/**/*.py"), *root.glob("tests/**/*.py")]):
    compile(path.read_text(encoding="utf-8"), str(path), "exec")  # syntax only, nothing written
sys.path.insert(0, str(root))
import e2e_helpers
from e2e_helpers import config, course  # they import with the standard library alone
from e2e_helpers.course import site
course.setup_source(), course.record, site.build
print(sys.version_info[0], sys.version_info[1])
"""


def _version(python: str) -> tuple[int, int] | None:
    """(major, minor) of the interpreter *python*, or None if it does not run (e.g. a pyenv shim of
    another version)."""
    try:
        done = subprocess.run(
            [python, "-c", "import sys; print(*sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    found = re.fullmatch(r"(\d+) (\d+)\s*", done.stdout) if done.returncode == 0 else None
    return (int(found[1]), int(found[2])) if found else None


def newer_pythons() -> dict[tuple[int, int], str]:
    """Newer Pythons than this one, found on PATH (python3.12, python3.13, ...) or in
    ~/.pyenv/versions."""
    candidates = [shutil.which(f"python3.{minor}") for minor in range(sys.version_info[1] + 1, 20)]
    candidates += sorted(
        str(p) for p in (Path.home() / ".pyenv" / "versions").glob("3.*/bin/python3")
    )
    found: dict[tuple[int, int], str] = {}
    for python in filter(None, candidates):
        version = _version(python)
        if version and version > sys.version_info[:2]:
            found.setdefault(version, python)
    return dict(sorted(found.items()))


NEWER = newer_pythons()
_NONE = (
    f"no Python newer than {sys.version.split()[0]} found "
    "(python3.12+ on PATH or in ~/.pyenv/versions)"
)


@pytest.mark.parametrize(
    "version", list(NEWER) or [None], ids=[f"{v[0]}.{v[1]}" for v in NEWER] or ["none"]
)
def test_package_compiles_and_imports(version, tmp_path):
    if version is None:
        pytest.skip(_NONE)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(
        [NEWER[version], "-I", "-c", _COMPILE_AND_IMPORT, str(ROOT)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(version[0]), str(version[1])]
