"""Live phase tracker: bottom -> concentric -> top hold -> eccentric, as it happens.

It reads the live (causal) velocity so the hold timer starts the moment the upward speed
falls below 0.05 m/s, and says when the hold target is reached and when the hold ends. These
are hints for the screen and the speaker; the counted rep and its metrics come from the
refined stream (RepCompleted), which may still reject a rise that started here.
"""

from __future__ import annotations

import math

import numpy as np

from sensors.events import AnalysisEvent, HoldEnded, HoldTargetReached, RepStarted, TopReached


class LivePhaseTracker:
    """Stateful; feed consecutive live samples (time s, height m, velocity m/s)."""

    def __init__(self, speed_threshold_mps: float = 0.05, min_rise_m: float = 0.03) -> None:
        self.speed = speed_threshold_mps
        self.min_rise_m = min_rise_m
        self.hold_target_s: float | None = None
        self.phase = "bottom"
        self.top_s = math.nan
        self._start_h = 0.0
        self._target_said = False
        self._v_last = 0.0
        self._index = 0

    def process(
        self, t: np.ndarray, height_m: np.ndarray, velocity_mps: np.ndarray, reps_done: int
    ) -> list[AnalysisEvent]:
        events: list[AnalysisEvent] = []
        if not t.shape[0]:
            return events
        v_prev = np.concatenate(([self._v_last], velocity_mps[:-1]))
        v = velocity_mps
        s = self.speed
        marks = np.flatnonzero(
            ((v_prev <= s) & (v > s))
            | ((v_prev > s) & (v <= s))
            | ((v_prev >= -s) & (v < -s))
            | ((v_prev < -s) & (v >= -s))
        )
        for k in marks:
            self._check_target(float(t[k]), events)
            self._on_crossing(
                float(t[k]), float(height_m[k]), float(v_prev[k]), float(v[k]), reps_done, events
            )
        self._check_target(float(t[-1]), events)
        self._v_last = float(v[-1])
        return events

    def _on_crossing(self, t, h, v0, v1, reps_done, events) -> None:
        s = self.speed
        if self.phase == "bottom" and v0 <= s < v1:
            self.phase = "concentric"
            self._start_h = h
            self._index = reps_done + 1
            events.append(RepStarted(t, self._index))
        elif self.phase == "concentric" and v0 > s >= v1:
            if h - self._start_h >= self.min_rise_m:
                self.phase = "top"
                self.top_s = t
                self._target_said = False
                events.append(TopReached(t, self._index))
            else:
                self.phase = "bottom"
        elif self.phase == "top" and v0 >= -s > v1:
            self._check_target(t, events)
            self.phase = "eccentric"
            events.append(HoldEnded(t, self._index, t - self.top_s))
        elif self.phase == "eccentric" and v0 < -s <= v1:
            self.phase = "bottom"

    def _check_target(self, now_s: float, events: list[AnalysisEvent]) -> None:
        target = self.hold_target_s
        if self.phase != "top" or self._target_said or target is None:
            return
        if now_s - self.top_s >= target:
            self._target_said = True
            events.append(HoldTargetReached(self.top_s + target, self._index, target))
