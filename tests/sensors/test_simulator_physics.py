"""Physics of the simulated sensor: gravity at rest, integration, frames, reproducibility."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from sensors.samples import STANDARD_GRAVITY
from sensors.simulator import PRESETS, SetScenario, simulate

G = STANDARD_GRAVITY
ACC_LSB = 16 * G / 32768
GYR_LSB = np.radians(2000) / 32768


@pytest.fixture(scope="module")
def ideal():
    """A 1000 Hz error-free recording of a loaded hip thrust set with every feature on."""
    scenario = replace(PRESETS["loaded_fatigue"], grade="ideal", rate_hz=1000.0, reps=4, seed=11)
    return simulate(scenario)


def _rotate_to_world(quat_wxyz: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    return Rotation.from_quat(quat_wxyz[:, [1, 2, 3, 0]]).apply(vectors)


def test_at_rest_the_accelerometer_norm_is_g_within_the_drawn_bias():
    rec = simulate(replace(PRESETS["hip_thrust_3s_hold"], grade="cheap", seed=3))
    truth = rec.truth
    still = truth.t < 2.0  # the lead-in: lying still before the setup
    assert np.all(truth.velocity_mps[still] == 0) and np.all(truth.acc_world[still] == 0)
    mean_norm = np.linalg.norm(rec.block.acc[still].mean(axis=0))
    bias = np.linalg.norm(truth.sensor["acc_bias_mps2"])
    scale = np.max(np.abs(truth.sensor["acc_scale_error"]))
    allowed = bias + scale * G + 0.01
    assert abs(mean_norm - G) <= allowed
    assert bias > 0.05  # a cheap sensor really is off, so the check above is not vacuous


def test_ideal_sensor_at_rest_reads_exactly_g(ideal):
    still = ideal.truth.t < 2.0
    norms = np.linalg.norm(ideal.block.acc[still], axis=1)
    np.testing.assert_allclose(norms, G, atol=2 * ACC_LSB)
    np.testing.assert_allclose(ideal.block.gyr[still], 0.0, atol=GYR_LSB)


def test_integrating_true_acceleration_twice_recovers_height_and_forward(ideal):
    truth = ideal.truth
    t = truth.t
    dt = np.diff(t)
    for axis, position in ((2, truth.height_m), (0, truth.forward_m)):
        a = truth.acc_world[:, axis]
        v = np.concatenate(([0.0], np.cumsum(0.5 * (a[1:] + a[:-1]) * dt)))
        p = position[0] + np.concatenate(([0.0], np.cumsum(0.5 * (v[1:] + v[:-1]) * dt)))
        assert np.max(np.abs(p - position)) < 1e-3
    np.testing.assert_allclose(np.gradient(truth.height_m, t), truth.velocity_mps, atol=2e-3)


def test_sensor_readings_rotated_back_give_the_world_signals(ideal):
    truth = ideal.truth
    acc_world = _rotate_to_world(truth.quat_wxyz, ideal.block.acc) - [0.0, 0.0, G]
    gyr_world = _rotate_to_world(truth.quat_wxyz, ideal.block.gyr)
    np.testing.assert_allclose(acc_world, truth.acc_world, atol=2 * ACC_LSB)
    np.testing.assert_allclose(gyr_world, truth.omega_world, atol=2 * GYR_LSB)
    assert np.ptp(truth.acc_world[:, 2]) > 1.0  # the set really moved


def test_true_angular_rate_matches_the_change_of_orientation(ideal):
    truth = ideal.truth
    rot = Rotation.from_quat(truth.quat_wxyz[:, [1, 2, 3, 0]])
    step = rot[1:] * rot[:-1].inv()  # world-frame increment between samples
    rate = step.as_rotvec() / np.diff(truth.t)[:, None]
    mid = 0.5 * (truth.omega_world[1:] + truth.omega_world[:-1])
    np.testing.assert_allclose(rate, mid, atol=2e-3)


def test_given_mounting_is_the_orientation_before_any_motion():
    q = Rotation.from_euler("xyz", [30, -50, 120], degrees=True).as_quat()
    wxyz = (q[3], q[0], q[1], q[2])
    rec = simulate(SetScenario(exercise="hip_thrust", mount="bar", reps=2, mounting_wxyz=wxyz))
    first = rec.truth.quat_wxyz[0]
    assert abs(abs(np.dot(first, wxyz)) - 1.0) < 1e-9
    np.testing.assert_allclose(rec.truth.sensor["mounting_wxyz"], wxyz, atol=1e-12)


def test_same_scenario_and_seed_give_the_same_samples_and_another_seed_does_not():
    scenario = replace(PRESETS["cheap_sensor_dropouts"], reps=3)
    a, b = simulate(scenario), simulate(scenario)
    c = simulate(replace(scenario, seed=scenario.seed + 1))
    for name in ("t", "acc", "gyr", "gap"):
        assert np.array_equal(getattr(a.block, name), getattr(b.block, name))
    assert not np.array_equal(a.block.acc[:100], c.block.acc[:100])


def test_noise_does_not_change_the_motion():
    base = replace(PRESETS["glute_bridge"], reps=3)
    quiet, noisy = simulate(replace(base, grade="ideal")), simulate(replace(base, grade="cheap"))
    assert np.array_equal(quiet.truth.height_m, noisy.truth.height_m)
    assert [r.to_dict() for r in quiet.truth.reps] == [r.to_dict() for r in noisy.truth.reps]


def test_noise_level_follows_the_density_and_rate():
    rec = simulate(replace(PRESETS["glute_bridge"], reps=1, rate_hz=400.0, noise_scale=4.0))
    still = rec.truth.t < 2.0
    sigma = rec.truth.sensor["acc_noise_sigma_mps2"]
    measured = rec.block.acc[still].std(axis=0)
    np.testing.assert_allclose(measured, sigma, rtol=0.25)
    assert sigma == pytest.approx(4.0 * 150e-6 * G * np.sqrt(400.0))


def test_dropouts_remove_runs_and_mark_the_next_sample_as_a_gap():
    rec = simulate(replace(PRESETS["cheap_sensor_dropouts"], dropouts_per_min=30.0))
    block = rec.block
    period = 1.0 / rec.scenario.rate_hz
    steps = np.diff(block.t)
    assert block.gap.sum() > 3
    np.testing.assert_array_equal(block.gap[1:], steps > 1.5 * period)
    assert not block.gap[0]
    assert rec.truth.sensor["dropped_samples"] == round(block.t[-1] / period) + 1 - len(block)


def test_tremor_shakes_loaded_holds_but_never_reaches_the_speed_threshold():
    rec = simulate(replace(PRESETS["loaded_fatigue"], tremor_scale=3.0, rate_hz=500.0))
    truth = rec.truth
    for rep in truth.reps:
        inside = (truth.t > rep.top_s) & (truth.t < rep.top_s + rep.hold_s)
        v = truth.velocity_mps[inside]
        assert np.abs(v).max() < 0.05
        assert np.abs(truth.acc_world[inside, 2]).max() > 0.05  # it does shake


def test_start_time_moves_the_device_clock_and_nothing_else():
    base = replace(PRESETS["loaded_fatigue"], reps=3)
    offset = 4000.0
    a, b = simulate(base), simulate(replace(base, start_time_s=offset))
    assert b.block.t[0] == offset
    np.testing.assert_allclose(b.block.t - offset, a.block.t, atol=1e-9)
    np.testing.assert_allclose(b.block.acc, a.block.acc, atol=1e-6)
    np.testing.assert_allclose(b.truth.height_m, a.truth.height_m, atol=1e-9)
    assert len(a.truth.reps) == len(b.truth.reps) == 3
    for ra, rb in zip(a.truth.reps, b.truth.reps, strict=True):
        assert rb.start_s - offset == pytest.approx(ra.start_s, abs=1e-6)
        assert rb.hold_s == pytest.approx(ra.hold_s, abs=1e-6)
        assert rb.rom_m == pytest.approx(ra.rom_m, abs=1e-9)
