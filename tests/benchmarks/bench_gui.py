"""Benchmark of the live window: redraw rate, CPU share, sample-to-screen latency, memory.

Plays a looping 200 Hz simulated session (three sets of loaded hip thrusts) through the REAL
window (runner, analysis, recording into a temporary library, plots, numbers, table):
1. ten minutes of device time as fast as possible, the window polling without pause:
   frames per second drawn, and resident memory at the start and the end (at this pace the
   runner's thread decodes and analyses ~60,000 samples/s and holds the GIL most of the time,
   so the GUI thread is starved: this figure is a floor, not the window's capacity);
2. ten seconds paced at 8 x real time (more blocks than frames): the redraw rate sustained;
3. real-time pace for ``--realtime-s`` seconds with the normal 60 Hz poll: the process's CPU
   share of one core (every thread: device decoding, analysis, recording, drawing) and the
   latency from a block's arrival at the runner to the paint that shows it.
Run: ``python tests/benchmarks/bench_gui.py [--minutes 10] [--realtime-s 20]`` (offscreen).
Figures depend on the machine and on its load: run it on a quiet machine.
Targets: 60 frames/s, < 30 % of one core at real-time pace, latency < 20 ms, memory flat.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import sys
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from desktop.app.main import build_window
from desktop.app.theme import apply_theme

SOURCE = "sim://three_sets?rate=200&loop=1&speed={speed}"


def rss_mb() -> float:
    """Resident memory of this process in MB (Linux /proc; peak RSS elsewhere)."""
    status = pathlib.Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def pump(app: QApplication, until) -> None:
    while not until():
        app.processEvents()


def fast_phase(app: QApplication, data: str, minutes: float) -> None:
    window = build_window(data, source=SOURCE.format(speed="max"), poll_hz=0)
    window.resize(1600, 960)
    window.show()
    pump(app, lambda: window.samples_seen > 0)
    rss0 = rss_mb()
    t0, frames0 = time.perf_counter(), window.frame_stats.frames
    samples0 = window.samples_seen
    checkpoints = []
    target_s = minutes * 60.0

    def done() -> bool:
        now = window.bridge.ring.latest("t")
        if not checkpoints or now >= checkpoints[-1][0] + 120.0:
            checkpoints.append((now, rss_mb()))
        return now >= target_s

    pump(app, done)
    wall = time.perf_counter() - t0
    frames = window.frame_stats.frames - frames0
    samples = window.samples_seen - samples0
    dropped = window.bridge.ring.overwritten
    window.close()
    print(
        f"fast playback: {samples} samples ({samples / 200 / 60:.1f} min at 200 Hz) in {wall:.1f} s"
    )
    print(f"  redraw rate           {frames / wall:6.1f} frames/s  (target 60)")
    print(f"  data rate             {samples / wall / 200:6.1f} x real time")
    print(f"  memory                {rss0:6.1f} MB at start, {rss_mb():.1f} MB at the end")
    print(
        "  memory over the session: "
        + ", ".join(f"{t / 60:.0f} min {m:.0f} MB" for t, m in checkpoints)
    )
    print(f"  sets seen {window.set_model.sets_done}, ring rows overwritten {dropped}")


def paced_phase(app: QApplication, data: str, seconds: float, speed: float) -> None:
    """Data faster than the screen (``speed`` x real time) without starving the GUI thread:
    the redraw rate the window sustains under its 60 frames/s cap."""
    window = build_window(data, source=SOURCE.format(speed=f"{speed:g}"), poll_hz=120)
    window.resize(1600, 960)
    window.show()
    pump(app, lambda: window.samples_seen > 0)
    window.frame_stats.reset()
    t0 = time.perf_counter()
    pump_sleep(app, t0 + seconds)
    wall = time.perf_counter() - t0
    frames = window.frame_stats.frames
    window.close()
    print(f"paced at {speed:g} x real time for {wall:.1f} s:")
    print(f"  redraw rate           {frames / wall:6.1f} frames/s  (capped at 60)")


def realtime_phase(app: QApplication, data: str, seconds: float) -> None:
    window = build_window(data, source=SOURCE.format(speed="1"), poll_hz=120)
    window.resize(1600, 960)
    window.show()
    pump(app, lambda: window.samples_seen > 0)
    warm = time.perf_counter() + 2.0
    pump(app, lambda: time.perf_counter() > warm)
    window.frame_stats.reset()
    cpu0, gui0, t0 = time.process_time(), time.thread_time(), time.perf_counter()
    end = t0 + seconds
    pump_sleep(app, end)
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - t0
    gui = time.thread_time() - gui0
    p50, p99 = window.frame_stats.latency_percentiles_ms(50, 99)
    frames = window.frame_stats.frames
    window.close()
    print(f"real-time pace for {wall:.1f} s (120 Hz poll, at most 60 frames/s):")
    print(f"  CPU share             {100 * cpu / wall:6.1f} % of one core  (target < 30 %)")
    print(f"  redraw rate           {frames / wall:6.1f} frames/s (one per block of new samples)")
    per_frame = 1000 * gui / max(frames, 1)
    print(
        f"  GUI thread            {per_frame:6.1f} ms per frame (polls, events, drawing):"
        f" room for {1000 / per_frame:.0f} frames/s"
    )
    print(
        f"  latency               {p50:6.1f} ms median, {p99:.1f} ms 99th percentile"
        "  (target < 20 ms)"
    )


def pump_sleep(app: QApplication, end: float) -> None:
    """Run the event loop like app.exec() would (blocking waits, no busy polling)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(int((end - time.perf_counter()) * 1000), loop.quit)
    loop.exec()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="device minutes played fast")
    parser.add_argument("--realtime-s", type=float, default=20.0, help="seconds at real time")
    parser.add_argument("--paced-speed", type=float, default=8.0, help="speed of the paced run")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_theme(app)
    with tempfile.TemporaryDirectory() as data:
        fast_phase(app, data, args.minutes)
        paced_phase(app, data, 10.0, args.paced_speed)
        realtime_phase(app, data, args.realtime_s)
    return 0


if __name__ == "__main__":
    sys.exit(main())
