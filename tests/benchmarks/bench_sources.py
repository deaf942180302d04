"""Benchmark of the source -> runner path; prints figures.

Run: python tests/benchmarks/bench_sources.py

1. Decode throughput: the simulated 1000 Hz board through the wire decoder and the runner, no
   analysis, as fast as possible.
2. The same with the live analysis (LivePipeline) on the runner's thread.
3. Real time at 200 Hz, drained at 60 Hz like the app: how long blocks wait in the runner
   (host receive to drain), and the runner thread's CPU share.
"""

from __future__ import annotations

import statistics
import time

from sensors.pipeline import LivePipeline
from sensors.runner import Runner


def throughput(uri: str, samples: int, pipeline=None) -> float:
    runner = Runner(uri, pipeline=pipeline, capacity_samples=1_000_000)
    runner.start()
    n = 0
    start = time.perf_counter()
    while n < samples:
        n += runner.drain().sample_count
        time.sleep(0.002)
    elapsed = time.perf_counter() - start
    runner.stop()
    return n / elapsed


def real_time(seconds: float) -> tuple[list[float], float]:
    runner = Runner("sim://hip_thrust_3s_hold?speed=1&loop=1", pipeline=LivePipeline())
    waits: list[float] = []
    cpu0 = time.thread_time()
    runner.start()
    end = time.perf_counter() + seconds
    process0 = time.process_time()
    while time.perf_counter() < end:
        time.sleep(1 / 60)
        batch = runner.drain()
        now = time.perf_counter()
        waits += [now - t for t in batch.receive_times]
    cpu = time.process_time() - process0 - (time.thread_time() - cpu0)
    runner.stop()
    return waits, cpu / seconds


def main() -> None:
    raw = throughput("sim://fast_1000hz?speed=max&loop=1", 600_000)
    print(
        f"decode + runner, no analysis: {raw:,.0f} samples/s "
        f"({raw / 1000:.0f}x real time at 1000 Hz)"
    )
    analysed = throughput("sim://hip_thrust_3s_hold?speed=max&loop=1", 100_000, LivePipeline())
    print(
        f"decode + runner + live analysis: {analysed:,.0f} samples/s "
        f"({analysed / 200:.0f}x real time at 200 Hz)"
    )
    waits, share = real_time(20.0)
    waits_ms = sorted(w * 1000 for w in waits)
    p99 = waits_ms[int(0.99 * (len(waits_ms) - 1))]
    print(
        f"real time 200 Hz, drained at 60 Hz: {len(waits)} blocks, wait in runner median "
        f"{statistics.median(waits_ms):.1f} ms, p99 {p99:.1f} ms; "
        f"worker CPU {100 * share:.1f} % of a core"
    )


if __name__ == "__main__":
    main()
