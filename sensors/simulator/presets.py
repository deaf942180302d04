"""Named scenarios for the app's source picker, ``sim://NAME`` and the accuracy report.

Change rate or seed with ``dataclasses.replace(PRESETS[name], rate_hz=..., seed=...)``.
"""

from __future__ import annotations

from sensors.errors import InputError
from sensors.simulator.profiles import Tempo
from sensors.simulator.scenario import SetScenario

PRESETS: dict[str, SetScenario] = {
    "hip_thrust_3s_hold": SetScenario(
        exercise="hip_thrust",
        mount="bar",
        reps=8,
        hold_s=3.0,
        seed=1,
        description="Hip thrust, sensor on the bar, 8 reps with a 3 s hold",
    ),
    "glute_bridge": SetScenario(
        exercise="glute_bridge",
        mount="hips",
        reps=12,
        seed=2,
        description="Glute bridge, sensor on the hips, 12 reps, 1 s hold",
    ),
    "single_leg_bridge": SetScenario(
        exercise="single_leg_bridge",
        mount="hips",
        reps=10,
        hold_s=3.0,
        seed=3,
        description="Single-leg bridge on the hips, 10 reps with a 3 s hold",
    ),
    "single_leg_hip_thrust": SetScenario(
        exercise="single_leg_hip_thrust",
        mount="hips",
        reps=12,
        hold_s=3.0,
        seed=4,
        description="Single-leg hip thrust on the hips, 12 reps with a 3 s hold",
    ),
    "loaded_fatigue": SetScenario(
        exercise="loaded_hip_thrust",
        mount="bar",
        reps=10,
        hold_s=1.0,
        fatigue=1.0,
        failed_last_attempt=True,
        rerack=True,
        seed=5,
        description="Loaded hip thrust to failure: slowing reps, a failed last try, re-rack",
    ),
    "touch_and_go": SetScenario(
        exercise="hip_thrust",
        mount="bar",
        reps=10,
        tempo=Tempo(1.2, 0.0, 0.8, 0.0),
        touch_and_go=True,
        seed=6,
        description="Hip thrust touch-and-go: no bottom pause, no top hold",
    ),
    "hips_5s_hold": SetScenario(
        exercise="hip_thrust",
        mount="hips",
        reps=6,
        tempo=Tempo(3.0, 1.0, 1.0, 5.0),
        seed=7,
        description="Hip thrust, sensor on the hips, tempo 3-1-1-5",
    ),
    "three_sets": SetScenario(
        exercise="loaded_hip_thrust",
        mount="bar",
        reps=8,
        sets=3,
        rest_s=60.0,
        hold_s=2.0,
        fatigue=0.5,
        rerack=True,
        seed=8,
        description="Loaded hip thrust, 3 sets of 8 with a 2 s hold, 60 s rests",
    ),
    "cheap_sensor_dropouts": SetScenario(
        exercise="hip_thrust",
        mount="bar",
        reps=8,
        hold_s=3.0,
        grade="cheap",
        dropouts_per_min=6.0,
        rate_hz=100.0,
        seed=9,
        description="Hip thrust on a cheap 100 Hz sensor with BLE dropouts",
    ),
    "bench_drift": SetScenario(
        exercise="hip_thrust",
        mount="bar",
        reps=8,
        hold_s=2.0,
        forward_drift_m=0.02,
        seed=11,
        description="Hip thrust pushing the bench away: 2 cm forward drift every rep",
    ),
    "fast_1000hz": SetScenario(
        exercise="hip_thrust",
        mount="hips",
        reps=6,
        hold_s=1.0,
        rate_hz=1000.0,
        seed=10,
        description="Hip thrust on the hips at 1000 Hz",
    ),
}
"""Scenario presets by name (one sensor each, random mounting drawn from the seed)."""


def hip_extension_test(
    *, reps: int = 3, rate_hz: float = 200.0, seed: int = 0
) -> list[tuple[str, str, SetScenario]]:
    """The three bridges of the hip-extension self-test as (bridge, side, scenario), in the
    order they are done: two-leg ('both'), then single-leg with the other hip and knee at 90
    degrees and single-leg hugging the other knee, each on the left and the right leg. One
    sensor on the hips: every scenario shares the seed's mounting and sensor errors."""
    common = {"mount": "hips", "reps": reps, "rate_hz": rate_hz, "seed": seed, "hold_s": 2.0}
    plan = [("two_leg", "both", "glute_bridge")]
    for bridge, exercise in (
        ("single_leg_90", "single_leg_bridge"),
        ("single_leg_hug", "single_leg_bridge_hug"),
    ):
        plan += [(bridge, side, exercise) for side in ("left", "right")]
    return [
        (
            bridge,
            side,
            SetScenario(
                exercise=exercise,
                side=None if side == "both" else side,
                description=f"Hip-extension test: {exercise.replace('_', ' ')}, {side}",
                **common,
            ),
        )
        for bridge, side, exercise in plan
    ]


def get_preset(name: str) -> SetScenario:
    """The preset called ``name``; InputError listing the valid names otherwise."""
    try:
        return PRESETS[name]
    except KeyError:
        raise InputError(f"unknown preset {name!r}; choose one of: {', '.join(PRESETS)}") from None
