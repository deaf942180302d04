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


def quat_rotate(quat_wxyz: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    """Rotate N vectors by N unit quaternions (w, x, y, z): v' = q v q*.

    Written out per component (v' = v + w t + u x t with t = 2 u x v), which is several
    times faster than numpy.cross on long arrays.
    """
    w, x, y, z = quat_wxyz.T
    vx, vy, vz = vectors.T
    tx = 2.0 * (y * vz - z * vy)
    ty = 2.0 * (z * vx - x * vz)
    tz = 2.0 * (x * vy - y * vx)
    out = np.empty_like(vectors)
    out[:, 0] = vx + w * tx + (y * tz - z * ty)
    out[:, 1] = vy + w * ty + (z * tx - x * tz)
    out[:, 2] = vz + w * tz + (x * ty - y * tx)
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
        quat = out["quat6D"]
        linear = quat_rotate(quat, acc)
        linear[:, 2] -= STANDARD_GRAVITY
        rate = quat_rotate(quat, gyr - out["bias"])
        w, x, y, z = quat.T
        up = np.column_stack(
            (2.0 * (x * z - w * y), 2.0 * (y * z + w * x), 1.0 - 2.0 * (x * x + y * y))
        )
        return linear, rate, up
