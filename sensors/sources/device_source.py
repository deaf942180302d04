"""A Source made of a byte transport and a streaming decoder (hipthrust wire or WitMotion).

On connect it opens the transport, sends START at the latest requested rate (GET_INFO if the
user stopped the stream) and waits for the first decoded frame, so a device that never answers
fails with advice instead of hanging. While streaming, no decoded frame for
``stall_timeout_s`` seconds counts as a lost connection; a stopped stream is not a stall.
"""

from __future__ import annotations

import asyncio
from typing import Protocol

from sensors.device import LinkCounters
from sensors.errors import ConnectionFailedError, ConnectionLostError
from sensors.protocol import GetInfoCommand, StartCommand, StopCommand
from sensors.samples import SampleBlock
from sensors.sources.base import ByteTransport, HostCommand, Source


class StreamDecoder(Protocol):
    """What DeviceSource needs from a decoder (WireDeviceDecoder, WitMotionDecoder)."""

    def feed(self, data: bytes) -> SampleBlock: ...
    def counters(self) -> LinkCounters: ...
    def mark_reconnect(self) -> None: ...
    def command_bytes(self, command: object) -> bytes: ...


class DeviceSource(Source):
    """Samples from ``transport`` decoded by ``decoder``; ``hint`` says what to check."""

    def __init__(
        self,
        uri: str,
        transport: ByteTransport,
        decoder: StreamDecoder,
        *,
        start_rate_hz: int | None,
        hint: str,
        answer_timeout_s: float = 3.0,
        stall_timeout_s: float = 3.0,
    ):
        self.uri = uri
        self.transport = transport
        self.decoder = decoder
        self.start_rate_hz = start_rate_hz
        self.hint = hint
        self.answer_timeout_s = answer_timeout_s
        self.stall_timeout_s = stall_timeout_s
        self._streaming = True
        """False after the user sent STOP, until the next START."""
        self._pending: list[SampleBlock] = []
        self._last_frame_time = 0.0
        self._frames_seen = 0

    async def connect(self) -> str:
        description = await self.transport.open()
        try:
            if not self._streaming:
                await self.transport.write(self.decoder.command_bytes(GetInfoCommand()))
            elif self.start_rate_hz is not None:
                await self.send(StartCommand(self.start_rate_hz))
            await self._await_first_frame(description)
        except (ConnectionLostError, ConnectionFailedError) as exc:
            await self.transport.close()
            raise ConnectionFailedError(str(exc)) from exc
        info = getattr(self.decoder, "info", None)  # INFO answers START on hipthrust boards
        if info is not None:
            version = ".".join(map(str, info.fw_version))
            description += f": {info.model} {version}, id {info.device_id_hex}, {info.rate_hz} Hz"
        return description

    async def _await_first_frame(self, description: str) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.answer_timeout_s
        start_frames = self.decoder.counters().frames_ok
        while self.decoder.counters().frames_ok == start_frames:
            if loop.time() > deadline:
                raise ConnectionFailedError(
                    f"{description} opened but sent nothing we understand within "
                    f"{self.answer_timeout_s:g} s: {self.hint}"
                )
            data = await self.transport.read()
            if data is None:
                raise ConnectionFailedError(f"{description} ended before sending any data")
            block = self.decoder.feed(data)
            if len(block):
                self._pending.append(block)
        self._frames_seen = self.decoder.counters().frames_ok
        self._last_frame_time = loop.time()

    async def read(self) -> SampleBlock | None:
        if self._pending:
            block = SampleBlock.concat(self._pending)
            self._pending.clear()
            return block
        data = await self.transport.read()
        if data is None:
            return None
        block = self.decoder.feed(data) if data else SampleBlock.empty()
        loop = asyncio.get_running_loop()
        frames = self.decoder.counters().frames_ok
        if frames != self._frames_seen:
            self._frames_seen = frames
            self._last_frame_time = loop.time()
        elif self._streaming and loop.time() - self._last_frame_time > self.stall_timeout_s:
            raise ConnectionLostError(
                f"no data from the device for {self.stall_timeout_s:g} s: {self.hint}"
            )
        return block

    async def send(self, command: HostCommand) -> None:
        """Write a command; START (a new rate) is remembered for reconnects, STOP pauses."""
        await self.transport.write(self.decoder.command_bytes(command))
        if isinstance(command, StartCommand):
            self.start_rate_hz = command.rate_hz
            self._streaming = True
            self._last_frame_time = asyncio.get_running_loop().time()
        elif isinstance(command, StopCommand):
            self._streaming = False

    async def disconnect(self) -> None:
        self._pending.clear()
        await self.transport.close()

    def counters(self) -> LinkCounters:
        return self.decoder.counters()

    def mark_reconnect(self) -> None:
        self.decoder.mark_reconnect()
