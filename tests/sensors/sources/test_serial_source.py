"""The serial source end to end through a real pseudo-terminal, and its failure messages."""

from __future__ import annotations

import os
import sys

import numpy as np
import pytest
import serial
from ptyboard import PtyBoard
from runner_helpers import collect

from sensors.events import (
    Closed,
    Connected,
    Connecting,
    ConnectionFailed,
    ConnectionLost,
    Reconnected,
    RepCompleted,
)
from sensors.pipeline import LivePipeline
from sensors.runner import Runner
from sensors.samples import SampleBlock
from sensors.simulator import PRESETS, simulate
from sensors.sources import ReconnectPolicy, open_source
from sensors.virtual_device import VirtualDevice, quantise

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs POSIX pseudo-terminals")

RATE = 200.0
ACC_LSB = 16 * 9.80665 / 32768
FAST = ReconnectPolicy(initial_s=0.05, factor=2, max_s=0.2)


def motion(seconds: float = 30.0) -> SampleBlock:
    """A bar moving up and down: recognisable samples to compare after the trip."""
    t = np.arange(int(seconds * RATE)) / RATE
    acc = np.column_stack([0.3 * np.sin(t), 0.2 * np.cos(3 * t), 9.8 + np.sin(2 * np.pi * 0.4 * t)])
    gyr = np.column_stack([0.1 * np.sin(5 * t), np.zeros_like(t), 0.05 * np.cos(t)])
    return SampleBlock.from_arrays(t, acc, gyr)


def closed(_n, events, _c) -> bool:
    return any(isinstance(e, Closed) for e in events)


def serial_runner(path, pipeline=None, **options) -> Runner:
    options.setdefault("answer_timeout_s", 2.0)
    options.setdefault("stall_timeout_s", 2.0)
    source = open_source(f"serial://{path}?baud=921600&rate=200", **options)
    return Runner(source, pipeline=pipeline, policy=FAST)


def test_clean_stream_arrives_exactly(tmp_path):
    block = motion(20)
    device = VirtualDevice(block, samples_per_frame=10)
    with PtyBoard(device, tmp_path / "ttyBOARD"):
        runner = serial_runner(tmp_path / "ttyBOARD")
        got, events, counters, _ = collect(runner, lambda n, e, c: n >= len(block))
    assert [type(e) for e in events[:2]] == [Connecting, Connected]
    assert isinstance(events[-1], Closed)
    assert len(got) == len(block)
    raw = quantise(block, 16, 2000)
    np.testing.assert_allclose(got.acc / ACC_LSB, raw[:, :3])
    np.testing.assert_allclose(got.t, block.t, atol=1e-5)
    assert not got.gap.any()
    assert (counters.bad_frames, counters.seq_gaps, counters.dropped_samples) == (0, 0, 0)
    assert counters.battery_pct == 87


def test_analysed_reps_through_the_serial_port_match_the_truth(tmp_path):
    recording = simulate(PRESETS["touch_and_go"])
    device = VirtualDevice(recording.block, samples_per_frame=20)
    with PtyBoard(device, tmp_path / "ttyBOARD"):
        runner = serial_runner(tmp_path / "ttyBOARD", pipeline=LivePipeline())
        got, events, _, _ = collect(runner, lambda n, e, c: n >= len(recording.block))
    reps = [e.rep for e in events if isinstance(e, RepCompleted)]
    assert len(got) == len(recording.block)
    assert len(reps) == len(recording.truth.reps)
    for rep, true in zip(reps, recording.truth.reps, strict=True):
        assert rep.rom_m == pytest.approx(true.rom_m, abs=0.01)
        assert rep.start_s == pytest.approx(true.start_s, abs=0.08)


def test_garbage_and_unplug_show_counters_gap_and_reconnect(tmp_path):
    block = motion(30)
    device = VirtualDevice(block, samples_per_frame=10)
    board = PtyBoard(
        device, tmp_path / "ttyBOARD", garbage_chunks=8, unplug_after=40_000, down_bytes=10_000
    )
    with board:
        runner = serial_runner(tmp_path / "ttyBOARD")
        got, events, c, _ = collect(
            runner, lambda n, e, c: device.finished and n + c.dropped_samples >= len(block)
        )
    kinds = [type(e) for e in events]
    assert kinds.index(Connected) < kinds.index(ConnectionLost) < kinds.index(Reconnected)
    assert kinds[-1] is Closed
    assert c.bad_frames > 0 and c.reconnects == 1 and c.dropped_samples > 0
    # every sample is either delivered or counted as dropped
    assert len(got) + c.dropped_samples == len(block)
    assert np.all(np.diff(got.t) > 0)
    # the losses show as gaps; delivered samples sit at their device time, never stitched
    lost_at = np.flatnonzero(np.diff(got.t) > 1.5 / RATE) + 1
    assert len(lost_at) >= 2 and got.gap[lost_at].all()
    idx = np.round(got.t * RATE).astype(int)
    raw = quantise(block, 16, 2000)
    np.testing.assert_allclose(got.acc / ACC_LSB, raw[idx, :3])


def failure(events) -> str:
    failed = [e for e in events if isinstance(e, ConnectionFailed)]
    assert len(failed) == 1 and isinstance(events[-1], Closed)
    return failed[0].reason


def test_missing_port_fails_with_advice(tmp_path):
    _, events, _, _ = collect(serial_runner(tmp_path / "ttyNOPE"), closed)
    reason = failure(events)
    assert "does not exist" in reason and "hipthrust devices" in reason


def test_busy_port_fails_with_advice():
    master, slave = os.openpty()
    name = os.ttyname(slave)
    holder = serial.Serial(name, exclusive=True)
    try:
        _, events, _, _ = collect(serial_runner(name), closed)
    finally:
        holder.close()
        os.close(master)
        os.close(slave)
    assert "busy" in failure(events)


def test_silent_device_fails_with_advice():
    master, slave = os.openpty()
    try:
        _, events, _, _ = collect(serial_runner(os.ttyname(slave), answer_timeout_s=0.3), closed)
    finally:
        os.close(master)
        os.close(slave)
    reason = failure(events)
    assert "sent nothing we understand" in reason and "baud" in reason
