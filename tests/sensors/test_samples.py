import numpy as np
import pytest

from sensors.errors import InputError
from sensors.samples import SampleBlock


def make_block(n: int, t0: float = 0.0, rate: float = 100.0) -> SampleBlock:
    t = t0 + np.arange(n) / rate
    acc = np.tile([0.0, 0.0, 9.81], (n, 1)) + np.arange(n)[:, None]
    gyr = np.zeros((n, 3))
    return SampleBlock.from_arrays(t, acc, gyr)


def test_slice_and_concat_round_trip():
    block = make_block(50)
    parts = [block[0:7], block[7:7], block[7:31], block[31:50]]
    joined = SampleBlock.concat(parts)
    assert len(joined) == 50
    np.testing.assert_array_equal(joined.t, block.t)
    np.testing.assert_array_equal(joined.acc, block.acc)
    assert not joined.gap.any()


def test_between_uses_device_time():
    block = make_block(100)
    part = block.between(0.1, 0.2)
    assert len(part) == 10
    assert part.t[0] == pytest.approx(0.1)


def test_rate_ignores_gaps():
    block = make_block(20, rate=200.0)
    gap = np.zeros(20, dtype=bool)
    gap[10] = True
    t = block.t.copy()
    t[10:] += 1.0
    with_gap = SampleBlock.from_arrays(t, block.acc, block.gyr, gap)
    assert with_gap.median_rate_hz() == pytest.approx(200.0)


def test_shape_mismatch_is_an_input_error():
    with pytest.raises(InputError, match="acc"):
        SampleBlock(np.zeros(3), np.zeros((2, 3)), np.zeros((3, 3)), np.zeros(3, dtype=bool))


def test_empty_concat_is_empty():
    assert len(SampleBlock.concat([])) == 0
    assert np.isnan(SampleBlock.empty().median_rate_hz())
