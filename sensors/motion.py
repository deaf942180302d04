"""Height, velocity and horizontal travel by integration, anchored at every rest.

Input: evenly sampled earth-frame linear acceleration (m/s^2, z up, still holding the
accelerometer's bias), angular rate (rad/s) and the up direction in the sensor frame. A *rest*
starts where the acceleration averaged over a short window sits at its rest level, the
low-passed acceleration varies by no more than tremor would move it, the rotation is slow, AND
the velocity integrated since the last rest is small -- so a moment of zero acceleration
mid-movement (constant speed) is not a rest -- or the stillness simply lasts ``rest_sure_s``.
A rest *ends* when the sensor turns or when the velocity gained over ``end_window_s`` against
the rest's own mean level exceeds ``end_speed_mps``: a hold's tremor (at most +-0.025 m/s)
never does, a movement soon does. Velocity is zero from the sample that confirms a rest until
it ends; the drift between two rests is removed linearly (zero-velocity update).

The accelerometer bias is learnt at every rest long enough to settle (the first
``bias_settle_s`` may still hold the end of the movement; at least ``bias_min_s`` of settled
stillness averages the tremor away). Vertically it is modelled as ``c . up`` (a sensor-frame
bias seen through the current orientation) fitted to the latest rests, so a bar rolled into
the hip crease or a pelvis tilted at the top keeps the right level. The last ``onset_s`` of a
rest are kept back and integrated with the motion that follows, so the first, gentle part of a
movement -- felt before the detector can be sure -- is never lost.

Two outputs per block: a *live* trace (causal, may step when a rest is found) and *refined*
chunks (drift-corrected), released in order once the next rest (or a long gap) closes the
segment. Concatenated, the refined chunks hold every input sample exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.ndimage import maximum_filter1d, minimum_filter1d
from scipy.signal import lfilter


@dataclass(frozen=True, slots=True)
class MotionConfig:
    """Thresholds of the rest detector (SI units).

    Stillness is judged over a trailing window of ``window_s``: the acceleration low-passed
    with ``acc_tau_s`` (which removes the tremor of a loaded hold) may vary by at most
    ``spread_mps2``, the vertical acceleration averaged over the window must sit at the rest
    level within ``level_mps2``, and the low-passed rotation rate must stay under ``gyr_rps``.
    Only vertical quantities are compared with levels: the horizontal ones carry the slowly
    settling tilt error of the orientation filter. A rest ends on turning or on a velocity
    change of ``end_speed_mps`` over ``end_window_s``. ``bias_rests``: how many recent rests
    the vertical bias model is fitted to; ``bias_prior``: its ridge weight (how strongly c is
    kept small in directions no rest has seen).

    Window, spread and live speed are set so that a bridge's slow lowering (its acceleration
    changing by a few tenths of m/s^2 per second) is not taken for stillness, while a loaded
    hold's tremor (+-0.2 m/s^2 at about 7.5 Hz, attenuated five-fold by the low-pass) is.
    """

    window_s: float = 0.45
    acc_tau_s: float = 0.1
    spread_mps2: float = 0.115
    level_mps2: float = 0.12
    gyr_rps: float = 0.25
    gyr_tau_s: float = 0.1
    rest_max_speed_mps: float = 0.07
    rest_sure_s: float = 1.0
    end_window_s: float = 0.8
    end_speed_mps: float = 0.07
    bias_window_s: float = 2.0
    bias_settle_s: float = 0.5
    bias_min_s: float = 1.0
    onset_s: float = 1.0
    bias_rests: int = 4
    bias_prior: float = 0.0025
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


def _last_rows(parts: list[np.ndarray], count: int) -> np.ndarray:
    """The last ``count`` rows of the arrays ``parts`` joined in order, joining no more."""
    taken: list[np.ndarray] = []
    for part in reversed(parts):
        if count <= 0:
            break
        taken.append(part[-count:])
        count -= part.shape[0]
    return np.concatenate(taken[::-1])


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

    SCAN = 1024
    """Samples examined at once while moving (the trial integration covers them all)."""
    SCAN_REST = 16384
    """Samples examined at once while resting (cheap per sample, so larger steps)."""

    def __init__(self, period_s: float, config: MotionConfig | None = None) -> None:
        self.cfg = cfg = config or MotionConfig()
        self.period_s = period_s
        self._alpha_acc = period_s / (cfg.acc_tau_s + period_s)
        self._alpha_gyr = period_s / (cfg.gyr_tau_s + period_s)
        self._window_n = 2 * max(1, round(cfg.window_s / period_s / 2))
        self._detector: _StillnessFeatures | None = None
        self._sure_n = max(1, round((cfg.rest_sure_s - cfg.window_s) / period_s))
        self._bias_n = max(1, round(cfg.bias_window_s / period_s))
        self._settle_n = round(cfg.bias_settle_s / period_s)
        self._bias_min_n = max(1, round(cfg.bias_min_s / period_s))
        self._rest_age = 0  # rest samples released since the rest was confirmed
        self._onset_n = max(1, round(cfg.onset_s / period_s))
        self._max_seg_n = round(cfg.max_segment_s / period_s)
        self.bias = np.zeros(3)  # horizontal accelerometer bias (x, y); z unused
        self._c = np.zeros(3)  # vertical bias model: bias_z = c . up (sensor frame)
        self._levels: list[tuple[np.ndarray, float]] = []  # (up, level) of recent rests
        self.resting = False
        self._rest_s0 = 0.0  # integral of the vertical acceleration where the rest began
        self._rest_cum = 0.0  # sum of the rest's vertical accelerations so far
        self._rest_cum_tail = np.zeros(0)  # that sum after each of the latest samples
        self._rest_n = 0  # samples since the rest began
        self._rest_lin = np.empty((0, 6))  # latest settled rest samples, raw, for the bias
        self._pending: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # held-back rest
        self._pending_n = 0
        self._anchor = np.zeros(3)  # position (x, y, z) where velocity was last zero
        self._zero: tuple[float, np.ndarray] | None = None  # that sample: (t, raw lin)
        self._seg: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # (t, raw lin, rate)
        self._seg_n = 0
        self._v_live = np.zeros(3)
        self._p_live = np.zeros(3)
        self._last_point: tuple[float, np.ndarray] | None = None  # last motion (t, raw lin)
        self._sure_run = 0

    # ----------------------------------------------------------------------------- public
    def process(
        self,
        t: np.ndarray,
        lin: np.ndarray,
        rate: np.ndarray,
        breaks: np.ndarray,
        up: np.ndarray | None = None,
    ) -> tuple[MotionChunk, list[MotionChunk]]:
        """One block in; (live trace of these samples, refined chunks released) out.

        ``up``: the earth's up direction in the sensor frame (N x 3, unit), which the vertical
        bias model needs; None means a sensor that never turns.
        """
        n = t.shape[0]
        if up is None:
            up = np.tile([0.0, 0.0, 1.0], (n, 1))
        lin = np.hstack([lin, up])
        live = _LiveBuffer(n)
        refined: list[MotionChunk] = []
        if n == 0:
            return empty_chunk(), refined
        if self._detector is None:
            self._detector = _StillnessFeatures(self, lin[0, :3], rate[0])
        quiet, mean_acc, turning, integral, end_dv = self._detector.compute(lin[:, :3], rate)
        self._feat = (turning, integral, end_dv)
        i = 0
        while i < n:
            if breaks[i] and self._has_open_state():
                refined.extend(self._break())
            end = min(n, i + (self.SCAN_REST if self.resting else self.SCAN))
            later_break = np.flatnonzero(breaks[i + 1 : end])
            if later_break.size:
                end = i + 1 + int(later_break[0])
            if self.resting:
                i = self._step_rest(i, end, t, lin, rate, quiet, mean_acc, refined, live)
            else:
                i = self._step_motion(i, end, t, lin, rate, quiet, mean_acc, refined, live)
        return MotionChunk(t, live.h, live.v, live.xy, rate, live.rest), refined

    def flush(self) -> list[MotionChunk]:
        """End of stream: release what is open (velocity assumed zero at its end)."""
        return self._break()

    # ----------------------------------------------------------------------------- motion
    def _append_motion(self, t, lin, rate, live: _LiveBuffer | None, at: int) -> np.ndarray:
        """Add samples to the open segment; returns their live velocity (N x 3)."""
        a = self._accel(lin)
        t0, lin0 = self._start_point(t, lin)
        v = self._v_live + np.cumsum(
            _trapezoid_increments(t, a, t0, self._accel(lin0[None])[0]), axis=0
        )
        p = self._p_live + np.cumsum(_trapezoid_increments(t, v, t0, self._v_live), axis=0)
        if live is not None:
            live.put(at, at + t.shape[0], p[:, 2], v[:, 2], p[:, :2], False)
        self._seg.append((t, lin, rate))
        self._seg_n += t.shape[0]
        self._v_live = v[-1]
        self._p_live = p[-1]
        self._last_point = (float(t[-1]), lin[-1])
        return v

    def _start_point(self, t: np.ndarray, lin: np.ndarray) -> tuple[float, np.ndarray]:
        """(time, raw row) the next samples are integrated from: the last motion sample, else
        the zero-velocity anchor, else the first of them."""
        if self._last_point is not None:
            return self._last_point
        if self._zero is not None:
            return self._zero
        return float(t[0]), lin[0]

    def _live_vz(self, t: np.ndarray, lin: np.ndarray) -> np.ndarray:
        """The live vertical velocity the next samples would get (m/s), state unchanged."""
        t0, lin0 = self._start_point(t, lin)
        az = lin[:, 2] - self._bias_z(lin)
        az0 = lin0[2] - self._bias_z(lin0[None])[0]
        tt = np.concatenate(([t0], t))
        aa = np.concatenate(([az0], az))
        return self._v_live[2] + np.cumsum(0.5 * (aa[1:] + aa[:-1]) * np.diff(tt))

    def _step_motion(self, i, end, t, lin, rate, quiet, mean_acc, refined, live) -> int:
        cfg = self.cfg
        end = min(end, i + max(1, self._max_seg_n - self._seg_n))
        sl = slice(i, end)
        level_ok = np.abs(mean_acc[sl] - self._bias_z(lin[sl])) < cfg.level_mps2
        sure_run = _run_lengths(quiet[sl], self._sure_run)
        speed = np.abs(self._live_vz(t[sl], lin[sl]))
        confirmed = (quiet[sl] & level_ok & (speed < cfg.rest_max_speed_mps)) | (
            sure_run >= self._sure_n
        )
        hits = np.flatnonzero(confirmed)
        stop = end if not hits.size else i + int(hits[0]) + 1
        self._append_motion(t[i:stop], lin[i:stop], rate[i:stop], live, i)
        self._sure_run = int(sure_run[stop - i - 1])
        if hits.size:
            refined.append(self._close_segment())
            live.put(stop - 1, stop, self._anchor[2], 0.0, self._anchor[:2], True)
            self.resting = True
            self._rest_age = 0
            self._rest_s0 = float(self._feat[1][stop - 1])
            self._rest_cum = 0.0
            self._rest_cum_tail = np.zeros(self._detector.n_end)
            self._rest_n = 0
            self._sure_run = 0
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
        a = self._accel(lin)
        if self._zero is not None:
            t0, a0 = self._zero[0], self._accel(self._zero[1][None])[0]
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

    def _step_rest(self, i, end, t, lin, rate, quiet, mean_acc, refined, live) -> int:
        sl = slice(i, end)
        turning, integral, end_dv = self._feat
        n_end = self._detector.n_end
        m = lin[sl, 2]
        cum = self._rest_cum + np.cumsum(m)  # sum of the rest's samples up to each one
        lagged = np.concatenate((self._rest_cum_tail, cum))[: m.shape[0]]
        age = self._rest_n + np.arange(1, m.shape[0] + 1)  # samples since the rest began
        old = age - n_end  # samples older than the end window
        # the rest's level from the samples before the end window, or from the bias model
        # while there are too few of them
        level = lagged / np.maximum(old, 1)
        young = np.flatnonzero(old < n_end // 2)
        level[young] = self._bias_z(lin[i + young])
        # velocity gained against that level over the end window (or since the rest began):
        # a hold's tremor stays under the threshold, a movement soon exceeds it
        gained = np.where(age >= n_end, end_dv[sl], integral[sl] - self._rest_s0)
        dv = np.abs(gained - level * np.minimum(age, n_end) * self.period_s)
        moving = np.flatnonzero(turning[sl] | (dv > self.cfg.end_speed_mps))
        stop = end if not moving.size else i + int(moving[0])
        if stop > i:
            k = stop - i
            tail = np.concatenate((self._rest_cum_tail, cum[:k]))
            self._rest_cum_tail = tail[-n_end:]
            self._rest_cum = float(cum[k - 1])
            self._rest_n += k
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
        t = np.concatenate([part[0] for part in self._pending])
        rate = np.concatenate([part[2] for part in self._pending])
        refined.append(self._rest_chunk(t[:excess], rate[:excess]))
        skip = max(0, min(excess, self._settle_n - self._rest_age))
        self._rest_age += excess
        # only the rows the bias and the anchor need are joined (rests can be long)
        first = min(max(skip, excess - self._bias_n), excess - 1)
        lin = _last_rows([part[1] for part in self._pending], self._pending_n - first)
        if excess > skip:
            settled = lin[max(skip - first, 0) : excess - first]
            self._rest_lin = np.concatenate((self._rest_lin, settled))[-self._bias_n :]
        self._zero = (float(t[excess - 1]), lin[excess - 1 - first])
        self._pending = [(t[excess:], lin[excess - first :], rate[excess:])]
        self._pending_n = keep

    def _end_rest(self) -> None:
        """Movement began: new bias from the rest, held-back samples open the segment."""
        if self._rest_lin.shape[0] >= self._bias_min_n:
            self._learn_bias(self._rest_lin.mean(axis=0))
        self._rest_lin = np.empty((0, 6))
        self.resting = False
        pending, self._pending, self._pending_n = self._pending, [], 0
        self._last_point = None
        self._v_live = np.zeros(3)
        self._p_live = self._anchor.copy()
        self._sure_run = 0
        for t, lin, rate in pending:
            if t.shape[0]:
                self._append_motion(t, lin, rate, None, 0)

    def _accel(self, lin: np.ndarray) -> np.ndarray:
        """Acceleration without the bias (N x 3) from rows of (linear acceleration, up)."""
        a = lin[:, :3] - self.bias
        a[:, 2] = lin[:, 2] - self._bias_z(lin)
        return a

    def _bias_z(self, lin: np.ndarray) -> np.ndarray:
        """The vertical bias c . up of rows of (linear acceleration, up), m/s^2 (written out:
        a matrix product would hand three columns to a threaded BLAS)."""
        c = self._c
        return lin[:, 3] * c[0] + lin[:, 4] * c[1] + lin[:, 5] * c[2]

    def _learn_bias(self, mean: np.ndarray) -> None:
        """A settled rest's mean (acceleration, up): the horizontal bias is taken as it is;
        the vertical one joins the model ``bias_z = c . up`` fitted to the latest rests.

        The vertical rest level of a sensor-frame bias b is b . up, so it changes when the
        sensor turns (setup roll of a bar, pelvic tilt on the hips); rests at different
        orientations pin c down in the plane they span, a weak prior keeps it small across.
        """
        self.bias = np.array([mean[0], mean[1], 0.0])
        up = mean[3:] / np.linalg.norm(mean[3:])
        self._levels = [*self._levels[-(self.cfg.bias_rests - 1) :], (up, float(mean[2]))]
        ups = np.array([u for u, _ in self._levels])
        levels = np.array([lv for _, lv in self._levels])
        ridge = self.cfg.bias_prior * np.eye(3)
        self._c = np.linalg.solve(ups.T @ ups + ridge, ups.T @ levels)

    # ----------------------------------------------------------------------------- gaps
    def _has_open_state(self) -> bool:
        return bool(self.resting or self._seg_n or self._zero is not None)

    def _break(self) -> list[MotionChunk]:
        """A long gap or the end: close what is open; velocity is unknown afterwards."""
        out: list[MotionChunk] = []
        if self.resting:
            self._release_pending(out, keep=0)
            self.resting = False
            self._rest_lin = np.empty((0, 6))
        elif self._seg_n:
            out.append(self._close_segment())
        self._zero = None
        self._last_point = None
        self._v_live = np.zeros(3)
        self._p_live = self._anchor.copy()
        self._sure_run = 0
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


class _StillnessFeatures:
    """Per-sample stillness over a trailing window, with its state carried across blocks.

    quiet: over the window the low-passed acceleration varies by less than ``spread_mps2`` on
    every axis (tremor is filtered out, a movement changes its acceleration) and the low-passed
    rotation rate stays under ``gyr_rps``. The mean vertical acceleration over the window
    (m/s^2) is compared by the caller with the rest level.
    """

    def __init__(self, stage: MotionStage, lin0: np.ndarray, rate0: np.ndarray) -> None:
        self.cfg = stage.cfg
        self.period_s = stage.period_s
        self.n = stage._window_n
        self.a_acc = stage._alpha_acc
        self.a_gyr = stage._alpha_gyr
        self.zi_acc = (1 - self.a_acc) * lin0[:, None].copy()
        self.zi_gyr = np.array([(1 - self.a_gyr) * float(np.linalg.norm(rate0))])
        self.last_z = float(lin0[2])
        self.lp_tail = np.tile(lin0[:, None], (1, self.n))  # axes x samples
        self.n_end = max(1, round(self.cfg.end_window_s / self.period_s))
        self.n_sum = max(self.n, self.n_end)
        self.sum_tail = np.arange(-self.n_sum + 1, 1) * lin0[2] * self.period_s

    def compute(self, lin: np.ndarray, rate: np.ndarray) -> tuple[np.ndarray, ...]:
        """(quiet, mean vertical acceleration over the window, turning, integral of the
        vertical acceleration since the start (m/s), its change over the end window)."""
        lp, self.zi_acc = lfilter([self.a_acc], [1, self.a_acc - 1], lin.T, axis=1, zi=self.zi_acc)
        speed = np.sqrt(rate[:, 0] ** 2 + rate[:, 1] ** 2 + rate[:, 2] ** 2)
        gyr, self.zi_gyr = lfilter([self.a_gyr], [1, self.a_gyr - 1], speed, zi=self.zi_gyr)
        lp_ext = np.concatenate([self.lp_tail, lp], axis=1)
        size = self.n + 1
        window_max = maximum_filter1d(lp_ext, size, axis=1, origin=self.n // 2)
        window_min = minimum_filter1d(lp_ext, size, axis=1, origin=self.n // 2)
        spread = (window_max - window_min)[:, self.n :].max(axis=0)
        z = lin[:, 2]
        z_prev = np.concatenate(([self.last_z], z[:-1]))
        integral = self.sum_tail[-1] + np.cumsum(0.5 * (z + z_prev) * self.period_s)
        sum_ext = np.concatenate([self.sum_tail, integral])
        k = self.n_sum
        mean_acc = (sum_ext[k:] - sum_ext[k - self.n : -self.n]) / (self.n * self.period_s)
        end_dv = sum_ext[k:] - sum_ext[k - self.n_end : -self.n_end]
        self.lp_tail = lp_ext[:, -self.n :]
        self.sum_tail = sum_ext[-k:]
        self.last_z = float(z[-1])
        turning = gyr >= self.cfg.gyr_rps
        quiet = (spread < self.cfg.spread_mps2) & ~turning
        return quiet, mean_acc, turning, integral, end_dv
