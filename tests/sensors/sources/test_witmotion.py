"""WitMotion decoding on byte vectors built from the published packet layouts."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from witstub import ble_packet, serial_sample

from sensors.errors import InputError
from sensors.protocol import IdentifyCommand, StartCommand
from sensors.samples import STANDARD_GRAVITY
from sensors.sources.witmotion import UNLOCK, WitMotionDecoder


def test_serial_scaling_matches_published_formulas():
    dec = WitMotionDecoder(ble=False, rate_hz=100)
    block = dec.feed(serial_sample((2048, -2048, 16384), (16384, 0, -32768)))
    assert len(block) == 1
    g = STANDARD_GRAVITY
    np.testing.assert_allclose(block.acc[0], [g, -g, 8 * g])  # raw / 32768 * 16 g
    np.testing.assert_allclose(block.gyr[0], np.radians([1000, 0, -2000]))  # raw / 32768 * 2000
    assert block.t[0] == 0.0 and not block.gap[0]
    c = dec.counters()
    assert (c.frames_ok, c.bad_frames, c.bytes_received) == (3, 0, 33)


def test_serial_any_chunking_gives_the_same_samples():
    stream = b"".join(serial_sample((i, 2 * i, 3 * i), (-i, 0, i)) for i in range(50))
    whole = WitMotionDecoder(ble=False, rate_hz=50).feed(stream)
    dec = WitMotionDecoder(ble=False, rate_hz=50)
    rng = np.random.default_rng(1)
    parts, pos = [], 0
    while pos < len(stream):
        step = int(rng.integers(1, 30))
        parts.append(dec.feed(stream[pos : pos + step]))
        pos += step
    joined = [p for p in parts if len(p)]
    t = np.concatenate([p.t for p in joined])
    acc = np.concatenate([p.acc for p in joined])
    np.testing.assert_array_equal(t, whole.t)
    np.testing.assert_array_equal(acc, whole.acc)
    np.testing.assert_allclose(whole.t, np.arange(50) / 50)


def test_bad_checksum_costs_one_sample_and_marks_the_gap():
    good = [serial_sample((i, 0, 2048), (0, 0, 0)) for i in range(4)]
    broken = bytearray(good[1])
    broken[5] ^= 0x01  # a flipped bit in the acceleration packet: its checksum no longer fits
    dec = WitMotionDecoder(ble=False, rate_hz=100)
    block = dec.feed(b"garbage\x55\x51" + good[0] + bytes(broken) + good[2] + good[3])
    c = dec.counters()
    assert c.bad_frames >= 1
    assert c.dropped_samples == 1
    assert len(block) == 3
    np.testing.assert_allclose(block.t, [0.0, 0.02, 0.03])
    assert block.gap.tolist() == [False, True, False]
    raw_ax = block.acc[:, 0] / (16 * STANDARD_GRAVITY / 32768)
    np.testing.assert_allclose(raw_ax, [0, 2, 3])


def test_ble_packet_and_register_reply():
    reply = bytes((0x55, 0x71, 0x64, 0x00)) + bytes(16)  # register read answer, ignored
    packet = ble_packet((0, 0, 2048), (0, 16384, 0), (100, 200, 300))
    dec = WitMotionDecoder(ble=True, rate_hz=100)
    block = dec.feed(b"\x01\x02" + packet[:7])
    assert len(block) == 0
    block = dec.feed(packet[7:] + reply + packet)
    assert len(block) == 2
    np.testing.assert_allclose(block.acc[0], [0, 0, STANDARD_GRAVITY])
    np.testing.assert_allclose(block.gyr[0], [0, math.radians(1000), 0])
    np.testing.assert_allclose(block.t, [0.0, 0.01])
    assert dec.counters().frames_ok == 3


def test_reconnect_resumes_after_the_host_time_elapsed():
    now = [100.0]
    dec = WitMotionDecoder(ble=True, rate_hz=10, clock=lambda: now[0])
    packet = ble_packet((0, 0, 2048), (0, 0, 0))
    assert dec.feed(packet * 3).t.tolist() == pytest.approx([0.0, 0.1, 0.2])
    dec.mark_reconnect()
    now[0] = 105.0
    block = dec.feed(packet * 2)
    assert block.t.tolist() == pytest.approx([5.0, 5.1])
    assert block.gap.tolist() == [True, False]
    assert dec.counters().reconnects == 1


def test_commands():
    dec = WitMotionDecoder(ble=False, rate_hz=20)
    assert dec.command_bytes(StartCommand(100)) == UNLOCK + bytes((0xFF, 0xAA, 0x03, 0x09, 0x00))
    block = dec.feed(serial_sample((0, 0, 0), (0, 0, 0)) * 2)
    assert block.t.tolist() == pytest.approx([0.0, 0.01])  # the new rate sets the timeline
    with pytest.raises(InputError, match="rate change"):
        dec.command_bytes(IdentifyCommand(3))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.binary(max_size=30), min_size=20, max_size=20),
    st.lists(st.integers(min_value=1, max_value=64), min_size=1, max_size=10),
)
def test_garbage_between_packets_never_loses_a_sample(garbage, chunk_sizes):
    """Any bytes between packets and any chunking: no exception, every sample decoded.

    The garbage holds no 0x55 (a header byte could pair with real bytes into a packet whose
    sum fits by chance, 1 in 256); with it, the decoder must still never raise.
    """
    clean = [g.replace(b"\x55", b"") for g in garbage]
    stream = b"".join(c + serial_sample((i, 0, 2048), (0, 0, i)) for i, c in enumerate(clean))
    for data, exact in ((stream, True), (b"".join(garbage) + stream, False)):
        dec = WitMotionDecoder(ble=False, rate_hz=100)
        blocks, pos, k = [], 0, 0
        while pos < len(data):
            size = chunk_sizes[k % len(chunk_sizes)]
            blocks.append(dec.feed(data[pos : pos + size]))
            pos, k = pos + size, k + 1
        got = np.concatenate([b.acc[:, 0] for b in blocks]) / (16 * STANDARD_GRAVITY / 32768)
        if exact:
            np.testing.assert_allclose(got, np.arange(20))
            assert dec.counters().dropped_samples == 0
