"""Runs a source and the analysis off the caller's thread; the caller polls ``drain()``.

One asyncio loop on one worker thread for the Runner's life (bleak needs a loop; reconnects
reuse it). Blocks, motion traces and events go to bounded buffers: when the consumer falls
behind, the oldest blocks are dropped and counted, never an unbounded list. Device time is the
timeline; the host time a block arrived (time.perf_counter, s) is kept for latency figures.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from sensors.device import LinkCounters
from sensors.errors import ConnectionFailedError, InputError, SensorError
from sensors.events import Closed, ConnectionFailed, LinkEvent
from sensors.samples import SampleBlock
from sensors.sources.base import HostCommand, Source
from sensors.sources.link import run_link
from sensors.sources.reconnect import ReconnectPolicy
from sensors.sources.registry import open_source

DEFAULT_CAPACITY_SAMPLES = 120_000
"""Samples held for the consumer: two minutes at 1000 Hz, ten at 200 Hz."""
MAX_EVENTS = 10_000


@dataclass(slots=True)
class RunnerBatch:
    """Everything produced since the last drain, in order.

    ``blocks[i]`` arrived at host time ``receive_times[i]`` (perf_counter seconds); with a
    pipeline, ``traces`` hold their live motion in the same order (none for a block the
    analysis failed on) and ``refined`` the drift-corrected motion of earlier samples that the
    analysis released meanwhile (to redraw them). ``events`` interleaves analysis and link
    events in the order they happened.
    ``errors`` are refused commands and analysis failures, in words. ``dropped_by_runner`` and
    ``dropped_events`` count since start; ``counters`` is the link's latest snapshot.
    """

    blocks: list[SampleBlock] = field(default_factory=list)
    traces: list[Any] = field(default_factory=list)
    refined: list[Any] = field(default_factory=list)
    events: list[Any] = field(default_factory=list)
    receive_times: list[float] = field(default_factory=list)
    counters: LinkCounters = field(default_factory=LinkCounters)
    dropped_by_runner: int = 0
    dropped_events: int = 0
    errors: list[str] = field(default_factory=list)
    finished: bool = False
    """True once the source is closed for good (end of recording, failure, stop)."""

    @property
    def sample_count(self) -> int:
        return sum(len(b) for b in self.blocks)


class Runner:
    """Drives one source (a URI or a Source) and an optional LivePipeline on a worker thread.

    Thread-safe: ``start``, ``stop``, ``send``, ``set_hold_target`` and ``drain`` may be called
    from any thread and never wait for the device (``stop`` waits for the worker to close it,
    at most ``timeout_s``). One run per Runner: make a new one to connect again.
    ``capacity_samples`` bounds what waits for ``drain``; ``dropped_by_runner`` counts samples
    thrown away because it was full.
    """

    def __init__(
        self,
        source: str | Source,
        *,
        pipeline: Any = None,
        keep_connected: bool = True,
        capacity_samples: int = DEFAULT_CAPACITY_SAMPLES,
        policy: ReconnectPolicy | None = None,
    ):
        self.source = open_source(source) if isinstance(source, str) else source
        self.pipeline = pipeline
        self.keep_connected = keep_connected
        self.capacity_samples = capacity_samples
        self.policy = policy
        self._lock = threading.Lock()
        self._blocks: deque[tuple[SampleBlock, Any, float]] = deque()
        self._buffered = 0
        self._events: deque[Any] = deque(maxlen=MAX_EVENTS)
        self._errors: deque[str] = deque(maxlen=100)
        self._dropped = 0
        self._dropped_events = 0
        self._finished = False
        self._state: LinkEvent | None = None
        self._counters = LinkCounters()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()

    @property
    def uri(self) -> str:
        return self.source.uri

    @property
    def state(self) -> LinkEvent | None:
        """The latest link event (Connecting, Connected, ..., Closed), None before start."""
        return self._state

    @property
    def finished(self) -> bool:
        """True once the source is closed for good; drain() still returns what is left."""
        return self._finished

    def start(self) -> None:
        """Start the worker thread and connect; does nothing if already started."""
        if self._thread is not None:
            return
        self._thread = threading.Thread(
            target=self._thread_main, name="hipthrust-runner", daemon=True
        )
        self._thread.start()
        self._ready.wait()

    def stop(self, timeout_s: float = 5.0) -> None:
        """Close the source, flush the analysis and end the thread (waits up to ``timeout_s``)."""
        loop, task = self._loop, self._task
        if loop is not None and task is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile: finished
                loop.call_soon_threadsafe(task.cancel)
        if self._thread is not None:
            self._thread.join(timeout_s)

    def send(self, command: HostCommand) -> None:
        """Queue a command for the device (start/rate, stop, identify); refusals go to errors."""
        self._call_soon(lambda: asyncio.ensure_future(self._send(command)))

    def set_hold_target(self, seconds: float | None) -> None:
        """Forward the hold target (s, None = no target) to the pipeline on its own thread."""
        if self.pipeline is not None:
            self._call_soon(lambda: self.pipeline.set_hold_target(seconds))

    def drain(self) -> RunnerBatch:
        """Take everything produced since the last call (never blocks on the device)."""
        with self._lock:
            items, self._blocks = self._blocks, deque()
            events = list(self._events)
            self._events.clear()
            batch = RunnerBatch(
                blocks=[b for b, _, _ in items],
                traces=[out.trace for _, out, _ in items if out is not None],
                refined=[
                    out.refined for _, out, _ in items if out is not None and len(out.refined)
                ],
                events=events,
                receive_times=[t for _, _, t in items],
                counters=self._counters,
                dropped_by_runner=self._dropped,
                dropped_events=self._dropped_events,
                errors=list(self._errors),
                finished=self._finished,
            )
            self._errors.clear()
            self._buffered = 0
        return batch

    def _call_soon(self, callback: Any) -> None:
        loop = self._loop
        try:
            if loop is None or loop.is_closed():
                raise RuntimeError
            loop.call_soon_threadsafe(callback)
        except RuntimeError:
            why = "has not been started" if self._thread is None else "is closed"
            with self._lock:
                self._errors.append(f"{self.uri} {why}: connect it first")

    async def _send(self, command: HostCommand) -> None:
        try:
            await self.source.send(command)
        except SensorError as exc:
            with self._lock:
                self._errors.append(str(exc))

    def _thread_main(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            self._task = loop.create_task(self._main())
            self._ready.set()
            loop.run_until_complete(self._task)
        except asyncio.CancelledError:
            pass
        finally:
            self._ready.set()
            loop.run_until_complete(loop.shutdown_default_executor())
            loop.close()
            with self._lock:
                self._finished = True

    async def _main(self) -> None:
        try:
            await run_link(
                self.source, self._emit, keep_connected=self.keep_connected, policy=self.policy
            )
        except asyncio.CancelledError:
            pass
        except Exception as exc:  # a bug in the analysis hand-off must not take the app down
            if not isinstance(self._state, Closed):
                self._emit(ConnectionFailed(self.uri, f"unexpected error: {exc!r}"))
                self._emit(Closed(self.uri))

    def _emit(self, item: SampleBlock | LinkEvent) -> None:
        """Called on the loop thread by run_link for every block and link event."""
        counters = self.source.counters()
        with self._lock:
            self._counters = counters
        if isinstance(item, SampleBlock):
            received = time.perf_counter()
            if self.pipeline is None:
                self._push_block(item, None, received)
            else:
                self._analyse(lambda: self.pipeline.process(item), (item, received))
            return
        if isinstance(item, Closed) and self.pipeline is not None:
            self._analyse(self.pipeline.finish, None)  # a pending rep or set ends here
        self._state = item
        self._push_event(item)

    def _analyse(self, step: Any, block: tuple[SampleBlock, float] | None) -> None:
        """Run one pipeline step; its events go out after the block they belong to."""
        try:
            out = step()
        except Exception as exc:  # an analysis failure must not stop the stream
            with self._lock:
                self._errors.append(f"analysis failed on a block, samples kept: {exc!r}")
            out = None
        if block is not None:
            self._push_block(block[0], out, block[1])
        for event in [] if out is None else out.events:
            self._push_event(event)

    def _push_block(self, block: SampleBlock, output: Any, received: float) -> None:
        """Queue a block with its pipeline output (None without analysis or on failure)."""
        with self._lock:
            self._blocks.append((block, output, received))
            self._buffered += len(block)
            while self._buffered > self.capacity_samples and len(self._blocks) > 1:
                old, _, _ = self._blocks.popleft()
                self._buffered -= len(old)
                self._dropped += len(old)

    def _push_event(self, event: Any) -> None:
        with self._lock:
            if len(self._events) == self._events.maxlen:
                self._dropped_events += 1
            self._events.append(event)


def record_blocks(
    source: str | Source,
    seconds: float,
    *,
    pipeline: Any = None,
    on_batch: Any = None,
    poll_s: float = 0.02,
) -> SampleBlock:
    """Record ``seconds`` of device time from a source (less if a recording ends sooner).

    Runs a Runner (reconnecting on losses) and joins its blocks; ``on_batch(batch)`` sees each
    drained RunnerBatch (for live writing or progress). Raises ConnectionFailedError with the
    link's own advice when no sample arrived.
    """
    if not seconds > 0:
        raise InputError(
            f"the recording length must be a positive number of seconds, not {seconds}"
        )
    runner = Runner(source, pipeline=pipeline)
    blocks: list[SampleBlock] = []
    failure = ""
    first_t: float | None = None
    runner.start()
    try:
        while True:
            batch = runner.drain()
            blocks += [b for b in batch.blocks if len(b)]
            failure = next(
                (e.reason for e in batch.events if isinstance(e, ConnectionFailed)), failure
            )
            if on_batch is not None:
                on_batch(batch)
            if blocks and first_t is None:
                first_t = float(blocks[0].t[0])
            if batch.finished or (first_t is not None and blocks[-1].t[-1] - first_t >= seconds):
                break
            time.sleep(poll_s)
    finally:
        runner.stop()
        if on_batch is not None:
            on_batch(runner.drain())
    block = SampleBlock.concat(blocks)
    if not len(block):
        raise ConnectionFailedError(failure or f"{runner.uri} delivered no samples")
    return block.between(block.t[0], block.t[0] + seconds)
