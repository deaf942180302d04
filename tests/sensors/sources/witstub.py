"""Test helper: WitMotion packets built from the published layouts, and a stand-in sensor.

``WitMotionStub`` has the duck interface PtyBoard and FakeBleWorld expect from a device
(``write``, ``read(max_bytes)``, ``finished``): it plays a prepared packet stream and keeps
the command bytes it was sent.
"""

from __future__ import annotations

import struct


def serial_packet(kind: int, a: int, b: int, c: int, d: int = 0) -> bytes:
    """0x55, type, four int16 little-endian, then the low byte of the sum of the ten bytes."""
    body = bytes((0x55, kind)) + struct.pack("<4h", a, b, c, d)
    return body + bytes((sum(body) & 0xFF,))


def serial_sample(acc, gyr) -> bytes:
    """The packets a WT901 sends per output period: acceleration, angular rate, angle."""
    return (
        serial_packet(0x51, *acc, 3650)  # 36.50 degC
        + serial_packet(0x52, *gyr, 330)
        + serial_packet(0x53, 100, -200, 300, 0x1234)
    )


def ble_packet(acc, gyr, angle=(0, 0, 0)) -> bytes:
    """0x55 0x61 then acc xyz, gyro xyz, angle xyz as int16 little-endian (20 bytes)."""
    return bytes((0x55, 0x61)) + struct.pack("<9h", *acc, *gyr, *angle)


class WitMotionStub:
    """Plays ``stream`` once from the host's first command (so that nothing is sent before
    the port is open and flushed); ``commands`` collects what the host wrote."""

    def __init__(self, stream: bytes):
        self.stream = stream
        self.pos = 0
        self.commands = b""

    def write(self, data: bytes) -> None:
        self.commands += data

    def read(self, max_bytes: int | None = None, now_s: float | None = None) -> bytes:
        if not self.commands:
            return b""
        end = len(self.stream) if max_bytes is None else self.pos + max_bytes
        data = self.stream[self.pos : end]
        self.pos += len(data)
        return data

    @property
    def finished(self) -> bool:
        return self.pos >= len(self.stream)
