"""The BLE source against a stand-in with BleakClient's interface; adapter and scan failures."""

from __future__ import annotations

import numpy as np
from fakeble import FakeBleWorld
from runner_helpers import collect

from sensors.events import (
    Closed,
    Connected,
    Connecting,
    ConnectionFailed,
    ConnectionLost,
    Reconnected,
)
from sensors.runner import Runner
from sensors.samples import SampleBlock
from sensors.sources import ReconnectPolicy, open_source
from sensors.virtual_device import VirtualDevice

RATE = 200.0
FAST = ReconnectPolicy(initial_s=0.01, factor=2, max_s=0.05)


def motion(seconds: float) -> SampleBlock:
    t = np.arange(int(seconds * RATE)) / RATE
    acc = np.column_stack([np.sin(t), np.cos(t), 9.8 + np.sin(3 * t)])
    return SampleBlock.from_arrays(t, acc, 0.1 * acc)


def run(world: FakeBleWorld, uri: str, until, deadline_s: float = 20.0, **options):
    options.setdefault("finder", world.finder)
    source = open_source(uri, client_class=world.client_class, answer_timeout_s=1.0, **options)
    return collect(Runner(source, policy=FAST), until, deadline_s)[:3]


def test_random_chunks_drop_and_refused_reconnects(tmp_path):
    block = motion(30)
    device = VirtualDevice(block, samples_per_frame=10)
    world = FakeBleWorld(device, drop_after=30_000, down_bytes=5_000, refuse=3)
    got, events, c = run(
        world,
        "ble://hipthrust-42?rate=200",
        lambda n, e, c: device.finished and n + c.dropped_samples >= len(block),
    )
    kinds = [type(e) for e in events]
    lost = kinds.index(ConnectionLost)
    back = kinds.index(Reconnected)
    assert kinds.index(Connected) < lost < back
    assert kinds[lost + 1 : back].count(Connecting) == 4  # three refused, the fourth works
    assert kinds[-1] is Closed
    # every client was disconnected before being dropped; never two links at once
    assert all(client.disconnect_calls >= 1 for client in world.clients)
    assert world.max_connected == 1
    assert c.reconnects == 1 and c.dropped_samples > 0
    assert len(got) + c.dropped_samples == len(block)
    assert np.all(np.diff(got.t) > 0)
    jumps = np.flatnonzero(np.diff(got.t) > 1.5 / RATE) + 1
    assert len(jumps) >= 1 and got.gap[jumps].all()


def test_device_not_found_in_scan():
    world = FakeBleWorld(VirtualDevice(motion(1)))
    _, events, _ = run(world, "ble://other-board", lambda n, e, c: False)
    failed = [e for e in events if isinstance(e, ConnectionFailed)]
    assert len(failed) == 1 and "no BLE device matching 'other-board'" in failed[0].reason
    assert world.clients == []


def test_absent_adapter_is_a_clear_message():
    """The scan's own message is tested with `hipthrust devices` (tests/desktop)."""

    async def no_adapter(filterfunc, timeout):
        raise FileNotFoundError(2, "No such file or directory")

    world = FakeBleWorld(VirtualDevice(motion(1)))
    _, events, _ = run(world, "ble://", lambda n, e, c: False, finder=no_adapter)
    failed = [e for e in events if isinstance(e, ConnectionFailed)]
    assert len(failed) == 1 and "Bluetooth is not available" in failed[0].reason
