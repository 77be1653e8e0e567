"""The package's one Markdown table writer: every table a notebook prints or a page shows goes
through it. A top-level private module, like ``_checks`` and ``_files``: every subpackage may use
it.

>>> print(markdown_table(["word", "digit"], [["zero", "0"], ["one", "1"]], align="lr"))
| word | digit |
|---|---:|
| zero | 0 |
| one | 1 |
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

__all__ = ["markdown_table"]

_RULES = {"l": "---", "r": "---:"}


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[str]], align: str = "l") -> str:
    """A Markdown table: *header* cells, then one line per row of *rows* (cells already formatted).

    *align* has one letter per column, ``l`` (left) or ``r`` (right), or one
    letter for every column. Cells are written as given (no escaping).
    """
    if not header:
        raise ValueError("header is empty: a table needs at least one column.")
    rules = align * len(header) if len(align) == 1 else align
    if len(rules) != len(header) or set(rules) - set(_RULES):
        raise ValueError(
            f"align must be 'l' or 'r', or one of them per column ({len(header)}), got {align!r}."
        )
    lines = [_line(header), "|" + "".join(_RULES[a] + "|" for a in rules)]
    for row in rows:
        if len(row) != len(header):
            raise ValueError(
                f"every row needs {len(header)} cells (one per column), got {len(row)}: "
                f"{list(row)!r}."
            )
        lines.append(_line(row))
    return "\n".join(lines)


def _line(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"
