"""Test helper: a stand-in for bleak's BleakClient and scanner around a VirtualDevice.

``FakeBleWorld`` holds one advertising board. Its client class has BleakClient's interface
(connect, start_notify, write_gatt_char, disconnect, disconnected_callback); notifications
arrive in random chunk sizes; the link drops once after ``drop_after`` bytes, and the next
``refuse`` connection attempts are refused, as a board just out of range would.
"""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import numpy as np

from sensors.virtual_device import VirtualDevice


class FakeBleWorld:
    def __init__(
        self,
        device: VirtualDevice,
        *,
        name: str = "hipthrust-42",
        address: str = "AA:BB:CC:DD:EE:FF",
        service_uuid: str = "6e400001-b5a3-f393-e0a9-e50e24dcca9e",
        drop_after: int | None = None,
        down_bytes: int = 0,
        refuse: int = 0,
        seed: int = 0,
    ):
        self.device = device
        self.ble_device = SimpleNamespace(name=name, address=address)
        self.adv = SimpleNamespace(local_name=name, service_uuids=[service_uuid], rssi=-60)
        self.drop_after = drop_after
        self.down_bytes = down_bytes
        self.refuse = refuse
        self.rng = np.random.default_rng(seed)
        self.clients: list[FakeClient] = []
        self.connect_attempts = 0
        self.connected_now = 0
        self.max_connected = 0
        self.sent = 0
        self.dropped = False

    async def finder(self, filterfunc, timeout):
        return self.ble_device if filterfunc(self.ble_device, self.adv) else None

    def client_class(self, device, disconnected_callback=None):
        client = FakeClient(self, device, disconnected_callback)
        self.clients.append(client)
        return client


class FakeClient:
    """BleakClient's interface, driven by the world."""

    def __init__(self, world: FakeBleWorld, device, disconnected_callback):
        self.world = world
        self.device = device
        self.disconnected_callback = disconnected_callback
        self.is_connected = False
        self.disconnect_calls = 0
        self._task: asyncio.Task | None = None

    async def connect(self):
        world = self.world
        world.connect_attempts += 1
        if world.dropped and world.refuse > 0:
            world.refuse -= 1
            raise TimeoutError("device did not answer the connection request")
        self.is_connected = True
        world.connected_now += 1
        world.max_connected = max(world.max_connected, world.connected_now)

    async def start_notify(self, uuid, callback):
        assert self.is_connected
        self._task = asyncio.get_running_loop().create_task(self._pump(callback))

    async def write_gatt_char(self, uuid, data, response=None):
        assert self.is_connected
        self.world.device.write(bytes(data))

    async def disconnect(self):
        self.disconnect_calls += 1
        self._lose()

    def _lose(self) -> None:
        if self.is_connected:
            self.is_connected = False
            self.world.connected_now -= 1
        if self._task is not None and self._task is not asyncio.current_task():
            self._task.cancel()

    async def _pump(self, callback):
        world = self.world
        while self.is_connected:
            data = world.device.read(4096)
            if not data:
                await asyncio.sleep(0.001)
                continue
            pos = 0
            while pos < len(data):
                size = int(world.rng.integers(1, 245))
                callback(None, bytearray(data[pos : pos + size]))
                pos += size
                world.sent += size
                await asyncio.sleep(0)
                if world.drop_after is not None and world.sent >= world.drop_after:
                    world.drop_after = None
                    world.dropped = True
                    world.device.read(world.down_bytes)  # sampled while out of range: lost
                    self._lose()
                    self.disconnected_callback(self)
                    return
