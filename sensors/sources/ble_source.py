"""Bluetooth LE with bleak: scan, a notification-fed transport, and the ``ble://`` source.

``ble://NAME-or-ADDRESS`` finds the device in a scan (by address, exact name or name prefix;
empty: the first device offering the service), connects, subscribes to notifications (the
callback only enqueues bytes) and writes commands. The client class and the scanner are
injectable so tests run against stand-ins. NUS UUIDs: docs/protocol.md section 4.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bleak import BleakClient, BleakScanner

from sensors.device import WireDeviceDecoder
from sensors.errors import ConnectionFailedError, ConnectionLostError
from sensors.sources.base import ByteTransport
from sensors.sources.device_source import DeviceSource
from sensors.sources.uri import SourceUri

NUS_SERVICE = "6e400001-b5a3-f393-e0a9-e50e24dcca9e"
NUS_RX_WRITE = "6e400002-b5a3-f393-e0a9-e50e24dcca9e"
NUS_TX_NOTIFY = "6e400003-b5a3-f393-e0a9-e50e24dcca9e"
HIPTHRUST_NAME_PREFIX = "hipthrust"
DEFAULT_SCAN_S = 10.0
QUEUE_CHUNKS = 4096
"""Notifications held between two reads (at 1000 Hz the loop drains them every few ms)."""

_ADDRESS = re.compile(
    r"^([0-9A-F]{2}:){5}[0-9A-F]{2}$|^[0-9A-F]{8}-([0-9A-F]{4}-){3}[0-9A-F]{12}$", re.I
)


@dataclass(frozen=True, slots=True)
class BleService:
    """The GATT layout a device family uses: service, notify and write characteristics."""

    name: str
    service_uuid: str
    notify_uuid: str
    write_uuid: str
    name_prefix: str


NUS = BleService("hipthrust", NUS_SERVICE, NUS_TX_NOTIFY, NUS_RX_WRITE, HIPTHRUST_NAME_PREFIX)


@dataclass(frozen=True, slots=True)
class BleDeviceInfo:
    """One device seen in a scan; ``kind`` names the family it matches ('' if none)."""

    name: str
    address: str
    rssi: int | None
    kind: str


Finder = Callable[[Callable[[Any, Any], bool], float], Awaitable[Any]]


def bluetooth_unavailable(exc: BaseException) -> ConnectionFailedError:
    """The message for a missing or switched-off adapter."""
    return ConnectionFailedError(
        f"Bluetooth is not available ({type(exc).__name__}: {exc}): check that the computer has "
        "a Bluetooth adapter, that it is switched on, and on Linux that bluetoothd is running"
    )


async def scan(timeout_s: float, services: tuple[BleService, ...], *, scanner: Any = BleakScanner):
    """Devices advertising within ``timeout_s``, strongest signal first."""
    try:
        found = await scanner.discover(timeout=timeout_s, return_adv=True)
    except Exception as exc:  # bleak raises OSError, BleakError or platform errors here
        raise bluetooth_unavailable(exc) from exc
    devices = []
    for device, adv in found.values():
        kind = next((s.name for s in services if _matches(s, "", device, adv)), "")
        name = device.name or adv.local_name or ""
        devices.append(BleDeviceInfo(name, device.address, adv.rssi, kind))
    return sorted(devices, key=lambda d: -(d.rssi if d.rssi is not None else -999))


def _matches(service: BleService, target: str, device: Any, adv: Any) -> bool:
    """Does an advertisement match ``target`` (address, name, prefix) or, empty, the family?"""
    name = (device.name or adv.local_name or "").lower()
    if target:
        t = target.lower()
        return (
            device.address.lower() == t
            or name == t
            or (not _ADDRESS.match(target) and name.startswith(t))
        )
    uuids = [u.lower() for u in (adv.service_uuids or [])]
    return service.service_uuid in uuids or name.startswith(service.name_prefix.lower())


class BleTransport(ByteTransport):
    """Bytes over a BLE notify/write characteristic pair; one client per connection."""

    def __init__(
        self,
        target: str,
        service: BleService,
        *,
        scan_timeout_s: float = DEFAULT_SCAN_S,
        client_class: Callable[..., Any] = BleakClient,
        finder: Finder | None = None,
        poll_s: float = 0.05,
    ):
        self.target = target
        self.service = service
        self.scan_timeout_s = scan_timeout_s
        self._client_class = client_class
        self._finder = finder or BleakScanner.find_device_by_filter
        self.poll_s = poll_s
        self._client: Any = None
        self._queue: asyncio.Queue[bytes | None] = asyncio.Queue(QUEUE_CHUNKS)
        self.overflowed_chunks = 0
        """Notifications dropped because the queue was full (the decoder sees the gap)."""

    def _label(self) -> str:
        return f"'{self.target}'" if self.target else f"a {self.service.name} device"

    async def open(self) -> str:
        await self.close()
        self._queue = asyncio.Queue(QUEUE_CHUNKS)
        try:
            device = await self._finder(
                lambda d, adv: _matches(self.service, self.target, d, adv), self.scan_timeout_s
            )
        except Exception as exc:  # no adapter: OSError, BleakError, platform errors
            raise bluetooth_unavailable(exc) from exc
        if device is None:
            raise ConnectionFailedError(
                f"no BLE device matching {self._label()} found in {self.scan_timeout_s:g} s: "
                "check it is switched on, charged, near, and not connected to another app "
                "(`hipthrust devices` lists what the scan sees)"
            )
        client = self._client_class(device, disconnected_callback=self._on_disconnected)
        self._client = client
        try:
            await client.connect()
            await client.start_notify(self.service.notify_uuid, self._on_notified)
        except Exception as exc:  # bleak raises BleakError, TimeoutError, OSError ...
            await self.close()
            raise ConnectionFailedError(
                f"could not connect to {device.name or device.address} ({exc}): move closer, "
                "or switch the device off and on"
            ) from exc
        return f"BLE {device.name or '?'} ({device.address})"

    def _on_notified(self, _characteristic: Any, data: bytearray) -> None:
        """Notification callback: only enqueue the bytes."""
        try:
            self._queue.put_nowait(bytes(data))
        except asyncio.QueueFull:
            self.overflowed_chunks += 1

    def _on_disconnected(self, client: Any) -> None:
        if client is self._client:
            with contextlib.suppress(asyncio.QueueFull):
                self._queue.put_nowait(None)

    async def read(self) -> bytes:
        if self._client is None:
            raise ConnectionLostError("BLE link is closed")
        try:
            first = await asyncio.wait_for(self._queue.get(), self.poll_s)
        except TimeoutError:
            return b""
        chunks = [first]
        while not self._queue.empty() and chunks[-1] is not None:
            chunks.append(self._queue.get_nowait())
        if chunks[-1] is None:
            raise ConnectionLostError(
                f"BLE link to {self._label()} lost: check the battery and the distance"
            )
        return b"".join(chunks)  # type: ignore[arg-type]

    async def write(self, data: bytes) -> None:
        client = self._client
        if client is None:
            raise ConnectionLostError("BLE link is closed")
        try:
            await client.write_gatt_char(self.service.write_uuid, data, response=False)
        except Exception as exc:
            raise ConnectionLostError(f"could not write to the BLE device ({exc})") from exc

    async def close(self) -> None:
        """Disconnect the client before dropping it, whatever state it is in."""
        client, self._client = self._client, None
        if client is not None:
            with contextlib.suppress(Exception):
                await client.disconnect()


def ble_options(uri: SourceUri, options: dict[str, Any]) -> dict[str, Any]:
    """Transport keywords from ``?scan=`` and the injectable client class and finder."""
    kwargs: dict[str, Any] = {
        "scan_timeout_s": uri.get_float("scan", DEFAULT_SCAN_S, low=0.5, high=120)
    }
    for key in ("client_class", "finder"):
        if key in options:
            kwargs[key] = options.pop(key)
    return kwargs


def open_ble(uri: SourceUri, **options: Any) -> DeviceSource:
    """``ble://NAME-or-ADDRESS?rate=..&scan=..``: a hipthrust board over BLE (NUS)."""
    uri.check_keys(("rate", "scan"))
    transport = BleTransport(uri.target, NUS, **ble_options(uri, options))
    rate = uri.get_int("rate", 200, low=1, high=8000)
    hint = "check the board runs the hipthrust firmware and is not connected to another app"
    return DeviceSource(
        uri.text, transport, WireDeviceDecoder(), start_rate_hz=rate, hint=hint, **options
    )
