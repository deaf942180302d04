"""What to simulate: ``SetScenario`` (one exercise, one or more identical sets) and
``SessionScenario`` (several set scenarios in one recording).

Movement fields describe the person; recording fields (rate, sensor grade, noise, ranges,
dropouts, mounting, seed) describe the sensor and are taken from a session's first set.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from sensors.errors import InputError
from sensors.simulator.imu_model import SENSOR_GRADES
from sensors.simulator.profiles import MOUNTS, SIDES, ExerciseProfile, Tempo, get_profile

PEAK_SPEED_FACTOR = 1.875
"""Peak speed of a minimum-jerk move is this times distance / duration."""

MIN_PEAK_SPEED_MPS = 0.075
"""Slowest planned peak speed of a rise or lowering: 1.5 times the 0.05 m/s threshold."""


@dataclass(frozen=True, slots=True)
class SetScenario:
    """One exercise done for ``sets`` sets of ``reps`` reps, recorded by one sensor.

    tempo: planned eccentric, bottom pause, concentric, top hold (s); None = the exercise's.
    hold_s: planned top hold (s), overrides tempo.hold_s; 0 = no top hold.
    rom_m: planned range of motion (m); None = the exercise's typical.
    side: the working leg of single-leg work, 'left' or 'right' (the other side of the pelvis
    sags: rock about +x, positive for 'left'); None = drawn from the seed.
    fatigue: 0..1; range falls by up to 15 % and the rise slows by up to 60 % by the last rep.
    forward_drift_m: extra travel towards the feet during each rise that is kept afterwards
    (the bench sliding away); 0 = none.
    variability: 0..1 scale of rep-to-rep human variation of durations and range.
    failed_last_attempt: after the last rep, a rise to 20-40 % of the range that fails.
    setup: roll the bar into the hip crease (bar) or settle on the bench (hips) before a set.
    rerack: roll the bar off (bar) or sit up (hips) after a set.
    touch_and_go: no bottom pause; the lowering turns into the next rise.
    tremor_scale: multiplies the exercise's tremor during holds.
    rest_s: still time between sets (s). lead_in_s / tail_s: still time at the start / end.
    start_time_s: the device clock at the first sample (s); truth times use the same clock.
    rate_hz: sample rate, 50-1000. grade: 'ideal' | 'good' | 'cheap'. noise_scale multiplies
    the grade's noise densities. acc_range_g / gyro_range_dps: int16 full scales.
    dropouts_per_min: mean number of BLE dropouts (runs of missing samples) per minute.
    mounting_wxyz: the sensor's orientation on the body as a unit quaternion (w, x, y, z):
    the rotation turning the body frame into the sensor frame, whose matrix maps sensor
    coordinates to body coordinates; None = a random rotation drawn from the seed.
    seed: all randomness (motion, sensor, mounting) comes from it.
    description: words for people (source pickers, reports); no effect on the simulation.
    """

    exercise: str = "hip_thrust"
    mount: str | None = None
    reps: int = 8
    tempo: Tempo | None = None
    hold_s: float | None = None
    rom_m: float | None = None
    side: str | None = None
    fatigue: float = 0.0
    forward_drift_m: float = 0.0
    variability: float = 1.0
    failed_last_attempt: bool = False
    setup: bool = True
    rerack: bool = False
    touch_and_go: bool = False
    tremor_scale: float = 1.0
    sets: int = 1
    rest_s: float = 90.0
    lead_in_s: float = 3.0
    tail_s: float = 3.0
    start_time_s: float = 0.0
    rate_hz: float = 200.0
    grade: str = "good"
    noise_scale: float = 1.0
    acc_range_g: int = 16
    gyro_range_dps: int = 2000
    dropouts_per_min: float = 0.0
    mounting_wxyz: tuple[float, float, float, float] | None = None
    seed: int = 0
    description: str = ""

    def __post_init__(self) -> None:
        get_profile(self.exercise)
        if self.mount is not None and self.mount not in MOUNTS:
            raise InputError(f"mount {self.mount!r} is not one of: {', '.join(MOUNTS)}")
        if self.side is not None and self.side not in SIDES:
            raise InputError(f"side {self.side!r} is not one of: {', '.join(SIDES)}")
        if self.grade not in SENSOR_GRADES:
            raise InputError(
                f"sensor grade {self.grade!r} is not one of: {', '.join(SENSOR_GRADES)}"
            )
        _check(1 <= self.reps <= 100, f"reps must be 1..100, got {self.reps}")
        _check(1 <= self.sets <= 20, f"sets must be 1..20, got {self.sets}")
        _check(50 <= self.rate_hz <= 1000, f"rate must be 50..1000 Hz, got {self.rate_hz}")
        _check(
            self.rom_m is None or 0.05 <= self.rom_m <= 0.6,
            f"range of motion must be 0.05..0.6 m, got {self.rom_m}",
        )
        _check(
            self.hold_s is None or 0 <= self.hold_s <= 60,
            f"hold must be 0..60 s, got {self.hold_s}",
        )
        _check(0 <= self.fatigue <= 1, f"fatigue must be 0..1, got {self.fatigue}")
        _check(
            abs(self.forward_drift_m) <= 0.2,
            f"forward drift must be within +-0.2 m per rep, got {self.forward_drift_m}",
        )
        _check(0 <= self.variability <= 1, f"variability must be 0..1, got {self.variability}")
        _check(0 <= self.noise_scale <= 100, f"noise scale must be 0..100, got {self.noise_scale}")
        _check(0 <= self.tremor_scale <= 3, f"tremor scale must be 0..3, got {self.tremor_scale}")
        _check(self.rest_s >= 0, f"rest must be >= 0 s, got {self.rest_s}")
        _check(self.lead_in_s >= 0.5, f"lead-in must be >= 0.5 s, got {self.lead_in_s}")
        _check(self.tail_s >= 0.5, f"tail must be >= 0.5 s, got {self.tail_s}")
        _check(
            0 <= self.start_time_s <= 1e6,
            f"start time must be 0..1e6 s, got {self.start_time_s}",
        )
        _check(self.dropouts_per_min >= 0, "dropouts per minute must be >= 0")
        _check(self.acc_range_g in (2, 4, 8, 16), "accelerometer range must be 2, 4, 8 or 16 g")
        _check(125 <= self.gyro_range_dps <= 4000, "gyroscope range must be 125..4000 deg/s")
        if self.tempo is not None:
            _check(
                self.tempo.eccentric_s >= 0.3 and self.tempo.concentric_s >= 0.3,
                f"tempo {self.tempo}: lowering and rising need at least 0.3 s each",
            )
        self._check_speed()
        if self.mounting_wxyz is not None:
            norm = math.sqrt(sum(c * c for c in self.mounting_wxyz))
            _check(
                len(self.mounting_wxyz) == 4 and abs(norm - 1) < 1e-6,
                "mounting_wxyz must be a unit quaternion (w, x, y, z)",
            )

    def _check_speed(self) -> None:
        """Reps must be fast enough to be seen by the 0.05 m/s rules (with a margin for
        fatigue and rep-to-rep variation)."""
        tempo = self.tempo_resolved
        rom = self.rom_resolved * (1.0 - 0.15 * self.fatigue)
        for phase, seconds in (
            ("rise", tempo.concentric_s * (1.0 + 0.6 * self.fatigue)),
            ("lowering", tempo.eccentric_s),
        ):
            peak = PEAK_SPEED_FACTOR * rom / seconds
            _check(
                peak >= MIN_PEAK_SPEED_MPS,
                f"tempo {tempo} with a {rom:.2f} m range: the {phase} peaks at {peak:.3f} m/s, "
                f"too slow for the 0.05 m/s rep rules (needs {MIN_PEAK_SPEED_MPS} m/s); "
                f"shorten the {phase} or raise the range",
            )

    @property
    def profile(self) -> ExerciseProfile:
        return get_profile(self.exercise)

    @property
    def mount_resolved(self) -> str:
        """The mount, the exercise's usual one when not given."""
        return self.mount or self.profile.default_mount

    @property
    def tempo_resolved(self) -> Tempo:
        """The planned tempo with hold_s applied."""
        tempo = self.tempo or self.profile.tempo
        return tempo if self.hold_s is None else replace(tempo, hold_s=self.hold_s)

    @property
    def rom_resolved(self) -> float:
        return self.rom_m if self.rom_m is not None else self.profile.rom_m


