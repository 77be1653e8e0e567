"""Pipeline diagrams: drawn for every registered name, exported as PNG and SVG."""

from __future__ import annotations

import pytest
from matplotlib.figure import Figure

from e2e_helpers.figures import diagrams

NOTEBOOK_DIAGRAMS = {
    "end2end_traditional",
    "end2end_pipeline",
    "speech_traditional",
    "speech_deep",
    "image_traditional",
    "image_deep",
    "speech_log_mel",
    "speech_waveform",
}
#: End-to-end on a hand-designed input: the log-mel spectrogram's filters are chosen by people.
PARTLY_DESIGNED = {"speech_log_mel"}


def test_every_notebook_diagram_is_registered():
    assert NOTEBOOK_DIAGRAMS <= set(diagrams.DIAGRAMS)


@pytest.mark.parametrize("name", sorted(diagrams.DIAGRAMS))
def test_draw_returns_a_figure_with_every_stage(name):
    fig = diagrams.draw_diagram(name)
    assert isinstance(fig, Figure)
    texts = {t.get_text() for t in fig.axes[0].texts}
    assert {s.label for s in diagrams.DIAGRAMS[name].stages} <= texts


def test_traditional_pipelines_have_designed_stages_and_deep_ones_do_not():
    for name, diagram in diagrams.DIAGRAMS.items():
        kinds = {s.kind for s in diagram.stages}
        assert ("designed" in kinds) == ("traditional" in name or name in PARTLY_DESIGNED), name


def test_export_writes_png_and_svg_and_nothing_else(tmp_path):
    written = diagrams.export_diagrams(tmp_path, ["image_deep"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["image_deep.png", "image_deep.svg"]
    assert written[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in written[1].read_bytes()


def test_unknown_names_and_kinds_are_refused(tmp_path, capsys):
    with pytest.raises(ValueError, match="no diagram named 'nope'; choose one of"):
        diagrams.draw_diagram("nope")
    with pytest.raises(ValueError, match="stage kind must be one of"):
        diagrams.Stage("x", kind="magic")
    with pytest.raises(SystemExit):
        diagrams.main(["nope", "--out", str(tmp_path)])
    assert "unknown diagram" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_cli_writes_all(tmp_path, capsys):
    assert diagrams.main(["--out", str(tmp_path)]) == 0
    assert len(list(tmp_path.glob("*.png"))) == len(diagrams.DIAGRAMS)


def test_pic_folder_holds_every_diagram():
    from pathlib import Path

    pic = Path(__file__).resolve().parents[2] / "pic"
    for name in diagrams.DIAGRAMS:
        for suffix in (".png", ".svg"):
            assert (pic / f"{name}{suffix}").is_file(), (
                f"pic/{name}{suffix} is missing: run `make pics`"
            )
