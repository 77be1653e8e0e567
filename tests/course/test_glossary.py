"""course.glossary: the glossary's entries, and every term's first use in a notebook defined or
linked."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from e2e_helpers.course import glossary
from e2e_helpers.course.notebook_runner import notebook_paths

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = notebook_paths(ROOT / "notebooks")
ENTRIES = glossary.entries(ROOT / glossary.GLOSSARY)

TOY = """# Glossary

## Speech

### HMM
*Also:* hidden Markov model
A model of hidden states. Taught in 02, §2.4.

### CTC blank
The symbol for "no digit here". Taught in 02, §3.

### word error rate
*Also:* WER
Word edits over true words. Taught in 02, §4.
"""


def _notebook(folder: Path, *cells: str) -> Path:
    book = {
        "cells": [{"cell_type": "markdown", "metadata": {}, "source": [c]} for c in cells],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path = folder / "01_toy.ipynb"
    path.write_text(json.dumps(book), encoding="utf-8")
    return path


@pytest.fixture
def toy(tmp_path) -> list[glossary.Entry]:
    (tmp_path / "GLOSSARY.md").write_text(TOY, encoding="utf-8")
    return glossary.entries(tmp_path / "GLOSSARY.md")


def test_entries_are_read_with_their_other_names_and_anchors(toy):
    assert [(e.term, e.names, e.anchor) for e in toy] == [
        ("HMM", ("hidden Markov model",), "hmm"),
        ("CTC blank", (), "ctc-blank"),
        ("word error rate", ("WER",), "word-error-rate"),
    ]
    assert toy[0].text == "A model of hidden states. Taught in 02, §2.4."


def test_names_match_whole_words_plurals_and_acronyms_in_their_case(toy):
    hmm, _, wer = toy
    assert hmm.pattern().search("three HMMs")
    assert hmm.pattern().search("Hidden Markov models learn")
    assert not hmm.pattern().search("hmm, said the learner") and not hmm.pattern().search("HMMER")
    assert wer.pattern().search("the WER") and not wer.pattern().search("the wer")
    assert wer.pattern().search("Word error rates")


def test_a_first_use_in_code_a_link_target_or_a_heading_does_not_count(tmp_path, toy):
    path = _notebook(
        tmp_path,
        "## The HMM\n\n`HMM` in code, a [link](https://x.org/HMM).",
        "The HMM is used here first.",
        "**Hidden Markov models** are defined late.",
    )
    assert list(glossary.undefined_first_uses(path, toy)) == [
        "'HMM' (first used in markdown cell 1: 'HMM')"
    ]


def test_bold_or_a_link_defines_and_link_first_uses_adds_the_links(tmp_path, toy):
    path = _notebook(
        tmp_path,
        "A **word error rate** (WER) and an HMM.",
        "The HMM and the CTC blank, the [blank](GLOSSARY.md#ctc-blank).",
    )
    assert len(list(glossary.undefined_first_uses(path, toy))) == 1
    assert glossary.link_first_uses(path, toy) == ["HMM"]
    first = json.loads(path.read_text(encoding="utf-8"))["cells"][0]["source"]
    assert "".join(first) == "A **word error rate** (WER) and an [HMM](GLOSSARY.md#hmm)."
    assert list(glossary.undefined_first_uses(path, toy)) == []
    assert glossary.main([str(path), "--glossary", str(tmp_path / "GLOSSARY.md")]) == 0


def test_an_entry_without_text_is_refused(tmp_path):
    (tmp_path / "GLOSSARY.md").write_text("### HMM\n\n### CTC\nA loss.\n", encoding="utf-8")
    with pytest.raises(ValueError, match="the entry 'HMM' has no text: define it"):
        glossary.entries(tmp_path / "GLOSSARY.md")


# -- the course's own glossary


def test_the_glossary_entries_are_short_unique_and_say_where_each_is_taught():
    assert len(ENTRIES) >= 60
    anchors = [e.anchor for e in ENTRIES]
    assert len(set(anchors)) == len(anchors), "one entry per term"
    for entry in ENTRIES:
        assert len(entry.text.split()) <= 90, f"{entry.term}: one or two sentences"
        where = r"(Taught|Used|Named|Explained) in 0[1-4]|[Aa]ssumed from"
        assert re.search(where, entry.text), f"{entry.term}: where is it taught?"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_glossary_term_a_notebook_uses_is_defined_or_linked_where_first_used(notebook):
    assert list(glossary.undefined_first_uses(notebook, ENTRIES)) == [], (
        "put the first use in bold where it is defined, or run "
        "`python -m e2e_helpers.course.glossary --link notebooks/*.ipynb`"
    )


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_glossary_link_reaches_an_entry(notebook):
    anchors = {e.anchor for e in ENTRIES}
    links = re.findall(r"GLOSSARY\.md#([\w-]+)", notebook.read_text(encoding="utf-8"))
    assert links and set(links) <= anchors, sorted(set(links) - anchors)
