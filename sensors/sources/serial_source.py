"""USB serial: a pyserial transport, the port list, and the ``serial://`` source.

``serial:///dev/ttyUSB0?baud=921600&rate=200`` (Windows: ``serial://COM3``) opens the port
exclusively, sends START and decodes the hipthrust wire protocol. Blocking pyserial calls run
in the loop's executor with a short read timeout, so the asyncio loop never blocks.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import serial
from serial.tools import list_ports

from sensors.device import WireDeviceDecoder
from sensors.errors import ConnectionFailedError, ConnectionLostError, InputError
from sensors.sources.base import ByteTransport
from sensors.sources.device_source import DeviceSource
from sensors.sources.uri import SourceUri

DEFAULT_BAUD = 921600
"""UART-bridge boards run at 921600 baud (docs/protocol.md); CDC-ACM boards ignore it."""
DEFAULT_RATE_HZ = 200
MAX_READ_BYTES = 65536

HINT = (
    "check that the board runs the hipthrust firmware, that the port is the right one "
    "(`hipthrust devices`), and the baud rate (?baud=921600 for UART bridges)"
)


@dataclass(frozen=True, slots=True)
class SerialPortInfo:
    """One serial port as the system lists it."""

    device: str
    description: str
    hwid: str


def list_serial_ports() -> list[SerialPortInfo]:
    """Serial ports with their USB descriptions, sorted by device name."""
    ports = [
        SerialPortInfo(p.device, p.description or "", p.hwid or "") for p in list_ports.comports()
    ]
    return sorted(ports, key=lambda p: p.device)


def _open_error(port: str, exc: Exception) -> ConnectionFailedError:
    """Turn pyserial's open failure into advice for the user."""
    code = getattr(exc, "errno", None)
    text = str(exc)
    if code == errno.ENOENT or "No such file" in text or "FileNotFoundError" in text:
        why = "does not exist: check the cable and the port name (`hipthrust devices` lists them)"
    elif code in (errno.EBUSY, errno.EAGAIN) or "lock" in text.lower() or "busy" in text.lower():
        why = (
            "is busy: another program has it open (a serial monitor, another hipthrust); "
            "close it and retry"
        )
    elif code == errno.EACCES or "denied" in text.lower():
        why = (
            "cannot be opened (permission denied): on Linux add your user to the 'dialout' "
            "group and log in again"
        )
    else:
        why = f"could not be opened ({text}): check the cable and the port name"
    return ConnectionFailedError(f"serial port {port} {why}")


class SerialTransport(ByteTransport):
    """Bytes over a serial port; ``serial_factory`` builds the pyserial object (injectable)."""

    def __init__(
        self,
        port: str,
        *,
        baudrate: int = DEFAULT_BAUD,
        poll_s: float = 0.05,
        serial_factory: Callable[..., Any] = serial.Serial,
    ):
        self.port = port
        self.baudrate = baudrate
        self.poll_s = poll_s
        self._factory = serial_factory
        self._serial: Any = None

    async def open(self) -> str:
        loop = asyncio.get_running_loop()
        try:
            self._serial = await loop.run_in_executor(None, self._open_blocking)
        except (serial.SerialException, OSError) as exc:
            raise _open_error(self.port, exc) from exc
        except ValueError as exc:
            raise InputError(f"serial port {self.port}: {exc}") from exc
        return f"serial port {self.port}"

    def _open_blocking(self) -> Any:
        kwargs = {"exclusive": True} if os.name == "posix" else {}
        return self._factory(port=self.port, baudrate=self.baudrate, timeout=self.poll_s, **kwargs)

    async def read(self) -> bytes:
        ser = self._serial
        if ser is None:
            raise ConnectionLostError(f"serial port {self.port} is closed")
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(None, self._read_blocking, ser)
        except (serial.SerialException, OSError, TypeError, AttributeError) as exc:
            # TypeError/AttributeError: pyserial's own errors when the port vanishes mid-read
            raise ConnectionLostError(
                f"serial port {self.port} stopped answering ({exc}): check the cable"
            ) from exc

    @staticmethod
    def _read_blocking(ser: Any) -> bytes:
        waiting = ser.in_waiting
        return bytes(ser.read(min(max(waiting, 1), MAX_READ_BYTES)))

    async def write(self, data: bytes) -> None:
        ser = self._serial
        if ser is None:
            raise ConnectionLostError(f"serial port {self.port} is closed")
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(None, ser.write, data)
        except (serial.SerialException, OSError) as exc:
            raise ConnectionLostError(
                f"could not write to serial port {self.port} ({exc})"
            ) from exc

    async def close(self) -> None:
        ser, self._serial = self._serial, None
        if ser is not None:
            with contextlib.suppress(serial.SerialException, OSError):
                ser.close()


def serial_target(uri: SourceUri) -> str:
    """The port named by a serial URI (``/dev/ttyUSB0``, ``COM3``); InputError when empty."""
    if not uri.target:
        raise InputError(
            f"{uri.text}: name the port, e.g. serial:///dev/ttyUSB0 or serial://COM3 "
            "(`hipthrust devices` lists them)"
        )
    return uri.target


def open_serial(uri: SourceUri, **options: Any) -> DeviceSource:
    """``serial://PORT?baud=..&rate=..``: a hipthrust board over USB serial."""
    uri.check_keys(("baud", "rate"))
    transport = SerialTransport(
        serial_target(uri),
        baudrate=uri.get_int("baud", DEFAULT_BAUD, low=300, high=12_000_000),
        serial_factory=options.pop("serial_factory", serial.Serial),
    )
    rate = uri.get_int("rate", DEFAULT_RATE_HZ, low=1, high=8000)
    return DeviceSource(
        uri.text, transport, WireDeviceDecoder(), start_rate_hz=rate, hint=HINT, **options
    )
