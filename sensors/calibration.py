"""Calibration record of one sensor and its application to SampleBlocks.

Model (sensor frame, SI): ``acc_measured = scale * acc_true + offset`` per axis, and
``gyr_measured = gyr_true + gyro_bias``. After correction both vectors are rotated by
``mounting`` (3 x 3, sensor frame -> mount frame) so that later stages may rely on the mount's
axes. The identity record changes nothing; it is used when a device has no calibration yet.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sensors.errors import InputError
from sensors.samples import SampleBlock


def _identity_rotation() -> np.ndarray:
    return np.eye(3)


@dataclass(frozen=True, eq=False)
class CalibrationRecord:
    """Per-axis corrections; see the module docstring for the model and units."""

    gyro_bias_rps: np.ndarray = field(default_factory=lambda: np.zeros(3))
    acc_offset_mps2: np.ndarray = field(default_factory=lambda: np.zeros(3))
    acc_scale: np.ndarray = field(default_factory=lambda: np.ones(3))
    mounting: np.ndarray = field(default_factory=_identity_rotation)

    def __post_init__(self) -> None:
        for name in ("gyro_bias_rps", "acc_offset_mps2", "acc_scale"):
            value = np.asarray(getattr(self, name), dtype=np.float64)
            if value.shape != (3,) or not np.all(np.isfinite(value)):
                raise InputError(f"calibration {name} must be 3 finite numbers, got {value!r}")
            object.__setattr__(self, name, value)
        if np.any(np.abs(self.acc_scale - 1.0) > 0.5):
            raise InputError(
                f"calibration acc_scale {self.acc_scale} is more than 50 % off 1: "
                "re-run the calibration"
            )
        mounting = np.asarray(self.mounting, dtype=np.float64)
        if mounting.shape != (3, 3) or not np.allclose(mounting @ mounting.T, np.eye(3), atol=1e-6):
            raise InputError("calibration mounting must be a 3 x 3 rotation matrix")
        object.__setattr__(self, "mounting", mounting)

    @property
    def is_identity(self) -> bool:
        return (
            not self.gyro_bias_rps.any()
            and not self.acc_offset_mps2.any()
            and np.all(self.acc_scale == 1.0)
            and np.array_equal(self.mounting, np.eye(3))
        )

    def apply(self, block: SampleBlock) -> SampleBlock:
        """The block with corrected acceleration and angular rate (times and gaps kept)."""
        if self.is_identity or not len(block):
            return block
        acc = (block.acc - self.acc_offset_mps2) / self.acc_scale
        gyr = block.gyr - self.gyro_bias_rps
        return SampleBlock(block.t, acc @ self.mounting.T, gyr @ self.mounting.T, block.gap)

    def to_dict(self) -> dict[str, list]:
        """JSON-friendly form, as stored in the session library."""
        return {
            "gyro_bias_rps": self.gyro_bias_rps.tolist(),
            "acc_offset_mps2": self.acc_offset_mps2.tolist(),
            "acc_scale": self.acc_scale.tolist(),
            "mounting": self.mounting.tolist(),
        }

    @classmethod
    def from_dict(cls, data: dict) -> CalibrationRecord:
        """Inverse of to_dict; missing keys take identity values, bad ones raise InputError."""
        try:
            return cls(
                gyro_bias_rps=np.asarray(data.get("gyro_bias_rps", [0, 0, 0]), dtype=float),
                acc_offset_mps2=np.asarray(data.get("acc_offset_mps2", [0, 0, 0]), dtype=float),
                acc_scale=np.asarray(data.get("acc_scale", [1, 1, 1]), dtype=float),
                mounting=np.asarray(data.get("mounting", np.eye(3)), dtype=float),
            )
        except (TypeError, ValueError, AttributeError) as exc:
            raise InputError(f"calibration record is malformed: {exc}") from exc


IDENTITY = CalibrationRecord()
