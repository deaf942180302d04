"""Screenshots of replay, history, the calibration wizard and the self-test, offscreen.

Writes docs/screenshots/replay.png, history.png, calibration_faces.png,
calibration_result.png and self_test.png from simulated data (a fresh temporary library).
Run: ``python tests/benchmarks/make_screenshots_more.py``.
"""

from __future__ import annotations

import os
import pathlib
import sys
import tempfile
from dataclasses import replace

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QWidget

import desktop.app  # noqa: F401  (refcount guard before Qt)
from desktop.app.calibration_device import BENCH_URI, BenchDevice
from desktop.app.calibration_wizard import CalibrationWizard
from desktop.app.history_view import HistoryView
from desktop.app.replay_window import ReplayWindow
from desktop.app.self_test_device import SimulatedBridges
from desktop.app.self_test_view import STEPS, SelfTestView
from desktop.app.theme import apply_theme
from sensors.simulator import get_preset

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots"
sys.path.insert(0, str(ROOT / "tests" / "desktop" / "app"))
from make_screenshots import wait_until  # noqa: E402  (the live window's script, beside)
from recorded import record_session  # noqa: E402  (the tests' session recorder)

WEEKS = (
    ("2026-10-06T17:30:00+00:00", 20.0, 1.5, 6),
    ("2026-10-13T17:30:00+00:00", 30.0, 2.0, 7),
    ("2026-10-20T17:30:00+00:00", 40.0, 2.5, 8),
    ("2026-10-27T17:30:00+00:00", 40.0, 3.0, 8),
    ("2026-11-03T17:30:00+00:00", 50.0, 3.0, 8),
    ("2026-11-10T17:30:00+00:00", 60.0, 3.2, 8),
)
"""Back-dated sessions of one athlete: date, load (kg), hold (s) and reps per set; the plan
asks for 8 reps with a 3 s hold."""


def shoot(app: QApplication, widget: QWidget, name: str) -> None:
    for _ in range(5):
        app.processEvents()
    path = OUT / name
    widget.grab().save(str(path))
    print(path.relative_to(ROOT))


def shown(widget, width: int, height: int):
    """``widget`` resized and shown."""
    widget.resize(width, height)
    widget.show()
    return widget


def close(app: QApplication, widget: QWidget) -> None:
    """Close and delete a view before the next one (and before the application ends)."""
    widget.close()
    widget.deleteLater()
    app.processEvents()


def replay_and_history(app: QApplication, data: str) -> None:
    base = get_preset("three_sets")
    ids = [
        record_session(
            data,
            replace(base, hold_s=hold, reps=reps, seed=seed, fatigue=0.2 + 0.1 * seed),
            athlete="Alex",
            load_kg=load,
            targets={"reps": 8, "hold_s": 3.0, "tempo": "2-1-1-3"},
            started_at=started,
        )
        for seed, (started, load, hold, reps) in enumerate(WEEKS)
    ]
    replay = shown(ReplayWindow(data), 1600, 960)
    replay.open_ref(str(ids[-1]))
    wait_until(app, lambda: replay.analysis is not None)
    rep = replay.analysis.reps[11]
    replay.seek(rep.top_s + 0.6 * rep.hold_s)
    shoot(app, replay, "replay.png")
    close(app, replay)

    history = shown(HistoryView(data), 1600, 900)
    history.athlete_box.setCurrentText("Alex")
    shoot(app, history, "history.png")
    close(app, history)


def calibration(app: QApplication, data: str) -> None:
    wizard = shown(CalibrationWizard(data, device_factory=lambda uri: BenchDevice()), 1000, 640)
    wizard.connect_device(BENCH_URI)

    def finish_step() -> None:
        for _ in range(400):
            wizard.poll()
            if wizard.next_button.isEnabled():
                wizard.next_button.click()
                return
        raise SystemExit(f"calibration step {wizard.step} did not finish")

    finish_step()
    while len(wizard.faces.faces) < 3:
        wizard.poll()
    for _ in range(6):  # the fourth face shown live, being held
        wizard.poll()
    shoot(app, wizard, "calibration_faces.png")
    for _ in range(3):
        finish_step()
    shoot(app, wizard, "calibration_result.png")
    close(app, wizard)


def self_test(app: QApplication, data: str) -> None:
    view = shown(SelfTestView(data, device_factory=lambda uri: SimulatedBridges()), 1000, 680)
    view.athlete_box.setCurrentText("Alex")
    view.connect_device("sim://self-test")
    for _ in STEPS:
        view.start_step()
        while view.recording:
            view.poll()
    shoot(app, view, "self_test.png")
    close(app, view)


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_theme(app)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as data:
        replay_and_history(app, data)
        calibration(app, data)
        self_test(app, data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
