"""From the bytes of one hipthrust device to SampleBlocks (docs/protocol.md, "Host timeline").

``WireDeviceDecoder.feed(bytes) -> SampleBlock``: SI units, device time unwrapped from u32
microseconds to float64 seconds, ``gap`` set after missing samples or a reconnect. It keeps the
latest INFO and STATUS, the recent ACKs, and link counters; it never raises on bad bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sensors.errors import InputError
from sensors.protocol import (
    BATTERY_UNKNOWN,
    HOST_COMMANDS,
    AckFrame,
    FrameDecoder,
    InfoFrame,
    Message,
    SamplesFrame,
    StatusFrame,
    acc_lsb_mps2,
    encode_frame,
    gyro_lsb_rads,
)
from sensors.samples import SampleBlock

_U32 = 1 << 32
MAX_ACKS_KEPT = 32
"""WireDeviceDecoder.acks keeps only the most recent ACKs."""


@dataclass
class LinkCounters:
    """Health of one device link; plain values, safe to copy and hand to another thread.

    ``dropped_samples`` counts samples missing from the host timeline (timestamp jumps);
    ``battery_pct`` is the latest known charge (INFO or STATUS), None if unknown.
    """

    bytes_received: int = 0
    frames_ok: int = 0
    bad_frames: int = 0
    seq_gaps: int = 0
    dropped_samples: int = 0
    reconnects: int = 0
    battery_pct: int | None = None


class WireDeviceDecoder:
    """Decoder for one device's byte stream; feed it bytes in any chunking."""

    def __init__(self) -> None:
        self._framer = FrameDecoder()
        self.info: InfoFrame | None = None
        self.status: StatusFrame | None = None
        self.acks: list[AckFrame] = []
        self._battery_pct: int | None = None
        self._host_seq = 0
        self._last_raw_us: int | None = None  # u32 device time of the last sample delivered
        self._last_us = 0  # the same time, unwrapped
        self._last_period_us = 0
        self._gap_next = False
        self._dropped_samples = 0
        self._reconnects = 0

    def feed(self, data: bytes) -> SampleBlock:
        """The samples completed by ``data`` (possibly none), in SI units."""
        frames: list[tuple[int, bool, SamplesFrame]] = []
        for decoded in self._framer.feed(data):
            message = decoded.message
            if isinstance(message, SamplesFrame):
                frames.append((*self._place(message), message))
            elif isinstance(message, InfoFrame):
                self.info = message
                self._note_battery(message.battery_pct)
            elif isinstance(message, StatusFrame):
                self.status = message
                self._note_battery(message.battery_pct)
            elif isinstance(message, AckFrame):
                self.acks.append(message)
                del self.acks[:-MAX_ACKS_KEPT]
        return _to_block(frames)

    def counters(self) -> LinkCounters:
        """A snapshot of the link counters."""
        framer = self._framer
        return LinkCounters(
            bytes_received=framer.bytes_received,
            frames_ok=framer.frames_ok,
            bad_frames=framer.bad_frames,
            seq_gaps=framer.seq_gaps,
            dropped_samples=self._dropped_samples,
            reconnects=self._reconnects,
            battery_pct=self._battery_pct,
        )

    def mark_reconnect(self) -> None:
        """The link was re-established: drop any half frame; the next sample starts a gap.

        Its time is kept strictly after the last sample delivered (a device that restarted
        meanwhile is never stitched backwards).
        """
        self._framer.resync()
        self._gap_next = True
        self._reconnects += 1

    def command_bytes(self, command: Message) -> bytes:
        """Wire bytes for a host command, numbered with the host's own sequence counter."""
        if not isinstance(command, HOST_COMMANDS):
            raise InputError(
                f"{type(command).__name__} is not a host command; "
                "use StartCommand, StopCommand, GetInfoCommand or IdentifyCommand"
            )
        wire = encode_frame(command, self._host_seq)
        self._host_seq = (self._host_seq + 1) & 0xFFFF
        return wire

    def _note_battery(self, battery_pct: int) -> None:
        self._battery_pct = None if battery_pct == BATTERY_UNKNOWN else battery_pct

    def _place(self, frame: SamplesFrame) -> tuple[int, bool]:
        """Unwrapped time of the frame's first sample (us) and whether a gap precedes it."""
        period = frame.period_us
        gap = self._gap_next
        if self._last_raw_us is None:
            t0 = frame.t0_us
        else:
            step = (frame.t0_us - self._last_raw_us) % _U32
            if step >= _U32 // 2 or 2 * step < min(period, self._last_period_us):
                # earlier than the next sample could be: the device restarted its clock
                t0 = self._last_us + period
                gap = True
            else:
                t0 = self._last_us + step
                if 2 * step > 3 * period:
                    self._dropped_samples += (2 * step + period) // (2 * period) - 1
                    gap = True
        self._gap_next = False
        span = (frame.count - 1) * period
        self._last_us = t0 + span
        self._last_raw_us = (frame.t0_us + span) % _U32
        self._last_period_us = period
        return t0, gap


def _to_block(frames: list[tuple[int, bool, SamplesFrame]]) -> SampleBlock:
    """Join placed SAMPLES frames into one block, vectorised over samples."""
    if not frames:
        return SampleBlock.empty()
    counts = np.array([f.count for _, _, f in frames])
    first = np.cumsum(counts) - counts
    index_in_frame = np.arange(int(counts.sum())) - np.repeat(first, counts)
    t0_us = np.repeat(np.array([t0 for t0, _, _ in frames], dtype=np.int64), counts)
    period_us = np.repeat(np.array([f.period_us for _, _, f in frames], dtype=np.int64), counts)
    t = (t0_us + index_in_frame * period_us) * 1e-6
    raw = np.concatenate([f.raw for _, _, f in frames]).astype(np.float64)
    acc_lsb = np.repeat([acc_lsb_mps2(f.acc_range_g) for _, _, f in frames], counts)
    gyr_lsb = np.repeat([gyro_lsb_rads(f.gyro_range_dps) for _, _, f in frames], counts)
    gap = np.zeros(t.shape[0], dtype=bool)
    gap[first[np.array([g for _, g, _ in frames], dtype=bool)]] = True
    return SampleBlock(t, raw[:, :3] * acc_lsb[:, None], raw[:, 3:] * gyr_lsb[:, None], gap)
