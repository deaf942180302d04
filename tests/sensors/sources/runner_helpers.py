"""Test helper: run a Runner until a condition, then stop it and collect everything."""

from __future__ import annotations

import time

from sensors.runner import Runner
from sensors.samples import SampleBlock


def collect(runner: Runner, until=lambda n, e, c: False, deadline_s: float = 30.0):
    """Drain until ``until(samples, events, counters)`` or the end; returns (block, events,
    counters, traces). The deadline only guards against hanging; nothing asserts time."""
    blocks, events, traces = [], [], []
    end = time.monotonic() + deadline_s
    runner.start()
    while time.monotonic() < end:
        batch = runner.drain()
        blocks += batch.blocks
        events += batch.events
        traces += batch.traces
        if batch.finished or until(sum(map(len, blocks)), events, batch.counters):
            break
        time.sleep(0.005)
    runner.stop()
    last = runner.drain()
    block = SampleBlock.concat(blocks + last.blocks)
    return block, events + last.events, last.counters, traces + last.traces
