"""course.results: recording figures and the generated results files."""

from __future__ import annotations

import json
import re

import pytest

from e2e_helpers.course.results import (
    README_BEGIN,
    README_END,
    ResultsError,
    load,
    make_entry,
    readme_block,
    record,
    recorded,
    save,
    update_readme,
)


def test_record_without_results_dir_writes_nothing(tmp_path):
    assert record("01_intuition", cnn_accuracy=0.92) == {"cnn_accuracy": 0.92}
    assert list(tmp_path.rglob("*.json")) == []


def test_record_merges_into_results_dir(monkeypatch, tmp_path):
    pytest.importorskip("torch", reason="record asks config.device(), which needs torch")
    monkeypatch.setenv("E2E_RESULTS_DIR", str(tmp_path))
    monkeypatch.setenv("E2E_FAST", "1")
    record("01_intuition", cnn_accuracy=0.9)
    figures = record("01_intuition", hog_accuracy=0.88, crossover_high=500)
    assert figures == {"cnn_accuracy": 0.9, "hog_accuracy": 0.88, "crossover_high": 500}
    data = json.loads((tmp_path / "01_intuition.json").read_text())
    assert data == {"mode": "fast", "device": "cpu", "figures": figures}
    assert recorded("01_intuition") == figures
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "01_intuition.json",
        "01_intuition.json.lock",  # the lock is held only while recording; the file stays, empty
    ], "no temporary files left"


PROCESSES, FIGURES_EACH = 6, 10


def _record_share(names: list[str], start: object) -> None:
    """One process's share: wait for all the others, then record each figure with its own call."""
    start.wait()  # type: ignore[attr-defined]
    for k, name in enumerate(names):
        record("01_intuition", **{name: float(k)})


def test_processes_recording_one_notebook_at_once_lose_no_figure(monkeypatch, tmp_path):
    """6 processes x 10 figures of one notebook, 60 read-merge-writes at once: all 60 survive."""
    import multiprocessing
    from types import SimpleNamespace

    from e2e_helpers import config
    from e2e_helpers.course.figure_labels import LABELS

    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("needs the fork start method (Linux)")
    monkeypatch.setenv("E2E_RESULTS_DIR", str(tmp_path))
    monkeypatch.setattr(config, "device", lambda: SimpleNamespace(type="cpu"))  # no torch needed
    names = sorted(LABELS)[: PROCESSES * FIGURES_EACH]
    assert len(names) == PROCESSES * FIGURES_EACH, "enough labelled figures to share out"
    context = multiprocessing.get_context("fork")
    start = context.Barrier(PROCESSES)
    shares = [names[i::PROCESSES] for i in range(PROCESSES)]
    workers = [context.Process(target=_record_share, args=(s, start)) for s in shares]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=120)
    assert [w.exitcode for w in workers] == [0] * PROCESSES
    kept = recorded("01_intuition", tmp_path)
    lost = sorted(set(names) - set(kept))
    assert lost == [], f"{len(lost)} of {len(names)} figures lost: {lost}"
    assert kept == {name: float(k) for share in shares for k, name in enumerate(share)}


def test_the_last_of_two_runs_recording_the_same_figure_wins(monkeypatch, tmp_path):
    pytest.importorskip("torch", reason="record asks config.device(), which needs torch")
    monkeypatch.setenv("E2E_RESULTS_DIR", str(tmp_path))
    record("01_intuition", cnn_accuracy=0.9)
    assert record("01_intuition", cnn_accuracy=0.8) == {"cnn_accuracy": 0.8}


@pytest.mark.parametrize(
    "notebook, figures, message",
    [
        ("intuition", {"a": 1.0}, "not a notebook stem"),
        ("01_intuition", {"Accuracy": 1.0}, "lower_snake_case"),
        ("01_intuition", {"acc": float("nan")}, "finite number"),
        ("01_intuition", {"acc": "0.9"}, "finite number"),
        ("01_intuition", {"acc": True}, "finite number"),
        (
            "01_intuition",
            {"cnn_accuracy": 0.9, "made_up_score": 1.0},
            "made_up_score have no label.*figure_labels.py",
        ),
    ],
)
def test_record_rejects_bad_input(notebook, figures, message):
    with pytest.raises(ResultsError, match=message):
        record(notebook, **figures)


def test_entry_save_load_and_markdown(tmp_path):
    figures_dir = tmp_path / "figures"
    figures_dir.mkdir()
    (figures_dir / "02_speech_recognition.json").write_text(
        json.dumps(
            {
                "mode": "full",
                "device": "cpu",
                "figures": {"strings_e2e_wer": 0.0123, "phone_models": 3},
            }
        )
    )
    entry = make_entry("02_speech_recognition", figures_dir, seconds=201.26, mode="full")
    assert entry == {
        "mode": "full",
        "seconds": 201.3,
        "device": "cpu",
        "figures": {"strings_e2e_wer": 0.0123, "phone_models": 3},
    }
    results = {"02_speech_recognition": entry}
    json_path, md_path = save(results, tmp_path / "results")
    assert load(json_path) == results
    markdown = md_path.read_text()
    assert "## 02_speech_recognition" in markdown
    assert (
        "| Digit strings, word error rate of the CTC network | 1.23 % | `strings_e2e_wer` |"
        in markdown
    )
    assert (
        "| HMM units trained: phones, or whole-word slots (silence not counted) | 3 | "
        "`phone_models` |" in markdown
    )
    assert "201.3 s" in markdown
    assert sorted(p.name for p in (tmp_path / "results").iterdir()) == [
        "RESULTS.md",
        "results.json",
    ]


