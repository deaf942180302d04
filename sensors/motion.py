"""Height, velocity and horizontal travel by integration, anchored at every rest.

Input: evenly sampled earth-frame linear acceleration (m/s^2, z up, still holding the
accelerometer's bias) and angular rate (rad/s). A *rest* is a run of samples where the
low-passed acceleration sits at its rest level, the rotation is slow, the run lasts at least
``rest_min_s`` AND the velocity integrated since the last rest is small -- so a moment of zero
acceleration mid-movement (constant speed) is not a rest -- or the run simply lasts
``rest_sure_s``. Velocity is zero at the sample that confirms a rest and stays zero until the
rest ends; the drift between two rests is removed linearly (zero-velocity update) and the
accelerometer bias is re-estimated at every rest. The last ``onset_s`` of a rest are kept back
and integrated with the motion that follows, so the first, gentle part of a movement -- felt
before the detector can be sure -- is never lost.

Two outputs per block: a *live* trace (causal, may step when a rest is found) and *refined*
chunks (drift-corrected), released in order once the next rest (or a long gap) closes the
segment. Concatenated, the refined chunks hold every input sample exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.signal import lfilter


@dataclass(frozen=True, slots=True)
class MotionConfig:
    """Thresholds of the rest detector (SI units)."""

    fast_tau_s: float = 0.04
    slow_tau_s: float = 0.6
    gyr_tau_s: float = 0.04
    rest_acc_mps2: float = 0.22
    rest_gyr_rps: float = 0.25
    rest_min_s: float = 0.25
    rest_max_speed_mps: float = 0.10
    rest_sure_s: float = 1.0
    bias_window_s: float = 2.0
    onset_s: float = 0.3
    max_segment_s: float = 120.0


@dataclass(frozen=True, slots=True, eq=False)
class MotionChunk:
    """Samples with positions: t (s), height_m, velocity_mps (vertical), xy_m (N x 2,
    horizontal position, earth frame), rate (N x 3 rad/s, earth frame), rest (bool)."""

    t: np.ndarray
    height_m: np.ndarray
    velocity_mps: np.ndarray
    xy_m: np.ndarray
    rate: np.ndarray
    rest: np.ndarray

    def __len__(self) -> int:
        return int(self.t.shape[0])

    @staticmethod
    def concat(chunks: list[MotionChunk]) -> MotionChunk:
        chunks = [c for c in chunks if len(c)]
        if not chunks:
            return empty_chunk()
        if len(chunks) == 1:
            return chunks[0]
        return MotionChunk(
            *(np.concatenate([getattr(c, f) for c in chunks]) for f in MotionChunk.__slots__)
        )


def empty_chunk() -> MotionChunk:
    return MotionChunk(
        np.empty(0),
        np.empty(0),
        np.empty(0),
        np.empty((0, 2)),
        np.empty((0, 3)),
        np.empty(0, bool),
    )


def _trapezoid_increments(t: np.ndarray, y: np.ndarray, t0: float, y0: np.ndarray) -> np.ndarray:
    """Per-sample trapezoid areas from the point (t0, y0) through the samples (t, y)."""
    tt = np.concatenate(([t0], t))
    yy = np.vstack([y0[None, :], y])
    return 0.5 * (yy[1:] + yy[:-1]) * np.diff(tt)[:, None]


def _run_lengths(flags: np.ndarray, carry: int) -> np.ndarray:
    """Length of the run of True ending at each index, continuing a run of ``carry``."""
    n = flags.shape[0]
    idx = np.arange(n)
    last_false = np.where(~flags, idx, -1)
    np.maximum.accumulate(last_false, out=last_false)
    lengths = idx - last_false
    head = last_false < 0
    lengths[head] += carry
    return lengths


class MotionStage:
    """Stateful block processor; see the module docstring."""

    SCAN = 4096

    def __init__(self, period_s: float, config: MotionConfig | None = None) -> None:
        self.cfg = cfg = config or MotionConfig()
        self.period_s = period_s
        self._alpha = {
            "fast": period_s / (cfg.fast_tau_s + period_s),
            "slow": period_s / (cfg.slow_tau_s + period_s),
            "gyr": period_s / (cfg.gyr_tau_s + period_s),
        }
        self._zi: dict[str, np.ndarray] = {}
        self._min_n = max(2, round(cfg.rest_min_s / period_s))
        self._sure_n = max(2, round(cfg.rest_sure_s / period_s))
        self._bias_n = max(1, round(cfg.bias_window_s / period_s))
        self._onset_n = max(1, round(cfg.onset_s / period_s))
        self._max_seg_n = round(cfg.max_segment_s / period_s)
        self.bias = np.zeros(3)
        self.resting = False
        self._rest_level = np.zeros(3)
        self._rest_lin: list[np.ndarray] = []  # emitted rest samples, raw, for the bias
        self._pending: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # held-back rest
        self._pending_n = 0
        self._anchor = np.zeros(3)  # position (x, y, z) where velocity was last zero
        self._zero: tuple[float, np.ndarray] | None = None  # that sample: (t, raw lin)
        self._seg: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # (t, raw lin, rate)
        self._seg_n = 0
        self._v_live = np.zeros(3)
        self._p_live = np.zeros(3)
        self._last_point: tuple[float, np.ndarray] | None = None  # last motion (t, raw lin)
        self._quiet_run = 0
        self._sure_run = 0

    # ----------------------------------------------------------------------------- public
    def process(
        self, t: np.ndarray, lin: np.ndarray, rate: np.ndarray, breaks: np.ndarray
    ) -> tuple[MotionChunk, list[MotionChunk]]:
        """One block in; (live trace of these samples, refined chunks released) out."""
        n = t.shape[0]
        live = _LiveBuffer(n)
        refined: list[MotionChunk] = []
        if n == 0:
            return empty_chunk(), refined
        fast, slow, gyr = self._filter(lin, rate)
        i = 0
        while i < n:
            if breaks[i] and self._has_open_state():
                refined.extend(self._break())
            end = min(n, i + self.SCAN)
            later_break = np.flatnonzero(breaks[i + 1 : end])
            if later_break.size:
                end = i + 1 + int(later_break[0])
            if self.resting:
                i = self._step_rest(i, end, t, lin, rate, fast, gyr, refined, live)
            else:
                i = self._step_motion(i, end, t, lin, rate, fast, slow, gyr, refined, live)
        return MotionChunk(t, live.h, live.v, live.xy, rate, live.rest), refined

    def flush(self) -> list[MotionChunk]:
        """End of stream: release what is open (velocity assumed zero at its end)."""
        return self._break()

    # ----------------------------------------------------------------------------- filters
    def _filter(self, lin: np.ndarray, rate: np.ndarray):
        speed = np.linalg.norm(rate, axis=1)
        if not self._zi:
            for name in ("fast", "slow"):
                self._zi[name] = (1 - self._alpha[name]) * lin[0][:, None].copy()
            self._zi["gyr"] = np.array([(1 - self._alpha["gyr"]) * speed[0]])
        out = {}
        for name in ("fast", "slow"):
            alpha = self._alpha[name]
            filtered = np.empty_like(lin)
            for axis in range(3):
                filtered[:, axis], zf = lfilter(
                    [alpha], [1, alpha - 1], lin[:, axis], zi=self._zi[name][axis]
                )
                self._zi[name][axis] = zf
            out[name] = filtered
        alpha = self._alpha["gyr"]
        gyr, self._zi["gyr"] = lfilter([alpha], [1, alpha - 1], speed, zi=self._zi["gyr"])
        return out["fast"], out["slow"], gyr

    # ----------------------------------------------------------------------------- motion
    def _append_motion(self, t, lin, rate, live: _LiveBuffer | None, at: int) -> np.ndarray:
        """Add samples to the open segment; returns their live velocity (N x 3)."""
        a = lin - self.bias
        if self._last_point is not None:
            t0, lin0 = self._last_point
        elif self._zero is not None:
            t0, lin0 = self._zero
        else:
            t0, lin0 = float(t[0]), lin[0]
        v = self._v_live + np.cumsum(_trapezoid_increments(t, a, t0, lin0 - self.bias), axis=0)
        p = self._p_live + np.cumsum(_trapezoid_increments(t, v, t0, self._v_live), axis=0)
        if live is not None:
            live.put(at, at + t.shape[0], p[:, 2], v[:, 2], p[:, :2], False)
        self._seg.append((t, lin, rate))
        self._seg_n += t.shape[0]
        self._v_live = v[-1]
        self._p_live = p[-1]
        self._last_point = (float(t[-1]), lin[-1])
        return v

    def _step_motion(self, i, end, t, lin, rate, fast, slow, gyr, refined, live) -> int:
        cfg = self.cfg
        end = min(end, i + max(1, self._max_seg_n - self._seg_n))
        sl = slice(i, end)
        gyr_ok = gyr[sl] < cfg.rest_gyr_rps
        quiet = (np.linalg.norm(fast[sl] - self.bias, axis=1) < cfg.rest_acc_mps2) & gyr_ok
        sure = (np.linalg.norm(fast[sl] - slow[sl], axis=1) < cfg.rest_acc_mps2) & gyr_ok
        q_run = _run_lengths(quiet, self._quiet_run)
        s_run = _run_lengths(sure, self._sure_run)
        state = (self._v_live.copy(), self._p_live.copy(), self._last_point, self._seg_n)
        v = self._append_motion(t[sl], lin[sl], rate[sl], None, i)
        speed = np.linalg.norm(v, axis=1)
        confirmed = ((q_run >= self._min_n) & (speed < cfg.rest_max_speed_mps)) | (
            s_run >= self._sure_n
        )
        hits = np.flatnonzero(confirmed)
        # undo and redo up to the confirming sample (cheap: one more cumsum)
        self._seg.pop()
        self._v_live, self._p_live, self._last_point, self._seg_n = state
        stop = end if not hits.size else i + int(hits[0]) + 1
        self._append_motion(t[i:stop], lin[i:stop], rate[i:stop], live, i)
        k = stop - i
        self._quiet_run = int(q_run[k - 1])
        self._sure_run = int(s_run[k - 1])
        if hits.size:
            refined.append(self._close_segment())
            run = int(max(q_run[k - 1], s_run[k - 1]))
            first = max(i, stop - run)
            live.put(first, stop, self._anchor[2], 0.0, self._anchor[:2], True)
            self.resting = True
            self._rest_level = fast[stop - 1].copy()
            self._quiet_run = self._sure_run = 0
        elif self._seg_n >= self._max_seg_n:
            refined.extend(self._break())
        return stop

    def _close_segment(self) -> MotionChunk:
        """Integrate the open segment with zero velocity at both ends; its last sample is
        where the new rest was confirmed and becomes the new zero-velocity anchor."""
        t = np.concatenate([s[0] for s in self._seg])
        lin = np.concatenate([s[1] for s in self._seg])
        rate = np.concatenate([s[2] for s in self._seg])
        self._seg, self._seg_n = [], 0
        a = lin - self.bias
        if self._zero is not None:
            t0, a0 = self._zero[0], self._zero[1] - self.bias
        else:
            t0, a0 = float(t[0]), a[0]
        v = np.cumsum(_trapezoid_increments(t, a, t0, a0), axis=0)
        span = t[-1] - t0
        if span > 0:
            v -= v[-1] * ((t - t0) / span)[:, None]
        pos = self._anchor + np.cumsum(_trapezoid_increments(t, v, t0, np.zeros(3)), axis=0)
        self._anchor = pos[-1].copy()
        self._zero = (float(t[-1]), lin[-1])
        self._last_point = None
        self._v_live = np.zeros(3)
        self._p_live = self._anchor.copy()
        return MotionChunk(t, pos[:, 2], v[:, 2], pos[:, :2], rate, np.zeros(t.shape[0], bool))

    # ----------------------------------------------------------------------------- rest
    def _rest_chunk(self, t: np.ndarray, rate: np.ndarray) -> MotionChunk:
        m = t.shape[0]
        return MotionChunk(
            t,
            np.full(m, self._anchor[2]),
            np.zeros(m),
            np.tile(self._anchor[:2], (m, 1)),
            rate,
            np.ones(m, dtype=bool),
        )

    def _step_rest(self, i, end, t, lin, rate, fast, gyr, refined, live) -> int:
        cfg = self.cfg
        sl = slice(i, end)
        still = (np.linalg.norm(fast[sl] - self._rest_level, axis=1) < cfg.rest_acc_mps2) & (
            gyr[sl] < cfg.rest_gyr_rps
        )
        moving = np.flatnonzero(~still)
        stop = end if not moving.size else i + int(moving[0])
        if stop > i:
            live.put(i, stop, self._anchor[2], 0.0, self._anchor[:2], True)
            self._pending.append((t[i:stop], lin[i:stop], rate[i:stop]))
            self._pending_n += stop - i
            self._release_pending(refined, keep=self._onset_n)
        if moving.size:
            self._end_rest()
        return stop

    def _release_pending(self, refined: list[MotionChunk], keep: int) -> None:
        """Emit held-back rest samples as rest, all but the newest ``keep``."""
        excess = self._pending_n - keep
        if excess <= 0:
            return
        t, lin, rate = (np.concatenate(parts) for parts in zip(*self._pending, strict=True))
        refined.append(self._rest_chunk(t[:excess], rate[:excess]))
        self._rest_lin.append(lin[:excess])
        self._zero = (float(t[excess - 1]), lin[excess - 1])
        total = sum(x.shape[0] for x in self._rest_lin)
        while total - self._rest_lin[0].shape[0] >= self._bias_n:
            total -= self._rest_lin.pop(0).shape[0]
        self._pending = [(t[excess:], lin[excess:], rate[excess:])]
        self._pending_n = keep

    def _end_rest(self) -> None:
        """Movement began: new bias from the rest, held-back samples open the segment."""
        if self._rest_lin:
            self.bias = np.concatenate(self._rest_lin)[-self._bias_n :].mean(axis=0)
        self._rest_lin = []
        self.resting = False
        pending, self._pending, self._pending_n = self._pending, [], 0
        self._last_point = None
        self._v_live = np.zeros(3)
        self._p_live = self._anchor.copy()
        self._quiet_run = self._sure_run = 0
        for t, lin, rate in pending:
            if t.shape[0]:
                self._append_motion(t, lin, rate, None, 0)

    # ----------------------------------------------------------------------------- gaps
    def _has_open_state(self) -> bool:
        return bool(self.resting or self._seg_n or self._zero is not None)

    def _break(self) -> list[MotionChunk]:
        """A long gap or the end: close what is open; velocity is unknown afterwards."""
        out: list[MotionChunk] = []
        if self.resting:
            self._release_pending(out, keep=0)
            self.resting = False
            self._rest_lin = []
        elif self._seg_n:
            out.append(self._close_segment())
        self._zero = None
        self._last_point = None
        self._v_live = np.zeros(3)
        self._p_live = self._anchor.copy()
        self._quiet_run = self._sure_run = 0
        return out


class _LiveBuffer:
    """The live trace of one block, filled piece by piece."""

    def __init__(self, n: int) -> None:
        self.h = np.empty(n)
        self.v = np.empty(n)
        self.xy = np.empty((n, 2))
        self.rest = np.zeros(n, dtype=bool)

    def put(self, at: int, stop: int, h, v, xy, rest: bool) -> None:
        """Samples [at, stop) get these values (arrays or scalars)."""
        self.h[at:stop] = h
        self.v[at:stop] = v
        self.xy[at:stop] = xy
        self.rest[at:stop] = rest
