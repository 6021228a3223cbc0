"""The project's modules import each other in one direction only, and none grows too long.

- No import cycle between project modules (imports run when a module loads; imports under
  ``if TYPE_CHECKING:`` never run and are left out).
- No import of a project module inside a function or class body: such an import hides a cycle
  or an upward dependency. The one exception is ``AppConfig.ready()``, Django's place for
  wiring signals once every app has loaded (migrations are not checked).
"""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("casework", "workflows")


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _absolute(module: str, path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _targets(module: str, path: Path, node: ast.Import | ast.ImportFrom) -> set[str]:
    """The project modules an import statement loads by name."""
    if isinstance(node, ast.Import):
        names = {alias.name for alias in node.names}
    else:
        base = _absolute(module, path, node)
        names = {f"{base}.{alias.name}" for alias in node.names}
        names = {name if name in MODULES else base for name in names}
    return {name for name in names if name in MODULES}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _walk(module: str, path: Path):
    """(import node, where): where is "module", "type_checking" or the enclosing def/class."""
    tree = ast.parse(path.read_text(encoding="utf-8"))

    def visit(nodes, where):
        for node in nodes:
            if isinstance(node, ast.Import | ast.ImportFrom):
                yield node, where
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                yield from visit(node.body, node.name)
            elif isinstance(node, ast.If) and _is_type_checking(node):
                yield from visit(node.body, "type_checking")
                yield from visit(node.orelse, where)
            else:
                for field in ("body", "orelse", "finalbody", "handlers"):
                    yield from visit(getattr(node, field, []) or [], where)

    yield from visit(tree.body, "module")


def _graph() -> tuple[dict[str, set[str]], list[str]]:
    edges: dict[str, set[str]] = {module: set() for module in MODULES}
    inner: list[str] = []
    for module, path in MODULES.items():
        for node, where in _walk(module, path):
            targets = _targets(module, path, node)
            if not targets:
                continue
            if where == "module":
                edges[module] |= targets - {module}
            elif where == "type_checking":
                continue
            elif not (path.name == "apps.py" and where == "ready"):
                inner.append(f"{path.relative_to(ROOT)}:{node.lineno} in {where}()")
    return edges, inner


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in edges[node]:
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            connect(node)
    return found


def test_the_checker_sees_the_project():
    edges, _inner = _graph()
    assert "workflows.flows" in edges and "casework.registry.models" in edges
    assert "casework.registry.models" in edges["workflows.subjects"]


def test_the_checker_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycle_between_project_modules():
    edges, _inner = _graph()
    assert _cycles(edges) == []


def test_no_project_module_is_imported_inside_a_function_or_class():
    _edges, inner = _graph()
    assert inner == []


def test_no_module_is_over_400_lines():
    """A module past ~300 lines is split by use case; 400 is the hard limit."""
    long = {
        str(path.relative_to(ROOT)): length
        for path in MODULES.values()
        if (length := len(path.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert long == {}


def test_every_type_ignore_names_its_error_and_says_why():
    bare = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in MODULES.values()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if "# type: ignore" in line and not re.search(r"# type: ignore\[[\w-]+\]  # \S", line)
    ]
    assert bare == []
