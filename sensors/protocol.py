"""The hipthrust wire protocol (docs/protocol.md): message types, framing and a streaming framer.

Pure functions and classes, no I/O. ``encode_frame`` turns a message into the bytes on the wire
(COBS + trailing 0x00); ``FrameDecoder.feed`` turns any chunking of a byte stream back into
messages, never raises, and counts what it had to drop.
"""

from __future__ import annotations

import binascii
import math
import struct
from dataclasses import dataclass, field
from enum import IntEnum, IntFlag
from typing import ClassVar, Protocol

import numpy as np

from sensors.errors import ProtocolError
from sensors.samples import STANDARD_GRAVITY

PROTOCOL_VERSION = 1
MAX_PAYLOAD = 1000
"""Largest payload in bytes; a raw frame (type, seq, payload, crc) is at most 1005 bytes."""
MAX_RAW_FRAME = MAX_PAYLOAD + 5
MIN_RAW_FRAME = 5
MAX_ENCODED_FRAME = MAX_RAW_FRAME + MAX_RAW_FRAME // 254 + 1
"""Largest COBS-encoded frame, delimiter excluded: anything longer between two 0x00 is bad."""
MAX_SAMPLES_PER_FRAME = 40
MAX_MODEL_LEN = 32
BATTERY_UNKNOWN = 255
"""battery_pct value meaning 'unknown or USB powered without a battery'."""
TEMPERATURE_UNKNOWN = -32768
"""temperature_cdeg value meaning 'unknown'."""


class FrameType(IntEnum):
    """The ``type`` byte of a frame: 0x0_ device -> host, 0x8_ host -> device."""

    SAMPLES = 0x01
    INFO = 0x02
    STATUS = 0x03
    ACK = 0x04
    START = 0x81
    STOP = 0x82
    GET_INFO = 0x83
    IDENTIFY = 0x84


class StatusFlags(IntFlag):
    """Bits of StatusFrame.flags."""

    STREAMING = 0x01
    EXTERNAL_POWER = 0x02
    IMU_ERROR = 0x04
    FIFO_OVERFLOW = 0x08


class AckResult(IntEnum):
    """AckFrame.result: how the device took a host command."""

    OK = 0
    BAD_ARGUMENTS = 1
    UNSUPPORTED = 2
    BUSY = 3


def acc_lsb_mps2(acc_range_g: int) -> float:
    """Value of one accelerometer count in m/s^2 for a full scale of ``acc_range_g`` g."""
    return acc_range_g * STANDARD_GRAVITY / 32768.0


def gyro_lsb_rads(gyro_range_dps: int) -> float:
    """Value of one gyroscope count in rad/s for a full scale of ``gyro_range_dps`` deg/s."""
    return gyro_range_dps * math.pi / 180.0 / 32768.0


# --- CRC and COBS -----------------------------------------------------------------------------


def crc16_ccitt_false(data: bytes) -> int:
    """CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, xorout 0)."""
    return binascii.crc_hqx(data, 0xFFFF)


def cobs_encode(data: bytes) -> bytes:
    """COBS-encode ``data`` (result has no 0x00; the delimiter is not appended).

    Canonical form shared with the C encoder: a final block of 254 non-zero bytes is not
    followed by an empty 0x01 block.
    """
    out = bytearray()
    parts = bytes(data).split(b"\x00")
    last = len(parts) - 1
    for index, part in enumerate(parts):
        while len(part) >= 254:
            out.append(0xFF)
            out += part[:254]
            part = part[254:]
            if not part and index == last:
                return bytes(out)
        out.append(len(part) + 1)
        out += part
    return bytes(out)


def cobs_decode(data: bytes) -> bytes:
    """Undo ``cobs_encode``; raises ProtocolError on a zero byte or a truncated block."""
    out = bytearray()
    n = len(data)
    i = 0
    while i < n:
        code = data[i]
        end = i + code
        if code == 0 or end > n:
            raise ProtocolError(
                "malformed COBS block: the frame is damaged or the stream is not hipthrust"
            )
        block = data[i + 1 : end]
        if 0 in block:
            raise ProtocolError("COBS data contains 0x00: frames were merged or damaged")
        out += block
        i = end
        if code != 0xFF and i < n:
            out.append(0)
    return bytes(out)


