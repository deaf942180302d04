"""The backoff policy, timed by an injected sleep."""

import asyncio

from sensors.sources.reconnect import Backoff, ReconnectPolicy


def test_delays_grow_exponentially_up_to_the_cap_and_reset():
    slept: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        slept.append(seconds)

    backoff = Backoff(ReconnectPolicy(initial_s=0.5, factor=2, max_s=3), sleep=fake_sleep)

    async def run() -> None:
        for _ in range(5):
            await backoff.wait()
        backoff.reset()
        await backoff.wait()

    asyncio.run(run())
    assert slept == [0.5, 1.0, 2.0, 3.0, 3.0, 0.5]


def test_retry_limit():
    backoff = Backoff(ReconnectPolicy(max_retries=2))
    assert not backoff.exhausted()
    backoff.next_delay()
    backoff.next_delay()
    assert backoff.exhausted()


def test_hours_of_retries_stay_at_the_cap():
    backoff = Backoff(ReconnectPolicy(initial_s=0.5, max_s=10))
    delays = [backoff.next_delay() for _ in range(5000)]
    assert max(delays) == 10 and delays[-1] == 10
