"""The pipeline diagrams of the course, drawn with matplotlib.

Each diagram is a row of boxes joined by arrows. A box's *kind* says who made
that stage: ``"data"`` (input or output), ``"designed"`` (a person designed it
with domain knowledge) or ``"learned"`` (fitted to data). The colours are the
same in every diagram, so a learner sees at a glance how much of each pipeline
a human designs.

``python -m e2e_helpers.figures.diagrams [--out pic]`` (or ``make pics``) writes every
diagram to ``pic/<name>.png`` and ``pic/<name>.svg``.
"""

from __future__ import annotations

import argparse
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Patch

from .._files import atomic_path
from .canvas import figure

__all__ = ["draw_diagram"]

#: Fill colour of each kind of box.
KIND_COLOURS = {
    "data": "#e8e8e8",
    "designed": "#f6b26b",
    "learned": "#6fa8dc",
}
_KIND_LABELS = {
    "data": "data",
    "designed": "designed by people (domain knowledge)",
    "learned": "learned from data",
}


@dataclass(frozen=True)
class Stage:
    """One box: its *label*, an optional *detail* line and its *kind*."""

    label: str
    kind: str = "designed"
    detail: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KIND_COLOURS:
            raise ValueError(f"stage kind must be one of {sorted(KIND_COLOURS)}, got {self.kind!r}")


@dataclass(frozen=True)
class Diagram:
    """A titled row of stages."""

    title: str
    stages: tuple[Stage, ...]


DIAGRAMS: dict[str, Diagram] = {
    "end2end_traditional": Diagram(
        "Traditional pipeline",
        (
            Stage("Raw input", "data", "image, audio, ..."),
            Stage("Hand-crafted\nfeature extraction", "designed", "e.g. HOG, MFCC"),
            Stage("Classical model", "learned", "e.g. SVM, logistic\nregression"),
            Stage("Prediction", "data"),
        ),
    ),
    "end2end_pipeline": Diagram(
        "End-to-end pipeline",
        (
            Stage("Raw input", "data", "image, audio, ..."),
            Stage("Neural network", "learned", "features and decision\nlearned together"),
            Stage("Prediction", "data"),
        ),
    ),
    "speech_traditional": Diagram(
        "Traditional speech recognition",
        (
            Stage("Audio", "data"),
            Stage("MFCC features", "designed", "mel filterbank,\nlog, DCT"),
            Stage("Phonemes", "learned", "acoustic model\n(GMM-HMM)"),
            Stage("Words", "designed", "pronunciation\nlexicon"),
            Stage("Text", "data", "a grammar (here any\nstring of digits)"),
        ),
    ),
    "speech_deep": Diagram(
        "End-to-end speech recognition",
        (
            Stage("Audio", "data"),
            Stage("Deep neural network", "learned", "log-mel spectrogram in,\ndigits out (CTC)"),
            Stage("Text", "data"),
        ),
    ),
    "speech_log_mel": Diagram(
        "End-to-end on a log-mel spectrogram",
        (
            Stage("Audio", "data"),
            Stage("Log-mel spectrogram", "designed", "mel filters and log,\nchosen by people"),
            Stage("Network", "learned", "convolutions, GRU,\nCTC"),
            Stage("Text", "data"),
        ),
    ),
    "speech_waveform": Diagram(
        "End-to-end on the raw waveform",
        (
            Stage("Audio", "data", "raw samples"),
            Stage("Learned filterbank", "learned", "1-D convolution,\nstarted at random"),
            Stage("Network", "learned", "the same convolutions,\nGRU, CTC"),
            Stage("Text", "data"),
        ),
    ),
    "image_traditional": Diagram(
        "Traditional image classification",
        (
            Stage("Image", "data"),
            Stage("Interest points", "designed", "Harris corners,\nDoG blobs (+ grid)"),
            Stage("Descriptors", "designed", "words at the points;\nHOG of whole image"),
            Stage("Feature\nselection", "designed", "ANOVA F-test,\nk by validation"),
            Stage("Classifier", "learned", "RBF SVM\n(Nyström)"),
            Stage("Label", "data"),
        ),
    ),
    "image_deep": Diagram(
        "End-to-end image classification",
        (
            Stage("Image", "data", "raw pixels"),
            Stage(
                "Convolutional\nneural network",
                "learned",
                "filters, features and\nclassifier learned together",
            ),
            Stage("Label", "data"),
        ),
    ),
}


