"""A stored calibration is applied to the live analysis when its device connects."""

import time

import numpy as np

from desktop.app.auto_calibration import CalibratedPipeline, latest_record, with_calibration
from desktop.library import Library
from sensors.calibration import IDENTITY
from sensors.errors import SensorError
from sensors.pipeline import LivePipeline
from sensors.runner import Runner
from sensors.samples import SampleBlock

SIM = "sim://hip_thrust_3s_hold?speed=max"
VIRTUAL_ID = "0000000000000000"
"""The id every virtual board announces in INFO."""


def run_until_samples(runner: Runner) -> None:
    runner.start()
    try:
        for _ in range(1000):
            if runner.drain().blocks:
                return
            time.sleep(0.01)
        raise AssertionError("no samples from the simulated sensor")
    finally:
        runner.stop()


def test_the_newest_calibration_of_the_device_is_applied(tmp_path):
    data = tmp_path / "data"
    bias = [0.01, -0.02, 0.005]
    with Library.open(data) as lib:
        lib.save_calibration(VIRTUAL_ID, {"gyro_bias_rps": [0.5, 0.5, 0.5]})
        lib.save_calibration(VIRTUAL_ID, {"gyro_bias_rps": bias, "mount": "hips"})
        lib.save_calibration("another-board", {"acc_scale": [1.1, 1, 1]})
    factory = with_calibration(lambda uri: Runner(uri, pipeline=LivePipeline()), data)
    runner = factory(SIM)
    run_until_samples(runner)
    pipeline = runner.pipeline
    assert pipeline.device_id == VIRTUAL_ID and pipeline.problem == ""
    np.testing.assert_allclose(pipeline.pipeline.calibration.gyro_bias_rps, bias)
    assert pipeline.reps == pipeline.pipeline.reps  # the rest is the wrapped pipeline's


def test_no_calibration_or_an_unreadable_library_changes_nothing(tmp_path):
    assert latest_record(tmp_path / "empty", VIRTUAL_ID) is None

    def broken(key):
        raise SensorError("library locked")

    class Source:
        uri = "serial:///dev/ttyUSB0"

    pipeline = CalibratedPipeline(LivePipeline(), Source(), broken)
    pipeline.process(SampleBlock.empty())
    assert pipeline.device_id == "serial:_dev_ttyUSB0"
    assert "library locked" in pipeline.problem
    assert pipeline.pipeline.calibration is IDENTITY
