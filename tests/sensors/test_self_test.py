"""The hip-extension self-test on simulated bridges and on hand-made reps."""

import math

import pytest

from sensors.errors import InputError
from sensors.metrics import RepMetrics
from sensors.self_test import (
    BRIDGES,
    SIDES,
    SelfTestResult,
    analyze_bridge,
    assess,
    bridge_result,
)
from sensors.simulator import SetScenario, Tempo, simulate

TEST_TEMPO = Tempo(1.0, 1.0, 1.0, 2.0)
"""Up in a second, hold two, down in a second: how the view asks for the test reps."""


def bridge_block(exercise: str, rom_m: float, seed: int, mount: str = "hips"):
    scenario = SetScenario(
        exercise=exercise, mount=mount, reps=4, rom_m=rom_m, tempo=TEST_TEMPO, seed=seed
    )
    return simulate(scenario).block


def rep(rom_m: float, tilt: float = 10.0) -> RepMetrics:
    nan = math.nan
    return RepMetrics(1, 1, 0.0, 1.0, 3.0, 1.0, rom_m, 1.0, 1.0, nan, 0.2, 0.3, 0.0, tilt)


def test_simulated_bridges_split_the_height_into_hips_and_compensation():
    heights = {"two_leg": 0.16, "single_leg_90": 0.10, "single_leg_hug": 0.065}
    exercise = {"two_leg": "glute_bridge"}
    results = [
        analyze_bridge(name, side, bridge_block(exercise.get(name, "single_leg_bridge"), h, i))
        for i, (name, h) in enumerate(heights.items())
        for side in SIDES[name]
    ]
    for r in results:
        assert r.reps == 4
        assert r.height_m == pytest.approx(heights[r.bridge], abs=0.01)
        assert r.tilt_deg > 5  # posterior tilt on the way up
    result = assess(results)
    assert result.hip_share == pytest.approx(0.065 / 0.16, abs=0.07)
    assert result.compensation_m == pytest.approx(0.095, abs=0.015)
    assert not result.mobility_first
    assert "hips do the work" in result.advice
    again = SelfTestResult.from_dict(result.to_dict())
    assert again.bridges == result.bridges and again.hip_share == result.hip_share


def test_near_zero_true_extension_points_to_mobility_first():
    bridges = [bridge_result("two_leg", "both", [rep(0.15), rep(0.16)])]
    bridges += [bridge_result("single_leg_90", s, [rep(0.08)]) for s in ("left", "right")]
    bridges += [bridge_result("single_leg_hug", "left", [])]  # no rise at all
    bridges += [bridge_result("single_leg_hug", "right", [rep(0.02, tilt=1.0)])]
    result = assess(bridges)
    assert result.mobility_first
    assert result.true_extension_m == pytest.approx(0.01)
    assert "mobility" in result.advice
    assert result.to_dict()["bridges"][3]["reps"] == 0


def test_an_incomplete_or_empty_test_is_refused():
    with pytest.raises(InputError, match=r"incomplete.*hugging"):
        assess([bridge_result("two_leg", "both", [rep(0.15)])])
    empty = [bridge_result(n, s, []) for n in BRIDGES for s in SIDES[n]]
    with pytest.raises(InputError, match="no rise found in the two-leg"):
        assess(empty)


def test_bad_bridges_sides_and_a_bar_mount_are_refused():
    with pytest.raises(InputError, match="unknown bridge"):
        bridge_result("squat", "both", [])
    with pytest.raises(InputError, match="sides left, right"):
        bridge_result("single_leg_hug", "both", [])
    with pytest.raises(InputError, match="on the hips"):
        bridge_result("two_leg", "both", [rep(0.15, tilt=math.nan)])
