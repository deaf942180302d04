"""``simulate(scenario) -> SimulatedRecording``: a SampleBlock as a sensor would record it,
with the ground truth (reps, sets, true trajectories at the sample times) beside it.

Randomness comes only from the scenario's seed (separate streams for motion, sensor errors,
noise, dropouts and mounting), so the same scenario gives the same samples, bit for bit.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from sensors.metrics import RepMetrics, SetSummary
from sensors.samples import STANDARD_GRAVITY, SampleBlock
from sensors.simulator import frames, imu_model
from sensors.simulator.imu_model import SENSOR_GRADES, SensorErrors
from sensors.simulator.scenario import SessionScenario, SetScenario, as_session
from sensors.simulator.trajectory import Motion, Phase, build_motion
from sensors.simulator.truth import (
    DEFAULT_SET_REST_S,
    Rise,
    find_rises,
    judge_rises,
    rep_metrics,
    set_summaries,
)

TRUTH_RATE_HZ = 2000.0
"""Internal time step of the truth: crossings and peaks are found on this grid."""


@dataclass(frozen=True, slots=True, eq=False)
class Truth:
    """What really happened. Reps and sets follow the shared definitions (docs/formats.md);
    arrays are at the block's sample times: t (s), height_m, forward_m (towards the feet),
    velocity_mps (vertical), acc_world (N x 3, m/s^2, no gravity), omega_world (N x 3, rad/s),
    quat_wxyz (N x 4, maps sensor to world coordinates), tilt_deg (posterior pelvic tilt;
    NaN on a bar)."""

    reps: list[RepMetrics]
    sets: list[SetSummary]
    rises: list[Rise]
    phases: list[Phase]
    mount: str
    sensor: dict
    t: np.ndarray
    height_m: np.ndarray
    forward_m: np.ndarray
    velocity_mps: np.ndarray
    acc_world: np.ndarray
    omega_world: np.ndarray
    quat_wxyz: np.ndarray
    tilt_deg: np.ndarray

    def to_dict(self) -> dict:
        """The JSON form of docs/formats.md (section 3, "Simulator truth"); arrays are left out."""
        return {
            "mount": self.mount,
            "reps": [r.to_dict() for r in self.reps],
            "sets": [s.to_dict() for s in self.sets],
            "rises": [asdict(r) for r in self.rises],
            "phases": [_finite(asdict(p)) for p in self.phases],
            "sensor": self.sensor,
        }


@dataclass(frozen=True, slots=True, eq=False)
class SimulatedRecording:
    """A simulated recording: the samples, the truth and the scenario that made them."""

    block: SampleBlock
    truth: Truth
    scenario: SetScenario | SessionScenario


def simulate(
    scenario: SetScenario | SessionScenario, *, set_rest_s: float = DEFAULT_SET_REST_S
) -> SimulatedRecording:
    """Simulate ``scenario``; truth sets are split by ``set_rest_s`` like the analysis does."""
    session = as_session(scenario)
    rec = session.recording
    seed = int(rec.seed)
    motion = build_motion(session, np.random.default_rng([seed, 1]))
    errors = SensorErrors.draw(
        SENSOR_GRADES[rec.grade], rec.noise_scale, rec.rate_hz, np.random.default_rng([seed, 2])
    )
    mounting = _mounting(rec, np.random.default_rng([seed, 5]))
    mounting_matrix = frames.quat_to_matrix(mounting)

    t = motion.grid(rec.rate_hz)
    n = t.shape[0]
    state = motion.evaluate(t)
    acc_world = state.acc_world()
    omega_world = state.omega_world()
    specific_force = acc_world + np.array([0.0, 0.0, STANDARD_GRAVITY])
    acc, gyr = frames.world_to_sensor(
        (specific_force, omega_world), state.rock_rad, state.pitch_rad, mounting_matrix
    )
    acc, gyr = imu_model.measure(acc, gyr, errors, np.random.default_rng([seed, 3]))
    acc = imu_model.quantize(acc, rec.acc_range_g * STANDARD_GRAVITY)
    gyr = imu_model.quantize(gyr, math.radians(rec.gyro_range_dps))
    keep = imu_model.dropout_mask(
        n, rec.rate_hz, rec.dropouts_per_min, np.random.default_rng([seed, 4])
    )
    block = imu_model.to_block(t, acc, gyr, keep)

    quat = frames.quat_multiply(
        frames.quat_body_to_world(state.rock_rad, state.pitch_rad), mounting
    )
    tilt = _tilt_deg(motion.mount, state.pitch_rad)
    rises, reps = _reps(motion, set_rest_s)
    sensor = {
        "grade": rec.grade,
        "rate_hz": rec.rate_hz,
        "acc_range_g": rec.acc_range_g,
        "gyro_range_dps": rec.gyro_range_dps,
        "gravity_mps2": STANDARD_GRAVITY,
        "mounting_wxyz": mounting.tolist(),
        "dropped_samples": int(n - keep.sum()),
        **errors.to_dict(),
    }
    truth = Truth(
        reps=reps,
        sets=set_summaries(reps),
        rises=rises,
        phases=motion.phases,
        mount=motion.mount,
        sensor=sensor,
        t=block.t,
        height_m=state.h_m[keep],
        forward_m=state.x_m[keep],
        velocity_mps=state.vz[keep],
        acc_world=acc_world[keep],
        omega_world=omega_world[keep],
        quat_wxyz=quat[keep],
        tilt_deg=tilt[keep],
    )
    return SimulatedRecording(block, truth, scenario)


def _reps(motion: Motion, set_rest_s: float) -> tuple[list[Rise], list[RepMetrics]]:
    """All rises and the counted reps, measured on the fine truth grid."""
    fine_t = motion.grid(TRUTH_RATE_HZ)
    h, vz, forward, pitch = motion.in_plane(fine_t)
    rises = find_rises(fine_t, h, vz)
    sets = judge_rises(rises, set_rest_s)
    tilt = _tilt_deg(motion.mount, pitch)
    return rises, rep_metrics(sets, fine_t, h, vz, forward, tilt)


def _tilt_deg(mount: str, pitch_rad: np.ndarray) -> np.ndarray:
    """Posterior pelvic tilt in degrees (minus the pitch) on the hips; NaN on a bar."""
    if mount != "hips":
        return np.full(pitch_rad.shape, np.nan)
    return -np.degrees(pitch_rad)


def _mounting(rec: SetScenario, rng: np.random.Generator) -> np.ndarray:
    """Sensor frame to body frame (w x y z): the given one, or a uniformly random rotation
    (a normalised 4-D Gaussian), sign chosen so that w >= 0."""
    q = np.array(rec.mounting_wxyz if rec.mounting_wxyz is not None else rng.standard_normal(4))
    q = q / np.linalg.norm(q)
    return -q if q[0] < 0 else q


def _finite(d: dict) -> dict:
    return {k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in d.items()}
