"""course.notebook_runner on files that are not notebooks: each is named, with what to do (nothing
is executed)."""

from __future__ import annotations

import re

import nbformat
import pytest

from e2e_helpers.course import notebook_runner

BAD_NOTEBOOKS = {
    "not JSON": (b"this is not json", r"NotJSONError: Notebook does not appear to be JSON"),
    "empty file": (b"", r"NotJSONError"),
    "not UTF-8": (b"\xff\xfe{}", r"UnicodeDecodeError"),
    "a JSON list": (b"[1, 2]", r"AttributeError"),
    "cells not a list": (
        b'{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": "x"}',
        r"ValidationError",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_NOTEBOOKS))
def test_check_names_a_file_that_is_not_a_notebook(tmp_path, capsys, case):
    content, detail = BAD_NOTEBOOKS[case]
    bad = tmp_path / "01_broken.ipynb"
    bad.write_bytes(content)
    good = tmp_path / "02_fine.ipynb"
    nbformat.write(nbformat.v4.new_notebook(), good)
    assert notebook_runner.main(["check", str(bad), str(good)]) == 1
    out = capsys.readouterr().out
    expected = (
        re.escape(str(bad))
        + r" is not a readable Jupyter notebook \(.*"
        + detail
        + r".*\): restore it \(e\.g\. `git checkout -- "
    )
    assert re.search(expected, out), out
    assert str(good) not in out, "the other notebooks are still checked, and this one is fine"
    with pytest.raises(ValueError, match=expected):
        notebook_runner.execute(bad, fast=True)  # refused before any kernel starts
