"""The package as a whole: import has no side effects; pins agree everywhere."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

import e2e_helpers

ROOT = Path(__file__).resolve().parents[1]

_PROBE = r"""
import socket, sys
def _refuse(*args, **kwargs):
    raise SystemExit("network access during import: " + repr(args))
socket.socket.connect = _refuse
socket.create_connection = _refuse
import e2e_helpers
assert "torch" not in sys.modules, "import e2e_helpers must not import torch"
assert "sklearn" not in sys.modules, "import e2e_helpers must not import scikit-learn"
for name in e2e_helpers.__all__:
    getattr(e2e_helpers, name)
print("ok")
"""


def test_import_creates_no_files_and_downloads_nothing(tmp_path, tmp_path_factory):
    home, cwd = tmp_path / "home", tmp_path / "cwd"
    home.mkdir()
    cwd.mkdir()
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "E2E_DATA_DIR": str(tmp_path / "data"),
        # matplotlib keeps its own font cache on first import: matplotlib's file, not the package's.
        "MPLCONFIGDIR": str(tmp_path_factory.mktemp("mpl")),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    env.pop("E2E_OFFLINE", None)  # even with downloads allowed, importing fetches nothing
    done = subprocess.run(
        [sys.executable, "-c", _PROBE],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
    created = [p for p in tmp_path.rglob("*") if p not in (home, cwd)]
    assert created == [], f"importing e2e_helpers created {created}"


def test_every_module_declares_all():
    for name in e2e_helpers.__all__:
        module = getattr(e2e_helpers, name)
        assert isinstance(module.__all__, list) and module.__all__, name
        for public in module.__all__:
            assert hasattr(module, public), f"{name}.__all__ names missing {public}"


def test_unknown_attribute():
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        e2e_helpers.nope  # noqa: B018


def _pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"constraints.txt: {line!r} is not an exact pin"
            pins[canonicalize_name(name)] = version
    return pins


def _conda_pip_pins() -> dict[str, str]:
    text = (ROOT / "environment.yml").read_text()
    found = re.findall(r"^\s+- ([A-Za-z0-9_.\-]+)==([^\s#]+)", text, flags=re.M)
    return {canonicalize_name(name): version for name, version in found}


def _direct_requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = [
        r
        for deps in project["optional-dependencies"].values()
        for r in deps
        if not r.startswith("e2e-helpers")
    ]
    return [Requirement(r) for r in project["dependencies"] + extras]


def test_constraints_pin_the_required_torch_stack():
    pins = _pins()
    assert (pins["torch"], pins["torchvision"], pins["torchaudio"]) == (
        "2.14.1",
        "0.29.1",
        "2.11.0",
    )


def test_direct_dependencies_are_pinned_and_within_bounds():
    pins = _pins()
    for req in _direct_requirements():
        name = canonicalize_name(req.name)
        assert name in pins, (
            f"{name} is a dependency but has no pin in constraints.txt (run `make lock`)"
        )
        assert req.specifier.contains(pins[name]), (
            f"{name}=={pins[name]} is outside pyproject's {req.specifier}"
        )
        assert any(s.operator == "<" for s in req.specifier), (
            f"{name} needs a tested upper cap in pyproject.toml"
        )


def test_environment_yml_agrees_with_constraints():
    pins, conda = _pins(), _conda_pip_pins()
    direct = {canonicalize_name(r.name) for r in _direct_requirements()}
    assert set(conda) == direct, "environment.yml must list exactly the direct dependencies"
    mismatched = {
        name: (version, pins.get(name))
        for name, version in conda.items()
        if pins.get(name) != version
    }
    assert mismatched == {}, (
        "environment.yml and constraints.txt disagree: (environment.yml, constraints.txt)"
    )


def test_readme_quick_start_is_the_two_commands_ci_runs():
    readme = (ROOT / "README.md").read_text()
    quick_start = readme.split("## Quick start", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in quick_start.strip().splitlines()]
    assert commands == ["make lab", "make test"]
    ci = (ROOT / ".ci" / "run").read_text()
    assert "\nmake test\n" in ci and "\nmake test-course\n" in ci and "E2E_OFFLINE=1" in ci


def test_readme_results_are_those_in_results_json():
    from e2e_helpers.course import results as report

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = readme.split(report.README_BEGIN, 1)[1].split(report.README_END, 1)[0].strip()
    assert shown == report.readme_block(report.load(ROOT / "results" / "results.json")), (
        "README's results table is stale: run `make course` (or "
        "e2e_helpers.course.results.update_readme) "
        "to regenerate it"
    )


def _colab_pins() -> dict[str, str]:
    from e2e_helpers.course.colab_replica import CONSTRAINTS, parse_freeze

    return parse_freeze((ROOT / CONSTRAINTS).read_text(encoding="utf-8"))


def test_every_lower_bound_is_a_version_ci_runs():
    """A floor nobody runs is a guess: each is the main environment's pin or the Colab replica's."""
    from packaging.version import Version

    tested = {"main": _pins(), "colab": _colab_pins()}
    for req in _direct_requirements():
        name = canonicalize_name(req.name)
        for spec in req.specifier:
            if spec.operator != ">=":
                continue
            runs = {env: pins[name] for env, pins in tested.items() if name in pins}
            assert any(Version(v) == Version(spec.version) for v in runs.values()), (
                f"pyproject.toml: {name}>={spec.version} is not a version CI runs ({runs}): raise "
                f"it to the older of those"
            )
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    # The main environment's Python, at least the first 3.11 with tar extraction filters.
    assert project["requires-python"] == ">=3.11.4", (
        "requires-python's floor is the main environment's Python (3.11.4+ for extraction filters)"
    )


def test_colab_constraints_pin_every_colab_package_the_course_uses():
    from e2e_helpers.course.colab_replica import COLAB_PACKAGES

    colab = _colab_pins()
    assert sorted(colab) == sorted(COLAB_PACKAGES)
    assert "captum" not in colab, "Colab has no captum: the setup cell installs it"
    direct = {canonicalize_name(r.name) for r in _direct_requirements()}
    assert {"torch", "torchvision", "torchaudio", "scikit-learn", "ipywidgets"} <= direct & set(
        colab
    )
