"""``replay://PATH.csv?speed=1``: a recording played through the Source interface.

Samples are delivered in device-time order at 1x, 2x, 4x (any factor) or ``speed=max``; the
recording's own gap markers are kept. A replay has no device: it takes no commands and is
never reconnected. Reads the CSV format of docs/formats.md (sensors.recording_csv).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from sensors.device import LinkCounters
from sensors.errors import InputError
from sensors.recording_csv import read_csv
from sensors.samples import SampleBlock
from sensors.sources.base import Source
from sensors.sources.pacing import Pacer
from sensors.sources.uri import SourceUri

MAX_BLOCK_SAMPLES = 2000
"""Samples per block at max speed."""


class ReplaySource(Source):
    """Plays ``block`` paced by ``pacer``."""

    reconnectable = False

    def __init__(self, uri: str, block: SampleBlock, pacer: Pacer, description: str):
        self.uri = uri
        self.block = block
        self.pacer = pacer
        self.description = description
        self._next = 0

    async def connect(self) -> str:
        return self.description

    async def read(self) -> SampleBlock | None:
        if self._next >= len(self.block):
            return None
        due = self.pacer.due_s()
        if due is None:
            end = min(self._next + MAX_BLOCK_SAMPLES, len(self.block))
        else:
            end = int(np.searchsorted(self.block.t, self.block.t[0] + due, side="right"))
        chunk = self.block[self._next : end]
        self._next = max(self._next, end)
        await self.pacer.idle()
        return chunk

    async def disconnect(self) -> None:
        return None

    def counters(self) -> LinkCounters:
        """A recording has no link: all counters stay at zero."""
        return LinkCounters()


def open_replay(uri: SourceUri, **options: Any) -> ReplaySource:
    """``replay://PATH?speed=1|2|4|max``: the CSV recording at PATH."""
    uri.check_keys(("speed",))
    if not uri.target:
        raise InputError(f"{uri.text}: name the recording, e.g. replay://session.csv?speed=2")
    block = read_csv(Path(uri.target).expanduser())
    if not len(block):
        raise InputError(f"{uri.target} holds no samples: nothing to replay")
    clock = options.pop("clock", None)
    pacer = Pacer(uri.get_speed(), **({"clock": clock} if clock else {}))
    speed = "max speed" if pacer.speed is None else f"{pacer.speed:g}x"
    return ReplaySource(uri.text, block, pacer, f"recording {uri.target} at {speed}")
