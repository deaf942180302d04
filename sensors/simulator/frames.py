"""Rotations between the world, body and sensor frames, vectorised over samples.

Body to world is Rx(rock) then Ry(pitch) (R = Rx Ry); sensor to body is the constant mounting
rotation. Quaternions are (w, x, y, z), Hamilton convention, active rotations.
"""

from __future__ import annotations

import numpy as np


def quat_body_to_world(rock_rad: np.ndarray, pitch_rad: np.ndarray) -> np.ndarray:
    """Quaternions (N x 4, w x y z) of Rx(rock) Ry(pitch)."""
    cr, sr = np.cos(0.5 * rock_rad), np.sin(0.5 * rock_rad)
    cp, sp = np.cos(0.5 * pitch_rad), np.sin(0.5 * pitch_rad)
    return np.column_stack((cr * cp, sr * cp, cr * sp, sr * sp))


def quat_multiply(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Hamilton product a b of quaternions (w x y z); rows broadcast (N x 4 with 4)."""
    aw, ax, ay, az = np.moveaxis(np.asarray(a, dtype=float), -1, 0)
    bw, bx, by, bz = np.moveaxis(np.asarray(b, dtype=float), -1, 0)
    return np.stack(
        (
            aw * bw - ax * bx - ay * by - az * bz,
            aw * bx + ax * bw + ay * bz - az * by,
            aw * by - ax * bz + ay * bw + az * bx,
            aw * bz + ax * by - ay * bx + az * bw,
        ),
        axis=-1,
    )


def quat_to_matrix(q: np.ndarray) -> np.ndarray:
    """Rotation matrix (3 x 3) of one unit quaternion (w x y z)."""
    w, x, y, z = np.asarray(q, dtype=float) / np.linalg.norm(q)
    return np.array(
        [
            [1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)],
            [2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)],
            [2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)],
        ]
    )


def world_to_sensor(
    vectors: tuple[np.ndarray, ...],
    rock_rad: np.ndarray,
    pitch_rad: np.ndarray,
    mounting: np.ndarray,
) -> tuple[np.ndarray, ...]:
    """Each series of world-frame vectors (N x 3) expressed in the sensor frame:
    M^T Ry^T Rx^T v, with ``mounting`` M the sensor-to-body matrix (3 x 3)."""
    cr, sr = np.cos(rock_rad), np.sin(rock_rad)
    cp, sp = np.cos(pitch_rad), np.sin(pitch_rad)
    out = []
    for v in vectors:
        uy = cr * v[:, 1] + sr * v[:, 2]
        uz = cr * v[:, 2] - sr * v[:, 1]
        body = np.empty_like(v)
        body[:, 0] = cp * v[:, 0] - sp * uz
        body[:, 1] = uy
        body[:, 2] = sp * v[:, 0] + cp * uz
        out.append(body @ mounting)
    return tuple(out)
