"""The true motion of the sensor in the world frame (z up, x forward towards the feet, y left).

``build_motion(session, rng)`` lays out the timeline (lead-in, setup, reps, failed attempt,
re-rack, rests) as smooth channels: height h, forward x, pitch (rotation about world y: bar
roll on a bar, minus the posterior pelvic tilt on the hips) and rock (rotation about world x).
``Motion.evaluate(t)`` gives positions, velocities, accelerations and angular rates (SI).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from sensors.simulator.channel import Channel
from sensors.simulator.scenario import PEAK_SPEED_FACTOR, SessionScenario, SetScenario

PLATE_RADIUS_M = 0.225
"""Radius of full-size plates: rolling the bar by dx turns it by dx / radius about y."""

SETUP_ROLL_M = 0.30
"""How far the bar is rolled from the thighs into the hip crease (towards the head)."""

SPEED_THRESHOLD_MPS = 0.05
"""The shared moving/still threshold (docs/formats.md, "Definitions of the truth fields")."""

TREMOR_MAX_SPEED_MPS = 0.025
"""Tremor amplitude is capped so its vertical speed stays at half the 0.05 m/s threshold:
a shaking hold is still one hold."""


@dataclass(frozen=True, slots=True)
class Phase:
    """A stretch of the timeline: kind is 'setup', 'rep', 'failed' or 'rerack'."""

    kind: str
    set_number: int
    start_s: float
    end_s: float
    planned_rom_m: float = math.nan
    planned_hold_s: float = math.nan


@dataclass(frozen=True, slots=True)
class MotionSample:
    """The true state at times t (s): world-frame height h_m, forward x_m with their
    velocities (m/s) and accelerations (m/s^2), pitch_rad and rock_rad with their rates
    (rad/s). The body frame is the world frame turned by Rx(rock) then Ry(pitch)."""

    t: np.ndarray
    h_m: np.ndarray
    vz: np.ndarray
    az: np.ndarray
    x_m: np.ndarray
    vx: np.ndarray
    ax: np.ndarray
    pitch_rad: np.ndarray
    pitch_rate: np.ndarray
    rock_rad: np.ndarray
    rock_rate: np.ndarray

    def omega_world(self) -> np.ndarray:
        """Angular velocity of the body in the world frame (N x 3, rad/s)."""
        return np.column_stack(
            (
                self.rock_rate,
                self.pitch_rate * np.cos(self.rock_rad),
                self.pitch_rate * np.sin(self.rock_rad),
            )
        )

    def acc_world(self) -> np.ndarray:
        """Acceleration in the world frame (N x 3, m/s^2, gravity not included)."""
        return np.column_stack((self.ax, np.zeros_like(self.ax), self.az))


class Motion:
    """The four motion channels of a whole recording and the phases that made them."""

    def __init__(
        self, mount: str, start_s: float, end_s: float, phases: list[Phase], channels
    ) -> None:
        self.mount = mount
        self.start_s = start_s
        self.end_s = end_s
        self.phases = phases
        self._h, self._x, self._pitch, self._rock = channels

    def grid(self, rate_hz: float) -> np.ndarray:
        """Sample times (device clock, s) from start_s to end_s at ``rate_hz``."""
        n = math.floor((self.end_s - self.start_s) * rate_hz) + 1
        return self.start_s + np.arange(n) / rate_hz

    def evaluate(self, t: np.ndarray) -> MotionSample:
        """The true state at the sorted device times ``t`` (s)."""
        h, vz, az = self._h.evaluate(t)
        x, vx, ax = self._x.evaluate(t)
        pitch, pitch_rate, _ = self._pitch.evaluate(t)
        rock, rock_rate, _ = self._rock.evaluate(t)
        return MotionSample(t, h, vz, az, x, vx, ax, pitch, pitch_rate, rock, rock_rate)

    def in_plane(self, t: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Only what the rep rules need, at the sorted times ``t``: height (m), vertical
        velocity (m/s), forward travel (m) and pitch (rad)."""
        h, vz, _ = self._h.evaluate(t)
        return h, vz, self._x.evaluate(t)[0], self._pitch.evaluate(t)[0]


@dataclass(frozen=True, slots=True)
class _Coupling:
    """Per metre of height: forward travel (m), pitch (rad), rock (rad)."""

    forward: float
    pitch: float
    rock: float


