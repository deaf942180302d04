"""Sample chunks: every bit survives encode/decode; damaged or crafted blobs are refused."""

from __future__ import annotations

import zlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from libdata import make_block, same_block

from desktop.library import SessionFileError, chunks
from sensors.samples import SampleBlock

_any_float = st.floats(allow_nan=True, allow_infinity=True, width=64)


@settings(max_examples=60, deadline=None)
@given(
    steps=arrays(np.float64, st.integers(1, 300), elements=st.floats(1e-6, 10.0)),
    data=st.data(),
)
def test_any_samples_round_trip_bit_for_bit(steps, data):
    n = steps.shape[0]
    t = np.cumsum(steps) - 5.0
    acc = data.draw(arrays(np.float64, (n, 3), elements=_any_float))
    gyr = data.draw(arrays(np.float64, (n, 3), elements=_any_float))
    gap = data.draw(arrays(np.bool_, n))
    block = SampleBlock(t, acc, gyr, gap)
    assert same_block(chunks.decode(chunks.encode(block), n), block)


def test_compresses_typical_samples():
    block = make_block(0, 500)
    assert len(chunks.encode(block)) < 56 * 500


@pytest.mark.parametrize(
    ("blob", "n", "message"),
    [
        (chunks.encode(make_block(0, 10)), 11, "holds 562 bytes where 11 samples need 618"),
        (chunks.encode(make_block(0, 10)), 0, "claims 0 samples"),
        (chunks.encode(make_block(0, 10))[:-3], 10, "holds|damaged"),
        (chunks.encode(make_block(0, 10)) + b"extra", 10, "holds"),
        (b"not zlib at all", 10, "damaged"),
        (zlib.compress(bytes(10**6)), 10, "holds"),
        (chunks.encode(SampleBlock.from_arrays([2.0, 1.0], np.zeros((2, 3)), np.zeros((2, 3)))),
         2, "strictly increasing"),
    ],
    ids=["wrong count", "zero count", "cut short", "trailing bytes", "not zlib", "bomb",
         "time backwards"],
)  # fmt: skip
def test_damaged_blobs_are_refused(blob, n, message):
    with pytest.raises(SessionFileError, match=message):
        chunks.decode(blob, n)
