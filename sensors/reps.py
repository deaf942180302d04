"""Reps and sets from the refined motion stream, in the words of docs/architecture.md.

A rep candidate is a valley -> peak -> valley excursion of the height found with hysteresis
(a rise counts once it exceeds ``rise_m``; a peak is confirmed once the height falls by half
the rise); its boundaries are the +-0.05 m/s velocity crossings (start, top, hold end, end). A
candidate is counted when its range of motion is at least ``min_rom_m`` and at least 60 % of
the median range of the reps counted so far in its set (itself included). Everything here
works on chunks of the refined stream in order; any split of the stream gives the same reps.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from sensors.events import (
    AnalysisEvent,
    RepCompleted,
    RepRejected,
    SetEnded,
    SetStarted,
)
from sensors.metrics import RepMetrics, SetSummary
from sensors.motion import MotionChunk, empty_chunk

UP = np.array([0.0, 0.0, 1.0])


@dataclass(frozen=True, slots=True)
class RepConfig:
    """Rep and set rules (metres, seconds, m/s).

    ``top_share``: the top is the first +0.05 m/s downward crossing after the peak concentric
    velocity whose height is within this share of the rise below the peak, so a stall early
    in the rise is not a top while a hold whose height drifts a little (no rest confirmed)
    still starts where the rise ended.
    """

    speed_threshold_mps: float = 0.05
    rise_m: float = 0.02
    min_rom_m: float = 0.03
    share_of_median: float = 0.6
    set_rest_s: float = 20.0
    hips_tilt_deg: float = 8.0
    top_share: float = 0.2


@dataclass(slots=True)
class MotionAxes:
    """Axes of the plane of motion, fixed by the first counted rep (earth frame, unit)."""

    forward: np.ndarray | None = None
    tilt: np.ndarray | None = None


@dataclass(slots=True)
class _SetState:
    index: int
    reps: list[RepMetrics] = field(default_factory=list)


def _interp_crossings(t, v, level, upward: bool) -> tuple[np.ndarray, np.ndarray]:
    """Indices k (crossing between k-1 and k) and interpolated times of v crossing level."""
    if upward:
        k = np.flatnonzero((v[:-1] < level) & (v[1:] >= level)) + 1
    else:
        k = np.flatnonzero((v[:-1] > level) & (v[1:] <= level)) + 1
    v0, v1 = v[k - 1], v[k]
    frac = (level - v0) / (v1 - v0)
    return k, t[k - 1] + frac * (t[k] - t[k - 1])


def _at(t: np.ndarray, y: np.ndarray, when: float) -> np.ndarray:
    """Linear interpolation of y (N or N x d) at time ``when``."""
    k = int(np.clip(np.searchsorted(t, when), 1, t.shape[0] - 1))
    frac = (when - t[k - 1]) / (t[k] - t[k - 1]) if t[k] > t[k - 1] else 0.0
    return y[k - 1] + frac * (y[k] - y[k - 1])


class RepDetector:
    """Stateful block processor over refined MotionChunks; emits rep and set events."""

    def __init__(self, config: RepConfig | None = None, mount: str | None = None) -> None:
        self.cfg = config or RepConfig()
        self.mount_given = mount
        self.mount: str | None = mount
        self.axes = MotionAxes()
        self.reps: list[RepMetrics] = []
        self.sets: list[SetSummary] = []
        self._tilts: list[float] = []
        self._buf = empty_chunk()
        self._state = "rise"  # rise -> peak -> valley
        self._valley = 0  # index in buffer of the current bottom
        self._peak = 0
        self._set: _SetState | None = None
        self._last_end_s = -math.inf
        self._last_t = -math.inf

    # ----------------------------------------------------------------------------- public
    def process(self, chunk: MotionChunk) -> list[AnalysisEvent]:
        """Feed the next refined chunk; returns the events it completes."""
        events: list[AnalysisEvent] = []
        if not len(chunk):
            return events
        self._buf = MotionChunk.concat([self._buf, chunk])
        self._scan(events)
        self._last_t = float(chunk.t[-1])
        self._maybe_end_set(self._last_t, events)
        self._trim()
        return events

    def finish(self) -> list[AnalysisEvent]:
        """End of stream: a returned last rep is evaluated, the open set is closed."""
        events: list[AnalysisEvent] = []
        if self._state == "valley" and len(self._buf):
            h = self._buf.height_m
            b = self._peak + int(np.argmin(h[self._peak :]))
            rise = h[self._peak] - h[self._valley]
            if h[self._peak] - h[b] >= 0.5 * rise:
                self._candidate(self._valley, self._peak, b, events)
        if self._set is not None:
            self._close_set(max(self._last_t, self._last_end_s), events)
        self._state = "rise"
        return events

    # ----------------------------------------------------------------------------- zigzag
    def _scan(self, events: list[AnalysisEvent]) -> None:
        cfg = self.cfg
        h = self._buf.height_m
        pos = {"rise": self._valley, "peak": self._peak, "valley": self._peak}[self._state]
        n = h.shape[0]
        while pos < n:
            if self._state == "rise":
                seg = h[self._valley :]
                run_min = np.minimum.accumulate(seg)
                hit = np.flatnonzero(seg - run_min > cfg.rise_m)
                if not hit.size:
                    self._valley += int(np.flatnonzero(seg == run_min[-1])[-1])
                    return
                k = int(hit[0])
                self._valley += int(np.flatnonzero(seg[: k + 1] == run_min[k])[-1])
                self._peak = self._valley
                self._state = "peak"
                pos = self._valley
            elif self._state == "peak":
                seg = h[self._peak :]
                run_max = np.maximum.accumulate(seg)
                rise = run_max - h[self._valley]
                drop = np.maximum(cfg.rise_m, 0.5 * rise)
                hit = np.flatnonzero(run_max - seg > drop)
                if not hit.size:
                    self._peak += int(np.argmax(seg))
                    return
                k = int(hit[0])
                self._peak += int(np.argmax(seg[: k + 1]))
                self._state = "valley"
                pos = self._peak
            else:
                seg = h[self._peak :]
                rest = self._buf.rest[self._peak :]
                run_min = np.minimum.accumulate(seg)
                rise = h[self._peak] - h[self._valley]
                rising = seg - run_min > cfg.rise_m
                settled = rest & (seg - run_min < 1e-3) & (h[self._peak] - seg >= 0.5 * rise)
                hit = np.flatnonzero(rising | settled)
                if not hit.size:
                    return
                k = int(hit[0])
                bottom = self._peak + int(np.flatnonzero(seg[: k + 1] == run_min[k])[-1])
                self._candidate(self._valley, self._peak, bottom, events)
                self._valley = bottom
                if rising[k]:
                    self._peak = bottom
                    self._state = "peak"
                else:
                    self._state = "rise"
                pos = bottom

    def _trim(self) -> None:
        """Drop buffered samples before the current bottom (they are no longer needed)."""
        keep_from = self._valley
        if keep_from > 0:
            buf = self._buf
            self._buf = MotionChunk(*(getattr(buf, f)[keep_from:] for f in MotionChunk.__slots__))
            self._valley -= keep_from
            self._peak -= keep_from

    # ----------------------------------------------------------------------------- a rep
    def _candidate(self, a: int, p: int, b: int, events: list[AnalysisEvent]) -> None:
        rep = self._measure(a, p, b)
        if rep is None:
            return
        start_s = rep["start_s"]
        new_set = self._set is None or start_s - self._last_end_s > self.cfg.set_rest_s
        roms = [] if new_set else [r.rom_m for r in self._set.reps]
        median = float(np.median([*roms, rep["rom_m"]]))
        if rep["rom_m"] < self.cfg.min_rom_m:
            events.append(RepRejected(rep["end_s"], rep["rom_m"], "range below the minimum"))
            return
        if rep["rom_m"] < self.cfg.share_of_median * median:
            events.append(
                RepRejected(rep["end_s"], rep["rom_m"], "range below 60 % of the set's median")
            )
            return
        if new_set:
            if self._set is not None:
                self._close_set(self._last_end_s + self.cfg.set_rest_s, events)
            self._set = _SetState(index=len(self.sets) + 1)
            events.append(SetStarted(start_s, self._set.index))
        prev_end = self._set.reps[-1].end_s if self._set.reps else math.nan
        self._fix_axes(rep)
        tilt = self._tilt_change(rep)
        self._update_mount(tilt)
        metrics = RepMetrics(
            index=len(self.reps) + 1,
            set_index=self._set.index,
            start_s=start_s,
            top_s=rep["top_s"],
            end_s=rep["end_s"],
            hold_s=rep["hold_end_s"] - rep["top_s"],
            rom_m=rep["rom_m"],
            concentric_s=rep["top_s"] - start_s,
            eccentric_s=rep["end_s"] - rep["hold_end_s"],
            bottom_pause_s=start_s - prev_end,
            mean_velocity_mps=rep["mean_v"],
            peak_velocity_mps=rep["peak_v"],
            forward_at_top_m=float(np.dot(rep["d_xy"], self.axes.forward[:2])),
            tilt_change_deg=tilt if self.mount == "hips" else math.nan,
        )
        self.reps.append(metrics)
        self._set.reps.append(metrics)
        self._last_end_s = metrics.end_s
        events.append(RepCompleted(metrics.end_s, metrics))

    def _measure(self, a: int, p: int, b: int) -> dict | None:
        buf = self._buf
        t, h, v = buf.t, buf.height_m, buf.velocity_mps
        speed = self.cfg.speed_threshold_mps
        seg = slice(a, b + 1)
        tt, vv, hh = t[seg], v[seg], h[seg]
        pp = p - a
        c = int(np.argmax(vv[: pp + 1]))
        if vv[c] <= speed:
            return None
        e = pp + int(np.argmin(vv[pp:]))
        rise = hh[pp] - hh[0]
        tol = max(0.01, self.cfg.top_share * rise)
        k, times = _interp_crossings(tt, vv, speed, upward=True)
        before = times[k <= c]
        start_s = float(before[-1]) if before.size else float(tt[0])
        k, times = _interp_crossings(tt, vv, speed, upward=False)
        ok = (k > c) & (hh[np.minimum(k, len(hh) - 1)] >= hh[pp] - tol)
        top_s = float(times[ok][0]) if ok.any() else float(tt[pp])
        k, times = _interp_crossings(tt, vv, -speed, upward=False)
        ok = times >= top_s
        hold_end_s = float(times[ok][0]) if ok.any() else float(tt[e])
        k, times = _interp_crossings(tt, vv, -speed, upward=True)
        ok = (k > e) & (hh[np.minimum(k, len(hh) - 1)] <= hh[-1] + tol)
        end_s = float(times[ok][0]) if ok.any() else float(tt[-1])
        h_start = float(_at(tt, hh, start_s))
        h_top = float(_at(tt, hh, top_s))
        rom = float(hh.max() - h_start)
        xy = buf.xy_m[seg]
        conc = (tt >= start_s) & (tt <= top_s)
        rot = buf.rate[seg][conc].sum(axis=0) * (tt[1] - tt[0]) if conc.any() else np.zeros(3)
        return {
            "start_s": start_s,
            "top_s": top_s,
            "hold_end_s": hold_end_s,
            "end_s": end_s,
            "rom_m": rom,
            "mean_v": (h_top - h_start) / (top_s - start_s) if top_s > start_s else math.nan,
            "peak_v": float(vv[c]),
            "d_xy": _at(tt, xy, top_s) - _at(tt, xy, start_s),
            "rotation": rot,
        }

    # ----------------------------------------------------------------------------- axes, mount
    def _fix_axes(self, rep: dict) -> None:
        if self.axes.forward is not None:
            return
        d = np.array([*rep["d_xy"], 0.0])
        rot_h = rep["rotation"] * np.array([1.0, 1.0, 0.0])
        if np.linalg.norm(rot_h) > math.radians(2.0):
            self.axes.tilt = rot_h / np.linalg.norm(rot_h)
        if np.linalg.norm(d) > 0.005:
            self.axes.forward = d / np.linalg.norm(d)
        elif self.axes.tilt is not None:
            self.axes.forward = np.cross(UP, self.axes.tilt)
        else:
            self.axes.forward = np.array([1.0, 0.0, 0.0])
        if self.axes.tilt is None:
            self.axes.tilt = np.cross(self.axes.forward, UP)

    def _tilt_change(self, rep: dict) -> float:
        return math.degrees(float(np.dot(rep["rotation"], self.axes.tilt)))

    def _update_mount(self, tilt_deg: float) -> None:
        if self.mount_given is not None or len(self._tilts) >= 3:
            return
        self._tilts.append(abs(tilt_deg))
        median = float(np.median(self._tilts))
        self.mount = "hips" if median >= self.cfg.hips_tilt_deg else "bar"

    # ----------------------------------------------------------------------------- sets
    def _maybe_end_set(self, now_s: float, events: list[AnalysisEvent]) -> None:
        if self._set is None or self._state != "rise":
            return
        if now_s - self._last_end_s > self.cfg.set_rest_s:
            self._close_set(self._last_end_s + self.cfg.set_rest_s, events)

    def _close_set(self, t_s: float, events: list[AnalysisEvent]) -> None:
        reps = self._set.reps
        first, last = reps[0], reps[-1]

        def loss(a: float, b: float) -> float:
            return 100.0 * (a - b) / a if a > 0 and len(reps) > 1 else math.nan

        summary = SetSummary(
            index=self._set.index,
            start_s=first.start_s,
            end_s=last.end_s,
            rep_count=len(reps),
            mean_hold_s=float(np.mean([r.hold_s for r in reps])),
            mean_rom_m=float(np.mean([r.rom_m for r in reps])),
            rom_loss_pct=loss(first.rom_m, last.rom_m),
            velocity_loss_pct=loss(first.mean_velocity_mps, last.mean_velocity_mps),
        )
        self.sets.append(summary)
        self._set = None
        events.append(SetEnded(t_s, summary))
