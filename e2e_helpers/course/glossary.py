"""The course's glossary (``notebooks/GLOSSARY.md``): its entries, and where each notebook first
uses one.

An entry is a ``### Term`` heading, an optional ``*Also:* other name, other name`` line, then one
or two sentences that end with where the course teaches it. A notebook *defines* a term where
its first use is in bold (``**hidden Markov model**``) or *links* to the entry
(``[HMM](GLOSSARY.md#hmm)``); :func:`undefined_first_uses` lists the terms whose first use
does neither, and ``python -m e2e_helpers.course.glossary --link notebooks/*.ipynb`` turns each
such first use into a link. Standard library only.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

GLOSSARY = Path("notebooks") / "GLOSSARY.md"
_ENTRY = re.compile(r"^### (.+)$", re.M)
_ALSO = re.compile(r"^\*Also:\*\s*(.+)$", re.M)
# Not prose: code, HTML tags, headings; links are handled by prose().
_NOT_PROSE = re.compile(r"```.*?```|`[^`\n]*`|<[^>\n]*>|^#+ [^\n]*$", re.S | re.M)
_LINK = re.compile(r"!?\[([^\]\n]*)\]\(([^)]*)\)")


@dataclass(frozen=True)
class Entry:
    """One glossary entry: its *term*, the other *names* it goes by, its *text* and *anchor*."""

    term: str
    names: tuple[str, ...]
    text: str

    @property
    def anchor(self) -> str:
        """The heading's anchor as GitHub, JupyterLab's Markdown viewer and MyST make it."""
        slug = re.sub(r"[^\w\- ]", "", self.term.lower()).strip()
        return slug.replace(" ", "-")

    def pattern(self) -> re.Pattern[str]:
        """Any of the names as a whole word, plural allowed; a name with capitals after its first
        letter (HMM, AdamW) matches in its own case only, but for the first letter."""
        parts = []
        for name in (self.term, *self.names):
            body = re.escape(name[1:]).replace(r"\ ", r"[\s-]+")
            first = f"[{re.escape(name[0].lower())}{re.escape(name[0].upper())}]"
            cased = any(c.isupper() for c in name[1:])  # an acronym: its own case only
            parts.append(first + body if cased else f"(?i:{re.escape(name[0])}{body})")
        return re.compile(rf"(?<![\w-])(?:{'|'.join(parts)})(?:e?s)?(?![\w-])")


def entries(path: Path = GLOSSARY) -> list[Entry]:
    """The entries of the glossary at *path*, in order; a ``ValueError`` names a malformed one."""
    text = Path(path).read_text(encoding="utf-8")
    heads = list(_ENTRY.finditer(text))
    found = []
    for head, following in zip(heads, [*heads[1:], None]):
        body = text[head.end() : following.start() if following else len(text)].strip()
        also = _ALSO.match(body)
        names = tuple(n.strip() for n in also.group(1).split(",")) if also else ()
        body = body[also.end() :].strip() if also else body
        if not body:
            raise ValueError(f"{path}: the entry {head.group(1)!r} has no text: define it.")
        found.append(Entry(head.group(1).strip(), names, body))
    return found


def prose(markdown: str, anchor: str | None = None) -> str:
    """*markdown* with code, HTML tags, headings and links blanked (same length); the text of a
    link to the glossary entry *anchor* stays."""

    def blank(match: re.Match[str]) -> str:
        if anchor and match.group(2) == f"GLOSSARY.md#{anchor}":
            return " " + match.group(1) + " " * (len(match.group()) - len(match.group(1)) - 1)
        return " " * len(match.group())

    text = _NOT_PROSE.sub(lambda m: " " * len(m.group()), markdown)
    return _LINK.sub(blank, text)


def _markdown_cells(notebook: Path) -> list[str]:
    cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]


def first_use(cells: Sequence[str], entry: Entry) -> tuple[int, re.Match[str]] | None:
    """The first markdown cell (its index among *cells*) and the match where *entry* is used."""
    pattern = entry.pattern()
    for i, cell in enumerate(cells):
        match = pattern.search(prose(cell, entry.anchor))
        if match:
            return i, match
    return None


def is_defined_or_linked(cell: str, entry: Entry) -> bool:
    """Whether *cell* puts one of *entry*'s names in bold or links to its glossary entry."""
    if f"GLOSSARY.md#{entry.anchor})" in cell:
        return True
    pattern = entry.pattern()
    return any(pattern.search(bold) for bold in re.findall(r"\*\*(.+?)\*\*", cell, re.S))


def undefined_first_uses(notebook: Path, glossary: Sequence[Entry]) -> Iterator[str]:
    """Each glossary term whose first use in *notebook* is neither in bold nor linked."""
    cells = _markdown_cells(notebook)
    for entry in glossary:
        found = first_use(cells, entry)
        if found and not is_defined_or_linked(cells[found[0]], entry):
            yield f"{entry.term!r} (first used in markdown cell {found[0]}: {found[1].group()!r})"


def link_first_uses(notebook: Path, glossary: Sequence[Entry]) -> list[str]:
    """Turn each first use that is neither bold nor linked into a link to its entry, in place."""
    book = json.loads(Path(notebook).read_text(encoding="utf-8"))
    markdown = [c for c in book["cells"] if c["cell_type"] == "markdown"]
    linked = []
    for entry in glossary:
        cells = ["".join(c["source"]) for c in markdown]
        found = first_use(cells, entry)
        if not found or is_defined_or_linked(cells[found[0]], entry):
            continue
        i, match = found
        text = cells[i]
        link = f"[{match.group()}](GLOSSARY.md#{entry.anchor})"
        text = text[: match.start()] + link + text[match.end() :]
        markdown[i]["source"] = text.splitlines(keepends=True)
        linked.append(entry.term)
    Path(notebook).write_text(
        json.dumps(book, sort_keys=True, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return linked


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: list (or ``--link``) the first uses that are neither defined nor linked."""
    parser = argparse.ArgumentParser(prog="python -m e2e_helpers.course.glossary")
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--glossary", type=Path, default=GLOSSARY)
    parser.add_argument("--link", action="store_true", help="link each such first use")
    args = parser.parse_args(argv)
    glossary = entries(args.glossary)
    missing = 0
    for notebook in args.notebooks:
        if args.link:
            print(notebook, "linked:", ", ".join(link_first_uses(notebook, glossary)) or "none")
        for problem in undefined_first_uses(notebook, glossary):
            print(f"{notebook}: {problem}")
            missing += 1
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
