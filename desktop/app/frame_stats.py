"""Frame accounting for the live view: frames drawn and sample-to-screen latency.

``FrameStats`` is installed as an event filter on the plot viewport. The window calls
``frame_prepared(receive_s)`` after it updated the views for samples that arrived at host time
``receive_s`` (``time.perf_counter``); the next paint of the viewport closes the frame and
records its latency. Bounded: only the last ``keep`` latencies are kept.
"""

from __future__ import annotations

import time
from collections import deque

import numpy as np
from PySide6.QtCore import QEvent, QObject


class FrameStats(QObject):
    """Counts painted frames and their latency (seconds); see the module docstring."""

    def __init__(self, parent: QObject | None = None, keep: int = 100_000) -> None:
        super().__init__(parent)
        self.frames = 0
        self.latencies_s: deque[float] = deque(maxlen=keep)
        self._pending: float | None = None

    def frame_prepared(self, receive_s: float | None) -> None:
        """The views were updated for samples received at ``receive_s`` (None: unknown)."""
        self._pending = receive_s if receive_s is not None else float("nan")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._pending is not None:
            self.frames += 1
            if self._pending == self._pending:  # not NaN
                self.latencies_s.append(time.perf_counter() - self._pending)
            self._pending = None
        return False

    def latency_percentiles_ms(self, *qs: float) -> list[float]:
        """Latency percentiles in milliseconds (NaN when nothing was measured)."""
        if not self.latencies_s:
            return [float("nan")] * len(qs)
        arr = np.fromiter(self.latencies_s, float) * 1000.0
        return [float(np.percentile(arr, q)) for q in qs]

    def reset(self) -> None:
        self.frames = 0
        self.latencies_s.clear()
        self._pending = None
