"""Truth follows the shared definitions: recomputed here independently from the true
trajectory at the sample times, with a plain sample-by-sample scan."""

from __future__ import annotations

import itertools
import math
from dataclasses import replace

import numpy as np
import pytest

from sensors.errors import InputError
from sensors.simulator import (
    PRESETS,
    SessionScenario,
    SetScenario,
    Tempo,
    get_profile,
    hip_extension_test,
    simulate,
)

V = 0.05


def _crossing(t, v, i, level):
    """Linear interpolation of the time v crosses level between samples i and i+1."""
    return t[i] + (level - v[i]) / (v[i + 1] - v[i]) * (t[i + 1] - t[i])


def _scan_rises(t, h, v):
    """(start, top, hold_end, end, rom) of every rise, walking the samples one by one: the
    fastest rising stretch since the last lowering is the concentric phase."""
    rises, best, up_start, up_peak, hold_end = [], None, None, 0.0, None
    for i in range(len(v) - 1):
        a, b = v[i], v[i + 1]
        if a <= V < b:
            up_start, up_peak = _crossing(t, v, i, V), b
        elif up_start is not None and b > V:
            up_peak = max(up_peak, b)
        if a > V >= b and up_start is not None:
            if best is None or up_peak > best[2]:
                best = (up_start, _crossing(t, v, i, V), up_peak)
            up_start = None
        if a >= -V > b:
            hold_end = _crossing(t, v, i, -V)
        if a < -V <= b:
            if best is not None and hold_end is not None:
                start, top, end = best[0], best[1], _crossing(t, v, i, -V)
                inside = (t >= start) & (t <= end)
                rom = max(h[inside].max(), np.interp(end, t, h)) - np.interp(start, t, h)
                rises.append((start, top, hold_end, end, rom))
            best, hold_end = None, None
    return rises


def _independent_reps(truth, rest_s=20.0):
    rises = [r for r in _scan_rises(truth.t, truth.height_m, truth.velocity_mps) if r[4] >= 0.03]
    while True:
        sets, current = [], []
        for r in rises:
            if current and r[0] - current[-1][3] > rest_s:
                sets.append(current)
                current = []
            current.append(r)
        if current:
            sets.append(current)
        kept = [r for s in sets for r in s if r[4] >= 0.6 * np.median([x[4] for x in s])]
        if len(kept) == len(rises):
            return sets
        rises = kept


@pytest.mark.parametrize("name", ["hip_thrust_3s_hold", "loaded_fatigue", "hips_5s_hold"])
def test_truth_reps_follow_the_definitions(name):
    rec = simulate(replace(PRESETS[name], rate_hz=1000.0, grade="ideal"))
    truth = rec.truth
    sets = _independent_reps(truth)
    flat = [(k, r) for k, s in enumerate(sets, start=1) for r in s]
    assert len(flat) == len(truth.reps) == rec.scenario.reps * rec.scenario.sets
    previous = {}
    for rep, (set_index, (start, top, hold_end, end, rom)) in zip(truth.reps, flat, strict=True):
        assert rep.set_index == set_index
        assert rep.start_s == pytest.approx(start, abs=2e-3)
        assert rep.top_s == pytest.approx(top, abs=2e-3)
        assert rep.end_s == pytest.approx(end, abs=2e-3)
        assert rep.hold_s == pytest.approx(hold_end - top, abs=3e-3)
        assert rep.rom_m == pytest.approx(rom, abs=2e-4)
        assert rep.concentric_s == pytest.approx(top - start, abs=3e-3)
        assert rep.eccentric_s == pytest.approx(end - hold_end, abs=3e-3)
        inside = (truth.t >= start) & (truth.t <= top)
        mean_v = np.mean(truth.velocity_mps[inside])
        assert rep.mean_velocity_mps == pytest.approx(mean_v, rel=0.01)
        assert rep.peak_velocity_mps == pytest.approx(truth.velocity_mps[inside].max(), abs=1e-3)
        x0, x1 = np.interp([start, top], truth.t, truth.forward_m)
        assert rep.forward_at_top_m == pytest.approx(x1 - x0, abs=1e-4)
        if set_index in previous:
            assert rep.bottom_pause_s == pytest.approx(start - previous[set_index], abs=3e-3)
        else:
            assert math.isnan(rep.bottom_pause_s)
        previous[set_index] = end


