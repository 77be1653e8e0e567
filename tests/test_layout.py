"""The package's layout keeps its rules: short modules, one-way imports, no private names across
modules.

Read from the source with ``ast`` (nothing is executed except each subpackage's ``__init__``), so a
rule broken anywhere fails here with the file and line to fix.
"""

from __future__ import annotations

import ast
import importlib
from functools import cache
from pathlib import Path

import pytest

import e2e_helpers

PACKAGE = Path(e2e_helpers.__file__).parent
MAX_LINES = 400
# Data flows one way: a subpackage imports only from those of lower rank (and the top-level
# helpers).
RANK = {"data": 1, "learn": 2, "speech": 3, "vision": 3, "explain": 4, "figures": 5, "course": 6}
TOP_LEVEL = {"config", "_checks", "_files", "_tables"}
# Command-line tools, each reached through its module; their package does not re-export them.
TOOLS = {
    "e2e_helpers.course.notebook_runner",
    "e2e_helpers.course.site",
    "e2e_helpers.course.colab_replica",
    "e2e_helpers.course.invariants",
    "e2e_helpers.course.glossary",
    "e2e_helpers.figures.__main__",
}
# The most public names the whole package may have (the notebooks' and README's surface).
MAX_PUBLIC = 200
# Imports that may sit inside a function: heavy or optional libraries whose import time matters.
LAZY_OK = {
    "torch",
    "torchvision",
    "torchaudio",
    "matplotlib",
    "ipywidgets",
    "anywidget",
    "traitlets",
    "captum",
    "IPython",
    "nbformat",
    "nbclient",
    "nbconvert",
    "sklearn",
    "skimage",
    "sphinx",
}
# config and course import with the standard library alone: any Python, nothing installed.
STDLIB_ONLY = {"e2e_helpers.config": {"numpy"}}


def _modules() -> dict[str, Path]:
    """Dotted module name -> file, for every module of the package."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = _modules()


@cache
def _tree(name: str) -> ast.Module:
    return ast.parse(MODULES[name].read_text(encoding="utf-8"), str(MODULES[name]))


def _is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def _resolve(name: str, node: ast.ImportFrom) -> str:
    """The absolute module an ``ImportFrom`` in module *name* reads from."""
    if not node.level:
        return node.module or ""
    base = name.split(".") if _is_package(name) else name.split(".")[:-1]
    base = base[: len(base) - node.level + 1]
    return ".".join([*base, node.module] if node.module else base)


@cache
def _star_modules(package: str) -> list[str]:
    """The modules whose public names subpackage *package* re-exports (``from .x import *``)."""
    return [
        _resolve(package, node)
        for node in _tree(package).body
        if isinstance(node, ast.ImportFrom) and [a.name for a in node.names] == ["*"]
    ]


@cache
def _declared(name: str) -> list[str]:
    """Module *name*'s ``__all__``, read from its source."""
    for node in _tree(name).body:
        if isinstance(node, ast.Assign) and any(
            getattr(t, "id", "") == "__all__" for t in node.targets
        ):
            return list(ast.literal_eval(node.value))
    return []


@cache
def _lazy_table(package: str) -> dict[str, str]:
    """``{public name: module}`` for the names subpackage *package* re-exports."""
    return {public: module for module in _star_modules(package) for public in _declared(module)}


