"""``sim://PRESET?rate=200&seed=0&speed=1&loop=0``: the simulated sensor, through the real decoder.

A simulator preset is played by a VirtualDevice that speaks the wire protocol; its bytes go
through the same WireDeviceDecoder as a real board's, paced at 1x, 2x, 4x or max speed.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sensors.device import WireDeviceDecoder
from sensors.errors import ConnectionLostError
from sensors.protocol import FrameDecoder, StartCommand
from sensors.simulator import get_preset, simulate
from sensors.sources.base import ByteTransport
from sensors.sources.device_source import DeviceSource
from sensors.sources.pacing import Pacer
from sensors.sources.uri import SourceUri
from sensors.virtual_device import VirtualDevice

DEFAULT_PRESET = "hip_thrust_3s_hold"
MAX_CHUNK_BYTES = 16384
"""Bytes handed over per read at max speed (about 1 s of a 1000 Hz stream)."""


class VirtualTransport(ByteTransport):
    """Bytes from an in-memory VirtualDevice, due by the pacer's device time."""

    def __init__(self, device: VirtualDevice, description: str, pacer: Pacer):
        self.device = device
        self.description = description
        self.pacer = pacer
        self._open = False

    async def open(self) -> str:
        self._open = True
        return self.description

    async def read(self) -> bytes | None:
        if not self._open:
            raise ConnectionLostError(f"{self.description} is closed")
        due = self.pacer.due_s()
        data = self.device.read(MAX_CHUNK_BYTES if due is None else None, now_s=due)
        if not data:
            if self.device.finished:
                return None
            await self.pacer.idle()
        elif due is None:
            await self.pacer.idle()  # let commands and the consumer in between chunks
        return data

    async def write(self, data: bytes) -> None:
        self.device.write(data)
        if any(isinstance(f.message, StartCommand) for f in FrameDecoder().feed(b"\x00" + data)):
            self.pacer.restart()  # the device counts time from its latest START

    async def close(self) -> None:
        self._open = False


def simulated_device(uri: SourceUri) -> tuple[str, VirtualDevice, float]:
    """The virtual device playing a sim URI's preset: (preset name, device, rate in Hz)."""
    name = uri.target or DEFAULT_PRESET
    scenario = get_preset(name)
    rate = uri.get_float("rate", scenario.rate_hz, low=50, high=1000)
    seed = uri.get_int("seed", scenario.seed, low=0, high=2**31 - 1)
    scenario = replace(scenario, rate_hz=rate, seed=seed)
    device = VirtualDevice(
        simulate(scenario).block,
        acc_range_g=scenario.acc_range_g,
        gyro_range_dps=scenario.gyro_range_dps,
        loop=uri.get_flag("loop"),
    )
    return name, device, rate


def open_sim(uri: SourceUri, **options: Any) -> DeviceSource:
    """The simulated sensor for ``sim://PRESET``; ``loop=1`` repeats the preset for ever."""
    uri.check_keys(("rate", "seed", "speed", "loop"))
    name, device, rate = simulated_device(uri)
    pacer = Pacer(
        uri.get_speed(), **({"clock": options.pop("clock")} if "clock" in options else {})
    )
    transport = VirtualTransport(device, f"simulated sensor '{name}' at {rate:g} Hz", pacer)
    hint = "the simulated device did not start (a bug: please report it)"
    return DeviceSource(
        uri.text, transport, WireDeviceDecoder(), start_rate_hz=round(rate), hint=hint, **options
    )
