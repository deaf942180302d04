"""A simulated hipthrust board that speaks the exact wire protocol of docs/protocol.md.

``VirtualDevice(samples)`` plays a SampleBlock as a continuous recording at its median rate,
quantised to int16 like a real IMU. Host commands go in through ``write(bytes)``; the device's
bytes (INFO, ACK, SAMPLES, STATUS) come out of ``read(max_bytes, now_s)``. No I/O, no threads.
"""

from __future__ import annotations

import math

import numpy as np

from sensors.errors import InputError
from sensors.protocol import (
    HOST_COMMANDS,
    MAX_SAMPLES_PER_FRAME,
    AckFrame,
    AckResult,
    FrameDecoder,
    GetInfoCommand,
    InfoFrame,
    Message,
    SamplesFrame,
    StartCommand,
    StatusFlags,
    StatusFrame,
    StopCommand,
    acc_lsb_mps2,
    encode_frame,
    gyro_lsb_rads,
)
from sensors.samples import SampleBlock

STATUS_INTERVAL_S = 1.0
"""Device time between two STATUS frames while streaming."""
VIRTUAL_TEMPERATURE_CDEG = 3000
"""The IMU die temperature the virtual device reports (30.00 degC)."""
FIRMWARE_VERSION = (1, 0, 0)


def quantise(samples: SampleBlock, acc_range_g: int, gyro_range_dps: int) -> np.ndarray:
    """(N, 6) int16 counts ax ay az gx gy gz for the ranges, clipped at full scale."""
    scaled = np.hstack(
        (samples.acc / acc_lsb_mps2(acc_range_g), samples.gyr / gyro_lsb_rads(gyro_range_dps))
    )
    return np.clip(np.rint(scaled), -32768, 32767).astype(np.int16)


class VirtualDevice:
    """A board streaming ``samples``; see the module docstring.

    ``now_s`` given to ``read`` is device time in seconds since the latest START. The
    recording pauses while the device is stopped and resumes where it left off; its sample
    timestamps are ``t0_us + index * period_us`` (mod 2^32), continuous over loops.
    """

    def __init__(
        self,
        samples: SampleBlock,
        *,
        acc_range_g: int = 16,
        gyro_range_dps: int = 2000,
        samples_per_frame: int = 10,
        device_id: bytes = bytes(8),
        model: str = "hipthrust-virtual",
        battery_pct: int = 87,
        t0_us: int = 0,
        loop: bool = False,
        autostart: bool = False,
    ) -> None:
        rate_hz = samples.median_rate_hz()
        if len(samples) < 2 or not math.isfinite(rate_hz):
            raise InputError(
                "the virtual device needs a recording of at least 2 samples with a known rate"
            )
        if not 1 <= samples_per_frame <= MAX_SAMPLES_PER_FRAME:
            raise InputError(f"samples_per_frame must be 1..{MAX_SAMPLES_PER_FRAME}")
        self._period_us = round(1e6 / rate_hz)
        if not 1 <= self._period_us <= 0xFFFF:
            raise InputError(f"a rate of {rate_hz:.3g} Hz does not fit the protocol (16-1e6 Hz)")
        self._raw = quantise(samples, acc_range_g, gyro_range_dps)
        self._acc_range_g = acc_range_g
        self._gyro_range_dps = gyro_range_dps
        self._samples_per_frame = samples_per_frame
        self._t0_us = t0_us % (1 << 32)
        self._loop = loop
        self._battery_pct = battery_pct
        self.info = InfoFrame(
            device_id=device_id,
            model=model,
            fw_version=FIRMWARE_VERSION,
            rate_hz=min(round(1e6 / self._period_us), 0xFFFF),
            acc_range_g=acc_range_g,
            gyro_range_dps=gyro_range_dps,
            battery_pct=battery_pct,
        )
        self._commands = FrameDecoder()
        self._out = bytearray(b"\x00")  # a lone delimiter flushes the receiver at power-up
        self._seq = 0
        self._streaming = False
        self._next_index = 0  # next sample to send, counting on over loops
        self._start_index = 0  # sample index at the latest START
        self._next_status_s = STATUS_INTERVAL_S
        self._send(self.info)
        if autostart:
            self._start()

    @property
    def streaming(self) -> bool:
        """True between START and STOP."""
        return self._streaming

    @property
    def finished(self) -> bool:
        """True once a non-looping recording was sent completely and every byte was read."""
        return not self._loop and self._next_index >= len(self._raw) and not self._out

    def write(self, data: bytes) -> None:
        """Receive host bytes; each complete command is answered with ACK (and INFO)."""
        for decoded in self._commands.feed(data):
            self._on_command(decoded.seq, decoded.message)

    def read(self, max_bytes: int | None = None, now_s: float | None = None) -> bytes:
        """Device bytes due by device time ``now_s`` (None: all remaining), at most ``max_bytes``.

        A looping device has no end: give it ``now_s`` or ``max_bytes``.
        """
        if now_s is None and max_bytes is None and self._loop and self._streaming:
            raise InputError("a looping virtual device needs now_s or max_bytes to read")
        while self._streaming and (max_bytes is None or len(self._out) < max_bytes):
            if not self._send_frame_due(now_s):
                break
        take = len(self._out) if max_bytes is None else min(max_bytes, len(self._out))
        data = bytes(self._out[:take])
        del self._out[:take]
        return data

    def _send(self, message: Message) -> None:
        self._out += encode_frame(message, self._seq)
        self._seq = (self._seq + 1) & 0xFFFF

    def _start(self) -> None:
        self._streaming = True
        self._start_index = self._next_index
        self._next_status_s = STATUS_INTERVAL_S

    def _on_command(self, seq: int, command: Message) -> None:
        result = AckResult.OK
        if isinstance(command, StartCommand) and command.rate_hz == 0:
            result = AckResult.BAD_ARGUMENTS
        elif not isinstance(command, HOST_COMMANDS):
            result = AckResult.UNSUPPORTED
        self._send(AckFrame(command.frame_type, seq, result))
        if result != AckResult.OK:
            return
        if isinstance(command, StartCommand):
            self._start()
            self._send(self.info)
        elif isinstance(command, StopCommand):
            self._streaming = False
        elif isinstance(command, GetInfoCommand):
            self._send(self.info)

    def _send_frame_due(self, now_s: float | None) -> bool:
        """Append the next SAMPLES frame (and a STATUS when due); False if nothing is due."""
        n_total = len(self._raw)
        first = self._next_index
        count = self._samples_per_frame
        if not self._loop:
            count = min(count, n_total - first)
            if count <= 0:
                return False
        last_s = (first + count - 1 - self._start_index) * self._period_us * 1e-6
        if now_s is not None and last_s > now_s:
            return False
        rows = np.arange(first, first + count) % n_total
        t0_us = (self._t0_us + first * self._period_us) % (1 << 32)
        self._send(
            SamplesFrame(
                t0_us, self._period_us, self._acc_range_g, self._gyro_range_dps, self._raw[rows]
            )
        )
        self._next_index = first + count
        if last_s >= self._next_status_s:
            self._next_status_s += STATUS_INTERVAL_S
            self._send(
                StatusFrame(
                    battery_pct=self._battery_pct,
                    flags=StatusFlags.STREAMING,
                    dropped_samples=0,
                    temperature_cdeg=VIRTUAL_TEMPERATURE_CDEG,
                )
            )
        return True