def _imports(name: str) -> list[tuple[int, str, list[str], bool]]:
    """(line, module, names, inside a function) for every import in module *name*."""
    found = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            if isinstance(child, ast.Import):
                found.extend((child.lineno, alias.name, [], in_function) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                found.append(
                    (
                        child.lineno,
                        _resolve(name, child),
                        [a.name for a in child.names],
                        in_function,
                    )
                )
            visit(child, inner)

    visit(_tree(name), False)
    return found


def _edges(name: str) -> set[str]:
    """The package's modules that module *name* imports (through a subpackage's lazy table)."""
    targets = set()
    for _, module, names, _ in _imports(name):
        if not module.startswith("e2e_helpers"):
            continue
        for imported in names or [None]:
            full = f"{module}.{imported}" if imported else module
            if full in MODULES:
                targets.add(full)
            elif module in MODULES and imported in _lazy_table(module):
                targets.add(_lazy_table(module)[imported])
            elif module in MODULES:
                targets.add(module)
    return targets - {name}


def _subpackage(name: str) -> str:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_every_module_is_short():
    long = {
        name: n
        for name, path in MODULES.items()
        if (n := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}, f"modules over {MAX_LINES} lines: split them by concept"


def test_no_private_name_is_imported_across_modules():
    bad = [
        f"{MODULES[name]}:{line} imports {n} from {module}"
        for name in MODULES
        for line, module, names, _ in _imports(name)
        for n in names
        if n.startswith("_") and not n.startswith("__") and module.startswith("e2e_helpers")
    ]
    assert bad == [], "make the helper public where it belongs, or use e2e_helpers._checks / _files"


def test_data_flows_one_way_between_subpackages():
    bad = []
    for name in MODULES:
        source = _subpackage(name)
        for target in _edges(name):
            to = _subpackage(target)
            if name == "e2e_helpers" or to == source or to in TOP_LEVEL or to == "":
                continue
            if source in TOP_LEVEL or RANK[to] >= RANK[source]:
                bad.append(f"{name} imports {target}")
    assert bad == [], "data -> learn -> speech / vision -> explain -> figures -> course"


def test_no_import_cycles():
    graph = {name: _edges(name) for name in MODULES if name != "e2e_helpers"}
    state: dict[str, int] = {}

    def cycle_from(node: str, path: list[str]) -> list[str] | None:
        state[node] = 1  # on the current path
        for nxt in sorted(graph.get(node, set())):
            if state.get(nxt) == 1:
                return [*path, node, nxt]
            if nxt not in state and (found := cycle_from(nxt, [*path, node])):
                return found
        state[node] = 2  # done, no cycle through it
        return None

    for start in sorted(graph):
        if start not in state:
            found = cycle_from(start, [])
            assert found is None, f"import cycle: {' -> '.join(found)}"


def test_imports_inside_functions_are_only_heavy_optional_libraries():
    bad = [
        f"{MODULES[name]}:{line} imports {module} inside a function"
        for name in MODULES
        for line, module, _, inside in _imports(name)
        if inside and module.split(".")[0] not in LAZY_OK | STDLIB_ONLY.get(name, set())
    ]
    assert bad == [], "move the import to the top of the file"


@pytest.mark.parametrize("package", sorted(RANK))
def test_subpackage_says_what_lives_there_and_exports_every_public_name_once(package):
    full = f"e2e_helpers.{package}"
    doc = ast.get_docstring(_tree(full)) or ""
    assert len(doc.split()) >= 20, f"{full}'s docstring should say what lives there"
    module = importlib.import_module(full)
    names = [n for star in _star_modules(full) for n in _declared(star)]
    assert len(names) == len(set(names)), f"{full}: two modules export the same name"
    assert sorted(module.__all__) == sorted(names), f"{full}: __all__ is its modules' __all__"
    public = [
        name
        for name in MODULES
        if name.startswith(full + ".") and not name.rsplit(".", 1)[1].startswith("_")
    ]
    missing = [name for name in public if name not in _star_modules(full) and name not in TOOLS]
    assert missing == [], f"{full}/__init__.py re-exports no names of {missing}"
    for name in _star_modules(full):
        assert _declared(name) == list(importlib.import_module(name).__all__)
    for public_name in module.__all__:
        assert getattr(module, public_name) is not None


def _unannotated(tree: ast.Module) -> list[str]:
    found = []

    def check(fn: ast.FunctionDef | ast.AsyncFunctionDef, owner: str) -> None:
        args = [*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs]
        args = [a for a in args if a.arg not in ("self", "cls")]
        args += [a for a in (fn.args.vararg, fn.args.kwarg) if a is not None]
        if fn.returns is None or any(a.annotation is None for a in args):
            found.append(f"{owner}{fn.name} (line {fn.lineno})")

    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not node.name.startswith(
            "_"
        ):
            check(node, "")
        elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            for item in node.body:
                if isinstance(
                    item, (ast.FunctionDef, ast.AsyncFunctionDef)
                ) and not item.name.startswith("_"):
                    check(item, f"{node.name}.")
    return found


def test_public_functions_have_type_hints():
    bad = {
        str(MODULES[name].relative_to(PACKAGE)): found
        for name in MODULES
        if (found := _unannotated(_tree(name)))
    }
    assert bad == {}, "annotate every argument and the return of public functions and methods"


def test_the_public_surface_is_small():
    """Each subpackage's ``__all__`` is what the notebooks, exercises and README use, plus what a
    learner would reuse; everything else is internal (outside ``__all__``, or in a ``_x`` module).
    """
    counts = {p: len(importlib.import_module(f"e2e_helpers.{p}").__all__) for p in RANK}
    assert sum(counts.values()) <= MAX_PUBLIC, f"{counts}: at most {MAX_PUBLIC} public names"