def test_entry_for_a_notebook_that_recorded_nothing(tmp_path):
    entry = make_entry("03_image_classification", tmp_path, seconds=1, mode="fast")
    assert entry["figures"] == {} and entry["mode"] == "fast"


def test_load_missing_and_invalid(tmp_path):
    assert load(tmp_path / "absent.json") == {}
    bad = tmp_path / "results.json"
    bad.write_text("{not json")
    with pytest.raises(ResultsError, match="not valid JSON.*make course"):
        load(bad)
    bad.write_text(
        json.dumps({"01_intuition": {"mode": "slow", "seconds": 1, "device": "cpu", "figures": {}}})
    )
    with pytest.raises(ResultsError, match="'full' or 'fast'"):
        load(bad)
    bad.write_text(json.dumps({"01_intuition": {"mode": "full"}}))
    with pytest.raises(ResultsError, match="exactly the keys"):
        load(bad)


BAD_FIGURES_FILES = {
    "not JSON": (
        "{not json",
        r" is not valid JSON \(Expecting .*\); delete it and run the notebook again",
    ),
    "not UTF-8": (b"\xff\xfe{", r" is not valid JSON .*delete it and run the notebook again"),
    "a list": (
        "[1, 2]",
        r" is not a figures file \(a JSON object with 'figures': \{name: number\}\)",
    ),
    "figures not an object": ('{"figures": [0.9]}', r" is not a figures file"),
    "a figure not a number": (
        '{"figures": {"acc": "high"}}',
        r": figure 'acc' must be a finite number",
    ),
}
_READERS = {
    "recorded": lambda folder: recorded("01_intuition", folder),
    "make_entry": lambda folder: make_entry("01_intuition", folder, seconds=1.0, mode="full"),
    "record": lambda folder: record("01_intuition", cnn_accuracy=0.9),
}


@pytest.mark.parametrize("reader", sorted(_READERS))
@pytest.mark.parametrize("case", sorted(BAD_FIGURES_FILES))
def test_a_corrupt_figures_file_is_named(monkeypatch, tmp_path, case, reader):
    content, message = BAD_FIGURES_FILES[case]
    path = tmp_path / "01_intuition.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    monkeypatch.setenv("E2E_RESULTS_DIR", str(tmp_path))
    with pytest.raises(ResultsError, match=re.escape(str(path)) + message):
        _READERS[reader](tmp_path)
    assert path.read_bytes() == (content if isinstance(content, bytes) else content.encode()), (
        "left for the learner to see"
    )


def test_results_dir_that_is_a_file_is_a_config_error(monkeypatch, tmp_path):
    from e2e_helpers.config import ConfigError

    (tmp_path / "results").write_text("I am a file")
    monkeypatch.setenv("E2E_RESULTS_DIR", str(tmp_path / "results"))
    with pytest.raises(
        ConfigError,
        match=r"E2E_RESULTS_DIR='.*results' is a file, not a folder: point it at a folder "
        r"\(it is created if missing\) or unset it to only show the figures",
    ):
        record("01_intuition", cnn_accuracy=0.9)


def test_readme_block_and_update(tmp_path):
    results = {
        "01_intuition": {
            "mode": "full",
            "seconds": 241.6,
            "device": "cpu",
            "figures": {"cnn_accuracy": 0.92, "crossover_high": -1},
        },
    }
    block = readme_block(results)
    assert block.splitlines()[2] == (
        "| `01_intuition` | full, 242 s on cpu | Test accuracy, CNN: **92.00 %**<br>"
        "Crossover, high end: the first measured size from which the CNN is clearly ahead "
        "for good: **never (the intervals do not separate)** |"
    )
    readme = tmp_path / "README.md"
    readme.write_text(f"# T\n{README_BEGIN}\nold\n{README_END}\nafter\n")
    assert update_readme(readme, results)
    assert readme.read_text() == f"# T\n{README_BEGIN}\n{block}\n{README_END}\nafter\n"
    plain = tmp_path / "PLAIN.md"
    plain.write_text("no markers\n")
    assert not update_readme(plain, results) and plain.read_text() == "no markers\n"


def test_a_lock_held_too_long_is_explained(monkeypatch, tmp_path):
    from filelock import FileLock

    from e2e_helpers import config
    from e2e_helpers.course import results

    monkeypatch.setenv("E2E_RESULTS_DIR", str(tmp_path))
    monkeypatch.setattr(config, "device", lambda: type("D", (), {"type": "cpu"})())
    monkeypatch.setattr(results, "LOCK_SECONDS", 0.2)
    with FileLock(str(tmp_path / "01_intuition.json.lock")):  # held by "another process"
        with pytest.raises(ResultsError, match=r"01_intuition\.json\.lock for 0 s .*record again"):
            record("01_intuition", cnn_accuracy=0.9)
    assert record("01_intuition", cnn_accuracy=0.9) == {"cnn_accuracy": 0.9}, "free again"