@pytest.mark.parametrize("name", ["hip_thrust_3s_hold", "glute_bridge", "hips_5s_hold"])
def test_measured_hold_is_the_hold_the_person_meant(name):
    truth = simulate(PRESETS[name]).truth
    planned = [p.planned_hold_s for p in truth.phases if p.kind == "rep"]
    measured = [r.hold_s for r in truth.reps]
    np.testing.assert_allclose(measured, planned, atol=0.02)
    target = PRESETS[name].tempo_resolved.hold_s
    np.testing.assert_allclose(np.mean(measured), target, rtol=0.05)


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_every_preset_counts_exactly_the_planned_reps(name):
    scenario = PRESETS[name]
    truth = simulate(scenario).truth
    assert len(truth.reps) == scenario.reps * scenario.sets
    assert len(truth.sets) == scenario.sets
    assert [r.index for r in truth.reps] == list(range(1, len(truth.reps) + 1))
    planned = [p for p in truth.phases if p.kind == "rep"]
    for rep, phase in zip(truth.reps, planned, strict=True):
        assert phase.start_s <= rep.start_s < rep.top_s < rep.end_s <= phase.end_s + 1e-9
        if phase.planned_hold_s == 0:
            continue  # without a hold the turn at the top cuts the planned range short
        # the rep starts when v exceeds V, a few millimetres above the bottom
        assert phase.planned_rom_m - 0.006 < rep.rom_m < phase.planned_rom_m + 0.001


def test_failed_attempt_and_setup_bumps_are_rises_but_not_reps():
    truth = simulate(PRESETS["loaded_fatigue"]).truth
    extras = [p for p in truth.phases if p.kind in ("setup", "failed", "rerack")]
    assert {p.kind for p in extras} == {"setup", "failed", "rerack"}
    for phase in extras:
        for rep in truth.reps:
            assert rep.end_s < phase.start_s or rep.start_s > phase.end_s
    rises_in_extras = [
        r for r in truth.rises if any(p.start_s - 0.01 <= r.start_s <= p.end_s for p in extras)
    ]
    assert len(rises_in_extras) >= 3  # the bumps and the failed rise were seen and rejected
    failed = next(p for p in extras if p.kind == "failed")
    failed_rise = next(r for r in truth.rises if failed.start_s <= r.start_s <= failed.end_s)
    median = np.median([r.rom_m for r in truth.reps])
    assert 0.03 <= failed_rise.rom_m < 0.5 * median


def test_fatigue_lowers_range_and_speed_rep_by_rep():
    reps = simulate(replace(PRESETS["loaded_fatigue"], variability=0.0)).truth.reps
    roms = [r.rom_m for r in reps]
    speeds = [r.mean_velocity_mps for r in reps]
    assert all(b < a for a, b in itertools.pairwise(roms))
    assert all(b < a for a, b in itertools.pairwise(speeds))
    assert roms[-1] < 0.9 * roms[0]


def test_touch_and_go_has_no_bottom_pause_and_no_top_hold_has_a_tiny_hold():
    reps = simulate(PRESETS["touch_and_go"]).truth.reps
    pauses = [r.bottom_pause_s for r in reps[1:]]
    assert max(pauses) < 0.1
    assert max(r.hold_s for r in reps) < 0.1


def test_hips_tilt_follows_height_and_bar_has_no_tilt():
    hips = simulate(replace(PRESETS["glute_bridge"], reps=3, variability=0.0)).truth
    expected = get_profile("glute_bridge").tilt_top_deg
    for rep in hips.reps:
        assert rep.tilt_change_deg == pytest.approx(expected, rel=0.1)
    bar = simulate(replace(PRESETS["hip_thrust_3s_hold"], reps=2)).truth
    assert all(math.isnan(r.tilt_change_deg) for r in bar.reps)
    assert np.isnan(bar.tilt_deg).all()


def test_sets_are_split_by_the_rest():
    truth = simulate(replace(PRESETS["three_sets"], reps=3)).truth
    assert [s.rep_count for s in truth.sets] == [3, 3, 3]
    for first, second in itertools.pairwise(truth.sets):
        assert second.start_s - first.end_s > 20.0


def test_unknown_exercise_lists_the_valid_names():
    with pytest.raises(InputError, match=r"glute_bridge.*hip_thrust"):
        SetScenario(exercise="deadlift")


