"""The headless packages never import Qt: sensors/, desktop/library, desktop/planner, the CLI."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEADLESS = ["sensors", "desktop/library", "desktop/planner"]


def headless_modules() -> list[str]:
    names = []
    for folder in HEADLESS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            rel = path.relative_to(ROOT).with_suffix("")
            parts = list(rel.parts)
            if parts[-1] == "__init__":
                parts.pop()
            names.append(".".join(parts))
    return names


def test_headless_packages_do_not_import_qt():
    modules = [*headless_modules(), "desktop.cli"]
    assert len(modules) > 20
    qt = ("PySide6", "pyqtgraph", "shiboken6")
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "importlib.import_module('desktop.cli').build_parser()  # every command registered\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {qt!r})\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.strip() == "", f"Qt imported by a headless module: {out.stdout}"
