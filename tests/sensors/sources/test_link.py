"""run_link: the order of link events, retries, give-up rules and cancellation."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest

from sensors.device import LinkCounters
from sensors.errors import ConnectionFailedError, ConnectionLostError
from sensors.events import (
    Closed,
    Connected,
    Connecting,
    ConnectionFailed,
    ConnectionLost,
    Reconnected,
)
from sensors.recording_csv import write_csv
from sensors.samples import SampleBlock
from sensors.sources import ReconnectPolicy, open_source, run_link
from sensors.sources.base import Source

BLOCK = SampleBlock.from_arrays(np.arange(3.0), np.zeros((3, 3)), np.zeros((3, 3)))
LOST = ConnectionLostError("unplugged")


class ScriptedSource(Source):
    """Each connect takes the next outcome; each connection reads its own script."""

    def __init__(self, connects: list, reads: list[list]):
        self.uri = "test://scripted"
        self.connects = list(connects)
        self.reads = list(reads)
        self.script: list = []
        self.disconnects = 0
        self.reconnect_marks = 0

    async def connect(self) -> str:
        outcome = self.connects.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        self.script = self.reads.pop(0)
        return outcome

    async def read(self):
        if not self.script:
            await asyncio.sleep(3600)  # a live device with nothing more to say
        item = self.script.pop(0)
        if isinstance(item, Exception):
            raise item
        return item

    async def disconnect(self) -> None:
        self.disconnects += 1

    def counters(self) -> LinkCounters:
        return LinkCounters()

    def mark_reconnect(self) -> None:
        self.reconnect_marks += 1


def drive(source: Source, **kwargs):
    items: list = []
    slept: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        slept.append(seconds)

    asyncio.run(run_link(source, items.append, sleep=fake_sleep, **kwargs))
    return [type(i) for i in items], slept, items


def test_end_of_recording():
    kinds, slept, _ = drive(ScriptedSource(["rec"], [[BLOCK, None]]))
    assert kinds == [Connecting, Connected, SampleBlock, Closed]
    assert slept == []


def test_loss_without_keep_connected_closes():
    source = ScriptedSource(["dev"], [[BLOCK, LOST]])
    kinds, slept, items = drive(source, keep_connected=False)
    assert kinds == [Connecting, Connected, SampleBlock, ConnectionLost, Closed]
    assert items[3].reason == "unplugged" and source.disconnects >= 1 and slept == []


def test_retries_back_off_then_give_up():
    refused = ConnectionFailedError("not there")
    source = ScriptedSource(["dev", refused, refused], [[BLOCK, LOST]])
    kinds, slept, items = drive(source, policy=ReconnectPolicy(max_retries=2))
    assert kinds == [
        Connecting, Connected, SampleBlock, ConnectionLost,
        Connecting, Connecting, ConnectionFailed, Closed,
    ]  # fmt: skip
    assert slept == [0.5, 1.0]
    assert items[-2].reason == "not there"
    assert source.reconnect_marks == 1


def test_reconnect_after_data_resets_the_backoff():
    refused = ConnectionFailedError("not there")
    source = ScriptedSource(
        ["dev", refused, "dev", "dev"], [[BLOCK, LOST], [BLOCK, LOST], [BLOCK, None]]
    )
    kinds, slept, _ = drive(source)
    assert kinds.count(Reconnected) == 2 and kinds[-1] is Closed
    assert slept == [0.5, 1.0, 0.5]
    assert source.reconnect_marks == 2


def test_a_bug_in_a_source_is_a_lost_connection_not_a_crash():
    source = ScriptedSource(["dev", ValueError("bad index")], [[BLOCK, ValueError("oops")]])
    kinds, _, items = drive(source, policy=ReconnectPolicy(max_retries=1))
    assert kinds == [
        Connecting, Connected, SampleBlock, ConnectionLost, Connecting, ConnectionFailed, Closed,
    ]  # fmt: skip
    assert "unexpected error: ValueError('oops')" in items[3].reason
    assert "bad index" in items[-2].reason


def test_first_connection_fails_at_once():
    source = ScriptedSource([ConnectionFailedError("no such port")], [])
    kinds, slept, _ = drive(source)
    assert kinds == [Connecting, ConnectionFailed, Closed] and slept == []


def test_cancel_closes_and_disconnects():
    source = ScriptedSource(["dev"], [[BLOCK]])
    items: list = []

    async def main() -> None:
        task = asyncio.ensure_future(run_link(source, items.append))
        while not any(isinstance(i, SampleBlock) for i in items):
            await asyncio.sleep(0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(main())
    assert isinstance(items[-1], Closed) and source.disconnects >= 1


def test_replay_paces_by_the_clock(tmp_path):
    t = np.arange(1000) / 100.0  # 10 s at 100 Hz
    write_csv(
        tmp_path / "r.csv", SampleBlock.from_arrays(t, np.zeros((1000, 3)), np.zeros((1000, 3)))
    )
    now = [0.0]
    source = open_source(f"replay://{tmp_path / 'r.csv'}?speed=2", clock=lambda: now[0])

    async def main() -> list[int]:
        await source.connect()
        sizes = [len(await source.read())]  # t=0: the first sample is due
        now[0] = 1.0  # one second later at 2x: device time 2 s is due
        sizes.append(len(await source.read()))
        now[0] = 100.0
        sizes.append(len(await source.read()))
        sizes.append(await source.read())
        return sizes

    assert asyncio.run(main()) == [1, 200, 799, None]