@pytest.mark.parametrize(
    "changes",
    [{"reps": 0}, {"rate_hz": 20.0}, {"mount": "ankle"}, {"grade": "gold"}, {"fatigue": 2.0}],
)
def test_bad_scenario_values_are_input_errors(changes):
    with pytest.raises(InputError):
        SetScenario(**changes)


def test_tempo_parses_down_pause_up_hold():
    assert Tempo.parse("3-1-1-3") == Tempo(3.0, 1.0, 1.0, 3.0)
    assert str(Tempo.parse("2-0-1-0.5")) == "2-0-1-0.5"
    with pytest.raises(InputError, match="3-1-1-3"):
        Tempo.parse("3-1-1")


def test_a_rise_too_slow_for_the_rules_is_refused():
    with pytest.raises(InputError, match="too slow"):
        SetScenario(exercise="glute_bridge", tempo=Tempo(2.0, 1.0, 5.0, 1.0))
    SetScenario(exercise="hip_thrust", tempo=Tempo(2.0, 1.0, 5.0, 1.0))  # 35 cm in 5 s is fine


def test_a_session_mixes_exercises_and_keeps_one_sensor():
    session = SessionScenario(
        sets=(
            SetScenario(exercise="glute_bridge", mount="hips", reps=3, seed=4, grade="cheap"),
            SetScenario(exercise="single_leg_hip_thrust", reps=2, sets=2, rest_s=25.0),
        ),
        rest_s=40.0,
    )
    rec = simulate(session)
    assert [s.rep_count for s in rec.truth.sets] == [3, 2, 2]
    assert rec.truth.mount == "hips"
    assert rec.truth.sensor["grade"] == "cheap"
    roms = [r.rom_m for r in rec.truth.reps]
    assert max(roms[:3]) < 0.2 < min(roms[3:])  # a bridge, then the higher hip thrust


def test_forward_drift_adds_to_the_forward_travel_at_the_top():
    base = replace(PRESETS["hip_thrust_3s_hold"], reps=3, variability=0.0)
    still = simulate(base).truth.reps
    drifting = simulate(replace(base, forward_drift_m=0.03)).truth.reps
    for a, b in zip(still, drifting, strict=True):
        assert b.forward_at_top_m - a.forward_at_top_m == pytest.approx(0.03, abs=0.003)
        assert b.rom_m == pytest.approx(a.rom_m, abs=1e-9)


@pytest.mark.parametrize(("side", "sign"), [("left", 1.0), ("right", -1.0)])
def test_single_leg_side_sets_which_way_the_pelvis_rocks(side, sign):
    rec = simulate(SetScenario(exercise="single_leg_bridge", reps=2, side=side, variability=0.0))
    truth = rec.truth
    rep = truth.reps[0]
    rising = (truth.t >= rep.start_s - 0.3) & (truth.t <= rep.top_s + 0.3)
    rock = np.sum(truth.omega_world[rising, 0]) * np.median(np.diff(truth.t))
    expected = np.radians(get_profile("single_leg_bridge").rock_top_deg)
    assert sign * rock == pytest.approx(expected, rel=0.1)


def test_hip_extension_test_bridges_rise_less_as_the_low_back_is_locked():
    bridges = hip_extension_test(reps=2, seed=3)
    assert [(b, s) for b, s, _ in bridges] == [
        ("two_leg", "both"),
        ("single_leg_90", "left"),
        ("single_leg_90", "right"),
        ("single_leg_hug", "left"),
        ("single_leg_hug", "right"),
    ]
    roms, tilts = {}, {}
    for bridge, side, scenario in bridges:
        reps = simulate(scenario).truth.reps
        assert len(reps) == 2
        roms[bridge, side] = np.mean([r.rom_m for r in reps])
        tilts[bridge, side] = np.mean([r.tilt_change_deg for r in reps])
    assert roms["two_leg", "both"] > roms["single_leg_90", "left"] > roms["single_leg_hug", "left"]
    assert tilts["two_leg", "both"] > tilts["single_leg_hug", "right"] > 0
    mountings = {tuple(simulate(s).truth.sensor["mounting_wxyz"]) for _, _, s in bridges[:2]}
    assert len(mountings) == 1  # one sensor for the whole test
