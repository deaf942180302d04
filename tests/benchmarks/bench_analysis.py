"""Speed of the analysis: batch over a long recording, and the live path per 10 ms block.

Run:  python tests/benchmarks/bench_analysis.py [--minutes 60] [--rate 200]

Prints figures, asserts nothing. Wall and CPU seconds are both shown: on a machine shared with
other work the CPU seconds are the fair figure. The recording is simulated (loaded hip thrust
sets with rests between them) and analysed with sensors.pipeline.analyze; then the same samples
are fed
to LivePipeline in blocks of 10 ms and each call is timed. VQF alone is timed for reference.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np
from vqf import VQF

from sensors.pipeline import LivePipeline, analyze
from sensors.samples import SampleBlock
from sensors.simulator import SetScenario, simulate


def recording(minutes: float, rate_hz: float) -> tuple[SampleBlock, int]:
    """Exactly ``minutes`` of loaded hip thrust: a simulated 3-set session repeated end to
    end (times shifted), then cut. Returns the block and the number of true reps in it."""
    scenario = SetScenario(
        exercise="loaded_hip_thrust",
        reps=10,
        sets=3,
        rest_s=60.0,
        hold_s=2.0,
        rerack=True,
        rate_hz=rate_hz,
        seed=3,
    )
    rec = simulate(scenario)
    block = rec.block
    span = block.duration_s + 1.0 / rate_hz
    repeats = int(np.ceil(minutes * 60.0 / span))
    parts = [
        SampleBlock(block.t + k * span, block.acc, block.gyr, block.gap) for k in range(repeats)
    ]
    whole = SampleBlock.concat(parts)
    n = round(minutes * 60.0 * rate_hz)
    tops = np.array([r.top_s for r in rec.truth.reps])
    all_tops = (tops[None, :] + span * np.arange(repeats)[:, None]).ravel()
    return whole[:n], int((all_tops < whole.t[n - 1]).sum())


def _best_of(repeats: int, work) -> tuple[float, float]:
    """The best wall-clock and CPU seconds of ``repeats`` runs (CPU time is what counts on a
    shared machine, where wall time also holds other processes' turns)."""
    wall, cpu = np.inf, np.inf
    for _ in range(repeats):
        w0, c0 = time.perf_counter(), time.process_time()
        work()
        wall = min(wall, time.perf_counter() - w0)
        cpu = min(cpu, time.process_time() - c0)
    return wall, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--rate", type=float, default=200.0)
    args = parser.parse_args()
    block, true_reps = recording(args.minutes, args.rate)
    block = SampleBlock.from_arrays(block.t, block.acc, block.gyr, block.gap)
    n = len(block)
    print(f"recording: {block.duration_s / 60:.1f} min at {args.rate:.0f} Hz, {n} samples")

    vqf_wall, vqf_cpu = _best_of(3, lambda: VQF(1.0 / args.rate).updateBatch(block.gyr, block.acc))
    print(f"VQF updateBatch alone: {vqf_wall:.3f} s wall, {vqf_cpu:.3f} s CPU")
    result = analyze(block)
    wall, cpu = _best_of(3, lambda: analyze(block))
    print(
        f"batch analyze: {wall:.3f} s wall, {cpu:.3f} s CPU ({n / cpu:,.0f} samples per CPU "
        f"second), {len(result.reps)} reps found of {true_reps}"
    )

    step = max(1, round(0.010 * args.rate))
    pipeline = LivePipeline()
    times = np.empty((n + step - 1) // step)
    for k, start in enumerate(range(0, n, step)):
        part = block[start : start + step]
        t0 = time.perf_counter()
        pipeline.process(part)
        times[k] = time.perf_counter() - t0
    pipeline.finish()
    ms = 1000.0 * times
    print(
        f"live, {step}-sample blocks (10 ms): median {np.median(ms):.3f} ms, "
        f"p99 {np.percentile(ms, 99):.3f} ms, max {ms.max():.3f} ms over {times.size} blocks; "
        f"{len(pipeline.reps)} reps"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
