"""The analysis behind a replay: the live pipeline fed in steps, with progress and cancel.

``analyse_recording(block, settings, progress)`` feeds ``sensors.pipeline.LivePipeline`` with
consecutive slices (streaming equals batch, so the reps are those of ``analyze``) and returns a
``ReplayAnalysis``: reps, sets, every event in time order and the drift-corrected trace. It
returns None when ``progress.cancelled`` was set. No Qt here; the window runs it on a thread.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field

from sensors.calibration import CalibrationRecord
from sensors.events import RepCompleted
from sensors.metrics import RepMetrics, SetSummary
from sensors.pipeline import LivePipeline, MotionTrace
from sensors.samples import SampleBlock

STEP_S = 20.0
"""Seconds of samples fed per step (progress and cancel are checked between steps)."""


@dataclass(frozen=True, slots=True)
class ReplaySettings:
    """How to analyse: ``mount`` ('bar', 'hips' or None = detect), the rest (s) that ends a
    set, the hold target (s, None = none) and whether to apply the session's calibration."""

    mount: str | None = None
    set_rest_s: float = 20.0
    hold_target_s: float | None = 3.0
    use_calibration: bool = True


class Progress:
    """Shared between the worker and the window: ``share`` done (0..1) and a cancel flag."""

    def __init__(self) -> None:
        self.share = 0.0
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()


@dataclass(frozen=True, eq=False)
class ReplayAnalysis:
    """A recording analysed for replay; times are device seconds."""

    reps: list[RepMetrics]
    sets: list[SetSummary]
    events: list = field(default_factory=list)
    trace: MotionTrace = field(default_factory=MotionTrace.empty)
    mount: str | None = None
    settings: ReplaySettings = field(default_factory=ReplaySettings)


def analyse_recording(
    block: SampleBlock,
    settings: ReplaySettings,
    progress: Progress | None = None,
    calibration: dict | None = None,
) -> ReplayAnalysis | None:
    """Analyse ``block`` with ``settings`` (``calibration``: the session's stored record,
    applied when settings.use_calibration); None if cancelled through ``progress``."""
    progress = progress or Progress()
    record = (
        CalibrationRecord.from_dict(calibration)
        if calibration and settings.use_calibration
        else None
    )
    pipeline = LivePipeline(
        mount=settings.mount,
        calibration=record,
        hold_target_s=settings.hold_target_s,
        set_rest_s=settings.set_rest_s,
        keep_refined=True,
    )
    events: list = []
    n = len(block)
    rate = block.median_rate_hz()
    step = max(1, int(STEP_S * rate)) if math.isfinite(rate) else max(1, n)
    for start in range(0, n, step):
        if progress.cancelled:
            return None
        events.extend(pipeline.process(block[start : start + step]).events)
        progress.share = min(start + step, n) / n
    events.extend(pipeline.finish().events)
    progress.share = 1.0
    return ReplayAnalysis(
        reps=[e.rep for e in events if isinstance(e, RepCompleted)],
        sets=list(pipeline.sets),
        events=sorted(events, key=lambda e: e.t_s),
        trace=pipeline.refined_trace(),
        mount=pipeline.mount,
        settings=settings,
    )