class _Timeline:
    """Places body motions on the four channels, keeping the current time."""

    def __init__(self, mount: str, rng: np.random.Generator) -> None:
        self.mount = mount
        self.rng = rng
        self.h, self.x, self.pitch, self.rock = Channel(), Channel(), Channel(), Channel()
        self.t = 0.0
        self.phases: list[Phase] = []

    def lift(self, t0: float, duration: float, dh: float, k: _Coupling) -> None:
        """A height change with the forward travel and rotations that go with it."""
        self.h.move(t0, duration, dh)
        self.x.move(t0, duration, k.forward * dh)
        self.pitch.move(t0, duration, k.pitch * dh)
        self.rock.move(t0, duration, k.rock * dh)

    def bump(self, t0: float, duration: float, dh: float, k: _Coupling) -> None:
        """Up by dh and back down, with the coupled forward travel and rotations."""
        self.h.bump(t0, duration, dh)
        self.x.bump(t0, duration, k.forward * dh)
        self.pitch.bump(t0, duration, k.pitch * dh)
        self.rock.bump(t0, duration, k.rock * dh)

    def tremor(self, t0: float, duration: float, amplitude: float) -> None:
        """A several-Hz shake of the height while the load is held still."""
        if amplitude <= 0 or duration < 0.3:
            return
        waves = tuple(
            (float(self.rng.uniform(lo, hi)), float(self.rng.uniform(0, 2 * np.pi)))
            for lo, hi in ((5.0, 7.0), (8.0, 11.0))
        )
        peak_speed = amplitude * 2.0 * np.pi * max(f for f, _ in waves) * 1.5
        amplitude *= min(1.0, TREMOR_MAX_SPEED_MPS / peak_speed)
        self.h.shake(t0, duration, amplitude, waves)


def build_motion(session: SessionScenario, rng: np.random.Generator) -> Motion:
    """Lay out every set of ``session`` on one timeline; see the module docstring."""
    first = session.recording
    line = _Timeline(first.mount_resolved, rng)
    line.t = first.start_time_s + first.lead_in_s
    set_number = 0
    needs_setup = True
    for part_index, part in enumerate(session.sets):
        for repeat in range(part.sets):
            if set_number > 0:
                line.t += session.rest_s if repeat == 0 and part_index > 0 else part.rest_s
            set_number += 1
            if part.setup and needs_setup:
                _setup(line, set_number)
            _set(line, part, set_number)
            needs_setup = part.rerack
            if part.rerack:
                _rerack(line, set_number)
    channels = (line.h, line.x, line.pitch, line.rock)
    return Motion(line.mount, first.start_time_s, line.t + first.tail_s, line.phases, channels)


def _coupling(line: _Timeline, part: SetScenario) -> _Coupling:
    p = part.profile
    rom = part.rom_resolved
    if line.mount == "hips":
        pitch = -math.radians(p.tilt_top_deg) / rom
    else:
        pitch = math.radians(p.roll_top_deg) / rom
    side = 1.0 if line.rng.random() < 0.5 else -1.0
    if part.side is not None:
        side = 1.0 if part.side == "left" else -1.0
    return _Coupling(p.forward_top_m / rom, pitch, side * math.radians(p.rock_top_deg) / rom)


def _setup(line: _Timeline, set_number: int) -> None:
    """Roll the bar into the hip crease, or shuffle into place on the bench, then settle."""
    rng = line.rng
    start = line.t
    duration = float(rng.uniform(2.5, 3.5))
    still = _Coupling(0.0, 0.0, 0.0)
    if line.mount == "bar":
        line.x.move(start, duration, -SETUP_ROLL_M)
        line.pitch.move(start, duration, -SETUP_ROLL_M / PLATE_RADIUS_M)
    else:
        line.x.move(start, duration, float(rng.uniform(-0.05, 0.05)))
        line.pitch.bump(start, duration, math.radians(rng.uniform(-8.0, 8.0)))
    count = int(rng.integers(2, 4))
    slots = np.linspace(start, start + duration, count + 1)
    for lo, hi in itertools.pairwise(slots):
        length = float(rng.uniform(0.4, 0.7)) * (hi - lo)
        t0 = float(rng.uniform(lo, hi - length))
        line.bump(t0, length, float(rng.uniform(0.01, 0.025)), still)
    line.phases.append(Phase("setup", set_number, start, start + duration))
    line.t = start + duration + float(rng.uniform(1.5, 2.5))


