"""Exercise profiles: the one table of typical ranges, tempos and body motions per exercise.

Every simulated set starts from a profile; scenarios override what they need. Lengths in
metres, times in seconds, angles in degrees (converted to radians only where motion is built).
"""

from __future__ import annotations

from dataclasses import dataclass

from sensors.errors import InputError


@dataclass(frozen=True, slots=True)
class Tempo:
    """Planned phase durations of one rep in seconds, written down-pause-up-hold (3-1-1-3)."""

    eccentric_s: float
    bottom_pause_s: float
    concentric_s: float
    hold_s: float

    @classmethod
    def parse(cls, text: str) -> Tempo:
        """Parse '3-1-1-3' (eccentric, bottom pause, concentric, hold; seconds)."""
        parts = text.strip().split("-")
        try:
            values = [float(p) for p in parts]
        except ValueError:
            values = []
        if len(values) != 4 or any(v < 0 for v in values):
            raise InputError(
                f"tempo {text!r} is not four non-negative numbers like 3-1-1-3 "
                "(down, bottom pause, up, top hold; seconds)"
            )
        return cls(*values)

    def __str__(self) -> str:
        return "-".join(f"{v:g}" for v in self.as_tuple())

    def as_tuple(self) -> tuple[float, float, float, float]:
        return (self.eccentric_s, self.bottom_pause_s, self.concentric_s, self.hold_s)


@dataclass(frozen=True, slots=True)
class ExerciseProfile:
    """Typical motion of one exercise.

    rom_range_m: usual range of motion of the sensor (bar or hips), metres.
    tilt_top_deg: posterior pelvic tilt gained from bottom to top (hips mount).
    roll_top_deg: bar roll about its long axis from bottom to top (bar mount).
    rock_top_deg: sideways rotation about the forward axis at the top (single-leg work).
    forward_top_m: forward travel (towards the feet) of the sensor from bottom to top.
    arc_m: extra forward bulge of the path in the middle of the lowering.
    tremor_m: amplitude of the several-Hz shake of the sensor height during a top hold.
    """

    name: str
    title: str
    default_mount: str
    rom_range_m: tuple[float, float]
    tempo: Tempo
    tilt_top_deg: float
    roll_top_deg: float
    rock_top_deg: float
    forward_top_m: float
    arc_m: float
    tremor_m: float

    @property
    def rom_m(self) -> float:
        """The typical range of motion: the middle of rom_range_m."""
        return 0.5 * (self.rom_range_m[0] + self.rom_range_m[1])


_PROFILES = (
    ExerciseProfile(
        "glute_bridge",
        "Glute bridge",
        "hips",
        (0.12, 0.20),
        Tempo(2.0, 1.0, 1.0, 1.0),
        tilt_top_deg=18.0,
        roll_top_deg=2.0,
        rock_top_deg=0.0,
        forward_top_m=0.02,
        arc_m=0.008,
        tremor_m=0.0001,
    ),
    ExerciseProfile(
        "single_leg_bridge",
        "Single-leg glute bridge",
        "hips",
        (0.10, 0.16),
        Tempo(2.0, 1.0, 1.0, 2.0),
        tilt_top_deg=15.0,
        roll_top_deg=2.0,
        rock_top_deg=5.0,
        forward_top_m=0.02,
        arc_m=0.008,
        tremor_m=0.00015,
    ),
    ExerciseProfile(
        "single_leg_bridge_hug",
        "Single-leg bridge hugging the other knee to the chest",
        "hips",
        (0.04, 0.10),
        Tempo(1.2, 1.0, 0.8, 2.0),
        tilt_top_deg=8.0,
        roll_top_deg=1.0,
        rock_top_deg=4.0,
        forward_top_m=0.01,
        arc_m=0.005,
        tremor_m=0.00015,
    ),
    ExerciseProfile(
        "hip_thrust",
        "Hip thrust",
        "bar",
        (0.30, 0.40),
        Tempo(2.0, 1.0, 1.0, 1.0),
        tilt_top_deg=25.0,
        roll_top_deg=3.0,
        rock_top_deg=0.0,
        forward_top_m=0.02,
        arc_m=0.015,
        tremor_m=0.0002,
    ),
    ExerciseProfile(
        "single_leg_hip_thrust",
        "Single-leg hip thrust",
        "hips",
        (0.25, 0.35),
        Tempo(2.0, 1.0, 1.0, 2.0),
        tilt_top_deg=22.0,
        roll_top_deg=3.0,
        rock_top_deg=6.0,
        forward_top_m=0.03,
        arc_m=0.012,
        tremor_m=0.0002,
    ),
    ExerciseProfile(
        "loaded_hip_thrust",
        "Loaded hip thrust",
        "bar",
        (0.30, 0.40),
        Tempo(2.0, 1.0, 1.0, 2.0),
        tilt_top_deg=25.0,
        roll_top_deg=4.0,
        rock_top_deg=0.0,
        forward_top_m=0.025,
        arc_m=0.015,
        tremor_m=0.0004,
    ),
)

EXERCISES: dict[str, ExerciseProfile] = {p.name: p for p in _PROFILES}
"""Exercise profiles by name."""

SIDES = ("left", "right")
"""The working leg of a single-leg exercise."""

MOUNTS = ("bar", "hips")
"""Where the sensor can sit: on the barbell or on a belt over the hips."""


def get_profile(name: str) -> ExerciseProfile:
    """The profile called ``name``; InputError listing the valid names otherwise."""
    try:
        return EXERCISES[name]
    except KeyError:
        raise InputError(
            f"unknown exercise {name!r}; choose one of: {', '.join(EXERCISES)}"
        ) from None
