"""TraceRing keeps the newest rows in order, with bounded memory."""

import numpy as np
import pytest

from desktop.app.ring_buffer import TraceRing


def _cols(start: int, n: int) -> dict[str, np.ndarray]:
    a = np.arange(start, start + n, dtype=float)
    return {"t": a, "v": -a}


def test_rows_come_back_oldest_first_across_the_wrap():
    ring = TraceRing(("t", "v"), capacity=10)
    ring.extend(_cols(0, 7))
    ring.extend(_cols(7, 6))
    snap = ring.snapshot()
    np.testing.assert_array_equal(snap["t"], np.arange(3, 13))
    np.testing.assert_array_equal(snap["v"], -np.arange(3, 13))
    assert ring.overwritten == 3
    assert ring.first("t") == 3 and ring.latest("t") == 12


def test_a_block_bigger_than_the_ring_keeps_its_tail():
    ring = TraceRing(("t", "v"), capacity=4)
    ring.extend(_cols(0, 2))
    ring.extend(_cols(2, 9))
    np.testing.assert_array_equal(ring.snapshot()["t"], [7, 8, 9, 10])
    assert ring.overwritten == 7


@pytest.mark.parametrize("last, expected", [(3, [5, 6, 7]), (0, []), (50, list(range(8)))])
def test_snapshot_of_the_newest_rows(last, expected):
    ring = TraceRing(("t", "v"), capacity=16)
    ring.extend(_cols(0, 8))
    np.testing.assert_array_equal(ring.snapshot(last=last)["t"], expected)


def test_clear_and_empty_values():
    ring = TraceRing(("t", "v"), capacity=4)
    assert np.isnan(ring.latest("t")) and len(ring.snapshot()["t"]) == 0
    ring.extend(_cols(0, 3))
    ring.clear()
    assert len(ring) == 0 and np.isnan(ring.first("t"))


def test_revise_replaces_held_rows_by_time_across_the_wrap():
    ring = TraceRing(("t", "v"), capacity=10)
    ring.extend(_cols(0, 13))  # holds t = 3..12, wrapped
    revised = ring.revise("t", {"t": np.array([1.0, 4.0, 5.5, 11.0, 12.0]), "v": np.full(5, 99.0)})
    assert revised == 3  # t=1 fell out of the ring, 5.5 was never there
    snap = ring.snapshot()
    expected = -np.arange(3, 13, dtype=float)
    expected[[1, 8, 9]] = 99.0
    np.testing.assert_array_equal(snap["v"], expected)
    np.testing.assert_array_equal(snap["t"], np.arange(3, 13))