@dataclass(frozen=True, slots=True)
class SessionScenario:
    """Several set scenarios in one recording, ``rest_s`` apart.

    The recording fields (rate, grade, noise, ranges, dropouts, mounting, seed) and the mount
    come from ``sets[0]``; each part keeps its own movement fields and ``sets`` count.
    """

    sets: tuple[SetScenario, ...] = field(default_factory=lambda: (SetScenario(),))
    rest_s: float = 90.0

    def __post_init__(self) -> None:
        _check(len(self.sets) >= 1, "a session needs at least one set scenario")
        _check(self.rest_s >= 0, f"rest must be >= 0 s, got {self.rest_s}")

    @property
    def recording(self) -> SetScenario:
        """The set scenario whose recording fields apply to the whole session."""
        return self.sets[0]


def as_session(scenario: SetScenario | SessionScenario) -> SessionScenario:
    """A session view of either kind of scenario."""
    if isinstance(scenario, SessionScenario):
        return scenario
    if isinstance(scenario, SetScenario):
        return SessionScenario(sets=(scenario,), rest_s=scenario.rest_s)
    raise InputError(f"cannot simulate a {type(scenario).__name__}; give a SetScenario")


def _check(ok: bool, message: str) -> None:
    if not ok:
        raise InputError(message)
