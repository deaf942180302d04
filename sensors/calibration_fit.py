"""Fitting a sensor's calibration from guided steps: still, six faces, mounting, known height.

Each function takes raw SampleBlocks (SI units, sensor frame) of one step and returns figures
or raises a CalibrationError (SensorMovedError when the sensor moved) saying what to redo.
``build_record`` joins the results into a ``sensors.calibration.CalibrationRecord``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import least_squares

from sensors.calibration import IDENTITY, CalibrationRecord
from sensors.errors import CalibrationError, InputError, SensorMovedError
from sensors.samples import STANDARD_GRAVITY, SampleBlock

BIN_S = 0.05
"""Stillness is judged on the means of 50 ms bins, so sensor noise hardly counts."""
STILL_ACC_STD_MPS2 = 0.05
"""Largest spread (std of the bin means, any axis) of a still accelerometer, m/s^2."""
STILL_GYR_STD_RPS = 0.01
"""Largest spread (std of the bin means, any axis) of a still gyroscope, rad/s."""
STILL_TURN_DEG = 1.5
"""Largest change of the gravity direction between the first and last quarter of a still
window, degrees (catches a slow turn that a gyro bias would hide)."""
FACE_TOLERANCE_DEG = 10.0
"""A face is accepted when gravity lies within this angle of the face's axis."""
MIN_STILL_S = 1.0
"""Shortest block from which a gyro bias is taken, seconds."""
MIN_TURN_DEG = 5.0
"""Smallest turn of the mounting rep that reveals the left-right axis, degrees."""
MAX_LIFT_TURN_DEG = 15.0
"""Largest turn allowed while the sensor is lifted in the known-height check, degrees."""
MIN_POSE_S = 0.5
"""Still time the mounting check starts with and the known-height lift starts and ends
with, seconds."""

FACES = ("+X", "-X", "+Y", "-Y", "+Z", "-Z")
"""The six accelerometer faces, named by the sensor axis that points up."""
AXES = "XYZ"


@dataclass(frozen=True, slots=True)
class Stillness:
    """How still a block is: spreads of the 50 ms bin means (acc m/s^2, gyro rad/s), the
    change of the gravity direction (degrees) and ``level`` from 0 (moving) to 1 (still)."""

    acc_std_mps2: float
    gyr_std_rps: float
    turn_deg: float
    level: float

    @property
    def still(self) -> bool:
        return self.level >= 0.5

    def reason(self) -> str:
        """What moved, in words (for messages)."""
        return (
            f"acceleration spread {self.acc_std_mps2:.3f} m/s^2 (limit {STILL_ACC_STD_MPS2}), "
            f"rotation spread {math.degrees(self.gyr_std_rps):.2f} deg/s "
            f"(limit {math.degrees(STILL_GYR_STD_RPS):.2f}), "
            f"gravity turned {self.turn_deg:.1f} deg (limit {STILL_TURN_DEG})"
        )