def _rerack(line: _Timeline, set_number: int) -> None:
    """Roll the bar off towards the knees (bar) or sit up from the bench (hips)."""
    rng = line.rng
    start = line.t + float(rng.uniform(0.8, 1.5))
    duration = float(rng.uniform(1.8, 2.6))
    if line.mount == "bar":
        line.x.move(start, duration, SETUP_ROLL_M)
        line.pitch.move(start, duration, SETUP_ROLL_M / PLATE_RADIUS_M)
        line.h.bump(start + 0.2 * duration, 0.5 * duration, float(rng.uniform(0.01, 0.02)))
    else:
        line.x.move(start, duration, -0.05)
        line.pitch.move(start, duration, math.radians(rng.uniform(35.0, 50.0)))
        line.h.move(start, duration, -0.02)
    line.phases.append(Phase("rerack", set_number, start, start + duration))
    line.t = start + duration + 1.0
    if line.mount == "hips":  # lie back down for the next set
        line.x.move(line.t, duration, 0.05)
        line.pitch.move(line.t, duration, -math.radians(rng.uniform(35.0, 50.0)))
        line.h.move(line.t, duration, 0.02)
        line.t += duration + 1.0


def _slow_tail(duration: float, distance: float) -> float:
    """Time at the end of a minimum-jerk move spent below the 0.05 m/s threshold (s).

    The person holds for the time the coach's timer counts, which starts when the speed
    falls below the threshold, so the still part of a planned hold is shortened by the slow
    end of the rise and the slow start of the lowering."""
    peak = PEAK_SPEED_FACTOR * distance / duration
    if peak <= SPEED_THRESHOLD_MPS:
        return 0.5 * duration
    # 30 s^2 (1 - s)^2 * distance / duration = V  ->  s (1 - s) = sqrt(V duration / (30 d))
    u = math.sqrt(SPEED_THRESHOLD_MPS * duration / (30.0 * distance))
    return duration * 0.5 * (1.0 - math.sqrt(1.0 - 4.0 * u))


def _set(line: _Timeline, part: SetScenario, set_number: int) -> None:
    """The reps of one set (and the failed attempt), starting at rest at the bottom."""
    rng = line.rng
    k = _coupling(line, part)
    tempo = part.tempo_resolved
    rom = part.rom_resolved
    tremor = part.profile.tremor_m * part.tremor_scale
    spread = part.variability
    n = part.reps

    def jitter(scale: float) -> float:
        return float(np.clip(1.0 + spread * scale * rng.standard_normal(), 0.75, 1.25))

    def overlap(a: float, b: float) -> float:
        return 0.35 * min(a, b)

    t = line.t
    next_conc = tempo.concentric_s * jitter(0.06)
    for i in range(n):
        fatigue = part.fatigue * (i / (n - 1) if n > 1 else 0.0)
        r = rom * (1.0 - 0.15 * fatigue) * jitter(0.02)
        conc = next_conc * (1.0 + 0.6 * fatigue)
        hold = tempo.hold_s * jitter(0.04)
        ecc = tempo.eccentric_s * jitter(0.06)
        still = max(0.0, hold - _slow_tail(conc, r) - _slow_tail(ecc, r)) if hold > 0 else 0.0
        pause = 0.0 if part.touch_and_go else tempo.bottom_pause_s * jitter(0.1)
        next_conc = tempo.concentric_s * jitter(0.06)
        line.lift(t, conc, r, k)
        line.x.move(t, conc, part.forward_drift_m)
        top = t + conc
        if hold > 0:
            line.tremor(top, still, tremor)
            ecc_start = top + still
        else:
            ecc_start = top - overlap(conc, ecc)
        line.lift(ecc_start, ecc, -r, k)
        line.x.bump(ecc_start, ecc, part.profile.arc_m * r / rom)
        bottom = ecc_start + ecc
        line.phases.append(Phase("rep", set_number, t, bottom, r, hold))
        turn = pause == 0 and i < n - 1
        t = bottom - overlap(ecc, next_conc) if turn else bottom + pause
    t += 1.0
    if part.failed_last_attempt:
        r = rom * float(rng.uniform(0.2, 0.4))
        conc = tempo.concentric_s * float(rng.uniform(1.5, 2.5))
        stall = float(rng.uniform(0.3, 0.6))
        ecc = tempo.eccentric_s * 0.8
        line.lift(t, conc, r, k)
        line.tremor(t + conc, stall, tremor)
        line.lift(t + conc + stall, ecc, -r, k)
        end = t + conc + stall + ecc
        line.phases.append(Phase("failed", set_number, t, end, r, 0.0))
        t = end + 1.0
    line.t = t
