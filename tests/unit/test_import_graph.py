"""The package's modules import each other without cycles (type-checking imports included).

A cycle between two modules means neither can be understood, tested or moved without the
other; lazy imports inside functions (how boto3 and optional parts stay unloaded) do not count.
"""

from __future__ import annotations

import ast
from pathlib import Path

import feedback_core

SRC = Path(feedback_core.__file__).parent


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Modules of feedback_core imported at module level (including under TYPE_CHECKING)."""
    found: set[str] = set()
    body = ast.parse(path.read_text()).body
    nodes: list[ast.stmt] = []
    for node in body:
        nodes.append(node)
        if isinstance(node, ast.If):  # if TYPE_CHECKING: ...
            nodes.extend(node.body)
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.startswith("feedback_core"):
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("feedback_core"))
    return found


def graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in SRC.rglob("*.py")}
    edges: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = {t for t in imports_of(path) if t in modules and t != name}
        # A package's __init__ re-exports its modules; importing a module through its package
        # is not a cycle of the module's own making.
        edges[name] = {t for t in targets if not name.startswith(f"{t}.")}
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    found: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for target in sorted(edges.get(node, ())):
            if state.get(target) == 1:
                found.append([*stack[stack.index(target) :], target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node)
    return found


def test_no_module_imports_itself_through_another() -> None:
    """No import cycle among feedback_core's modules."""
    assert [] == cycles(graph())
