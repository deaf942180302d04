"""Conditioning: the first pipeline stage, turning raw blocks into an evenly sampled stream.

It fixes the nominal sample period from the first samples, drops samples that are not finite
or whose time does not move forward (counting them), and fills short gaps (dropouts up to
``max_fill_s``) with linearly interpolated samples flagged ``synthetic`` so that the orientation
filter sees a constant period. A longer gap is not filled: it is flagged ``breaks`` and later
stages treat the velocity as unknown after it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sensors.samples import SampleBlock

WARMUP_SAMPLES = 16
"""Samples collected before the nominal period is fixed (from their median interval)."""


@dataclass(frozen=True, slots=True, eq=False)
class EvenBlock:
    """Evenly sampled samples: like SampleBlock plus which ones were filled in.

    ``synthetic``: sample was interpolated across a dropout (not measured).
    ``breaks``: a gap too long to fill lies just before this sample.
    """

    t: np.ndarray
    acc: np.ndarray
    gyr: np.ndarray
    synthetic: np.ndarray
    breaks: np.ndarray

    def __len__(self) -> int:
        return int(self.t.shape[0])


@dataclass(slots=True)
class ConditioningCounters:
    """What the conditioner had to repair, for the analysis notes."""

    non_finite_dropped: int = 0
    non_monotonic_dropped: int = 0
    samples_filled: int = 0
    long_gaps: int = 0


class Conditioner:
    """Stateful block processor; see the module docstring."""

    def __init__(self, max_fill_s: float = 1.0) -> None:
        self.max_fill_s = max_fill_s
        self.period_s: float | None = None
        self.counters = ConditioningCounters()
        self._warmup: list[SampleBlock] = []
        self._last: tuple[float, np.ndarray, np.ndarray] | None = None

    def process(self, block: SampleBlock) -> EvenBlock:
        """Condition one block; returns nothing until the period is known."""
        block = self._drop_bad(block)
        if self.period_s is None:
            self._warmup.append(block)
            pending = SampleBlock.concat(self._warmup)
            if len(pending) < WARMUP_SAMPLES:
                return _empty_even()
            self._warmup.clear()
            dt = np.diff(pending.t)
            self.period_s = float(np.median(dt[: WARMUP_SAMPLES - 1]))
            block = pending
        return self._fill(block)

    def _drop_bad(self, block: SampleBlock) -> SampleBlock:
        if not len(block):
            return block
        acc, gyr = block.acc, block.gyr
        # a sum is finite only if every term is (NaN and inf propagate)
        finite = np.isfinite(
            block.t + acc[:, 0] + acc[:, 1] + acc[:, 2] + gyr[:, 0] + gyr[:, 1] + gyr[:, 2]
        )
        t = block.t
        last_t = self._last_time()
        if finite.all() and t[0] > last_t and (t.shape[0] < 2 or np.diff(t).min() > 0):
            return block
        self.counters.non_finite_dropped += int((~finite).sum())
        # keep samples strictly after every earlier kept one (running max of kept times)
        running = np.maximum.accumulate(np.where(finite, t, -np.inf))
        previous_max = np.concatenate(([last_t], running[:-1]))
        previous_max = np.maximum(previous_max, last_t)
        keep = finite & (t > previous_max)
        self.counters.non_monotonic_dropped += int((finite & ~keep).sum())
        gap = block.gap.copy()
        if not keep.all():
            # a dropped sample leaves a hole: mark the next kept sample
            dropped_before = np.cumsum(~keep)
            kept_idx = np.flatnonzero(keep)
            prev_dropped = (
                np.concatenate(([0], dropped_before[kept_idx[:-1]])) if kept_idx.size else []
            )
            if kept_idx.size:
                gap[kept_idx] |= dropped_before[kept_idx] > prev_dropped
        return SampleBlock(t[keep], block.acc[keep], block.gyr[keep], gap[keep])

    def _last_time(self) -> float:
        if self._last is not None:
            return self._last[0]
        if self._warmup and any(len(b) for b in self._warmup):
            return float(SampleBlock.concat(self._warmup).t[-1])
        return -np.inf

    def _fill(self, block: SampleBlock) -> EvenBlock:
        if not len(block):
            return _empty_even()
        period = self.period_s
        if self._last is None:
            prev_t = np.concatenate(([block.t[0] - period], block.t[:-1]))
        else:
            prev_t = np.concatenate(([self._last[0]], block.t[:-1]))
        dt = block.t - prev_t
        missing = np.rint(dt / period).astype(np.int64) - 1
        fillable = (missing >= 1) & (dt <= self.max_fill_s)
        too_long = (dt > self.max_fill_s) | (block.gap & ~fillable & (missing >= 1))
        self.counters.long_gaps += int(too_long.sum())
        breaks = too_long.copy()
        if not fillable.any():
            self._remember(block)
            return EvenBlock(block.t, block.acc, block.gyr, np.zeros(len(block), bool), breaks)
        # previous sample values for interpolation
        if self._last is None:
            prev_acc = np.vstack([block.acc[:1], block.acc[:-1]])
            prev_gyr = np.vstack([block.gyr[:1], block.gyr[:-1]])
        else:
            prev_acc = np.vstack([self._last[1][None], block.acc[:-1]])
            prev_gyr = np.vstack([self._last[2][None], block.gyr[:-1]])
        counts = np.where(fillable, missing, 0)
        total = len(block) + int(counts.sum())
        self.counters.samples_filled += int(counts.sum())
        # position of each real sample in the output
        real_pos = np.arange(len(block)) + np.cumsum(counts)
        t = np.empty(total)
        acc = np.empty((total, 3))
        gyr = np.empty((total, 3))
        synthetic = np.ones(total, dtype=bool)
        out_breaks = np.zeros(total, dtype=bool)
        t[real_pos] = block.t
        acc[real_pos] = block.acc
        gyr[real_pos] = block.gyr
        synthetic[real_pos] = False
        out_breaks[real_pos] = breaks
        for i in np.flatnonzero(counts):
            k = int(counts[i])
            frac = np.arange(1, k + 1) / (k + 1)
            pos = real_pos[i] - k + np.arange(k)
            t[pos] = prev_t[i] + frac * dt[i]
            acc[pos] = prev_acc[i] + frac[:, None] * (block.acc[i] - prev_acc[i])
            gyr[pos] = prev_gyr[i] + frac[:, None] * (block.gyr[i] - prev_gyr[i])
        self._remember(block)
        return EvenBlock(t, acc, gyr, synthetic, out_breaks)

    def _remember(self, block: SampleBlock) -> None:
        self._last = (float(block.t[-1]), block.acc[-1].copy(), block.gyr[-1].copy())


def _empty_even() -> EvenBlock:
    return EvenBlock(
        np.empty(0), np.empty((0, 3)), np.empty((0, 3)), np.empty(0, bool), np.empty(0, bool)
    )
