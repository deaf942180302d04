"""The calibration wizard against the simulated bench with known errors."""

import numpy as np
import pytest

from desktop.app.calibration_device import BENCH_URI, BenchDevice
from desktop.app.calibration_wizard import CalibrationWizard
from desktop.library import Library
from sensors.calibration import CalibrationRecord
from sensors.calibration_bench import CalibrationBench
from sensors.errors import ConnectionFailedError

BIAS = np.array([0.02, -0.015, 0.01])
OFFSET = np.array([0.3, -0.25, 0.2])
SCALE = np.array([1.02, 0.98, 1.015])


@pytest.fixture
def bench_device():
    return BenchDevice(
        CalibrationBench(
            gyro_bias_rps=BIAS,
            acc_offset_mps2=OFFSET,
            acc_scale=SCALE,
            seed=4,
            device_id="bench-42",
        )
    )


@pytest.fixture
def wizard(qtbot, tmp_path, bench_device):
    w = CalibrationWizard(tmp_path / "data", device_factory=lambda uri: bench_device)
    qtbot.addWidget(w)
    w.show()
    return w


def run_step(wizard, max_polls: int = 400) -> None:
    """Poll (0.1 s of bench time each) until the current step is done, then go on."""
    for _ in range(max_polls):
        wizard.poll()
        if wizard.next_button.isEnabled():
            wizard.next_button.click()
            return
    raise AssertionError(f"step {wizard.step} not done: {wizard.message.text()}")


def test_the_wizard_recovers_known_biases_and_stores_them(wizard, tmp_path):
    assert wizard.connect_device(BENCH_URI)
    assert wizard.step == "still"
    run_step(wizard)
    assert wizard.step == "faces"
    run_step(wizard)
    assert all(label.text().endswith("✓") for label in wizard.face_labels.values())
    wizard.mount_box.setCurrentIndex(wizard.mount_box.findData("hips"))
    run_step(wizard)
    assert wizard.step == "height"
    run_step(wizard)
    assert wizard.step == "result"
    f = wizard.figures
    assert f["gyro_bias_dps_after"] < 0.2 * f["gyro_bias_dps_before"]
    assert f["gravity_error_mps2_after"] < 0.1 * f["gravity_error_mps2_before"]
    assert abs(f["height_error_m_after"]) < abs(f["height_error_m_before"])
    assert "before" in wizard.result_label.text()

    assert wizard.save()
    with Library.open(tmp_path / "data") as lib:
        stored = lib.latest_calibration("bench-42")
    record = CalibrationRecord.from_dict(stored)
    np.testing.assert_array_less(np.abs(record.gyro_bias_rps - BIAS), 0.1 * np.abs(BIAS))
    np.testing.assert_array_less(np.abs(record.acc_offset_mps2 - OFFSET), 0.1 * np.abs(OFFSET))
    np.testing.assert_array_less(np.abs(record.acc_scale - SCALE), 0.1 * np.abs(SCALE - 1))
    assert stored["mount"] == "hips" and stored["axis_map"]["up"] == "-Y"
    assert not wizard.isVisible()


def test_moving_during_the_still_step_restarts_it_with_a_message(wizard, bench_device):
    wizard.connect_device(BENCH_URI)
    for _ in range(10):  # one second still...
        wizard.poll()
    bench_device.bench.shake(1.5)  # ...then someone picks it up
    run_step(wizard)
    assert wizard.still.moved >= 1
    assert any(m.startswith("The sensor moved") for m in wizard.messages)
    np.testing.assert_array_less(np.abs(wizard.still.result - BIAS), 0.1 * np.abs(BIAS))


def test_a_wizard_cancelled_halfway_saves_nothing(wizard, tmp_path, bench_device):
    wizard.connect_device(BENCH_URI)
    run_step(wizard)
    run_step(wizard)
    assert wizard.step == "mount"
    wizard.cancel_button.click()
    assert not bench_device.running and not wizard.isVisible()
    with Library.open(tmp_path / "data") as lib:
        assert lib.latest_calibration("bench-42") is None
    assert not wizard.save()


def test_a_sensor_that_cannot_be_opened_is_said_in_words(qtbot, tmp_path):
    def refuse(uri):
        raise ConnectionFailedError(f"{uri}: no such port; check the cable")

    w = CalibrationWizard(tmp_path, device_factory=refuse)
    qtbot.addWidget(w)
    assert not w.connect_device("serial:///dev/none")
    assert w.step == "connect"
    assert w.message.text() == "Cannot connect: serial:///dev/none: no such port; check the cable"


def test_the_known_height_step_can_be_skipped(wizard, tmp_path):
    wizard.connect_device(BENCH_URI)
    for _ in range(3):
        run_step(wizard)
    wizard.skip_button.click()
    assert wizard.step == "result" and "height_error_m_after" not in wizard.figures
    assert wizard.save()
