"""The data layer and the domain services import no Textual, and their packages import each other
one way only."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "frontdesk"
UI = {"app", "screens", "widgets"}


def _core_modules() -> list[str]:
    modules = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[1] in UI or parts[1].startswith("app") or parts[-1] == "__main__":
            continue
        modules.append(".".join(p for p in parts if p != "__init__"))
    return modules


def test_core_imports_no_textual() -> None:
    modules = _core_modules()
    assert "frontdesk.db.models" in modules and "frontdesk.overview" in modules
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"Textual imported by the core: {out.stdout}"


def test_sqlite_specific_code_stays_in_the_data_layer() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.relative_to(PACKAGE).parts[0] == "db":
            continue
        text = path.read_text(encoding="utf-8")
        if any(word in text for word in ("sqlite3", "SqliteDatabase", "PRAGMA", "sqlite_master")):
            offenders.append(str(path.relative_to(PACKAGE)))
    assert offenders == []


# helpers every layer uses: anything may import them (they import none of the services)
HELPERS = {"i18n", "errors", "notices", "clock", "vocabulary", "textrules", "db"}
# the command line starts the app: wiring, like app.py, not part of the core
WIRING = {"cli", "__main__", "__init__"}


def _top_level(path: Path) -> str:
    """``frontdesk.<name>`` that ``path`` belongs to: a package's or a module's name."""
    return path.relative_to(PACKAGE).with_suffix("").parts[0]


def _in_core(name: str) -> bool:
    return name not in UI and not name.startswith("app") and name not in WIRING


def _imported(path: Path) -> set[str]:
    """The top-level names of ``frontdesk`` that ``path`` imports, anywhere in it (inside
    functions and under ``TYPE_CHECKING`` too)."""
    package = list(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        modules: list[str] = []
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the file's own package upwards
                parent = package[: len(package) - node.level + 1]
                base = ".".join([*parent, *([node.module] if node.module else [])])
            if base == "frontdesk":  # from frontdesk import audit, settings
                modules = [f"frontdesk.{alias.name}" for alias in node.names]
            else:
                modules = [base]
        for module in modules:
            parts = module.split(".")
            if parts[0] == "frontdesk" and len(parts) > 1:
                found.add(parts[1])
    return found


def _core_graph() -> dict[str, dict[str, list[str]]]:
    """Between the core's top-level packages and modules (helpers left out): who imports
    whom, with the files that do."""
    graph: dict[str, dict[str, list[str]]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        source = _top_level(path)
        if not _in_core(source):
            continue
        graph.setdefault(source, {})
        for target in _imported(path):
            if target != source and target not in HELPERS and _in_core(target):
                graph[source].setdefault(target, []).append(str(path.relative_to(PACKAGE)))
    return graph


def _cycles(graph: dict[str, dict[str, list[str]]]) -> list[list[str]]:
    """The strongly connected groups of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph.get(node, {}):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_core_packages_import_each_other_one_way() -> None:
    graph = _core_graph()
    # the graph sees what it must: a module-level import, one inside a function
    assert "audit" in graph["residents"] and "audit" in graph["settings"]
    assert "audit" in graph["cli_audit"]  # imported inside its functions only
    assert not any(name in graph for name in ("screens", "widgets", "app", "app_palette"))
    problems = []
    for group in _cycles(graph):
        edges = [
            f"  {source} -> {target} ({', '.join(graph[source][target])})"
            for source in group
            for target in sorted(graph[source])
            if target in group
        ]
        problems.append(" <-> ".join(group) + ":\n" + "\n".join(edges))
    assert problems == [], "import cycles in the core:\n" + "\n".join(problems)
