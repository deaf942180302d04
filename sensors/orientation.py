"""Orientation: VQF (Laidig & Seel 2023) on an evenly sampled stream, gravity removed.

Output vectors are in VQF's earth frame: z up, x and y horizontal with a heading that may
drift slowly (6D fusion, no magnetometer). Vertical acceleration therefore does not depend on
how the sensor is clipped on. The filter's state carries across blocks, so any split of the
same samples gives the same output.
"""

from __future__ import annotations

import numpy as np
from vqf import VQF

from sensors.samples import STANDARD_GRAVITY


def _matrix_rows(quat_wxyz: np.ndarray) -> np.ndarray:
    """Rotation matrices of N unit quaternions as a 3 x 3 x N array (entry [i, j] holds
    R_ij for every sample), laid out so that per-sample products run on contiguous rows."""
    w, x, y, z = np.ascontiguousarray(quat_wxyz.T)
    xx, yy, zz = x * x, y * y, z * z
    xy, xz, yz = x * y, x * z, y * z
    wx, wy, wz = w * x, w * y, w * z
    return np.array(
        [
            [1.0 - 2.0 * (yy + zz), 2.0 * (xy - wz), 2.0 * (xz + wy)],
            [2.0 * (xy + wz), 1.0 - 2.0 * (xx + zz), 2.0 * (yz - wx)],
            [2.0 * (xz - wy), 2.0 * (yz + wx), 1.0 - 2.0 * (xx + yy)],
        ]
    )


def _rotate(rows: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    """R v for every sample, with R from _matrix_rows; N x 3 in and out."""
    vx, vy, vz = np.ascontiguousarray(vectors.T)
    out = np.empty((vectors.shape[0], 3))
    for i in range(3):
        out[:, i] = rows[i, 0] * vx + rows[i, 1] * vy + rows[i, 2] * vz
    return out


class OrientationStage:
    """Stateful: sensor-frame acc/gyr -> earth-frame linear acceleration and angular rate."""

    def __init__(self, period_s: float) -> None:
        self.period_s = period_s
        self._vqf = VQF(period_s)

    def process(
        self, acc: np.ndarray, gyr: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Returns (linear acceleration m/s^2, angular rate rad/s, up), all N x 3.

        Linear acceleration is specific force rotated to earth minus standard gravity on z,
        so it still holds the accelerometer's bias; the motion stage estimates that at rest.
        Angular rate has VQF's gyro bias estimate removed. Up is the earth's z axis seen in
        the sensor frame (unit vectors), which says how a sensor-frame bias shows vertically.
        """
        if not len(acc):
            return np.empty((0, 3)), np.empty((0, 3)), np.empty((0, 3))
        out = self._vqf.updateBatch(np.ascontiguousarray(gyr), np.ascontiguousarray(acc))
        rows = _matrix_rows(out["quat6D"])
        linear = _rotate(rows, acc)
        linear[:, 2] -= STANDARD_GRAVITY
        rate = _rotate(rows, gyr - out["bias"])
        up = np.ascontiguousarray(rows[2].T)  # the third row of R is earth's z in the sensor
        return linear, rate, up
