"""The only place where worker threads meet Qt.

``LiveBridge`` drives a ``sensors.runner.Runner`` (or anything with its ``start``/``stop``/
``drain`` API): a QTimer polls ``drain()`` (120 times a second by default), appends the
motion trace to a ring buffer and emits ONE ``polled`` signal per poll that brought anything,
with the batch's events, blocks and link counters; never a signal per sample.
``BackgroundTask`` runs a slow call (a BLE scan) on a Python thread and reports its result
through the same kind of polling.
"""

from __future__ import annotations

import concurrent.futures
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from desktop.app.ring_buffer import TraceRing
from sensors.errors import SensorError

TRACE_COLUMNS = ("t", "height_m", "velocity_mps", "forward_m", "tilt_deg")
"""Columns kept in the ring: device time (s), height (m), vertical velocity (m/s),
forward travel (m), pelvic tilt (degrees, NaN on a bar)."""


class RunnerLike(Protocol):
    """What the bridge needs from ``sensors.runner.Runner``."""

    def start(self) -> None: ...
    def stop(self) -> None: ...
    def drain(self) -> Any: ...
    def set_hold_target(self, seconds: float | None) -> None: ...


@dataclass(slots=True)
class LivePoll:
    """What one poll brought: everything the window needs to update itself once."""

    events: list = field(default_factory=list)
    blocks: list = field(default_factory=list)
    counters: Any = None
    dropped_by_runner: int = 0
    samples: int = 0
    newest_receive_s: float | None = None
    """Host time (``time.perf_counter`` seconds) the newest sample of the poll arrived."""
    errors: list = field(default_factory=list)
    """Refused commands and analysis failures, in words (the samples are kept)."""


class LiveBridge(QObject):
    """Polls one runner on the GUI thread; see the module docstring."""

    polled = Signal(object)
    """A ``LivePoll``, emitted once per poll that brought anything."""
    failed = Signal(str)
    """Opening a source failed; the message says what to check."""

    def __init__(
        self,
        runner_factory: Callable[[str], RunnerLike],
        *,
        poll_hz: float = 120.0,
        capacity: int = 1 << 16,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._factory = runner_factory
        self.ring = TraceRing(TRACE_COLUMNS, capacity)
        self.runner: RunnerLike | None = None
        self.uri: str | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(max(0, round(1000.0 / poll_hz)) if poll_hz > 0 else 0)
        self._timer.timeout.connect(self.poll)

    @property
    def running(self) -> bool:
        return self.runner is not None

    def open(self, uri: str) -> bool:
        """Close any current runner, then start one on ``uri``; False (and ``failed``) on error."""
        self.close()
        try:
            runner = self._factory(uri)
            runner.start()
        except SensorError as exc:
            self.failed.emit(str(exc))
            return False
        self.runner = runner
        self.uri = uri
        self.ring.clear()
        self._timer.start()
        return True

    def close(self) -> None:
        """Stop the runner after taking what it still holds (so nothing recorded is lost)."""
        if self.runner is None:
            return
        self._timer.stop()
        runner, self.runner = self.runner, None
        runner.stop()
        self._deliver(runner.drain())

    def pause(self) -> None:
        """Stop polling; the runner keeps buffering (bounded) until ``resume()``."""
        self._timer.stop()

    def resume(self) -> None:
        if self.runner is not None:
            self._timer.start()

    def set_hold_target(self, seconds: float | None) -> None:
        if self.runner is not None:
            self.runner.set_hold_target(seconds)

    def poll(self) -> None:
        """Take what the runner has and emit it; called by the timer (or a test)."""
        if self.runner is not None:
            self._deliver(self.runner.drain())

    def _deliver(self, batch: Any) -> None:
        traces = [tr for tr in batch.traces if len(tr.t)]
        for tr in traces:
            self.ring.extend(
                {
                    "t": tr.t,
                    "height_m": tr.height_m,
                    "velocity_mps": tr.velocity_mps,
                    "forward_m": tr.forward_m,
                    "tilt_deg": tr.tilt_deg,
                }
            )
        for tr in getattr(batch, "refined", ()):
            # drift-corrected values of samples already drawn: the curves settle on them
            self.ring.revise(
                "t",
                {
                    "t": tr.t,
                    "height_m": tr.height_m,
                    "velocity_mps": tr.velocity_mps,
                    "forward_m": tr.forward_m,
                },
            )
        samples = sum(len(b) for b in batch.blocks)
        errors = list(getattr(batch, "errors", ()))
        if not (samples or batch.events or traces or errors):
            return
        self.polled.emit(
            LivePoll(
                events=list(batch.events),
                blocks=list(batch.blocks),
                counters=batch.counters,
                dropped_by_runner=int(getattr(batch, "dropped_by_runner", 0)),
                samples=samples,
                newest_receive_s=_newest_receive(batch),
                errors=errors,
            )
        )


def _newest_receive(batch: Any) -> float | None:
    times = getattr(batch, "receive_times", None)
    if times is None:
        return None
    arr = np.asarray(times, dtype=float).ravel()
    return float(arr.max()) if arr.size else None


class BackgroundTask(QObject):
    """Run ``fn()`` on a worker thread; ``done(result)`` or ``error(message)`` on the GUI thread.

    Only SensorError messages reach the user as they are; other exceptions are reported as
    "unexpected" with their type, so a broken scan never takes the window down.
    """

    done = Signal(object)
    error = Signal(str)

    _pool = concurrent.futures.ThreadPoolExecutor(max_workers=2, thread_name_prefix="hipthrust-bg")

    def __init__(self, fn: Callable[[], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.started_s = time.perf_counter()
        self._future = self._pool.submit(fn)
        self._timer = QTimer(self)
        self._timer.setInterval(50)
        self._timer.timeout.connect(self._check)
        self._timer.start()

    @property
    def elapsed_s(self) -> float:
        return time.perf_counter() - self.started_s

    def _check(self) -> None:
        if not self._future.done():
            return
        self._timer.stop()
        exc = self._future.exception()
        if exc is None:
            self.done.emit(self._future.result())
        elif isinstance(exc, SensorError):
            self.error.emit(str(exc))
        else:
            self.error.emit(f"unexpected {type(exc).__name__}: {exc}")
