"""Helpers for the session library tests: small synthetic blocks, reps and set summaries."""

from __future__ import annotations

import math

import numpy as np

from sensors.metrics import RepMetrics, SetSummary
from sensors.samples import SampleBlock

RATE_HZ = 200.0


def make_block(start: int, n: int, rate_hz: float = RATE_HZ) -> SampleBlock:
    """Samples ``start .. start + n - 1`` of one deterministic noisy recording: any split
    of the index range joins back to the same samples."""
    k = np.arange(start, start + n, dtype=np.float64)
    t = k / rate_hz
    wiggle = np.sin(np.outer(k, [1.7, 2.3, 3.1]) + np.sqrt(k)[:, None])
    acc = 0.3 * wiggle + np.array([0.0, 0.0, 9.80665])
    gyr = 0.02 * np.cos(np.outer(k, [0.7, 1.1, 1.3]))
    gap = (np.arange(start, start + n) % 97) == 3
    return SampleBlock.from_arrays(t, acc, gyr, gap)


def make_rep(index: int, set_index: int = 1, start_s: float | None = None) -> RepMetrics:
    """A plausible rep; bottom pause NaN on the first rep, tilt NaN (bar mount)."""
    start = 2.0 + 4.0 * index if start_s is None else start_s
    return RepMetrics(
        index=index,
        set_index=set_index,
        start_s=start,
        top_s=start + 0.8,
        end_s=start + 3.1,
        hold_s=1.0 + index / 100,
        rom_m=0.20 + index / 1000,
        concentric_s=0.8,
        eccentric_s=1.3,
        bottom_pause_s=math.nan if index == 1 else 0.9,
        mean_velocity_mps=0.3,
        peak_velocity_mps=0.55,
        forward_at_top_m=0.01,
        tilt_change_deg=math.nan,
    )


def make_summary(index: int, reps: list[RepMetrics]) -> SetSummary:
    return SetSummary(
        index=index,
        start_s=reps[0].start_s,
        end_s=reps[-1].end_s,
        rep_count=len(reps),
        mean_hold_s=float(np.mean([r.hold_s for r in reps])),
        mean_rom_m=float(np.mean([r.rom_m for r in reps])),
        rom_loss_pct=1.5,
        velocity_loss_pct=math.nan,
    )


def same_block(a: SampleBlock, b: SampleBlock) -> bool:
    """Bit-for-bit equality of two blocks."""
    return all(
        x.dtype == y.dtype and x.shape == y.shape and x.tobytes() == y.tobytes()
        for x, y in ((a.t, b.t), (a.acc, b.acc), (a.gyr, b.gyr), (a.gap, b.gap))
    )


def rep_dicts(reps: list[RepMetrics]) -> list[dict]:
    return [r.to_dict() for r in reps]
