"""course.colab_replica: Colab's pins from a freeze, the install check and the saved fast-mode
figures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from e2e_helpers.course import colab_replica
from e2e_helpers.course.colab_replica import (
    COLAB_PACKAGES,
    constraints_text,
    fingerprint,
    install_changes,
    load_fast_figures,
    parse_freeze,
    save_fast_figures,
)

ROOT = Path(__file__).resolve().parents[2]
_FREEZE = "\n".join(
    [
        "# a Colab pip freeze",
        "absl-py==1.4.0",
        *(
            f"{name.replace('-', '_') if name == 'scikit-learn' else name}==1.0.{i}"
            for i, name in enumerate(COLAB_PACKAGES)
        ),
        "e2e-helpers @ git+https://github.com/x/y@v1",
        "-e git+https://example.org/z#egg=z",
    ]
)


def test_parse_freeze_keeps_exact_pins_under_canonical_names():
    pins = parse_freeze(_FREEZE + "\nTorch_Audio==3.0 ; python_version > '3'\n")
    assert (
        pins["scikit-learn"] == f"1.0.{COLAB_PACKAGES.index('scikit-learn')}"
        and pins["absl-py"] == "1.4.0"
        and pins["torch-audio"] == "3.0"
    )
    assert "e2e-helpers" not in pins and "z" not in pins


def test_constraints_text_is_the_colab_subset_with_a_header():
    text = constraints_text(
        _FREEZE.replace("torch==1.0.14", "torch==2.11.0+cu126"), "backend-info, August 2026"
    )
    lines = text.splitlines()
    assert lines[1] == "# Source: backend-info, August 2026, Python 3.13."
    assert (
        "python -m e2e_helpers.course.colab_replica constraints pip-freeze.txt > "
        "constraints-colab.txt" in text
    )
    pins = [line for line in lines if not line.startswith("#")]
    assert [line.split("==")[0] for line in pins] == sorted(COLAB_PACKAGES), (
        "the course's subset, sorted"
    )
    assert "torch==2.11.0" in pins, (
        "the CUDA build's local version is dropped: the registry's torch is the same code"
    )
    assert "absl-py" not in text


def test_constraints_text_refuses_a_freeze_that_is_not_colabs():
    with pytest.raises(ValueError, match="lacks .*torch.*is it a Colab `pip freeze`"):
        constraints_text("numpy==2.1.3\n", "somewhere")


def test_the_committed_constraints_are_what_the_generator_writes():
    committed = (ROOT / colab_replica.CONSTRAINTS).read_text(encoding="utf-8")
    source = committed.splitlines()[1].removeprefix("# Source: ").removesuffix(", Python 3.13.")
    assert constraints_text(committed, source) == committed, (
        "regenerate constraints-colab.txt with its header's command"
    )


def test_install_changes_names_replaced_removed_and_added_packages():
    before = "numpy==2.1.3\ntorch==2.11.0\nscipy==1.16.3\n"
    after = "numpy==2.1.3\ntorch==2.14.1\ncaptum==0.9.0\ne2e-helpers @ file:///x\n"
    changed, added = install_changes(before, after)
    assert changed == ["scipy 1.16.3 -> removed", "torch 2.11.0 -> 2.14.1"]
    assert added == ["captum==0.9.0"]
    assert install_changes(before, before + "captum==0.9.0\n") == ([], ["captum==0.9.0"])


def test_install_as_colab_uses_the_setup_cells_pip_arguments(monkeypatch, tmp_path):
    calls = []
    freezes = iter(["numpy==2.1.3\n", "numpy==2.1.3\ncaptum==0.9.0\n"])
    monkeypatch.setattr(
        colab_replica,
        "_pip",
        lambda *args: calls.append(args) or (next(freezes) if args[0] == "freeze" else ""),
    )
    assert colab_replica.install_as_colab(tmp_path) == ([], ["captum==0.9.0"])
    assert calls[0] == ("uninstall", "--yes", "--quiet", "e2e-helpers", "captum")
    assert calls[2] == ("install", "--quiet", f"e2e-helpers @ {tmp_path.resolve().as_uri()}")


def _tree(root: Path) -> Path:
    (root / "notebooks").mkdir(parents=True)
    (root / "e2e_helpers").mkdir()
    (root / "notebooks" / "01_intuition.ipynb").write_text("{}")
    (root / "e2e_helpers" / "a.py").write_text("x = 1\n")
    return root


def test_fingerprint_follows_notebooks_and_code(tmp_path):
    root = _tree(tmp_path)
    first = fingerprint(root)
    (root / "README.md").write_text("prose does not change figures")
    assert fingerprint(root) == first
    (root / "e2e_helpers" / "a.py").write_text("x = 2\n")
    assert fingerprint(root) != first


def test_saved_fast_figures_load_back_only_while_fresh(tmp_path):
    root = _tree(tmp_path / "repo")
    folder = tmp_path / "figures"
    path = save_fast_figures(folder, "01_intuition", {"cnn_accuracy": 0.7}, root)
    assert json.loads(path.read_text())["figures"] == {"cnn_accuracy": 0.7}
    assert load_fast_figures(folder, "01_intuition", root) == {"cnn_accuracy": 0.7}
    with pytest.raises(FileNotFoundError, match="no fast-mode figures of 02_x.*make test"):
        load_fast_figures(folder, "02_x", root)
    (root / "notebooks" / "01_intuition.ipynb").write_text('{"changed": 1}')
    with pytest.raises(FileNotFoundError, match="other notebooks or package code"):
        load_fast_figures(folder, "01_intuition", root)


def test_cli_stale_and_constraints(tmp_path, monkeypatch, capsys):
    root = _tree(tmp_path / "repo")
    monkeypatch.chdir(root)
    assert colab_replica.main(["stale", str(tmp_path / "figures")]) == 0, (
        "missing figures are stale"
    )
    save_fast_figures(tmp_path / "figures", "01_intuition", {"cnn_accuracy": 0.7}, root)
    assert colab_replica.main(["stale", str(tmp_path / "figures")]) == 1, "fresh figures are not"
    freeze = tmp_path / "freeze.txt"
    freeze.write_text(_FREEZE)
    capsys.readouterr()
    assert colab_replica.main(["constraints", str(freeze)]) == 0
    assert "numpy==" in capsys.readouterr().out
