"""A simulated sensor on the hips doing the self-test's bridges, for demos and tests.

``SimulatedBridges.act(bridge, side)`` starts a simulated set of that bridge (4 reps, tempo
1-1-1-2, the height given per bridge) which ``poll()`` then streams out in slices; ``finished``
turns True when the set is over. It has the wizard device's start/stop/poll/device_id. No Qt.
"""

from __future__ import annotations

from sensors.samples import SampleBlock
from sensors.simulator import SetScenario, Tempo, simulate

HEIGHTS_M = {"two_leg": 0.16, "single_leg_90": 0.11, "single_leg_hug": 0.07}
"""Typical heights of a person with good hip extension (m)."""
EXERCISES = {"two_leg": "glute_bridge", "single_leg_hug": "single_leg_bridge_hug"}
"""Simulator exercise per bridge (the 90-90 single-leg bridge otherwise)."""
POLL_S = 2.0
"""Device seconds streamed per poll."""
REPS = 4


class SimulatedBridges:
    """See the module docstring; ``heights_m`` overrides HEIGHTS_M per bridge."""

    device_id = "sim-hips"

    def __init__(self, heights_m: dict[str, float] | None = None, seed: int = 0) -> None:
        self.heights_m = {**HEIGHTS_M, **(heights_m or {})}
        self.seed = seed
        self.running = False
        self._block = SampleBlock.empty()
        self._next = 0

    def start(self) -> None:
        self.running = True

    def stop(self) -> None:
        self.running = False

    @property
    def finished(self) -> bool:
        return self._next >= len(self._block)

    def act(self, bridge: str, side: str) -> None:
        """Begin a simulated set of ``bridge`` on ``side``."""
        self.seed += 1
        scenario = SetScenario(
            exercise=EXERCISES.get(bridge, "single_leg_bridge"),
            mount="hips",
            side=None if side == "both" else side,
            reps=REPS,
            rom_m=self.heights_m[bridge],
            tempo=Tempo(1.0, 1.0, 1.0, 2.0),
            seed=self.seed,
        )
        self._block = simulate(scenario).block
        self._next = 0

    def poll(self) -> tuple[list[SampleBlock], list[str]]:
        if not self.running or self.finished:
            return [], []
        rate = self._block.median_rate_hz()
        end = min(len(self._block), self._next + int(POLL_S * rate))
        chunk = self._block[self._next : end]
        self._next = end
        return [chunk], []
