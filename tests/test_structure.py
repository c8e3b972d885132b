"""The shape of the code the architecture promises: no import cycle, no writer importing another writer or
the build, and the disclosure rule applied in one module only."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

from factory import ROOT

PACKAGE = ROOT / "plugins"
WRITERS = ("gazette.site", "gazette.pdf", "gazette.search")


def _modules() -> dict[str, Path]:
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        name = ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
        modules[name.removesuffix(".__init__")] = path
    return modules


@cache
def _nodes() -> dict[str, list[ast.AST]]:
    """Every module's syntax nodes, parsed once for the module's tests (a second or so each time)."""
    return {name: list(ast.walk(ast.parse(path.read_text(encoding="utf-8")))) for name, path in _modules().items()}


@cache
def _imports() -> dict[str, set[str]]:
    """Every module → the project modules it imports, at the top or inside a function."""
    modules = _modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in _nodes()[name]:
            if isinstance(node, ast.ImportFrom):
                base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
                target = ".".join([*base, *([node.module] if node.module else [])])
                candidates = [f"{target}.{alias.name}" for alias in node.names]
                # `from . import x` names a submodule; `from .m import f` names the module m.
                candidates = [c for c in candidates if c in modules] or [target]
            elif isinstance(node, ast.Import):
                candidates = [alias.name for alias in node.names]
            else:
                continue
            graph[name].update(c for c in candidates if c in modules and c != name)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_import_graph_has_no_cycle() -> None:
    assert _cycles(_imports()) == []


def test_no_writer_imports_another_writer_or_the_build() -> None:
    wrong = []
    for name, imported in _imports().items():
        own = next((w for w in WRITERS if name == w or name.startswith(w + ".")), None)
        if own is None:
            continue
        for target in imported:
            other = next((w for w in WRITERS if target == w or target.startswith(w + ".")), None)
            if (other and other != own) or target in ("gazette.build", "gazette.checks", "gazette.loader"):
                wrong.append((name, target))
    assert wrong == []


def test_visibility_is_decided_in_one_module() -> None:
    calls = []
    for name, nodes in _nodes().items():
        for node in nodes:
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "visibility":
                calls.append(name)
    assert set(calls) == {"gazette.visibility"}
