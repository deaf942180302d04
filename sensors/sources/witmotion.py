"""WitMotion IMU packets (WT901 family over serial, BLE 5.0 models) to SampleBlocks; no I/O.

Serial: the WIT standard protocol, 11-byte packets ``0x55 type 8 data bytes sum``; 0x51
acceleration and 0x52 angular rate make one sample. BLE 5.0: 20-byte ``0x55 0x61`` packets
with acceleration, angular rate and angle. Layouts and sources: docs/devices.md.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import numpy as np

from sensors.device import LinkCounters
from sensors.errors import InputError
from sensors.protocol import StartCommand
from sensors.samples import STANDARD_GRAVITY, SampleBlock

ACC_RANGE_G = 16
"""Accelerometer full scale of the published WitMotion scaling, in g."""
GYRO_RANGE_DPS = 2000
"""Gyroscope full scale of the published WitMotion scaling, in deg/s."""

HEADER = 0x55
SERIAL_PACKET_LEN = 11
SERIAL_ACC, SERIAL_GYRO = 0x51, 0x52
SERIAL_TYPES = range(0x50, 0x60)
"""Packet types of the WIT standard protocol (time, acc, gyro, angle, mag, ..., quaternion)."""
BLE_PACKET_LEN = 20
BLE_IMU, BLE_REGISTER = 0x61, 0x71

RATE_CODES = {10: 0x06, 20: 0x07, 50: 0x08, 100: 0x09, 200: 0x0B}
"""Output rate (Hz) -> value of the RRATE register (0x03), as both protocols publish it."""
UNLOCK = bytes((0xFF, 0xAA, 0x69, 0x88, 0xB5))
"""Unlock command the WIT protocol requires before a register write."""

_ACC_SCALE = ACC_RANGE_G * STANDARD_GRAVITY / 32768.0
_GYRO_SCALE = GYRO_RANGE_DPS * math.pi / 180.0 / 32768.0


def serial_checksum(packet: bytes) -> int:
    """The WIT checksum: the low byte of the sum of the first ten bytes of a packet."""
    return sum(packet[:10]) & 0xFF


def rate_command(rate_hz: float) -> bytes:
    """Bytes that set the output rate to the closest supported one (10-200 Hz)."""
    rate = min(RATE_CODES, key=lambda r: abs(r - rate_hz))
    return UNLOCK + bytes((0xFF, 0xAA, 0x03, RATE_CODES[rate], 0x00))


class WitMotionDecoder:
    """Streaming decoder for one WitMotion sensor, any chunking, never raises on bad bytes.

    WitMotion packets carry no sample clock: sample times follow the configured ``rate_hz``
    (seconds from the first sample); a lost sample (bad checksum) advances time by one period
    and marks ``gap``. After ``mark_reconnect()`` the timeline resumes at the host time elapsed
    since the first sample (``clock``, seconds), never before the last sample delivered.
    """

    def __init__(
        self, *, ble: bool, rate_hz: float = 100.0, clock: Callable[[], float] = time.monotonic
    ):
        self.ble = ble
        self._period_s = 1.0 / rate_hz
        self._clock = clock
        self._buf = bytearray()
        self._counters = LinkCounters()
        self._pending_acc: tuple[int, int, int] | None = None
        self._missing = 0
        self._next_t: float | None = None
        self._origin: float = 0.0
        self._resume = False

    def counters(self) -> LinkCounters:
        """A copy of the link counters (no sequence numbers: ``seq_gaps`` stays 0)."""
        c = self._counters
        return LinkCounters(
            c.bytes_received,
            c.frames_ok,
            c.bad_frames,
            c.seq_gaps,
            c.dropped_samples,
            c.reconnects,
            c.battery_pct,
        )

    def mark_reconnect(self) -> None:
        """The next sample starts a new stretch: gap=True, time taken from the host clock."""
        self._buf.clear()
        self._pending_acc = None
        self._resume = self._next_t is not None
        self._counters.reconnects += 1

    def command_bytes(self, command: object) -> bytes:
        """Bytes for a host command; only a rate change (StartCommand) exists for WitMotion."""
        if isinstance(command, StartCommand):
            rate = min(RATE_CODES, key=lambda r: abs(r - command.rate_hz))
            self._period_s = 1.0 / rate
            return rate_command(rate)
        raise InputError(
            f"WitMotion sensors do not support {type(command).__name__}: only a rate change "
            "(10, 20, 50, 100 or 200 Hz) can be sent"
        )

    def feed(self, data: bytes) -> SampleBlock:
        """Decode these bytes; returns the samples they complete (possibly none), SI units."""
        self._counters.bytes_received += len(data)
        self._buf += data
        rows: list[tuple[int, ...]] = []
        missing: list[int] = []
        scan = self._scan_ble if self.ble else self._scan_serial
        scan(rows, missing)
        return self._block(rows, missing)

    def _at_header(self, need: int) -> bool:
        """Drop bytes before the next header; True when ``need`` bytes from it are buffered."""
        start = self._buf.find(HEADER)
        del self._buf[: start if start >= 0 else len(self._buf)]
        return len(self._buf) >= need

    def _resync(self) -> None:
        """Drop bytes up to the next packet header (not counting the current byte)."""
        nxt = self._buf.find(HEADER, 1)
        del self._buf[: nxt if nxt > 0 else len(self._buf)]

    def _scan_serial(self, rows: list[tuple[int, ...]], missing: list[int]) -> None:
        buf = self._buf
        while self._at_header(SERIAL_PACKET_LEN):
            packet = bytes(buf[:SERIAL_PACKET_LEN])
            if packet[1] not in SERIAL_TYPES or serial_checksum(packet) != packet[10]:
                self._counters.bad_frames += 1
                self._resync()
                continue
            del buf[:SERIAL_PACKET_LEN]
            self._counters.frames_ok += 1
            values = np.frombuffer(packet, dtype="<i2", count=3, offset=2)
            if packet[1] == SERIAL_ACC:
                if self._pending_acc is not None:
                    self._missing += 1  # the gyro packet of the previous sample was lost
                self._pending_acc = tuple(int(v) for v in values)
            elif packet[1] == SERIAL_GYRO:
                if self._pending_acc is None:
                    if self._next_t is not None or rows:
                        self._missing += 1  # its acceleration packet was lost
                    continue
                self._emit(rows, missing, (*self._pending_acc, *(int(v) for v in values)))
                self._pending_acc = None

    def _scan_ble(self, rows: list[tuple[int, ...]], missing: list[int]) -> None:
        buf = self._buf
        while self._at_header(2):
            if buf[1] not in (BLE_IMU, BLE_REGISTER):
                self._counters.bad_frames += 1
                self._resync()
                continue
            if len(buf) < BLE_PACKET_LEN:
                return
            packet = bytes(buf[:BLE_PACKET_LEN])
            del buf[:BLE_PACKET_LEN]
            self._counters.frames_ok += 1
            if packet[1] == BLE_IMU:
                values = np.frombuffer(packet, dtype="<i2", count=6, offset=2)
                self._emit(rows, missing, tuple(int(v) for v in values))

    def _emit(self, rows: list[tuple[int, ...]], missing: list[int], row: tuple[int, ...]):
        rows.append(row)
        missing.append(self._missing)
        self._counters.dropped_samples += self._missing
        self._missing = 0

    def _block(self, rows: list[tuple[int, ...]], missing: list[int]) -> SampleBlock:
        if not rows:
            return SampleBlock.empty()
        n = len(rows)
        t = np.empty(n)
        gap = np.zeros(n, dtype=bool)
        for i, lost in enumerate(missing):
            if self._next_t is None:
                self._origin = self._clock()
                t_i = 0.0
            elif self._resume:
                t_i = max(self._next_t, self._clock() - self._origin)
                gap[i] = True
                self._resume = False
            else:
                t_i = self._next_t + lost * self._period_s
                gap[i] = lost > 0
            t[i] = t_i
            self._next_t = t_i + self._period_s
        raw = np.asarray(rows, dtype=np.float64)
        return SampleBlock(t, raw[:, :3] * _ACC_SCALE, raw[:, 3:] * _GYRO_SCALE, gap)