# --- messages ---------------------------------------------------------------------------------


def _check_uint(name: str, value: int, bits: int, minimum: int = 0) -> None:
    """Raise ProtocolError unless ``minimum <= value < 2**bits``."""
    if not minimum <= value < (1 << bits):
        raise ProtocolError(f"{name}={value} does not fit the wire field (u{bits}, >= {minimum})")


def _check_length(name: str, payload: bytes, expected: int) -> None:
    if len(payload) != expected:
        raise ProtocolError(f"{name} payload must be {expected} bytes, got {len(payload)}")


class Message(Protocol):
    """What every message class offers (see MESSAGE_CLASSES)."""

    frame_type: ClassVar[FrameType]

    def encode_payload(self) -> bytes: ...


_SAMPLES_HEADER = struct.Struct("<IHBBH")


@dataclass(frozen=True, eq=False)
class SamplesFrame:
    """IMU samples: raw int16 (count, 6) ax ay az gx gy gz, scaled by the ranges.

    Sample i was taken at device time ``t0_us + i * period_us`` (microseconds, mod 2^32).
    """

    frame_type: ClassVar[FrameType] = FrameType.SAMPLES
    t0_us: int
    period_us: int
    acc_range_g: int
    gyro_range_dps: int
    raw: np.ndarray = field(repr=False)

    def __post_init__(self) -> None:
        _check_uint("t0_us", self.t0_us, 32)
        _check_uint("period_us", self.period_us, 16, 1)
        _check_uint("acc_range_g", self.acc_range_g, 8, 1)
        _check_uint("gyro_range_dps", self.gyro_range_dps, 16, 1)
        raw = np.asarray(self.raw)
        if raw.ndim != 2 or raw.shape[1] != 6 or not 1 <= raw.shape[0] <= MAX_SAMPLES_PER_FRAME:
            raise ProtocolError(
                f"SAMPLES needs 1..{MAX_SAMPLES_PER_FRAME} rows of 6 values, got {raw.shape}"
            )
        if raw.dtype != np.int16:
            if not np.issubdtype(raw.dtype, np.integer) or (
                raw.min() < -32768 or raw.max() > 32767
            ):
                raise ProtocolError("SAMPLES raw values must be int16 (-32768..32767)")
            raw = raw.astype(np.int16)
        object.__setattr__(self, "raw", raw)

    @property
    def count(self) -> int:
        """Number of samples in the frame."""
        return int(self.raw.shape[0])

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SamplesFrame):
            return NotImplemented
        return (self.t0_us, self.period_us, self.acc_range_g, self.gyro_range_dps) == (
            other.t0_us,
            other.period_us,
            other.acc_range_g,
            other.gyro_range_dps,
        ) and np.array_equal(self.raw, other.raw)

    __hash__ = None  # type: ignore[assignment]

    def encode_payload(self) -> bytes:
        header = _SAMPLES_HEADER.pack(
            self.t0_us, self.period_us, self.count, self.acc_range_g, self.gyro_range_dps
        )
        return header + self.raw.astype("<i2", copy=False).tobytes()

    @classmethod
    def decode_payload(cls, payload: bytes) -> SamplesFrame:
        if len(payload) < _SAMPLES_HEADER.size:
            raise ProtocolError(f"SAMPLES payload too short ({len(payload)} bytes)")
        t0_us, period_us, count, acc_g, gyro_dps = _SAMPLES_HEADER.unpack_from(payload)
        _check_length("SAMPLES", payload, _SAMPLES_HEADER.size + 12 * count)
        raw = np.frombuffer(payload, dtype="<i2", offset=_SAMPLES_HEADER.size)
        return cls(t0_us, period_us, acc_g, gyro_dps, raw.reshape(count, 6).astype(np.int16))


_INFO_HEADER = struct.Struct("<B8s3BHBHBB")


