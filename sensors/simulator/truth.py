"""Ground truth reps and sets from a true trajectory, by the shared rules the analysis is
scored with (docs/formats.md, "Definitions of the truth fields").

Input is a finely sampled true height h(t) and vertical velocity v(t) (plus forward travel
and pelvic tilt); crossings of v = +-0.05 m/s are interpolated linearly between samples.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sensors.metrics import RepMetrics, SetSummary
from sensors.simulator.trajectory import SPEED_THRESHOLD_MPS

MIN_ROM_M = 0.03
"""A rise smaller than this is never a rep."""

MIN_ROM_FRACTION = 0.6
"""A rise counts only if its ROM is at least this fraction of the set's median ROM."""

DEFAULT_SET_REST_S = 20.0
"""A set ends when no rep starts within this time after its last rep's end."""


@dataclass(frozen=True, slots=True)
class Rise:
    """A rise and its return: crossing times (s) and range of motion (m), not yet judged."""

    start_s: float
    top_s: float
    hold_end_s: float
    end_s: float
    rom_m: float


def find_rises(t: np.ndarray, h: np.ndarray, v: np.ndarray) -> list[Rise]:
    """Every rise (v above +V, then below -V) in the sampled trajectory, in time order.

    Between two lowering stretches (v < -V), the rising stretch (v > +V) with the highest peak
    velocity is the concentric phase: start_s / top_s are where v crosses +V up / down around
    it; hold end / end_s are where the following lowering stretch begins / ends.
    """
    ups = _stretches(t, v, SPEED_THRESHOLD_MPS, above=True)
    downs = _stretches(t, v, -SPEED_THRESHOLD_MPS, above=False)
    rises: list[Rise] = []
    previous_down_end = -math.inf
    for down_start, down_end, _ in downs:
        candidates = [u for u in ups if previous_down_end <= u[0] and u[1] <= down_start]
        previous_down_end = down_end
        if not candidates:
            continue
        start, top, _ = max(candidates, key=lambda u: u[2])
        i0, i1 = np.searchsorted(t, (start, down_end))
        h_start = float(np.interp(start, t, h))
        h_peak = max(float(np.max(h[i0:i1], initial=-math.inf)), float(np.interp(down_end, t, h)))
        rises.append(Rise(start, top, down_start, down_end, h_peak - h_start))
    return rises


def _stretches(
    t: np.ndarray, v: np.ndarray, level: float, *, above: bool
) -> list[tuple[float, float, float]]:
    """(enter time, leave time, extreme |v|) of each whole stretch where v is beyond
    ``level``; stretches cut by the start or end of the data are left out."""
    beyond = v > level if above else v < level
    change = np.diff(beyond.astype(np.int8))
    enters = np.flatnonzero(change == 1)
    leaves = np.flatnonzero(change == -1)
    if beyond[0]:
        leaves = leaves[1:]
    if beyond[-1]:
        enters = enters[:-1]
    return [
        (_cross(t, v, i, level), _cross(t, v, j, level), float(np.abs(v[i + 1 : j + 1]).max()))
        for i, j in zip(enters, leaves, strict=True)
    ]


def _cross(t: np.ndarray, v: np.ndarray, i: int, level: float) -> float:
    """Time where v crosses ``level`` between samples i and i + 1 (linear interpolation)."""
    dv = v[i + 1] - v[i]
    frac = (level - v[i]) / dv if dv != 0 else 0.0
    return float(t[i] + frac * (t[i + 1] - t[i]))


def judge_rises(rises: list[Rise], set_rest_s: float = DEFAULT_SET_REST_S) -> list[list[Rise]]:
    """The counted reps grouped into sets: rises of at least 3 cm and at least 60 % of their
    set's median ROM. Sets and medians are recomputed until no rise is dropped."""
    kept = [r for r in rises if r.rom_m >= MIN_ROM_M]
    while True:
        sets = _group(kept, set_rest_s)
        judged = [
            [r for r in group if r.rom_m >= MIN_ROM_FRACTION * _median_rom(group)] for group in sets
        ]
        survivors = [r for group in judged for r in group]
        if len(survivors) == len(kept):
            return sets
        kept = survivors


def _group(rises: list[Rise], set_rest_s: float) -> list[list[Rise]]:
    sets: list[list[Rise]] = []
    for rise in rises:
        if sets and rise.start_s - sets[-1][-1].end_s <= set_rest_s:
            sets[-1].append(rise)
        else:
            sets.append([rise])
    return sets


def _median_rom(group: list[Rise]) -> float:
    return float(np.median([r.rom_m for r in group]))


def rep_metrics(
    sets: list[list[Rise]],
    t: np.ndarray,
    h: np.ndarray,
    v: np.ndarray,
    forward: np.ndarray,
    tilt_deg: np.ndarray,
) -> list[RepMetrics]:
    """RepMetrics of every counted rep (indices from 1 across the recording), from the fine
    trajectory: forward in metres towards the feet, tilt in degrees (NaN on a bar)."""
    reps: list[RepMetrics] = []
    for set_index, group in enumerate(sets, start=1):
        previous_end = math.nan
        for rise in group:
            i0, i1 = np.searchsorted(t, (rise.start_s, rise.top_s))
            h0, h1 = np.interp((rise.start_s, rise.top_s), t, h)
            rising = v[i0:i1]
            x0, x1 = np.interp((rise.start_s, rise.top_s), t, forward)
            a0, a1 = np.interp((rise.start_s, rise.top_s), t, tilt_deg)
            reps.append(
                RepMetrics(
                    index=len(reps) + 1,
                    set_index=set_index,
                    start_s=rise.start_s,
                    top_s=rise.top_s,
                    end_s=rise.end_s,
                    hold_s=rise.hold_end_s - rise.top_s,
                    rom_m=rise.rom_m,
                    concentric_s=rise.top_s - rise.start_s,
                    eccentric_s=rise.end_s - rise.hold_end_s,
                    bottom_pause_s=rise.start_s - previous_end,
                    mean_velocity_mps=float((h1 - h0) / (rise.top_s - rise.start_s)),
                    peak_velocity_mps=float(rising.max(initial=SPEED_THRESHOLD_MPS)),
                    forward_at_top_m=float(x1 - x0),
                    tilt_change_deg=float(a1 - a0),
                )
            )
            previous_end = rise.end_s
    return reps


def set_summaries(reps: list[RepMetrics]) -> list[SetSummary]:
    """One SetSummary per set_index. rom_loss_pct / velocity_loss_pct: the last rep's ROM /
    mean velocity below the best rep of the set, in percent of the best."""
    out: list[SetSummary] = []
    for set_index in sorted({r.set_index for r in reps}):
        group = [r for r in reps if r.set_index == set_index]
        roms = np.array([r.rom_m for r in group])
        speeds = np.array([r.mean_velocity_mps for r in group])
        out.append(
            SetSummary(
                index=set_index,
                start_s=group[0].start_s,
                end_s=group[-1].end_s,
                rep_count=len(group),
                mean_hold_s=float(np.mean([r.hold_s for r in group])),
                mean_rom_m=float(roms.mean()),
                rom_loss_pct=float(100.0 * (roms.max() - roms[-1]) / roms.max()),
                velocity_loss_pct=float(100.0 * (speeds.max() - speeds[-1]) / speeds.max()),
            )
        )
    return out
