"""The calibration wizard's steps as plain state machines fed with live sample blocks.

Each step's ``feed(block)`` updates ``level`` (stillness 0..1 for the meter), ``message`` (what
to do or what went wrong, in words) and, once it has what it needs, ``done`` and ``result``.
A step that sees the sensor move when it must be still starts over and says why. No Qt here.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from sensors.calibration_fit import (
    FACES,
    FaceReading,
    gyro_bias,
    read_face,
    stillness,
)
from sensors.errors import CalibrationError
from sensors.samples import SampleBlock

STILL_S = 3.0
"""Seconds the sensor must lie still for the gyro bias."""
FACE_S = 1.5
"""Seconds each face must be held still and aligned."""
METER_S = 0.5
"""Seconds of samples the stillness meter looks at."""
LEAD_S = 1.0
"""Still seconds a movement step needs before the movement."""
TAIL_S = 0.6
"""Still seconds that end a movement step."""
MAX_MOVE_S = 20.0
"""A movement longer than this restarts the step."""


class Recent:
    """The newest ``seconds`` of samples (older blocks are dropped), or all with None."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self._blocks: list[SampleBlock] = []

    def add(self, block: SampleBlock) -> None:
        if not len(block):
            return
        self._blocks.append(block)
        if self.seconds is not None:
            newest = block.t[-1]
            while len(self._blocks) > 1 and self._blocks[1].t[0] <= newest - self.seconds:
                self._blocks.pop(0)

    def clear(self) -> None:
        self._blocks = []

    def block(self, last_s: float | None = None) -> SampleBlock:
        whole = SampleBlock.concat(self._blocks)
        if last_s is None or not len(whole):
            return whole
        return whole.between(whole.t[-1] - last_s, np.inf)

    @property
    def span_s(self) -> float:
        """Seconds covered, counting one sample period at the end."""
        whole = self.block()
        if len(whole) < 2:
            return 0.0
        return whole.duration_s + whole.duration_s / (len(whole) - 1)


class StillStep:
    """Hold still for STILL_S: the gyro bias (rad/s) and the raw mean rate (the 'before')."""

    def __init__(self) -> None:
        self.recent = Recent(STILL_S)
        self.level = 0.0
        self.message = f"Lay the sensor on a table and do not touch it for {STILL_S:g} s."
        self.done = False
        self.result: np.ndarray | None = None
        self.moved = 0
        """How many times the sensor moved during the step."""

    def feed(self, block: SampleBlock) -> None:
        if self.done or not len(block):
            return
        self.recent.add(block)
        meter = stillness(self.recent.block(METER_S))
        self.level = meter.level
        if self.recent.span_s >= METER_S and not meter.still:
            self.moved += 1
            self.message = (
                "The sensor moved: the still step starts again once it lies still "
                f"({meter.reason()})."
            )
            self.recent.clear()
            return
        if self.recent.span_s < STILL_S:
            return
        try:
            self.result = gyro_bias(self.recent.block(STILL_S))
        except CalibrationError as exc:
            self.moved += 1
            self.message = f"{exc}. Starting the still step again."
            self.recent.clear()
            return
        self.done = True
        self.message = "Still step done: gyro bias measured."


class FaceStep:
    """Six faces, each held still and aligned for FACE_S: the mean specific force of each."""

    def __init__(self) -> None:
        self.recent = Recent(FACE_S)
        self.level = 0.0
        self.faces: dict[str, np.ndarray] = {}
        self.face_rates: dict[str, np.ndarray] = {}
        """Mean raw angular rate (rad/s) while each face was held: the gyro bias, seen again."""
        self.reading: FaceReading | None = None
        self.message = "Lay the sensor flat with +Z up (the first face)."
        self.done = False

    @property
    def next_face(self) -> str | None:
        return next((f for f in FACES if f not in self.faces), None)

    @property
    def result(self) -> np.ndarray:
        return np.array([self.faces[f] for f in FACES if f in self.faces])

    def feed(self, block: SampleBlock) -> None:
        if self.done or not len(block):
            return
        self.recent.add(block)
        latest = self.recent.block(METER_S)
        self.reading = read_face(latest)
        meter = stillness(latest)
        self.level = meter.level
        if not meter.still:
            self.message = f"Hold it still on one face (next: {self.next_face} up)."
            return
        if not self.reading.aligned:
            self.message = (
                f"Lay it flat: gravity is {self.reading.misalignment_deg:.0f} degrees off "
                f"{self.reading.face}."
            )
            return
        if self.reading.face in self.faces:
            self.message = f"{self.reading.face} is done: turn it to {self.next_face} up."
            return
        if self.recent.span_s < FACE_S:
            self.message = f"{self.reading.face} up: hold it…"
            return
        window = self.recent.block(FACE_S)
        whole = read_face(window)
        if not stillness(window).still or whole.face != self.reading.face or not whole.aligned:
            return
        self.faces[whole.face] = whole.mean_acc_mps2
        self.face_rates[whole.face] = window.gyr.mean(axis=0)
        self.recent.clear()
        if self.next_face is None:
            self.done = True
            self.message = "All six faces done."
        else:
            self.message = f"{whole.face} accepted. Next: {self.next_face} up."


class MovementStep:
    """Still for LEAD_S, one movement, still for TAIL_S; then ``check(block)`` of the whole
    recording gives the result (a CalibrationError from it restarts the step)."""

    def __init__(self, check: Callable[[SampleBlock], object], instruction: str) -> None:
        self.check = check
        self.instruction = instruction
        self.recent = Recent(None)
        self.level = 0.0
        self.phase = "settle"
        """'settle' (waiting for a still start), 'move', 'end' (waiting for the still end)."""
        self.message = instruction
        self.done = False
        self.result: object = None
        self._moved_at = 0.0

    def feed(self, block: SampleBlock) -> None:
        if self.done or not len(block):
            return
        self.recent.add(block)
        latest = self.recent.block(METER_S)
        meter = stillness(latest)
        self.level = meter.level
        if self.recent.span_s < METER_S:
            return
        now = float(block.t[-1])
        if self.phase == "settle":
            if not meter.still:
                self.recent = _keep_last(self.recent, METER_S)
                self.message = f"{self.instruction} (waiting for the sensor to be still)"
            elif self.recent.span_s >= LEAD_S:
                self.phase = "move"
                self.recent = _keep_last(self.recent, LEAD_S)
                self.message = "Ready: go."
        elif self.phase == "move":
            if not meter.still:
                self.phase = "end"
                self._moved_at = now
                self.message = "Moving… finish and hold still."
        elif now - self._moved_at > MAX_MOVE_S:
            self._restart(f"That took over {MAX_MOVE_S:g} s: start again, still first.")
        elif meter.still and self._still_for(TAIL_S):
            self._evaluate()

    def _still_for(self, seconds: float) -> bool:
        tail = self.recent.block(seconds)
        return tail.duration_s >= 0.95 * seconds and stillness(tail).still

    def _evaluate(self) -> None:
        try:
            self.result = self.check(self.recent.block())
        except CalibrationError as exc:
            self._restart(f"{exc}. Start again, still first.")
            return
        self.done = True
        self.message = "Done."

    def _restart(self, message: str) -> None:
        self.phase = "settle"
        self.recent.clear()
        self.message = message


def _keep_last(recent: Recent, seconds: float) -> Recent:
    fresh = Recent(None)
    fresh.add(recent.block(seconds))
    return fresh
