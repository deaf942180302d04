"""The runner: nothing lost at 1000 Hz faster than real time, bounded buffers, commands."""

from __future__ import annotations

import os
import threading
import time

import numpy as np
import pytest

from sensors.errors import InputError
from sensors.events import Closed, Connected, ConnectionLost
from sensors.pipeline import MotionTrace, PipelineOutput
from sensors.protocol import IdentifyCommand, StartCommand, StopCommand
from sensors.runner import Runner
from sensors.samples import SampleBlock
from sensors.simulator import PRESETS, simulate
from sensors.sources import open_source

TEN_MINUTES_AT_1000HZ = 600_000
TOUCH_AND_GO_SAMPLES = len(simulate(PRESETS["touch_and_go"]).block)


def drain_until(runner: Runner, until, deadline_s: float = 60.0) -> None:
    """Call ``until(batch)`` on every drained batch until it returns True (or the deadline,
    which only guards against hanging)."""
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        if until(runner.drain()):
            return
        time.sleep(0.002)
    raise AssertionError("the runner did not deliver in time")


def resident_bytes() -> int:
    """This process's resident memory (Linux /proc), bytes."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.slow
@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="reads Linux /proc")
def test_ten_minutes_at_1000hz_lose_nothing_with_flat_memory():
    runner = Runner("sim://fast_1000hz?loop=1&speed=max", capacity_samples=200_000)
    state = {"n": 0, "last_t": -1.0, "bad_steps": 0, "gaps": 0, "dropped": 0, "mem": []}

    def consume(batch) -> bool:
        for block in batch.blocks:
            if not len(block):
                continue
            steps = np.diff(np.concatenate([[state["last_t"]], block.t]))
            state["bad_steps"] += int(
                np.sum(np.abs(steps[1 if state["n"] == 0 else 0 :] - 1e-3) > 1e-7)
            )
            state["gaps"] += int(block.gap.sum())
            state["last_t"] = float(block.t[-1])
            state["n"] += len(block)
        state["dropped"] = batch.dropped_by_runner
        if state["n"] >= 60_000 and not state["mem"]:
            state["mem"].append(resident_bytes())
        return state["n"] >= TEN_MINUTES_AT_1000HZ

    runner.start()
    try:
        drain_until(runner, consume)
        grown = resident_bytes() - state["mem"][0]
    finally:
        runner.stop()
    assert state["n"] >= TEN_MINUTES_AT_1000HZ
    assert state["dropped"] == 0
    assert state["bad_steps"] == 0 and state["gaps"] == 0  # every millisecond is there
    assert state["last_t"] == pytest.approx((state["n"] - 1) * 1e-3)
    # keeping every block would add 34 MB of samples alone; a bounded runner stays flat
    assert grown < 8_000_000, f"memory grew by {grown} bytes over 9 minutes of stream"


def test_buffer_is_bounded_and_drops_are_counted():
    runner = Runner("sim://touch_and_go?speed=max", capacity_samples=1000)
    runner.start()
    end = time.monotonic() + 30
    while not runner.finished and time.monotonic() < end:
        time.sleep(0.01)
    batch = runner.drain()
    runner.stop()
    total = runner.source.counters()
    assert batch.sample_count <= 1000 + 40
    assert batch.dropped_by_runner > 0
    assert batch.sample_count + batch.dropped_by_runner == TOUCH_AND_GO_SAMPLES
    assert isinstance(batch.events[-1], Closed)
    assert total.frames_ok > 0


class RecordingPipeline:
    """A stand-in LivePipeline that notes which thread calls it."""

    def __init__(self, fail_on_call: int | None = None):
        self.threads: set[str] = set()
        self.hold_targets: list[float | None] = []
        self.calls = 0
        self.fail_on_call = fail_on_call
        self.finished = 0

    def process(self, block: SampleBlock) -> PipelineOutput:
        self.threads.add(threading.current_thread().name)
        self.calls += 1
        if self.calls == self.fail_on_call:
            raise ValueError("a bug in the analysis")
        n = len(block)
        z = np.zeros(n)
        return PipelineOutput(MotionTrace(block.t, z, z, z, z, np.zeros(n, bool)), [])

    def finish(self) -> PipelineOutput:
        self.finished += 1
        return PipelineOutput(MotionTrace.empty(), [])

    def set_hold_target(self, seconds: float | None) -> None:
        self.threads.add(threading.current_thread().name)
        self.hold_targets.append(seconds)


def test_pipeline_runs_on_the_worker_and_a_failure_keeps_the_stream():
    pipeline = RecordingPipeline(fail_on_call=2)
    runner = Runner("sim://touch_and_go?speed=max", pipeline=pipeline)
    runner.start()
    runner.set_hold_target(3.0)
    blocks, traces, errors, events = [], [], [], []

    def take(batch) -> bool:
        blocks.extend(batch.blocks)
        traces.extend(batch.traces)
        errors.extend(batch.errors)
        events.extend(batch.events)
        return batch.finished

    drain_until(runner, take)
    runner.stop()
    take(runner.drain())
    assert pipeline.threads == {"hipthrust-runner"}
    assert pipeline.hold_targets == [3.0]
    assert pipeline.finished == 1
    assert any("a bug in the analysis" in e for e in errors)
    assert sum(map(len, blocks)) == TOUCH_AND_GO_SAMPLES
    assert len(traces) == len(blocks) - 1  # the failed block keeps its samples, has no trace
    assert isinstance(events[1], Connected) and isinstance(events[-1], Closed)


def test_commands_reach_the_device_and_refusals_are_reported():
    source = open_source("sim://touch_and_go?speed=1")
    runner = Runner(source)
    runner.send(IdentifyCommand(2))  # not started yet
    assert "has not been started" in runner.drain().errors[0]
    runner.start()
    drain_until(runner, lambda b: any(isinstance(e, Connected) for e in b.events))
    runner.send(IdentifyCommand(2))
    runner.send(StopCommand())
    drain_until(runner, lambda b: len(source.decoder.acks) >= 3)
    runner.stop()
    acked = [a.command_type for a in source.decoder.acks]
    assert acked[-2:] == [IdentifyCommand.frame_type, StopCommand.frame_type]


def test_a_stopped_stream_is_not_a_lost_connection():
    source = open_source("sim://touch_and_go?speed=1", stall_timeout_s=0.1)
    runner = Runner(source)
    runner.start()
    events: list = []
    drain_until(runner, lambda b: events.extend(b.events) or b.sample_count > 0)
    runner.send(StopCommand())
    drain_until(runner, lambda b: events.extend(b.events) or source.decoder.acks)
    time.sleep(0.5)  # several stall timeouts without data
    events += runner.drain().events
    runner.send(StartCommand(200))
    drain_until(runner, lambda b: events.extend(b.events) or b.sample_count > 0)
    runner.stop()
    assert not any(isinstance(e, ConnectionLost) for e in events)


def test_replay_refuses_commands_and_unknown_uris_fail_early(tmp_path):
    from sensors.recording_csv import write_csv

    t = np.arange(100) / 200
    path = tmp_path / "rec.csv"
    write_csv(path, SampleBlock.from_arrays(t, np.tile([0, 0, 9.8], (100, 1)), np.zeros((100, 3))))
    runner = Runner(f"replay://{path}?speed=1")  # half a second: still playing for the command
    runner.start()
    runner.send(StopCommand())
    blocks, errors = [], []
    drain_until(runner, lambda b: blocks.extend(b.blocks) or errors.extend(b.errors) or b.finished)
    runner.stop()
    blocks.extend(runner.drain().blocks)
    assert sum(map(len, blocks)) == 100
    assert any("takes no commands" in e for e in errors)
    with pytest.raises(InputError, match="unknown source"):
        Runner("nope://x")
