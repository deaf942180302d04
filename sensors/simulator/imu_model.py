"""The IMU errors: from error-free sensor-frame readings to what a real IMU reports.

Input is the specific force R^T (a_world + g z) and angular rate R^T omega_world (R: sensor
to world; see frames.py). Applied: per-axis scale errors, constant biases, white noise
(densities per sqrt(Hz), discrete sigma = density * sqrt(rate)), int16 quantisation at the
full-scale ranges (LSB = range / 32768, clipped) and BLE dropouts (runs of missing samples,
marked as gaps).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sensors.samples import STANDARD_GRAVITY, SampleBlock


@dataclass(frozen=True, slots=True)
class SensorGrade:
    """Error magnitudes of a class of IMU (1-sigma for the drawn constants).

    acc_noise: accelerometer white noise density, m/s^2/sqrt(Hz).
    gyr_noise: gyroscope white noise density, rad/s/sqrt(Hz).
    acc_bias, gyr_bias: constant bias per axis, m/s^2 and rad/s.
    acc_scale, gyr_scale: per-axis scale factor error (0.01 = 1 %).
    """

    acc_noise: float
    gyr_noise: float
    acc_bias: float
    gyr_bias: float
    acc_scale: float
    gyr_scale: float


_UG = 1e-6 * STANDARD_GRAVITY
_DPS = math.pi / 180.0

SENSOR_GRADES: dict[str, SensorGrade] = {
    "ideal": SensorGrade(0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
    "good": SensorGrade(
        acc_noise=150 * _UG,
        gyr_noise=0.005 * _DPS,
        acc_bias=0.02,
        gyr_bias=0.2 * _DPS,
        acc_scale=0.003,
        gyr_scale=0.003,
    ),
    "cheap": SensorGrade(
        acc_noise=400 * _UG,
        gyr_noise=0.01 * _DPS,
        acc_bias=0.3,
        gyr_bias=2.0 * _DPS,
        acc_scale=0.02,
        gyr_scale=0.02,
    ),
}
"""Sensor grades by name: 'ideal' (no errors but quantisation), 'good' (a modern MEMS IMU
after factory trim), 'cheap' (an untrimmed hobby board: large biases and scale errors)."""


@dataclass(frozen=True, slots=True)
class SensorErrors:
    """The constants drawn for one simulated sensor (sensor frame, SI units)."""

    acc_bias: np.ndarray
    gyr_bias: np.ndarray
    acc_scale: np.ndarray
    gyr_scale: np.ndarray
    acc_noise_sigma: float
    gyr_noise_sigma: float

    @classmethod
    def draw(
        cls, grade: SensorGrade, noise_scale: float, rate_hz: float, rng: np.random.Generator
    ) -> SensorErrors:
        """Biases and scale errors drawn from ``grade``; noise sigmas for ``rate_hz``."""
        root_rate = math.sqrt(rate_hz)
        return cls(
            acc_bias=grade.acc_bias * rng.standard_normal(3),
            gyr_bias=grade.gyr_bias * rng.standard_normal(3),
            acc_scale=grade.acc_scale * rng.standard_normal(3),
            gyr_scale=grade.gyr_scale * rng.standard_normal(3),
            acc_noise_sigma=grade.acc_noise * noise_scale * root_rate,
            gyr_noise_sigma=grade.gyr_noise * noise_scale * root_rate,
        )

    def to_dict(self) -> dict[str, list[float] | float]:
        return {
            "acc_bias_mps2": self.acc_bias.tolist(),
            "gyr_bias_radps": self.gyr_bias.tolist(),
            "acc_scale_error": self.acc_scale.tolist(),
            "gyr_scale_error": self.gyr_scale.tolist(),
            "acc_noise_sigma_mps2": self.acc_noise_sigma,
            "gyr_noise_sigma_radps": self.gyr_noise_sigma,
        }


def measure(
    acc: np.ndarray, gyr: np.ndarray, errors: SensorErrors, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Apply scale errors, biases and white noise to error-free sensor-frame readings."""
    acc = acc * (1.0 + errors.acc_scale) + errors.acc_bias
    gyr = gyr * (1.0 + errors.gyr_scale) + errors.gyr_bias
    if errors.acc_noise_sigma > 0:
        acc = acc + errors.acc_noise_sigma * rng.standard_normal(acc.shape)
    if errors.gyr_noise_sigma > 0:
        gyr = gyr + errors.gyr_noise_sigma * rng.standard_normal(gyr.shape)
    return acc, gyr


def quantize(values: np.ndarray, full_scale: float) -> np.ndarray:
    """Round to the int16 grid of a sensor with +-full_scale range (same units), clipped."""
    lsb = full_scale / 32768.0
    counts = np.clip(np.rint(values / lsb), -32768, 32767)
    return counts * lsb


def dropout_mask(n: int, rate_hz: float, per_minute: float, rng: np.random.Generator) -> np.ndarray:
    """True for samples that arrive. Dropouts start at Poisson times and last a geometric
    number of samples (mean 50 ms, at least one); the first and last samples always arrive."""
    keep = np.ones(n, dtype=bool)
    duration_min = n / rate_hz / 60.0
    count = int(rng.poisson(per_minute * duration_min)) if per_minute > 0 else 0
    if count == 0 or n < 3:
        return keep
    starts = rng.integers(1, n - 1, size=count)
    mean_len = max(1.0, 0.05 * rate_hz)
    lengths = rng.geometric(1.0 / mean_len, size=count)
    for start, length in zip(starts, lengths, strict=True):
        keep[start : min(start + int(length), n - 1)] = False
    return keep


def to_block(t: np.ndarray, acc: np.ndarray, gyr: np.ndarray, keep: np.ndarray) -> SampleBlock:
    """A SampleBlock of the samples that arrived; gap marks the first sample after a loss."""
    lost_before = np.zeros_like(keep)
    lost_before[1:] = ~keep[:-1]
    return SampleBlock.from_arrays(t[keep], acc[keep], gyr[keep], lost_before[keep])