def draw_diagram(diagram: str | Diagram, *, legend: bool = True) -> Figure:
    """The diagram (a name in :data:`DIAGRAMS` or a :class:`Diagram`) as a ``Figure``."""
    diagram = _lookup(diagram)
    n = len(diagram.stages)
    box_w, gap, box_h = 2.5, 0.7, 1.5
    width = n * box_w + (n - 1) * gap
    fig, ax = figure(size=(1.1 + 1.6 * n, 2.5 if legend else 2.1))
    ax.set_xlim(-0.2, width + 0.2)
    ax.set_ylim(-0.75 if legend else -0.2, box_h + 0.3)
    ax.set_axis_off()
    ax.set_title(diagram.title, fontsize=13, fontweight="bold")
    for i, stage in enumerate(diagram.stages):
        x = i * (box_w + gap)
        ax.add_patch(
            FancyBboxPatch(
                (x, 0),
                box_w,
                box_h,
                boxstyle="round,pad=0.02,rounding_size=0.15",
                facecolor=KIND_COLOURS[stage.kind],
                edgecolor="#333333",
                linewidth=1.2,
            )
        )
        ax.text(
            x + box_w / 2,
            box_h * 0.66,
            stage.label,
            ha="center",
            va="center",
            fontsize=10.5,
            fontweight="bold",
        )
        if stage.detail:
            ax.text(
                x + box_w / 2,
                box_h * 0.26,
                _wrap(stage.detail),
                ha="center",
                va="center",
                fontsize=8.5,
            )
        if i < n - 1:
            ax.add_patch(
                FancyArrowPatch(
                    (x + box_w + 0.05, box_h / 2),
                    (x + box_w + gap - 0.05, box_h / 2),
                    arrowstyle="-|>",
                    mutation_scale=16,
                    linewidth=1.5,
                    color="#333333",
                )
            )
    if legend:
        kinds = [k for k in KIND_COLOURS if any(s.kind == k for s in diagram.stages)]
        handles = [
            Patch(facecolor=KIND_COLOURS[k], edgecolor="#333333", label=_KIND_LABELS[k])
            for k in kinds
        ]
        ax.legend(
            handles=handles,
            loc="lower center",
            ncol=len(handles),
            frameon=False,
            fontsize=8.5,
            bbox_to_anchor=(0.5, -0.02),
        )
    return fig


def export_diagrams(folder: Path | str = "pic", names: Sequence[str] | None = None) -> list[Path]:
    """Write each diagram in *names* (default: all) as PNG and SVG into *folder*."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in names if names is not None else DIAGRAMS:
        fig = draw_diagram(name)
        for suffix, options in ((".png", {"dpi": 150}), (".svg", {"metadata": {"Date": None}})):
            path = folder / f"{name}{suffix}"
            with atomic_path(path) as tmp:
                fig.savefig(tmp, **options)
            written.append(path)
    return written


def _lookup(diagram: str | Diagram) -> Diagram:
    if isinstance(diagram, Diagram):
        return diagram
    try:
        return DIAGRAMS[diagram]
    except KeyError:
        raise ValueError(
            f"no diagram named {diagram!r}; choose one of: {', '.join(DIAGRAMS)}"
        ) from None


def _wrap(text: str, width: int = 22) -> str:
    return "\n".join(textwrap.fill(line, width) for line in text.splitlines())


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: write the diagrams to ``--out`` (default ``pic``)."""
    parser = argparse.ArgumentParser(
        prog="python -m e2e_helpers.figures", description=__doc__.splitlines()[0]
    )
    parser.add_argument("names", nargs="*", help=f"default: all of {', '.join(DIAGRAMS)}")
    parser.add_argument(
        "--out", type=Path, default=Path("pic"), help="folder to write to (default: pic)"
    )
    args = parser.parse_args(argv)
    unknown = [n for n in args.names if n not in DIAGRAMS]
    if unknown:
        parser.error(f"unknown diagram(s) {', '.join(unknown)}; choose from {', '.join(DIAGRAMS)}")
    for path in export_diagrams(args.out, args.names or None):
        print(path)
    return 0
