"""Keeps one source connected and reports what happens, as blocks and link events, in order.

``run_link`` connects, reads until the end, and on a lost connection disconnects, marks the
gap and retries with capped exponential backoff (one retry pending at a time) while
``keep_connected``. Every outcome reaches ``emit``: SampleBlocks and Connecting, Connected,
ConnectionLost, Reconnected, ConnectionFailed, Closed (always last). It never raises:
errors of a source, even unexpected ones, become link events.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from sensors.errors import SensorError
from sensors.events import (
    Closed,
    Connected,
    Connecting,
    ConnectionFailed,
    ConnectionLost,
    LinkEvent,
    Reconnected,
)
from sensors.samples import SampleBlock
from sensors.sources.base import Source
from sensors.sources.reconnect import Backoff, ReconnectPolicy, Sleep

Emit = Callable[[SampleBlock | LinkEvent], None]


async def run_link(
    source: Source,
    emit: Emit,
    *,
    keep_connected: bool = True,
    policy: ReconnectPolicy | None = None,
    sleep: Sleep = asyncio.sleep,
) -> None:
    """Drive ``source`` until its end, a final failure, or cancellation (then Closed)."""
    backoff = Backoff(policy, sleep=sleep)
    uri = source.uri
    attempt = 0
    connected_once = False
    try:
        while True:
            attempt += 1
            emit(Connecting(uri, attempt))
            try:
                description = await source.connect()
            except Exception as exc:  # SensorError with advice, or a bug in a source
                await source.disconnect()
                first_try_over = not connected_once and attempt >= backoff.policy.initial_attempts
                if first_try_over or not keep_connected or backoff.exhausted():
                    emit(ConnectionFailed(uri, _reason(exc)))
                    return
                await backoff.wait()
                continue
            emit(Reconnected(uri, description) if connected_once else Connected(uri, description))
            connected_once = True
            reason = await _pump(source, emit, backoff)
            await source.disconnect()
            if reason is None:
                return
            emit(ConnectionLost(uri, reason))
            if not (keep_connected and source.reconnectable) or backoff.exhausted():
                return
            source.mark_reconnect()
            await backoff.wait()
    finally:
        await source.disconnect()
        emit(Closed(uri))


async def _pump(source: Source, emit: Emit, backoff: Backoff) -> str | None:
    """Read until the end (None) or a lost link (its reason in words)."""
    try:
        while True:
            block = await source.read()
            if block is None:
                return None
            if len(block):
                backoff.reset()
                emit(block)
    except Exception as exc:  # ConnectionLostError, or a bug in a source: never a crash
        return _reason(exc)


def _reason(exc: Exception) -> str:
    """Words for the user: a SensorError's own advice, else the unexpected error named."""
    return str(exc) if isinstance(exc, SensorError) else f"unexpected error: {exc!r}"