@dataclass(frozen=True)
class InfoFrame:
    """Who the device is and how it is set up; battery_pct 255 means unknown."""

    frame_type: ClassVar[FrameType] = FrameType.INFO
    device_id: bytes
    model: str
    fw_version: tuple[int, int, int]
    rate_hz: int
    acc_range_g: int
    gyro_range_dps: int
    battery_pct: int = BATTERY_UNKNOWN
    protocol_version: int = PROTOCOL_VERSION

    def __post_init__(self) -> None:
        if len(self.device_id) != 8:
            raise ProtocolError(f"device_id must be 8 bytes, got {len(self.device_id)}")
        if len(self.model.encode("utf-8")) > MAX_MODEL_LEN:
            raise ProtocolError(f"model name longer than {MAX_MODEL_LEN} bytes: {self.model!r}")
        if len(self.fw_version) != 3:
            raise ProtocolError("fw_version must be (major, minor, patch)")
        for part in self.fw_version:
            _check_uint("fw_version", part, 8)
        _check_uint("rate_hz", self.rate_hz, 16)
        _check_uint("acc_range_g", self.acc_range_g, 8)
        _check_uint("gyro_range_dps", self.gyro_range_dps, 16)
        _check_uint("battery_pct", self.battery_pct, 8)
        _check_uint("protocol_version", self.protocol_version, 8)

    @property
    def device_id_hex(self) -> str:
        """The device id as 16 hex digits, as shown to users."""
        return self.device_id.hex()

    def encode_payload(self) -> bytes:
        model = self.model.encode("utf-8")
        header = _INFO_HEADER.pack(
            self.protocol_version,
            self.device_id,
            *self.fw_version,
            self.rate_hz,
            self.acc_range_g,
            self.gyro_range_dps,
            self.battery_pct,
            len(model),
        )
        return header + model

    @classmethod
    def decode_payload(cls, payload: bytes) -> InfoFrame:
        if len(payload) < _INFO_HEADER.size:
            raise ProtocolError(f"INFO payload too short ({len(payload)} bytes)")
        version, dev_id, fw1, fw2, fw3, rate, acc, gyro, battery, model_len = (
            _INFO_HEADER.unpack_from(payload)
        )
        _check_length("INFO", payload, _INFO_HEADER.size + model_len)
        try:
            model = payload[_INFO_HEADER.size :].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ProtocolError(f"INFO model name is not UTF-8: {exc}") from None
        return cls(dev_id, model, (fw1, fw2, fw3), rate, acc, gyro, battery, version)


_STATUS = struct.Struct("<BBIh")


@dataclass(frozen=True)
class StatusFrame:
    """Battery and health, about once a second while streaming."""

    frame_type: ClassVar[FrameType] = FrameType.STATUS
    battery_pct: int = BATTERY_UNKNOWN
    flags: int = 0
    dropped_samples: int = 0
    temperature_cdeg: int = TEMPERATURE_UNKNOWN

    def __post_init__(self) -> None:
        _check_uint("battery_pct", self.battery_pct, 8)
        _check_uint("flags", self.flags, 8)
        _check_uint("dropped_samples", self.dropped_samples, 32)
        if not -32768 <= self.temperature_cdeg <= 32767:
            raise ProtocolError(f"temperature_cdeg={self.temperature_cdeg} does not fit i16")

    @property
    def temperature_c(self) -> float | None:
        """IMU die temperature in degrees Celsius, None if unknown."""
        if self.temperature_cdeg == TEMPERATURE_UNKNOWN:
            return None
        return self.temperature_cdeg / 100.0

    def encode_payload(self) -> bytes:
        return _STATUS.pack(
            self.battery_pct, self.flags, self.dropped_samples, self.temperature_cdeg
        )

    @classmethod
    def decode_payload(cls, payload: bytes) -> StatusFrame:
        _check_length("STATUS", payload, _STATUS.size)
        return cls(*_STATUS.unpack(payload))


_ACK = struct.Struct("<BHB")


