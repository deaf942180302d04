"""Start the window: ``run_app(argv, data_dir)`` is what ``hipthrust`` with no command runs.

Options: ``--source URI`` (default: the remembered device, else the simulated sensor),
``--athlete NAME`` (whose sessions are recorded and planned; remembered), ``--station`` (full
screen, large fonts), ``--smoke[=SECONDS]`` (open the window on the
simulated sensor, run a few seconds, exit 0 if samples were drawn). ``build_window`` assembles
the real window from its parts; tests and benchmarks use it too.
"""

from __future__ import annotations

import argparse
import sys

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from desktop.app.auto_calibration import with_calibration
from desktop.app.extra_views import install_extra_views
from desktop.app.main_window import MainWindow
from desktop.app.planner_link import attach_planner
from desktop.app.recording import SessionRecording
from desktop.app.settings import AppSettings
from desktop.app.sound import SoundPlayer
from desktop.app.source_picker import pick_source
from desktop.app.theme import apply_theme
from desktop.library.paths import data_dir as resolve_data_dir
from desktop.planner.panel_model import model_for
from sensors.errors import SensorError
from sensors.pipeline import LivePipeline
from sensors.runner import Runner

DEMO_PRESET = "hip_thrust_3s_hold"
DEMO_PRESETS = {
    "glute_bridge": "glute_bridge",
    "single_leg_glute_bridge": "single_leg_bridge",
    "hip_thrust": "hip_thrust_3s_hold",
    "hip_thrust_feet_elevated": "hip_thrust_3s_hold",
    "single_leg_hip_thrust": "single_leg_hip_thrust",
    "barbell_hip_thrust": "loaded_fatigue",
}
"""Planner exercise id -> the simulated set that performs it, so the demo matches the plan."""


def demo_uri(exercise_id: str | None) -> str:
    """The looping simulated sensor for the planned exercise (the default preset otherwise)."""
    return f"sim://{DEMO_PRESETS.get(exercise_id or '', DEMO_PRESET)}?loop=1"


DEMO_URI = demo_uri(None)
"""The simulated sensor used when nothing else is chosen or a source cannot be opened."""
"""The simulated sensor the window falls back to: a looping hip thrust set with 3 s holds."""


def make_runner(uri: str) -> Runner:
    """A runner with the live analysis on ``uri``, reconnecting when the link drops."""
    return Runner(uri, pipeline=LivePipeline(), keep_connected=True)


def build_window(
    data_dir: str | None,
    *,
    source: str | None = None,
    poll_hz: float = 120.0,
    sound: SoundPlayer | None = None,
    planner: bool = True,
    extras: bool = True,
    athlete: str | None = None,
) -> MainWindow:
    """The real window on its data folder, streaming from ``source`` (or as in the docstring):
    stored calibrations applied as sensors connect, the planner panel in its plan dock unless
    ``planner`` is False, replay/history/calibration/self-test actions unless ``extras`` is."""
    folder = resolve_data_dir(data_dir)
    settings = AppSettings.load(folder)
    if athlete is not None:
        settings.athlete = athlete.strip()
    recording, notices = SessionRecording.open(folder)
    recording.athlete = settings.athlete or None
    uri = source or settings.last_uri
    if not uri:
        notices.append(
            "No sensor chosen yet: showing the simulated sensor. Press Ctrl+O to pick one."
        )
    window = MainWindow(
        runner_factory=with_calibration(make_runner, data_dir),
        settings=settings,
        fallback_uri=DEMO_URI,
        sound=sound,
        recording=recording,
        notices=notices,
        source_picker=pick_source,
        poll_hz=poll_hz,
    )
    if extras:
        install_extra_views(window)
    planned_exercise = None
    if planner:
        try:
            panel = attach_planner(window, model_for(data_dir, settings.athlete or None))
            planned_exercise = panel.current.exercise if panel.current else None
        except SensorError as exc:
            window.add_notice("planner", f"The planner is unavailable: {exc}")
    window.start_source(uri or demo_uri(planned_exercise))
    return window


def run_app(argv: list[str], data_dir: str | None) -> int:
    """Open the window and run until it closes; returns the exit code."""
    parser = argparse.ArgumentParser(prog="hipthrust", add_help=True)
    parser.add_argument(
        "--source", help="sensor URI, e.g. sim://hip_thrust_3s_hold or serial:///dev/ttyUSB0"
    )
    parser.add_argument("--station", action="store_true", help="full screen with large fonts")
    parser.add_argument(
        "--athlete", help="record and plan for this athlete (remembered for the next start)"
    )
    parser.add_argument(
        "--smoke",
        nargs="?",
        type=float,
        const=3.0,
        metavar="SECONDS",
        help="run a few seconds on the simulated sensor and exit (a self-test)",
    )
    args, qt_args = parser.parse_known_args(argv)
    app = QApplication.instance() or QApplication(["hipthrust", *qt_args])
    apply_theme(app)
    source = f"sim://{DEMO_PRESET}?speed=4" if args.smoke is not None else args.source
    window = build_window(data_dir, source=source, athlete=args.athlete)
    loop = QEventLoop()  # ends with the main window, even if replay or history windows are open
    window.closed.connect(loop.quit)
    window.show()
    if args.station or (window.settings.station_mode and args.smoke is None):
        window.set_station_mode(True)
    if args.smoke is not None:
        QTimer.singleShot(int(args.smoke * 1000), window.close)
    loop.exec()
    if args.smoke is not None:
        return _smoke_result(window)
    return 0


def _smoke_result(window: MainWindow) -> int:
    frames = window.frame_stats.frames
    samples = window.samples_seen
    if frames and samples:
        print(f"hipthrust smoke: ok, {samples} samples, {frames} frames drawn")
        return 0
    print(f"hipthrust smoke: FAILED, {samples} samples, {frames} frames drawn", file=sys.stderr)
    return 1
