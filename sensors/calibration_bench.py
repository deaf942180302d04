"""A simulated sensor on a calibration bench, with known errors, for the wizard and its tests.

``CalibrationBench`` is posed (``place``, ``place_face``) and moved (``turn``, ``lift``,
``shake``); ``read(seconds)`` returns what its IMU measures meanwhile: specific force and
angular rate in the sensor frame with the bench's scale, offset, gyro bias and white noise.
World frame z up; ``pose`` is the sensor-to-world rotation. Motions queue and play in order.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

import numpy as np
from scipy.spatial.transform import Rotation

from sensors.calibration_fit import AXES, FACES
from sensors.errors import InputError
from sensors.samples import STANDARD_GRAVITY, SampleBlock

GRAVITY_WORLD = np.array([0.0, 0.0, STANDARD_GRAVITY])
"""Specific force of a sensor at rest, world frame (m/s^2, z up)."""


@dataclass(frozen=True, slots=True)
class _Motion:
    """One queued motion: ``kind`` 'still' | 'turn' | 'lift' | 'shake' for ``duration_s``."""

    kind: str
    duration_s: float
    axis: np.ndarray | None = None
    amount: float = 0.0
    """Turn angle (rad) or lift height (m)."""


class CalibrationBench:
    """The simulated sensor; every constant is in the sensor frame, SI units."""

    def __init__(
        self,
        *,
        gyro_bias_rps=(0.0, 0.0, 0.0),
        acc_offset_mps2=(0.0, 0.0, 0.0),
        acc_scale=(1.0, 1.0, 1.0),
        rate_hz: float = 200.0,
        acc_noise_mps2: float = 0.02,
        gyr_noise_rps: float = 0.001,
        seed: int = 0,
        device_id: str = "bench-sim-0001",
    ) -> None:
        if not 10.0 <= rate_hz <= 2000.0:
            raise InputError(f"bench rate must be 10-2000 Hz, not {rate_hz:g}")
        self.gyro_bias_rps = np.asarray(gyro_bias_rps, dtype=float)
        self.acc_offset_mps2 = np.asarray(acc_offset_mps2, dtype=float)
        self.acc_scale = np.asarray(acc_scale, dtype=float)
        self.rate_hz = rate_hz
        self.acc_noise = acc_noise_mps2
        self.gyr_noise = gyr_noise_rps
        self.device_id = device_id
        self.pose = np.eye(3)
        self._rng = np.random.default_rng(seed)
        self._queue: deque[_Motion] = deque()
        self._in_motion = 0.0
        """Seconds already played of the motion at the head of the queue."""
        self._k = 0
        """Index of the next sample (its time is k / rate)."""

    # -- posing ----------------------------------------------------------------------------
    def place(self, pose: np.ndarray) -> None:
        """Put the sensor down in ``pose`` (sensor-to-world rotation), dropping queued motion."""
        self.pose = np.asarray(pose, dtype=float)
        self._queue.clear()
        self._in_motion = 0.0

    def place_face(self, face: str, tilt_deg: float = 0.0) -> None:
        """Lay the sensor with axis ``face`` (e.g. '-Y') up, tilted by ``tilt_deg`` about x
        (or y for the x faces) to mimic an uneven table."""
        if face not in FACES:
            raise InputError(f"unknown face {face!r}: use one of {', '.join(FACES)}")
        axis = np.zeros(3)
        axis[AXES.index(face[1])] = 1.0 if face[0] == "+" else -1.0
        rot, _ = Rotation.align_vectors([[0.0, 0.0, 1.0]], [axis])
        tilt_axis = "y" if face[1] == "X" else "x"
        tilt = Rotation.from_euler(tilt_axis, tilt_deg, degrees=True)
        self.place((rot * tilt).as_matrix())

    # -- motions (queued) ------------------------------------------------------------------
    def hold(self, seconds: float) -> None:
        self._queue.append(_Motion("still", seconds))

    def turn(self, world_axis, degrees: float, seconds: float) -> None:
        """Turn about a world axis by ``degrees`` and back (a rep), over ``seconds``."""
        axis = np.asarray(world_axis, dtype=float)
        self._queue.append(
            _Motion("turn", seconds, axis / np.linalg.norm(axis), math.radians(degrees))
        )

    def lift(self, height_m: float, seconds: float) -> None:
        """Raise the sensor straight up by ``height_m`` over ``seconds`` (it stays up)."""
        self._queue.append(_Motion("lift", seconds, None, height_m))

    def shake(self, seconds: float) -> None:
        """Handle the sensor roughly (a wobble of several degrees at about 2 Hz)."""
        self._queue.append(_Motion("shake", seconds, np.array([0.6, -0.5, 0.62]), 0.15))

    # -- measuring -------------------------------------------------------------------------
    def read(self, seconds: float) -> SampleBlock:
        """The next ``seconds`` of samples (device time from 0 at the first sample)."""
        n = round(seconds * self.rate_hz)
        k = self._k + np.arange(n)
        self._k += n
        t = k / self.rate_hz
        acc = np.empty((n, 3))
        gyr = np.empty((n, 3))
        done = 0
        while done < n:
            motion = self._queue[0] if self._queue else None
            left = math.inf if motion is None else motion.duration_s - self._in_motion
            take = (
                n - done
                if motion is None
                else min(n - done, max(1, math.ceil(left * self.rate_hz)))
            )
            local = self._in_motion + np.arange(take) / self.rate_hz
            a, w = self._true(motion, local)
            acc[done : done + take], gyr[done : done + take] = a, w
            done += take
            if motion is not None:
                self._in_motion += take / self.rate_hz
                if self._in_motion >= motion.duration_s - 1e-9:
                    self._finish(motion)
        acc = acc * self.acc_scale + self.acc_offset_mps2
        acc += self.acc_noise * self._rng.standard_normal(acc.shape)
        gyr = gyr + self.gyro_bias_rps + self.gyr_noise * self._rng.standard_normal(gyr.shape)
        return SampleBlock.from_arrays(t, acc, gyr)

    def _true(self, motion: _Motion | None, local: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Error-free sensor-frame specific force and rate at local motion times (s)."""
        n = local.size
        if motion is None or motion.kind in ("still", "lift"):
            lin = np.zeros((n, 3))
            if motion is not None and motion.kind == "lift":
                w = 2 * math.pi / motion.duration_s
                lin[:, 2] = motion.amount * w / motion.duration_s * np.sin(w * local)
            return (lin + GRAVITY_WORLD) @ self.pose, np.zeros((n, 3))
        period = motion.duration_s if motion.kind == "turn" else 0.5
        w = 2 * math.pi / period
        angle = motion.amount * (1 - np.cos(w * local)) / 2
        rate = motion.amount * w / 2 * np.sin(w * local)
        rots = Rotation.from_rotvec(angle[:, None] * motion.axis).as_matrix() @ self.pose
        acc = np.einsum("nji,j->ni", rots, GRAVITY_WORLD)
        gyr = np.einsum("nji,nj->ni", rots, rate[:, None] * motion.axis)
        return acc, gyr

    def _finish(self, motion: _Motion) -> None:
        self._queue.popleft()
        self._in_motion = 0.0
        if motion.kind in ("turn", "shake"):
            w = 2 * math.pi / (motion.duration_s if motion.kind == "turn" else 0.5)
            angle = motion.amount * (1 - math.cos(w * motion.duration_s)) / 2
            self.pose = Rotation.from_rotvec(angle * motion.axis).as_matrix() @ self.pose
