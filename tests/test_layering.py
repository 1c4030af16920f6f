"""The screens' layering: no data layer, no app, one way to call a service; short modules."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "frontdesk"


MAX_LINES = 500
# declarative tables: data, not code (the issue allows them over the limit)
TABLES = {"demo/tables.py"}


def _imports(path: Path) -> list[str]:
    """Every module ``path`` imports, at any depth (inside functions and TYPE_CHECKING too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append(node.module)
            found += [f"{node.module}.{alias.name}" for alias in node.names]
    return found


@pytest.mark.parametrize("layer", ["screens", "widgets"])
def test_screens_and_widgets_reach_neither_the_data_layer_nor_the_app(layer: str) -> None:
    """Screens call services (through the base's ``call``); they type the app as ``DeskHost``."""
    offenders = []
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        for module in _imports(path):
            if module == "frontdesk.db" or module.startswith("frontdesk.db."):
                offenders.append(f"{path.relative_to(PACKAGE)} imports {module}")
            if module == "frontdesk.app" or module.startswith("frontdesk.app."):
                offenders.append(f"{path.relative_to(PACKAGE)} imports {module}")
    assert offenders == []


def test_screens_call_services_one_way() -> None:
    """No screen starts its own thread worker or hands results back by hand: ``call`` does."""
    offenders = []
    for path in sorted((PACKAGE / "screens").rglob("*.py")):
        if path.parent.name == "base" and path.name == "screen.py":
            continue
        text = path.read_text(encoding="utf-8")
        for habit in ("call_from_thread", "@work(", "Worker.StateChanged", "def desk_app"):
            if habit in text:
                offenders.append(f"{path.relative_to(PACKAGE)}: {habit}")
    assert offenders == []


def test_no_module_is_over_500_lines() -> None:
    long = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = str(path.relative_to(PACKAGE))
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES and name not in TABLES:
            long.append(f"{name}: {lines}")
    assert long == []
