"""SampleBlock: the one currency between pipeline stages.

A block holds N consecutive IMU samples as numpy arrays, never per-sample objects:
``t`` device time in seconds (float64, unwrapped, strictly increasing),
``acc`` specific force in m/s^2 (N x 3, gravity included, sensor frame),
``gyr`` angular rate in rad/s (N x 3, sensor frame),
``gap`` True at sample i when samples are missing just before it (dropout, reconnect).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from sensors.errors import InputError

STANDARD_GRAVITY = 9.80665
"""m/s^2, the conversion used for every 'g' unit in hipthrust."""


@dataclass(frozen=True, slots=True, eq=False)
class SampleBlock:
    """N IMU samples in SI units; see the module docstring for the contract."""

    t: np.ndarray
    acc: np.ndarray
    gyr: np.ndarray
    gap: np.ndarray

    def __post_init__(self) -> None:
        n = self.t.shape[0]
        if self.t.ndim != 1:
            raise InputError(f"SampleBlock.t must be 1-D, got shape {self.t.shape}")
        for name, arr in (("acc", self.acc), ("gyr", self.gyr)):
            if arr.shape != (n, 3):
                raise InputError(f"SampleBlock.{name} must be ({n}, 3), got {arr.shape}")
        if self.gap.shape != (n,):
            raise InputError(f"SampleBlock.gap must be ({n},), got {self.gap.shape}")

    @classmethod
    def from_arrays(
        cls,
        t: np.ndarray,
        acc: np.ndarray,
        gyr: np.ndarray,
        gap: np.ndarray | None = None,
    ) -> SampleBlock:
        """Build a block, converting to float64/bool; ``gap`` defaults to no gaps."""
        t = np.ascontiguousarray(t, dtype=np.float64)
        acc = np.ascontiguousarray(acc, dtype=np.float64).reshape(-1, 3)
        gyr = np.ascontiguousarray(gyr, dtype=np.float64).reshape(-1, 3)
        gap = np.zeros(t.shape[0], dtype=bool) if gap is None else np.asarray(gap, dtype=bool)
        return cls(t, acc, gyr, gap)

    @classmethod
    def empty(cls) -> SampleBlock:
        """A block with no samples."""
        return cls(np.empty(0), np.empty((0, 3)), np.empty((0, 3)), np.empty(0, dtype=bool))

    @classmethod
    def concat(cls, blocks: Iterable[SampleBlock]) -> SampleBlock:
        """Join blocks in order; gap markers are kept as they are."""
        blocks = [b for b in blocks if len(b)]
        if not blocks:
            return cls.empty()
        if len(blocks) == 1:
            return blocks[0]
        return cls(
            np.concatenate([b.t for b in blocks]),
            np.concatenate([b.acc for b in blocks]),
            np.concatenate([b.gyr for b in blocks]),
            np.concatenate([b.gap for b in blocks]),
        )

    def __len__(self) -> int:
        return int(self.t.shape[0])

    def __getitem__(self, index: slice) -> SampleBlock:
        """Slice by sample index (views, no copy)."""
        if not isinstance(index, slice):
            raise TypeError("SampleBlock supports slicing only, e.g. block[10:20]")
        return SampleBlock(self.t[index], self.acc[index], self.gyr[index], self.gap[index])

    def between(self, start_s: float, end_s: float) -> SampleBlock:
        """Samples with start_s <= t < end_s (device time, seconds)."""
        lo, hi = np.searchsorted(self.t, [start_s, end_s], side="left")
        return self[int(lo) : int(hi)]

    @property
    def duration_s(self) -> float:
        """Time from the first to the last sample, in seconds (0 for < 2 samples)."""
        return float(self.t[-1] - self.t[0]) if len(self) > 1 else 0.0

    def median_rate_hz(self) -> float:
        """Sample rate from the median interval, ignoring gaps; NaN if unknown."""
        if len(self) < 2:
            return float("nan")
        dt = np.diff(self.t)[~self.gap[1:]]
        dt = dt[dt > 0]
        return float(1.0 / np.median(dt)) if dt.size else float("nan")
