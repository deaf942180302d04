"""Session library benchmark: recording cost at 1000 Hz, and opening + listing 1,000 sessions.

Run: ``python tests/benchmarks/bench_library.py [--seconds 20] [--sessions 1000]``.
Recording feeds a simulated 1000 Hz set to a Recorder in real time, 20 ms blocks, and reports
the process CPU share of one core and the library growth per hour. Listing builds a library of
N sessions (3 sets, 24 reps, 10 s of 200 Hz samples each) and times ``Library.open`` +
``list_sessions`` in this process and in a fresh one. Targets: < 2 % of a core, < 200 ms.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from desktop.library import Library, Recorder
from sensors.events import RepCompleted, SetEnded
from sensors.metrics import RepMetrics, SetSummary
from sensors.samples import SampleBlock
from sensors.simulator import SetScenario, simulate

BLOCK_S = 0.02


def library_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.glob("library.sqlite3*"))


def bench_recording(folder: Path, seconds: float) -> dict:
    """Feed ``seconds`` of 1000 Hz samples in real time; CPU share and bytes per hour."""
    sim = simulate(SetScenario(reps=10, rate_hz=1000.0, sets=1, seed=1)).block
    per_block = round(BLOCK_S * 1000)
    with Library.open(folder) as library:
        session_id = library.create_session(source="sim://bench")
        before = library_bytes(folder)
        recorder = Recorder(library, session_id)
        blocks = len(sim) // per_block
        span = sim.t[blocks * per_block - 1] - sim.t[0] + 1.0 / 1000
        k = 0
        wall0, cpu0 = time.perf_counter(), time.process_time()
        next_due = wall0
        while time.perf_counter() - wall0 < seconds:
            cycle, j = divmod(k, blocks)
            piece = sim[j * per_block : (j + 1) * per_block]
            shifted = piece.t + cycle * span
            recorder.add_block(SampleBlock(shifted, piece.acc, piece.gyr, piece.gap))
            k += 1
            next_due += BLOCK_S
            time.sleep(max(0.0, next_due - time.perf_counter()))
        recorder.close()
        wall = time.perf_counter() - wall0
        cpu = time.process_time() - cpu0
        info = library.session(session_id)
    grown = library_bytes(folder) - before
    return {
        "seconds": wall,
        "samples": info.sample_count,
        "cpu_share_pct": 100.0 * cpu / wall,
        "mb_per_hour": grown / 1e6 * 3600.0 / info.duration_s,
        "bytes_per_sample": grown / info.sample_count,
    }


def build_library(folder: Path, sessions: int) -> float:
    """A library of ``sessions`` plausible sessions; returns the seconds it took."""
    t0 = time.perf_counter()
    rng = np.random.default_rng(0)
    n = 2000
    t = np.arange(n) / 200.0
    block = SampleBlock.from_arrays(t, rng.normal(0, 1, (n, 3)), rng.normal(0, 0.1, (n, 3)))
    with Library.open(folder) as library:
        for s in range(sessions):
            session_id = library.create_session(athlete=f"Crew {s % 12}", source="sim://bench")
            with Recorder(library, session_id, flush_interval_s=0.01) as recorder:
                recorder.add_block(block)
                for set_index in (1, 2, 3):
                    recorder.begin_set("hip_thrust", None, 40.0, {"reps": 8, "hold_s": 3})
                    reps = [_rep(8 * (set_index - 1) + i + 1, set_index) for i in range(8)]
                    recorder.add_events(RepCompleted(r.end_s, r) for r in reps)
                    recorder.add_events([SetEnded(reps[-1].end_s, _summary(set_index, reps))])
    return time.perf_counter() - t0


def time_open_and_list(folder: Path, repeats: int = 7) -> tuple[list[float], int]:
    times, count = [], 0
    for _ in range(repeats):
        t0 = time.perf_counter()
        with Library.open(folder) as library:
            count = len(library.list_sessions())
        times.append(time.perf_counter() - t0)
    return times, count


def time_in_fresh_process(folder: Path) -> float:
    code = (
        "import sys, time\n"
        "from desktop.library import Library\n"
        "t0 = time.perf_counter()\n"
        "with Library.open(sys.argv[1]) as lib:\n"
        "    lib.list_sessions()\n"
        "print(time.perf_counter() - t0)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(folder)], capture_output=True, text=True, check=True
    )
    return float(out.stdout)


def _rep(index: int, set_index: int) -> RepMetrics:
    start = 5.0 * index
    return RepMetrics(
        index, set_index, start, start + 0.8, start + 4.0, 3.0, 0.25, 0.8, 1.5, 0.8,
        0.3, 0.6, 0.01, float("nan"),
    )  # fmt: skip


def _summary(index: int, reps: list[RepMetrics]) -> SetSummary:
    return SetSummary(index, reps[0].start_s, reps[-1].end_s, len(reps), 3.0, 0.25, 2.0, 5.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="recording run, wall time")
    parser.add_argument("--sessions", type=int, default=1000, help="sessions in the library")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        rec = bench_recording(Path(tmp) / "rec", args.seconds)
        print(
            f"recording 1000 Hz for {rec['seconds']:.1f} s ({rec['samples']} samples): "
            f"CPU {rec['cpu_share_pct']:.2f} % of one core (target < 2 %), "
            f"{rec['mb_per_hour']:.0f} MB per hour ({rec['bytes_per_sample']:.1f} bytes/sample)"
        )
        folder = Path(tmp) / "big"
        built = build_library(folder, args.sessions)
        size = library_bytes(folder) / 1e6
        print(f"built a library of {args.sessions} sessions in {built:.1f} s ({size:.0f} MB)")
        times, count = time_open_and_list(folder)
        fresh = time_in_fresh_process(folder)
        print(
            f"open + list {count} sessions: median {1000 * statistics.median(times):.1f} ms, "
            f"max {1000 * max(times):.1f} ms in-process; {1000 * fresh:.1f} ms in a fresh "
            "process (target < 200 ms)"
        )


if __name__ == "__main__":
    main()
