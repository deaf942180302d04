"""WitMotion sensors end to end: serial through a pseudo-terminal, BLE through the stand-in."""

from __future__ import annotations

import sys

import numpy as np
import pytest
from fakeble import FakeBleWorld
from ptyboard import PtyBoard
from runner_helpers import collect
from witstub import WitMotionStub, ble_packet, serial_sample

from sensors.events import Connected, ConnectionFailed
from sensors.runner import Runner
from sensors.samples import STANDARD_GRAVITY
from sensors.sources import ReconnectPolicy, open_source
from sensors.sources.witmotion import UNLOCK
from sensors.sources.witmotion_sources import WITMOTION_BLE

N = 500
FAST = ReconnectPolicy(initial_s=0.01, max_s=0.05)
ACC_LSB = 16 * STANDARD_GRAVITY / 32768


@pytest.mark.skipif(sys.platform == "win32", reason="needs POSIX pseudo-terminals")
def test_witmotion_serial_through_a_pty(tmp_path):
    stub = WitMotionStub(b"".join(serial_sample((i, -i, 2048), (0, i, 0)) for i in range(N)))
    with PtyBoard(stub, tmp_path / "ttyWIT"):
        source = open_source(f"witmotion+serial://{tmp_path / 'ttyWIT'}?baud=115200&rate=100")
        got, events, c, _ = collect(Runner(source, policy=FAST), lambda n, e, c: n >= N)
    assert any(isinstance(e, Connected) for e in events)
    assert stub.commands == UNLOCK + bytes((0xFF, 0xAA, 0x03, 0x09, 0x00))  # 100 Hz
    assert len(got) == N
    np.testing.assert_allclose(got.t, np.arange(N) / 100)
    np.testing.assert_allclose(got.acc[:, 0] / ACC_LSB, np.arange(N))
    assert (c.frames_ok, c.bad_frames, c.dropped_samples) == (3 * N, 0, 0)


def test_witmotion_ble_through_the_stand_in():
    stub = WitMotionStub(b"".join(ble_packet((i, 0, 2048), (0, 0, i)) for i in range(N)))
    world = FakeBleWorld(stub, name="WT901BLE68", service_uuid=WITMOTION_BLE.service_uuid)
    source = open_source(
        "witmotion+ble://?rate=50", client_class=world.client_class, finder=world.finder
    )
    got, events, c, _ = collect(Runner(source, policy=FAST), lambda n, e, c: n >= N)
    assert any(isinstance(e, Connected) for e in events)
    assert stub.commands.endswith(bytes((0xFF, 0xAA, 0x03, 0x08, 0x00)))  # 50 Hz
    assert len(got) == N and c.frames_ok == N
    np.testing.assert_allclose(got.t, np.arange(N) / 50)


def test_witmotion_at_the_wrong_baud_rate_says_so(tmp_path):
    stub = WitMotionStub(bytes(range(256)) * 200)  # what a wrong baud rate looks like
    with PtyBoard(stub, tmp_path / "ttyWIT"):
        source = open_source(f"witmotion+serial://{tmp_path / 'ttyWIT'}", answer_timeout_s=0.3)
        _, events, _, _ = collect(Runner(source, policy=FAST))
    (failed,) = [e for e in events if isinstance(e, ConnectionFailed)]
    assert "baud rate (now 9600" in failed.reason
