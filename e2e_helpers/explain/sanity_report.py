"""The sanity checks in words: a Markdown table of every method's results, and the methods that do
not pass.

:func:`sanity_table` puts the results of :func:`~e2e_helpers.explain.sanity_check` (and of
:func:`~e2e_helpers.explain.data_randomisation`) side by side, with each method's verdict and its
count of blank maps; :func:`failing` names the methods that fail or cannot be judged.
"""

from __future__ import annotations

import numpy as np

from .._tables import markdown_table
from .sanity import DataRandomisation, SanityCheck, rank_correlation

__all__ = ["sanity_table", "failing"]


def _cell(value: float, excluded: int = 0) -> str:
    """A correlation for a table: signed, two decimals, ``n/a`` for NaN, with the images left
    out."""
    text = "n/a" if np.isnan(value) else f"{value:+.2f}"
    return f"{text} ({excluded} left out)" if excluded else text


def _verdict_cell(check: SanityCheck, method: str) -> str:
    verdict = check.verdict(method)
    return {"passes": "yes", "fails": "**no**"}.get(verdict, verdict)


def _blank_cell(check: SanityCheck, data: DataRandomisation | None, method: str) -> str:
    """How many maps are constant: trained, fully randomised, and shuffled-label networks."""
    n = len(check.maps[method][0])
    counts = check.degenerate.get(method, np.zeros(len(check.steps), dtype=int))
    text = f"trained {counts[0]}/{n}, randomised {counts[-1]}/{n}"
    if data is not None and method in data.degenerate:
        shuffled = data.degenerate[method][1:]
        text += f", shuffled {shuffled.sum()}/{len(shuffled) * len(data.trained_maps[method])}"
    return text


def sanity_table(check: SanityCheck, data: DataRandomisation | None = None) -> str:
    """Markdown: per method, the rank correlations after full model randomisation (absolute /
    signed, all pixels / object) with the verdict against ``check.threshold``, the
    data-randomisation correlations, how alike each method's trained maps are to the edge
    detector's (when ``check`` holds ``"edges"``), and how many maps were constant (blank).

    A mean that left images out (a constant map) says how many; ``n/a``: no image was left.
    """
    head = [
        "method",
        "model rand.: abs., all",
        "abs., object",
        "signed, object",
        f"passes (abs., all < {check.threshold})",
    ]
    head += ["shuffled labels: abs., all", "abs., object"] if data is not None else []
    head += ["trained map vs edges"] if "edges" in check.maps else []
    head += ["degenerate maps"]
    rows = []
    for m in check.maps:
        variants = ("absolute", "absolute, object", "signed, object")
        cells = [m.replace("_", " ")]
        cells += [_cell(check.final(m, v), _last_excluded(check, m, v)) for v in variants]
        cells.append(_verdict_cell(check, m))
        if data is not None:
            cells += [
                _cell(data.correlation[v][m], data.excluded(m, v)) if m in data.ssim else "—"
                for v in ("absolute", "absolute, object")
            ]
        if "edges" in check.maps:
            cells.append(_cell(rank_correlation(check.maps[m][0], check.maps["edges"][0])))
        cells.append(_blank_cell(check, data, m))
        rows.append(cells)
    return markdown_table(head, rows, align="l" + "r" * (len(head) - 1))


def _last_excluded(check: SanityCheck, method: str, variant: str) -> int:
    """Images left out of the final step's mean (0 when the check holds no per-image values)."""
    if method not in check.per_image.get(variant, {}):
        return 0
    return int(check.excluded(method, variant)[-1])


def failing(check: SanityCheck) -> list[str]:
    """The methods (readable names) that do not pass: their fully randomised maps stay above the
    threshold, or they cannot be judged (named with the reason, e.g. all randomised maps blank)."""
    names = []
    for m in check.maps:
        verdict = check.verdict(m)
        if verdict != "passes":
            name = m.replace("_", " ")
            names.append(name if verdict == "fails" else f"{name} ({verdict})")
    return names
