"""Screenshots of the real window on the simulated sensor, into docs/screenshots/.

idle.png (connected, waiting for the first rep), mid_set_hold.png (a top hold in progress),
set_summary.png (the set ended by itself, with its reps and flags) and station_mode.png
(F11, large fonts). Run: ``python tests/benchmarks/make_screenshots.py`` (offscreen).
"""

from __future__ import annotations

import os
import pathlib
import sys
import tempfile
import time
from collections.abc import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

import desktop.app  # noqa: F401  (refcount guard before Qt)
from desktop.app.main import build_window
from desktop.app.theme import apply_theme

OUT = pathlib.Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SIZE = (1600, 960)


def wait_until(app: QApplication, condition: Callable[[], bool], timeout_s: float = 120.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("screenshot state not reached in time")
        app.processEvents()
        time.sleep(0.002)


def shoot(app: QApplication, window, name: str) -> None:
    """Freeze the live view, let it paint, save the window, carry on."""
    window.bridge.pause()
    for _ in range(5):
        app.processEvents()
    path = OUT / name
    window.grab().save(str(path))
    print(f"{path.relative_to(OUT.parents[1])}")
    window.bridge.resume()


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_theme(app)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as data:
        window = build_window(data, source="sim://hip_thrust_3s_hold?speed=3")
        window.resize(*SIZE)
        window.show()
        model = window.set_model
        wait_until(app, lambda: window.bridge.ring.latest("t") > 2.5)
        shoot(app, window, "idle.png")

        def holding() -> bool:
            hold = model.hold
            now = window.bridge.ring.latest("t")
            return (
                len(model.reps) >= 3
                and hold is not None
                and hold.ended_s is None
                and 2.0 < hold.elapsed_s(now) < 2.6
            )

        wait_until(app, holding)
        shoot(app, window, "mid_set_hold.png")
        wait_until(app, lambda: model.sets_done >= 1)
        shoot(app, window, "set_summary.png")
        window.set_station_mode(True)
        window.showNormal()  # the offscreen screen is small: show a 1080p station window
        window.resize(1920, 1080)
        shoot(app, window, "station_mode.png")
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