@dataclass(frozen=True)
class AckFrame:
    """The device's answer to the host command with type ``command_type`` and ``command_seq``."""

    frame_type: ClassVar[FrameType] = FrameType.ACK
    command_type: int
    command_seq: int
    result: AckResult = AckResult.OK

    def __post_init__(self) -> None:
        _check_uint("command_type", self.command_type, 8)
        _check_uint("command_seq", self.command_seq, 16)
        try:
            object.__setattr__(self, "result", AckResult(self.result))
        except ValueError:
            raise ProtocolError(f"unknown ACK result {self.result}") from None

    def encode_payload(self) -> bytes:
        return _ACK.pack(self.command_type, self.command_seq, self.result)

    @classmethod
    def decode_payload(cls, payload: bytes) -> AckFrame:
        _check_length("ACK", payload, _ACK.size)
        return cls(*_ACK.unpack(payload))


@dataclass(frozen=True)
class StartCommand:
    """Host -> device: stream at the supported rate closest to ``rate_hz``."""

    frame_type: ClassVar[FrameType] = FrameType.START
    rate_hz: int

    def __post_init__(self) -> None:
        _check_uint("rate_hz", self.rate_hz, 16)

    def encode_payload(self) -> bytes:
        return struct.pack("<H", self.rate_hz)

    @classmethod
    def decode_payload(cls, payload: bytes) -> StartCommand:
        _check_length("START", payload, 2)
        return cls(int.from_bytes(payload, "little"))


class _NoPayload:
    """Commands without arguments: an empty payload."""

    frame_type: ClassVar[FrameType]

    def encode_payload(self) -> bytes:
        return b""

    @classmethod
    def decode_payload(cls, payload: bytes):
        _check_length(cls.frame_type.name, payload, 0)
        return cls()


@dataclass(frozen=True)
class StopCommand(_NoPayload):
    """Host -> device: stop streaming."""

    frame_type: ClassVar[FrameType] = FrameType.STOP


@dataclass(frozen=True)
class GetInfoCommand(_NoPayload):
    """Host -> device: send INFO."""

    frame_type: ClassVar[FrameType] = FrameType.GET_INFO


@dataclass(frozen=True)
class IdentifyCommand:
    """Host -> device: blink or buzz for ``seconds`` so the user can tell devices apart."""

    frame_type: ClassVar[FrameType] = FrameType.IDENTIFY
    seconds: int

    def __post_init__(self) -> None:
        _check_uint("seconds", self.seconds, 8)

    def encode_payload(self) -> bytes:
        return bytes([self.seconds])

    @classmethod
    def decode_payload(cls, payload: bytes) -> IdentifyCommand:
        _check_length("IDENTIFY", payload, 1)
        return cls(payload[0])


MESSAGE_CLASSES: dict[FrameType, type] = {
    cls.frame_type: cls
    for cls in (
        SamplesFrame,
        InfoFrame,
        StatusFrame,
        AckFrame,
        StartCommand,
        StopCommand,
        GetInfoCommand,
        IdentifyCommand,
    )
}
"""The one table mapping a frame type to its message class."""

HOST_COMMANDS = (StartCommand, StopCommand, GetInfoCommand, IdentifyCommand)


# --- frames -----------------------------------------------------------------------------------


def encode_frame(message: Message, seq: int) -> bytes:
    """The bytes on the wire for ``message`` with sequence number ``seq`` (0..65535)."""
    _check_uint("seq", seq, 16)
    payload = message.encode_payload()
    if len(payload) > MAX_PAYLOAD:
        raise ProtocolError(f"payload of {len(payload)} bytes exceeds {MAX_PAYLOAD}")
    body = struct.pack("<BH", message.frame_type, seq) + payload
    body += struct.pack("<H", crc16_ccitt_false(body))
    return cobs_encode(body) + b"\x00"


