"""A screenshot of the planner panel alone, into docs/screenshots/planner.png.

The single-leg 3 s hold rung with a low-back problem flagged, one simulated set recorded and
scored, the next set armed. Run: ``python tests/benchmarks/make_planner_screenshot.py``.
"""

from __future__ import annotations

import os
import pathlib
import sys
from datetime import date

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

import desktop.app  # noqa: F401  (refcount guard before Qt)
from desktop.app.planner_panel import PlannerPanel
from desktop.app.theme import apply_theme
from desktop.planner.exercises import load_exercises
from desktop.planner.history import EMPTY
from desktop.planner.panel_model import PlannerModel
from sensors.pipeline import analyze
from sensors.simulator import SetScenario, simulate

OUT = pathlib.Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "planner.png"


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_theme(app)
    model = PlannerModel.from_record(EMPTY, load_exercises(), date(2026, 11, 2))
    model.override("single_leg_hold")
    panel = PlannerPanel(model)
    panel.resize(560, 980)
    panel.show()
    panel.shift_checks[1].setChecked(True)
    rec = simulate(SetScenario(exercise="single_leg_hip_thrust", reps=11, hold_s=3.0, seed=2))
    panel.record_set(analyze(rec.block).reps)
    for _ in range(5):
        app.processEvents()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    panel.grab().save(str(OUT))
    print(OUT.relative_to(OUT.parents[2]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