def stillness(block: SampleBlock) -> Stillness:
    """The stillness of ``block`` (at least a few bins of samples, else level 0)."""
    acc_bins, gyr_bins = _bin_means(block)
    if len(acc_bins) < 4:
        return Stillness(math.nan, math.nan, math.nan, 0.0)
    acc_std = float(acc_bins.std(axis=0).max())
    gyr_std = float(gyr_bins.std(axis=0).max())
    quarter = max(1, len(acc_bins) // 4)
    turn = _angle_deg(acc_bins[:quarter].mean(0), acc_bins[-quarter:].mean(0))
    worst = max(acc_std / STILL_ACC_STD_MPS2, gyr_std / STILL_GYR_STD_RPS, turn / STILL_TURN_DEG)
    return Stillness(acc_std, gyr_std, turn, float(np.clip(1.5 - worst, 0.0, 1.0)))


def gyro_bias(block: SampleBlock) -> np.ndarray:
    """Gyro bias (rad/s, sensor frame): the mean rate of a still block of >= MIN_STILL_S.

    Raises SensorMovedError if the block was not still, CalibrationError if it is too short.
    """
    _require_duration(block, MIN_STILL_S, "the still step")
    still = stillness(block)
    if not still.still:
        raise SensorMovedError(
            f"the sensor moved during the still step ({still.reason()}): lay it on a table, "
            "do not touch it, and try again"
        )
    return block.gyr.mean(axis=0)


@dataclass(frozen=True, slots=True)
class FaceReading:
    """Which face points up: the face name, how far gravity is from its axis (degrees) and
    the mean specific force (m/s^2, sensor frame)."""

    face: str
    misalignment_deg: float
    mean_acc_mps2: np.ndarray

    @property
    def aligned(self) -> bool:
        return self.misalignment_deg <= FACE_TOLERANCE_DEG


def read_face(block: SampleBlock) -> FaceReading:
    """The face of a block lying on one side (CalibrationError when empty)."""
    if not len(block):
        raise CalibrationError("no samples to read the face from: is the sensor streaming?")
    mean = block.acc.mean(axis=0)
    axis = int(np.argmax(np.abs(mean)))
    face = ("+" if mean[axis] >= 0 else "-") + AXES[axis]
    unit = np.zeros(3)
    unit[axis] = math.copysign(1.0, mean[axis])
    return FaceReading(face, _angle_deg(mean, unit), mean)


@dataclass(frozen=True, slots=True)
class AccelFit:
    """Per-axis offset (m/s^2) and scale of ``acc_measured = scale * acc_true + offset``, and
    the largest gravity-magnitude error over the faces before and after (m/s^2)."""

    offset_mps2: np.ndarray
    scale: np.ndarray
    gravity_error_before_mps2: float
    gravity_error_after_mps2: float


def fit_accelerometer(face_means: np.ndarray, gravity: float = STANDARD_GRAVITY) -> AccelFit:
    """Least-squares offset and scale from the mean specific force of still poses (K x 3,
    m/s^2, K >= 6) covering all six faces: every corrected mean must have length ``gravity``."""
    means = np.asarray(face_means, dtype=float).reshape(-1, 3)
    missing = [f for f in FACES if not any(_on_face(m, f) for m in means)]
    if missing:
        raise CalibrationError(
            f"faces {', '.join(missing)} are missing: lay the sensor on each of its six sides"
        )
    up = np.array([_face_reading(means, "+" + a)[i] for i, a in enumerate(AXES)])
    down = np.array([_face_reading(means, "-" + a)[i] for i, a in enumerate(AXES)])
    start = np.concatenate(((up + down) / 2, (up - down) / (2 * gravity)))

    def residuals(p: np.ndarray) -> np.ndarray:
        return np.linalg.norm((means - p[:3]) / p[3:], axis=1) - gravity

    fit = least_squares(residuals, start, x_scale=np.r_[np.full(3, 0.1), np.full(3, 0.01)])
    offset, scale = fit.x[:3], fit.x[3:]
    if not fit.success or np.any(np.abs(scale - 1.0) > 0.5):
        raise CalibrationError(
            "the six faces do not fit one accelerometer (scale more than 50 % off): "
            "repeat the faces with the sensor lying flat and still on each side"
        )
    before = float(np.abs(np.linalg.norm(means, axis=1) - gravity).max())
    after = float(np.abs(residuals(fit.x)).max())
    return AccelFit(offset, scale, before, after)


@dataclass(frozen=True, slots=True)
class MountingCheck:
    """Where the sensor sits: ``mount`` ('bar' or 'hips'), ``rotation`` (3 x 3, sensor frame
    -> mount frame: x along the body, y left-right, z up), the sensor axis nearest each mount
    axis (e.g. {"up": "-Y"}) and the turn of the check rep (degrees)."""

    mount: str
    rotation: np.ndarray
    axis_map: dict[str, str]
    turn_deg: float

    def describe(self) -> str:
        return ", ".join(f"{k}: {v}" for k, v in self.axis_map.items())


def check_mounting(
    still: SampleBlock,
    rep: SampleBlock,
    mount: str,
    calibration: CalibrationRecord = IDENTITY,
) -> MountingCheck:
    """Mount axes from the sensor in place (``still``: lying in the start position; gravity
    gives up) and one slow rep (``rep``: its main rotation axis is left-right, turning
    positive on the way up: posterior tilt on the hips, the bar rolling on a bar)."""
    if mount not in ("bar", "hips"):
        raise InputError(f"unknown mount {mount!r}: use bar or hips")
    _require_duration(still, MIN_POSE_S, "the start position")
    _require_duration(rep, MIN_STILL_S, "the check rep")
    still, rep = calibration.apply(still), calibration.apply(rep)
    level = stillness(still)
    if not level.still:
        raise SensorMovedError(
            f"hold the start position still for a moment ({level.reason()}) and try again"
        )
    up = still.acc.mean(axis=0)
    up /= np.linalg.norm(up)
    rate = rep.gyr
    _, _, vt = np.linalg.svd(rate, full_matrices=False)
    side = vt[0] - (vt[0] @ up) * up
    if np.linalg.norm(side) < 0.5:
        raise CalibrationError(
            "the check rep turned about the vertical instead of left-right: lie in the start "
            "position and lift the hips (or the bar) slowly once"
        )
    side /= np.linalg.norm(side)
    dt = np.diff(rep.t, prepend=rep.t[0])
    angle = np.degrees(np.cumsum((rate @ side) * dt))
    if abs(angle.min()) > abs(angle.max()):
        side, angle = -side, -angle
    turn = float(angle.max())
    if turn < MIN_TURN_DEG:
        raise CalibrationError(
            f"the check rep turned only {turn:.1f} degrees (at least {MIN_TURN_DEG:g} needed): "
            "do one full slow rep with the sensor in place"
        )
    along = np.cross(side, up)
    rotation = np.vstack((along, side, up))
    names = {"along the body": along, "left-right": side, "up": up}
    axis_map = {k: _nearest_axis(v) for k, v in names.items()}
    return MountingCheck(mount, rotation, axis_map, turn)


@dataclass(frozen=True, slots=True)
class HeightCheck:
    """A lift by a measured distance: the measured and expected heights and the error (m)."""

    measured_m: float
    expected_m: float

    @property
    def error_m(self) -> float:
        return self.measured_m - self.expected_m


def check_known_height(
    block: SampleBlock, expected_m: float, calibration: CalibrationRecord = IDENTITY
) -> HeightCheck:
    """Height change of a straight lift (still >= MIN_POSE_S, lift, still >= MIN_POSE_S)
    by integrating vertical acceleration with zero velocity at both ends."""
    if not 0.05 <= expected_m <= 2.0:
        raise InputError(f"the lift height must be 5 cm to 2 m, not {expected_m:g} m")
    _require_duration(block, 2 * MIN_POSE_S + 0.2, "the lift")
    block = calibration.apply(block)
    t = block.t
    first = block.between(t[0], t[0] + MIN_POSE_S)
    last = block.between(t[-1] - MIN_POSE_S, t[-1] + 1.0)
    for name, part in (("start", first), ("end", last)):
        level = stillness(part)
        if not level.still:
            raise SensorMovedError(
                f"the sensor was not still at the {name} of the lift ({level.reason()}): "
                f"hold it still for {MIN_POSE_S:g} s before and after lifting"
            )
    up = first.acc.mean(axis=0)
    up /= np.linalg.norm(up)
    dt = np.diff(t, prepend=t[0])
    turned = float(np.degrees(np.linalg.norm((block.gyr * dt[:, None]).sum(axis=0))))
    if turned > MAX_LIFT_TURN_DEG:
        raise CalibrationError(
            f"the sensor turned {turned:.0f} degrees while lifted: lift it straight up "
            "without tilting it"
        )
    vertical = block.acc @ up - STANDARD_GRAVITY
    velocity = np.cumsum(vertical * dt)
    elapsed = t - t[0]
    velocity -= velocity[-1] * elapsed / elapsed[-1]
    height = np.cumsum(velocity * dt)
    measured = float(height[-len(last) :].mean())
    if abs(measured) < 0.2 * expected_m:
        raise CalibrationError(
            f"no lift found (the sensor rose {measured * 100:.1f} cm): lift it by the "
            "measured distance and hold it there"
        )
    return HeightCheck(measured, expected_m)


def build_record(
    gyro_bias_rps: np.ndarray, accel: AccelFit, mounting: MountingCheck | None = None
) -> CalibrationRecord:
    """The calibration record of the fitted steps (identity mounting when not checked)."""
    return CalibrationRecord(
        gyro_bias_rps=gyro_bias_rps,
        acc_offset_mps2=accel.offset_mps2,
        acc_scale=accel.scale,
        mounting=np.eye(3) if mounting is None else mounting.rotation,
    )


def _bin_means(block: SampleBlock) -> tuple[np.ndarray, np.ndarray]:
    if len(block) < 2:
        return np.empty((0, 3)), np.empty((0, 3))
    bins = np.floor((block.t - block.t[0]) / BIN_S).astype(np.int64)
    counts = np.bincount(bins)
    keep = counts > 0
    acc, gyr = (
        np.column_stack([np.bincount(bins, arr[:, i]) for i in range(3)])[keep] / counts[keep, None]
        for arr in (block.acc, block.gyr)
    )
    return acc, gyr


def _angle_deg(a: np.ndarray, b: np.ndarray) -> float:
    na, nb = np.linalg.norm(a), np.linalg.norm(b)
    if na == 0 or nb == 0:
        return math.nan
    return math.degrees(math.acos(float(np.clip(a @ b / (na * nb), -1.0, 1.0))))


def _on_face(mean: np.ndarray, face: str, tolerance_deg: float = 30.0) -> bool:
    unit = np.zeros(3)
    unit[AXES.index(face[1])] = 1.0 if face[0] == "+" else -1.0
    return _angle_deg(mean, unit) <= tolerance_deg


def _face_reading(means: np.ndarray, face: str) -> np.ndarray:
    """The mean of the first pose lying on ``face`` (one exists: checked by the caller)."""
    return next(m for m in means if _on_face(m, face))


def _nearest_axis(vector: np.ndarray) -> str:
    axis = int(np.argmax(np.abs(vector)))
    return ("+" if vector[axis] >= 0 else "-") + AXES[axis]


def _require_duration(block: SampleBlock, seconds: float, what: str) -> None:
    if block.duration_s < seconds:
        raise CalibrationError(
            f"{what} needs at least {seconds:g} s of samples, got {block.duration_s:.1f} s: "
            "is the sensor streaming?"
        )
