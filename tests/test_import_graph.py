"""No two hub modules import each other, however indirectly: not at the top of a file, and
not inside a function either (an import moved into a function hides a cycle; it does not
break it)."""

from __future__ import annotations

import ast
from pathlib import Path

HUB = Path(__file__).resolve().parents[1] / "hub"


def module_names() -> dict[str, Path]:
    names = {}
    for path in HUB.rglob("*.py"):
        parts = path.relative_to(HUB.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names[".".join(parts)] = path
    return names


def imported_modules(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The hub modules this one imports anywhere in its text."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package[: len(package) - (node.level - 1)]
                base = ".".join([*parent, *([node.module] if node.module else [])])
            # `from package import module` names a module; `from module import name`, the
            # module.
            candidates = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                for alias in node.names
            ]
        else:
            continue
        for candidate in candidates:
            while candidate and candidate not in modules:
                candidate = candidate.rpartition(".")[0]
            if candidate.startswith("hub") and candidate != name:
                found.add(candidate)
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_no_hub_modules_import_each_other():
    modules = module_names()
    graph = {name: imported_modules(name, path, modules) for name, path in modules.items()}
    assert len(graph) > 50
    assert any("hub.groups.access" in imports for imports in graph.values())
    assert cycles(graph) == []


def test_the_walk_finds_a_cycle_hidden_in_a_function(tmp_path):
    graph = {"hub.a": {"hub.b"}, "hub.b": {"hub.c"}, "hub.c": {"hub.a"}, "hub.d": {"hub.a"}}
    assert cycles(graph) == [["hub.a", "hub.b", "hub.c"]]
    path = tmp_path / "probe.py"
    path.write_text("def later():\n    from hub.groups import service\n")
    modules = {"hub.probe": path, "hub.groups": path, "hub.groups.service": path}
    assert imported_modules("hub.probe", path, modules) == {"hub.groups.service"}
