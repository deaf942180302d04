"""The interfaces every source implements: ``Source`` (samples) and ``ByteTransport`` (bytes).

A Source is driven from one asyncio loop: ``connect()`` opens it or raises
ConnectionFailedError, ``read()`` returns the next samples (None at the end of a recording) or
raises ConnectionLostError, ``send()`` writes a host command, ``disconnect()`` never raises.
Reconnects and link events are not the source's job: see link.py.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from sensors.device import LinkCounters
from sensors.errors import InputError
from sensors.protocol import IdentifyCommand, StartCommand, StopCommand
from sensors.samples import SampleBlock

HostCommand = StartCommand | StopCommand | IdentifyCommand
"""Commands a caller may send to a device: start (or change rate), stop, identify."""


class Source(ABC):
    """One device or recording, opened by URI; yields SampleBlocks in device time (s, SI)."""

    uri: str
    reconnectable: bool = True
    """False for recordings: a lost file is not retried."""

    @abstractmethod
    async def connect(self) -> str:
        """Open the device and wait for its first data; returns a description for the user."""

    @abstractmethod
    async def read(self) -> SampleBlock | None:
        """The next samples (possibly empty); None when a recording ended."""

    async def send(self, command: HostCommand) -> None:
        """Send a host command; sources without a command channel refuse with InputError."""
        raise InputError(f"{self.uri} takes no commands ({type(command).__name__} ignored)")

    @abstractmethod
    async def disconnect(self) -> None:
        """Close the device; safe to call at any time and more than once; never raises."""

    @abstractmethod
    def counters(self) -> LinkCounters:
        """A copy of the link counters so far (they survive reconnects)."""

    def mark_reconnect(self) -> None:  # noqa: B027 - optional hook, nothing to do by default
        """The next connection starts a new stretch: its first sample gets gap=True."""


class ByteTransport(ABC):
    """Bytes in and out of one device (serial port, BLE link, in-memory device)."""

    @abstractmethod
    async def open(self) -> str:
        """Open the link; returns a description. Raises ConnectionFailedError with advice."""

    @abstractmethod
    async def read(self) -> bytes | None:
        """Bytes received so far, b"" after a short poll without data, None at a final end.

        Raises ConnectionLostError when the link broke (unplugged, out of range).
        """

    @abstractmethod
    async def write(self, data: bytes) -> None:
        """Send bytes to the device; raises ConnectionLostError when the link broke."""

    @abstractmethod
    async def close(self) -> None:
        """Close the link; safe to call at any time and more than once; never raises."""