def decode_frame(encoded: bytes) -> tuple[int, Message]:
    """(seq, message) from one COBS frame without its delimiter; raises ProtocolError."""
    raw = cobs_decode(encoded)
    if not MIN_RAW_FRAME <= len(raw) <= MAX_RAW_FRAME:
        raise ProtocolError(
            f"frame of {len(raw)} bytes is outside {MIN_RAW_FRAME}..{MAX_RAW_FRAME}"
        )
    if crc16_ccitt_false(raw[:-2]) != int.from_bytes(raw[-2:], "little"):
        raise ProtocolError("CRC mismatch: the frame was damaged on the way")
    seq = raw[1] | (raw[2] << 8)
    cls = MESSAGE_CLASSES.get(raw[0])
    if cls is None:
        raise _ValidFrameError(seq, f"unknown frame type 0x{raw[0]:02x}")
    try:
        return seq, cls.decode_payload(raw[3:-2])
    except ProtocolError as exc:
        raise _ValidFrameError(seq, str(exc)) from None


class _ValidFrameError(ProtocolError):
    """The frame arrived intact (CRC ok) but its content is unusable; ``seq`` is trustworthy."""

    def __init__(self, seq: int, message: str) -> None:
        super().__init__(message)
        self.seq = seq


@dataclass(frozen=True, slots=True)
class DecodedFrame:
    """One good frame: its sequence number and its message."""

    seq: int
    message: Message


class FrameDecoder:
    """Streaming framer: bytes in any chunking -> DecodedFrame list, never raises.

    Counters (plain ints): ``bytes_received`` every byte fed; ``frames_ok`` good frames;
    ``bad_frames`` delimited frames dropped (COBS error, bad length, CRC mismatch, unknown type
    or malformed payload); ``seq_gaps`` frames missing according to the sequence numbers;
    ``discarded_bytes`` bytes that did not end up in a good frame (bad frames and the bytes
    before the first delimiter when they do not form a good frame), delimiters excluded.
    """

    def __init__(self) -> None:
        self._pending = bytearray()
        self._overflowed = False
        self._synced = False
        self._last_seq: int | None = None
        self.bytes_received = 0
        self.frames_ok = 0
        self.bad_frames = 0
        self.seq_gaps = 0
        self.discarded_bytes = 0

    def feed(self, data: bytes) -> list[DecodedFrame]:
        """Decode every frame completed by ``data``; keeps the unfinished tail for later."""
        data = bytes(data)
        self.bytes_received += len(data)
        frames: list[DecodedFrame] = []
        start = 0
        while True:
            end = data.find(0, start)
            if end < 0:
                self._keep(data[start:])
                return frames
            if self._overflowed:
                self.discarded_bytes += end - start
                self._overflowed = False
                self.bad_frames += self._synced
            else:
                chunk = bytes(self._pending) + data[start:end] if self._pending else data[start:end]
                self._pending.clear()
                if chunk:
                    self._chunk(chunk, frames)
            self._synced = True
            start = end + 1

    def resync(self) -> None:
        """Forget the unfinished frame (the link was interrupted), as at the start of a stream.

        The bytes up to the next 0x00 are used only if they form a good frame. Sequence numbers
        keep counting: frames lost meanwhile count as sequence gaps.
        """
        self.discarded_bytes += len(self._pending)
        self._pending.clear()
        self._overflowed = False
        self._synced = False

    def _keep(self, tail: bytes) -> None:
        if self._overflowed:
            self.discarded_bytes += len(tail)
            return
        if len(self._pending) + len(tail) > MAX_ENCODED_FRAME:
            self.discarded_bytes += len(self._pending) + len(tail)
            self._pending.clear()
            self._overflowed = True
            return
        self._pending += tail

    def _chunk(self, chunk: bytes, frames: list[DecodedFrame]) -> None:
        try:
            seq, message = decode_frame(chunk)
        except ProtocolError as exc:
            self.discarded_bytes += len(chunk)
            if isinstance(exc, _ValidFrameError):
                self._track_seq(exc.seq)
                self.bad_frames += 1
            elif self._synced:
                self.bad_frames += 1
            return
        self._track_seq(seq)
        self.frames_ok += 1
        frames.append(DecodedFrame(seq, message))

    def _track_seq(self, seq: int) -> None:
        """Count missing frames; a step back or a jump of >= 32768 is a restart, not a gap."""
        if self._last_seq is not None:
            step = (seq - self._last_seq) & 0xFFFF
            if 0 < step < 0x8000:
                self.seq_gaps += step - 1
        self._last_seq = seq
