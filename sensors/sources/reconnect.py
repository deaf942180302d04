"""Reconnect policy: capped exponential backoff with an injected clock.

``Backoff`` hands out the delay before each retry (initial, x factor, capped) and says when to
give up; ``wait()`` sleeps through the injected ``sleep`` so tests never wait for real. One
``Backoff`` serves one link, which holds at most one pending retry at a time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class ReconnectPolicy:
    """How a link retries: delays in seconds; ``max_retries`` None retries for ever.

    ``initial_attempts`` is how many times the very first connection is tried before giving up
    (a port that does not exist should say so at once, not after a minute of retries).
    """

    initial_s: float = 0.5
    factor: float = 2.0
    max_s: float = 10.0
    max_retries: int | None = None
    initial_attempts: int = 1


class Backoff:
    """Delays for consecutive retries of one link; ``reset()`` after a good connection."""

    def __init__(self, policy: ReconnectPolicy | None = None, *, sleep: Sleep = asyncio.sleep):
        self.policy = policy or ReconnectPolicy()
        self._sleep = sleep
        self.retries = 0
        """Retries handed out since the last reset."""

    def exhausted(self) -> bool:
        """True when the policy allows no further retry."""
        limit = self.policy.max_retries
        return limit is not None and self.retries >= limit

    def next_delay(self) -> float:
        """The delay in seconds before the next retry, and count that retry."""
        p = self.policy
        delay = min(p.max_s, p.initial_s * p.factor ** min(self.retries, 64))  # no overflow
        self.retries += 1
        return delay

    async def wait(self) -> float:
        """Sleep for the next delay (through the injected sleep); returns the delay in s."""
        delay = self.next_delay()
        await self._sleep(delay)
        return delay

    def reset(self) -> None:
        """Start again from the initial delay (call once a connection delivered data)."""
        self.retries = 0
