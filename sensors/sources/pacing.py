"""Pacing of simulated and recorded streams: device seconds due at 1x, 2x, 4x or max speed.

A ``Pacer`` starts at the first ``due_s()`` call; at speed ``s`` it lets ``s`` device seconds
through per second of the (injectable) clock; speed None means as fast as possible.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable


class Pacer:
    """Device time (seconds since start) that may be delivered now."""

    def __init__(self, speed: float | None, *, clock: Callable[[], float] = time.monotonic):
        self.speed = speed
        self._clock = clock
        self._start: float | None = None

    def due_s(self) -> float | None:
        """Device seconds due by now; None at max speed (everything is due)."""
        if self.speed is None:
            return None
        now = self._clock()
        if self._start is None:
            self._start = now
        return (now - self._start) * self.speed

    def restart(self) -> None:
        """Count device time from zero again at the next ``due_s()`` (the device restarted)."""
        self._start = None

    async def idle(self, poll_s: float = 0.005) -> None:
        """Let the loop run: a short sleep when paced, a bare yield at max speed."""
        await asyncio.sleep(0 if self.speed is None else poll_s)
