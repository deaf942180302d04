import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from sensors.calibration import IDENTITY, CalibrationRecord
from sensors.errors import InputError
from sensors.samples import SampleBlock


def block_of(acc, gyr):
    n = len(acc)
    return SampleBlock.from_arrays(np.arange(n) / 100.0, acc, gyr)


def test_identity_changes_nothing():
    block = block_of(np.ones((4, 3)), np.full((4, 3), 0.1))
    assert IDENTITY.apply(block) is block


def test_offsets_scales_bias_and_mounting_are_undone():
    rng = np.random.default_rng(3)
    true_acc = rng.normal(0, 5, (50, 3))
    true_gyr = rng.normal(0, 1, (50, 3))
    offset = np.array([0.3, -0.2, 0.15])
    scale = np.array([1.02, 0.97, 1.01])
    bias = np.array([0.01, -0.02, 0.005])
    mounting = Rotation.from_euler("z", 90, degrees=True).as_matrix()
    record = CalibrationRecord(bias, offset, scale, mounting)
    measured = block_of(true_acc * scale + offset, true_gyr + bias)
    fixed = record.apply(measured)
    np.testing.assert_allclose(fixed.acc, true_acc @ mounting.T, atol=1e-12)
    np.testing.assert_allclose(fixed.gyr, true_gyr @ mounting.T, atol=1e-12)


def test_round_trip_through_dict():
    record = CalibrationRecord(np.array([0.1, 0, 0]), np.array([0, 0.2, 0]), np.ones(3))
    again = CalibrationRecord.from_dict(record.to_dict())
    np.testing.assert_array_equal(again.gyro_bias_rps, record.gyro_bias_rps)


@pytest.mark.parametrize(
    "data",
    [
        {"acc_scale": [3, 1, 1]},
        {"gyro_bias_rps": [1, 2]},
        {"mounting": [[2, 0, 0], [0, 1, 0], [0, 0, 1]]},
    ],
)
def test_bad_records_are_refused(data):
    with pytest.raises(InputError):
        CalibrationRecord.from_dict(data)
