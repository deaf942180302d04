"""The C device logic (firmware_stubs/hipthrust_device.c) as the Python host sees it.

``make test`` builds build/device_session: a scripted board session with an IMU running 0.4 %
slow, irregular FIFO reads, the MCU clock wrapping, a FIFO overflow losing 37 samples and
host commands. Its output bytes must decode cleanly with the host's WireDeviceDecoder.
"""

import subprocess
from pathlib import Path

import numpy as np
import pytest

from sensors.device import WireDeviceDecoder
from sensors.protocol import (
    AckFrame,
    AckResult,
    FrameDecoder,
    FrameType,
    InfoFrame,
    acc_lsb_mps2,
)

SESSION = Path(__file__).resolve().parents[2] / "firmware_stubs" / "build" / "device_session"
TRUE_PERIOD_S = 5020e-6
LOST_AT, LOST_COUNT, TOTAL = 1500, 37, 4000


@pytest.fixture(scope="module")
def session(make_firmware):
    make_firmware("build/device_session")
    run = subprocess.run([str(SESSION)], capture_output=True, timeout=60, check=True)
    decoder = WireDeviceDecoder()
    block = decoder.feed(run.stdout)
    return decoder, block, run.stdout


def test_commands_answered_in_order_and_damaged_one_ignored(session):
    decoder, _, wire = session
    assert decoder.acks == [
        AckFrame(FrameType.START, 0, AckResult.OK),
        AckFrame(FrameType.GET_INFO, 2, AckResult.OK),
        AckFrame(FrameType.IDENTIFY, 3, AckResult.OK),
        AckFrame(FrameType.STOP, 1, AckResult.OK),
    ]
    assert decoder.info.rate_hz == 200 and decoder.info.model == "host-session"
    infos = [f for f in FrameDecoder().feed(wire) if isinstance(f.message, InfoFrame)]
    assert len(infos) == 3  # on connection, after START, after GET_INFO
    counters = decoder.counters()
    assert counters.bad_frames == 0 and counters.seq_gaps == 0
    assert counters.battery_pct == 80


def test_every_sample_arrives_once_with_one_gap_at_the_overflow(session):
    decoder, block, _ = session
    lsb = acc_lsb_mps2(16)
    index = np.rint(block.acc[:, 0] / lsb).astype(int) + 32768 * np.rint(
        block.acc[:, 1] / lsb
    ).astype(int)
    expected = np.r_[np.arange(LOST_AT), np.arange(LOST_AT + LOST_COUNT, TOTAL)]
    np.testing.assert_array_equal(index, expected)
    assert np.flatnonzero(block.gap).tolist() == [LOST_AT]
    assert abs(decoder.counters().dropped_samples - LOST_COUNT) <= 1
    assert decoder.status.dropped_samples == LOST_COUNT
    assert decoder.counters().frames_ok < len(block) / 8  # samples are batched


def test_device_time_follows_the_imu_within_half_a_period_across_the_wrap(session):
    _, block, _ = session
    lsb = acc_lsb_mps2(16)
    index = np.rint(block.acc[:, 0] / lsb) + 32768 * np.rint(block.acc[:, 1] / lsb)
    error = block.t - index * TRUE_PERIOD_S
    error -= np.median(error)
    assert np.abs(error).max() < TRUE_PERIOD_S / 2
    assert np.all(np.diff(block.t) > 0)
