"""The data layer and the domain services import no Textual."""

from __future__ import annotations

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
