"""Simulator and CSV speed: prints figures, asserts nothing.

Run: python tests/benchmarks/bench_simulator.py
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import replace
from pathlib import Path

from sensors.recording_csv import read_csv, write_csv
from sensors.simulator import PRESETS, simulate


def _timed(label: str, func):
    start = time.perf_counter()
    result = func()
    print(f"{label:<52} {time.perf_counter() - start:7.3f} s")
    return result


def main() -> None:
    # about ten minutes: 3 sets of 12 reps with 3 s holds and 130 s rests
    session = replace(
        PRESETS["three_sets"], reps=12, hold_s=3.0, rest_s=130.0, dropouts_per_min=2.0
    )
    for rate in (200.0, 1000.0):
        rec = _timed(
            f"simulate {rate:.0f} Hz session",
            lambda rate=rate: simulate(replace(session, rate_hz=rate)),
        )
        print(
            f"    {rec.block.duration_s / 60:.1f} min, {len(rec.block)} samples, "
            f"{len(rec.truth.reps)} reps"
        )
    # an hour at 200 Hz for the CSV round trip
    hour = replace(session, sets=6, reps=20, rest_s=420.0, rate_hz=200.0)
    rec = _timed("simulate ~1 h at 200 Hz", lambda: simulate(hour))
    print(f"    {rec.block.duration_s / 60:.1f} min, {len(rec.block)} samples")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "hour.csv"
        _timed("write_csv", lambda: write_csv(path, rec.block))
        print(f"    {path.stat().st_size / 1e6:.1f} MB")
        block = _timed("read_csv", lambda: read_csv(path))
        print(f"    {len(block)} samples read back")


if __name__ == "__main__":
    main()
