"""WireDeviceDecoder: SI conversion, time unwrapping, gaps, reconnects, counters, commands."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sensors.device import MAX_ACKS_KEPT, LinkCounters, WireDeviceDecoder
from sensors.errors import InputError
from sensors.protocol import (
    AckFrame,
    FrameDecoder,
    InfoFrame,
    SamplesFrame,
    StartCommand,
    StatusFrame,
    StopCommand,
    encode_frame,
)
from sensors.samples import STANDARD_GRAVITY

U32 = 2**32


def frames(t0_us: int, n_frames: int, count: int = 10, period_us: int = 1000, seq0: int = 0):
    """Wire bytes of consecutive SAMPLES frames; raw value = sample index in every column."""
    out = []
    for k in range(n_frames):
        index = np.arange(k * count, (k + 1) * count)
        raw = np.repeat(index[:, None] % 30000, 6, axis=1)
        frame = SamplesFrame((t0_us + k * count * period_us) % U32, period_us, 16, 2000, raw)
        out.append(encode_frame(frame, (seq0 + k) & 0xFFFF))
    return out


def test_conversion_to_si_units():
    raw = np.array([[32767, -32768, 16384, 32767, 0, -16384]])
    decoder = WireDeviceDecoder()
    block = decoder.feed(encode_frame(SamplesFrame(0, 5000, 16, 2000, raw), 0))
    g = STANDARD_GRAVITY
    np.testing.assert_allclose(block.acc[0], [16 * g * 32767 / 32768, -16 * g, 8 * g])
    np.testing.assert_allclose(block.gyr[0], np.radians([2000 * 32767 / 32768, 0, -1000]))


def test_timestamps_unwrap_across_2_pow_32():
    t0 = U32 - 25_000  # wraps in the middle of the third frame
    decoder = WireDeviceDecoder()
    block = decoder.feed(b"".join(frames(t0, 6)))
    expected = (t0 + np.arange(60) * 1000) * 1e-6
    np.testing.assert_allclose(block.t, expected, rtol=0, atol=1e-9)
    assert not block.gap.any()
    assert decoder.counters().dropped_samples == 0


def test_missing_frame_marks_gap_and_counts_dropped_samples():
    wire = frames(0, 4)
    decoder = WireDeviceDecoder()
    block = decoder.feed(wire[0] + wire[1] + wire[3])
    assert len(block) == 30
    assert np.flatnonzero(block.gap).tolist() == [20]
    assert block.t[20] == pytest.approx(0.030)
    counters = decoder.counters()
    assert counters.dropped_samples == 10 and counters.seq_gaps == 1


def test_jitter_below_half_a_period_is_not_a_gap():
    zeros = np.zeros((10, 6), dtype=np.int16)
    a = SamplesFrame(0, 1000, 16, 2000, zeros)
    b = SamplesFrame(10_400, 1000, 16, 2000, zeros)  # 1.4 periods after the last
    decoder = WireDeviceDecoder()
    block = decoder.feed(encode_frame(a, 0) + encode_frame(b, 1))
    assert not block.gap.any() and decoder.counters().dropped_samples == 0
    assert block.t[10] == pytest.approx(0.0104)


def test_device_reset_restarts_after_the_last_sample():
    early = frames(5_000_000, 2)
    after_reset = frames(100, 1, seq0=0)
    decoder = WireDeviceDecoder()
    block = decoder.feed(b"".join(early) + after_reset[0])
    assert np.all(np.diff(block.t) > 0)
    assert block.gap.tolist().index(True) == 20
    assert block.t[20] == pytest.approx(block.t[19] + 0.001)
    assert decoder.counters().dropped_samples == 0


def test_reconnect_marks_gap_drops_half_frame_and_never_goes_back():
    wire = frames(1_000_000, 4)
    decoder = WireDeviceDecoder()
    first = decoder.feed(wire[0] + wire[1][:15])
    decoder.mark_reconnect()
    restarted = frames(0, 1)[0]  # the board rebooted while disconnected
    second = decoder.feed(wire[1][15:] + restarted)
    assert len(first) == 10 and len(second) == 10
    assert second.gap[0] and not second.gap[1:].any()
    assert second.t[0] > first.t[-1]
    counters = decoder.counters()
    assert counters.reconnects == 1 and counters.bad_frames == 0


def test_reconnect_to_a_running_device_counts_what_was_missed():
    wire = frames(0, 5)
    decoder = WireDeviceDecoder()
    first = decoder.feed(wire[0])
    decoder.mark_reconnect()
    second = decoder.feed(wire[3] + wire[4])
    assert second.gap.tolist() == [True] + [False] * 19
    assert second.t[0] == pytest.approx(first.t[-1] + 0.021)
    assert decoder.counters().dropped_samples == 20


def test_any_chunking_gives_the_same_block():
    wire = b"".join(frames(U32 - 40_000, 8))
    whole = WireDeviceDecoder().feed(wire)
    decoder = WireDeviceDecoder()
    parts = [decoder.feed(wire[i : i + 7]) for i in range(0, len(wire), 7)]
    t = np.concatenate([p.t for p in parts])
    acc = np.concatenate([p.acc for p in parts])
    np.testing.assert_array_equal(t, whole.t)
    np.testing.assert_array_equal(acc, whole.acc)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 400), min_size=1, max_size=30), st.integers(0, 2**32 - 1))
def test_any_random_chunking_gives_the_same_samples(sizes, t0):
    wire = b"".join(frames(t0, 12, count=7))
    whole = WireDeviceDecoder().feed(wire)
    decoder = WireDeviceDecoder()
    parts, start = [], 0
    for size in sizes * (len(wire) // sum(sizes) + 1):
        parts.append(decoder.feed(wire[start : start + size]))
        start += size
    np.testing.assert_array_equal(np.concatenate([p.t for p in parts]), whole.t)
    np.testing.assert_array_equal(np.concatenate([p.gyr for p in parts]), whole.gyr)
    assert not any(p.gap.any() for p in parts) and np.all(np.diff(whole.t) > 0)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=3000))
def test_random_bytes_never_raise_and_are_counted(data):
    decoder = WireDeviceDecoder()
    block = decoder.feed(data)
    counters = decoder.counters()
    assert counters.bytes_received == len(data)
    assert len(block) == 0 or counters.frames_ok > 0


def test_info_status_acks_and_battery():
    decoder = WireDeviceDecoder()
    assert decoder.counters() == LinkCounters()
    info = InfoFrame(bytes(8), "m", (1, 0, 0), 200, 16, 2000, battery_pct=70)
    block = decoder.feed(encode_frame(info, 0) + encode_frame(AckFrame(0x81, 0), 1))
    assert len(block) == 0 and decoder.info == info
    assert decoder.acks == [AckFrame(0x81, 0)]
    assert decoder.counters().battery_pct == 70
    decoder.feed(encode_frame(StatusFrame(battery_pct=255), 2))
    assert decoder.status == StatusFrame(battery_pct=255)
    assert decoder.counters().battery_pct is None
    decoder.feed(b"".join(encode_frame(AckFrame(0x82, i), 3 + i) for i in range(100)))
    assert len(decoder.acks) == MAX_ACKS_KEPT and decoder.acks[-1].command_seq == 99


def test_garbage_is_counted_not_raised():
    decoder = WireDeviceDecoder()
    block = decoder.feed(b"\x00\x07\x01\x02\x00" + frames(0, 1)[0])
    assert len(block) == 10
    counters = decoder.counters()
    assert counters.bad_frames == 1 and counters.frames_ok == 1
    assert counters.bytes_received == 5 + len(frames(0, 1)[0])


def test_command_bytes_number_host_frames():
    decoder = WireDeviceDecoder()
    device_side = FrameDecoder()
    got = device_side.feed(
        decoder.command_bytes(StartCommand(200)) + decoder.command_bytes(StopCommand())
    )
    assert [(f.seq, f.message) for f in got] == [(0, StartCommand(200)), (1, StopCommand())]
    with pytest.raises(InputError, match="not a host command"):
        decoder.command_bytes(StatusFrame())


def test_time_is_seconds_float64():
    block = WireDeviceDecoder().feed(frames(123_456, 1)[0])
    assert block.t.dtype == np.float64
    assert math.isclose(block.t[0], 0.123456)
