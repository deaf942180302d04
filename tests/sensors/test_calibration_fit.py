"""Calibration maths on synthetic data with known errors (sensors.calibration_fit)."""

import math

import numpy as np
import pytest

from sensors.calibration_bench import CalibrationBench
from sensors.calibration_fit import (
    FACES,
    build_record,
    check_known_height,
    check_mounting,
    fit_accelerometer,
    gyro_bias,
    read_face,
    stillness,
)
from sensors.errors import CalibrationError, InputError, SensorMovedError
from sensors.samples import SampleBlock

OFFSET = np.array([0.31, -0.22, 0.15])
SCALE = np.array([1.021, 0.978, 1.012])
BIAS = np.array([0.012, -0.02, 0.006])


def bench(**kw):
    return CalibrationBench(gyro_bias_rps=BIAS, acc_offset_mps2=OFFSET, acc_scale=SCALE, **kw)


def six_face_means(b: CalibrationBench, seconds: float = 2.0) -> np.ndarray:
    means = []
    for i, face in enumerate(FACES):
        b.place_face(face, tilt_deg=[2.0, -3.0, 1.5, 4.0, -2.5, 3.0][i])  # uneven table
        means.append(read_face(b.read(seconds)).mean_acc_mps2)
    return np.array(means)


def test_six_faces_recover_offsets_and_scales_to_one_percent():
    fit = fit_accelerometer(six_face_means(bench(seed=1)))
    np.testing.assert_array_less(np.abs(fit.offset_mps2 - OFFSET), 0.01 * np.abs(OFFSET))
    np.testing.assert_array_less(np.abs(fit.scale - SCALE), 0.01 * np.abs(SCALE - 1))
    assert fit.gravity_error_before_mps2 > 0.2
    assert fit.gravity_error_after_mps2 < 0.005


def test_more_poses_than_faces_are_a_least_squares_fit():
    b = bench(seed=2)
    means = np.vstack([six_face_means(b, 1.0), six_face_means(b, 1.0)])
    fit = fit_accelerometer(means)
    np.testing.assert_allclose(fit.offset_mps2, OFFSET, atol=0.01 * np.abs(OFFSET).min())


def test_a_missing_face_is_named():
    means = six_face_means(bench(seed=3))[[0, 1, 2, 3, 4]]
    with pytest.raises(CalibrationError, match="-Z"):
        fit_accelerometer(means)


def test_gyro_bias_from_a_still_block():
    b = bench(seed=4)
    b.place_face("+Z")
    np.testing.assert_allclose(gyro_bias(b.read(3.0)), BIAS, atol=0.1 * np.abs(BIAS).min())


def test_a_sensor_that_moves_during_the_still_step_is_refused():
    b = bench(seed=5)
    b.hold(1.0)
    b.shake(1.0)
    with pytest.raises(SensorMovedError, match="moved"):
        gyro_bias(b.read(3.0))


def test_a_slow_turn_that_looks_like_a_bias_is_refused():
    b = bench(seed=6)
    b.turn([1, 0, 0], 6.0, 6.0)  # 3 s of it: 3 degrees, at most 2 deg/s
    assert not stillness(b.read(3.0)).still


def test_too_short_a_still_block_says_so():
    b = bench()
    with pytest.raises(CalibrationError, match="at least"):
        gyro_bias(b.read(0.3))


def test_read_face_names_the_upward_axis():
    b = CalibrationBench(seed=13)
    b.place_face("-Y", tilt_deg=5.0)
    reading = read_face(b.read(1.0))
    assert reading.face == "-Y" and reading.aligned
    assert reading.misalignment_deg == pytest.approx(5.0, abs=1.0)


def test_mounting_finds_up_and_the_left_right_axis():
    b = CalibrationBench(seed=7)
    b.place_face("-Y")  # sensor -Y points up
    still = b.read(2.0)
    b.turn([0, 1, 0], 20.0, 4.0)  # world y is left-right
    rep = b.read(4.0)
    m = check_mounting(still, rep, "hips")
    assert m.axis_map["up"] == "-Y"
    assert m.turn_deg == pytest.approx(20.0, abs=1.0)
    np.testing.assert_allclose(m.rotation @ m.rotation.T, np.eye(3), atol=1e-9)
    # the mount frame's y is world y as seen by the sensor, turning positive on the way up
    side_world = b.pose @ m.rotation[1]
    np.testing.assert_allclose(side_world, [0, 1, 0], atol=0.02)


def test_mounting_without_a_turn_is_refused():
    b = CalibrationBench(seed=8)
    with pytest.raises(CalibrationError, match="turned only"):
        check_mounting(b.read(2.0), b.read(3.0), "bar")
    with pytest.raises(InputError, match="mount"):
        check_mounting(b.read(2.0), b.read(3.0), "shoulder")


def test_known_height_error_shrinks_with_the_calibration():
    b = bench(seed=9)
    b.place_face("-Z")  # the axis with a 2.2 % scale error points down
    b.hold(1.0)
    b.lift(0.40, 2.0)
    block = b.read(4.0)
    b2 = bench(seed=10)
    record = build_record(BIAS, fit_accelerometer(six_face_means(b2)))
    before = check_known_height(block, 0.40)
    after = check_known_height(block, 0.40, record)
    assert abs(before.error_m) > 0.005
    assert abs(after.error_m) < min(0.004, abs(before.error_m) / 2)


def test_known_height_refuses_bad_input():
    b = bench(seed=11)
    still = b.read(3.0)
    with pytest.raises(CalibrationError, match="no lift"):
        check_known_height(still, 0.3)
    with pytest.raises(InputError, match="5 cm"):
        check_known_height(still, 7.0)
    b.shake(3.0)
    with pytest.raises(SensorMovedError):
        check_known_height(b.read(3.0), 0.3)


def test_the_record_undoes_the_bench_errors():
    b = bench(seed=12)
    record = build_record(BIAS, fit_accelerometer(six_face_means(b)))
    b.place_face("+X", tilt_deg=30)
    fixed = record.apply(b.read(1.0))
    assert np.linalg.norm(fixed.acc.mean(0)) == pytest.approx(9.80665, abs=0.01)
    assert np.abs(fixed.gyr.mean(0)).max() < 1e-3
    assert math.isclose(record.to_dict()["acc_scale"][0], SCALE[0], abs_tol=1e-3)


def test_stillness_of_tiny_blocks_is_zero():
    assert stillness(SampleBlock.empty()).level == 0.0
