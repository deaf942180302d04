"""The analysis pipeline: calibration -> conditioning -> orientation -> motion -> reps.

``LivePipeline.process(block)`` takes consecutive blocks of any size; ``analyze(block)`` is the
same pipeline fed with one block, so live and replay give the same reps (a property test
checks it). Live output per block: a MotionTrace of the samples (causal estimate) and events.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from sensors.calibration import IDENTITY, CalibrationRecord
from sensors.conditioning import Conditioner, ConditioningCounters
from sensors.errors import InputError
from sensors.events import AnalysisEvent, RepCompleted
from sensors.live_phase import LivePhaseTracker
from sensors.metrics import RepMetrics, SetSummary
from sensors.motion import MotionChunk, MotionConfig, MotionStage
from sensors.orientation import OrientationStage
from sensors.reps import RepConfig, RepDetector
from sensors.samples import SampleBlock

MOUNTS = ("bar", "hips")


@dataclass(frozen=True, slots=True, eq=False)
class MotionTrace:
    """Per-sample motion: t (s), height_m, velocity_mps (up +), forward_m (along the plane of
    motion), tilt_deg (hips only, NaN on a bar or before it is known), at_rest (bool)."""

    t: np.ndarray
    height_m: np.ndarray
    velocity_mps: np.ndarray
    forward_m: np.ndarray
    tilt_deg: np.ndarray
    at_rest: np.ndarray

    def __len__(self) -> int:
        return int(self.t.shape[0])

    @classmethod
    def empty(cls) -> MotionTrace:
        e = np.empty(0)
        return cls(e, e, e, e, e, np.empty(0, bool))

    @classmethod
    def concat(cls, traces: list[MotionTrace]) -> MotionTrace:
        traces = [tr for tr in traces if len(tr)]
        if not traces:
            return cls.empty()
        return cls(*(np.concatenate([getattr(tr, f) for tr in traces]) for f in cls.__slots__))


@dataclass(frozen=True, slots=True, eq=False)
class PipelineOutput:
    """What one call to LivePipeline.process returns: the live trace of the block's samples,
    the events, and ``refined``: drift-corrected motion of earlier samples released by this
    call (same times as their live values; its tilt column is not meaningful)."""

    trace: MotionTrace
    events: list[AnalysisEvent]
    refined: MotionTrace = field(default_factory=MotionTrace.empty)


@dataclass(frozen=True, eq=False)
class AnalysisResult:
    """A whole recording analysed: counted reps, sets, the mount and the refined trace."""

    reps: list[RepMetrics]
    sets: list[SetSummary]
    mount: str | None
    trace: MotionTrace
    events: list[AnalysisEvent]
    notes: list[str] = field(default_factory=list)
    rate_hz: float = math.nan

    def to_dict(self) -> dict:
        """The JSON document of ``hipthrust analyze --json``."""
        return {
            "reps": [r.to_dict() for r in self.reps],
            "sets": [s.to_dict() for s in self.sets],
            "mount": self.mount,
            "rate_hz": None if math.isnan(self.rate_hz) else round(self.rate_hz, 3),
            "notes": list(self.notes),
        }


class LivePipeline:
    """Stateful block processor over raw SampleBlocks; see the module docstring."""

    def __init__(
        self,
        *,
        mount: str | None = None,
        calibration: CalibrationRecord | None = None,
        hold_target_s: float | None = None,
        set_rest_s: float = 20.0,
        motion_config: MotionConfig | None = None,
        keep_refined: bool = False,
    ) -> None:
        if mount is not None and mount not in MOUNTS:
            raise InputError(f"unknown mount {mount!r}: use one of {', '.join(MOUNTS)}")
        self.calibration = calibration or IDENTITY
        self._conditioner = Conditioner()
        self._motion_config = motion_config
        self._orientation: OrientationStage | None = None
        self._motion: MotionStage | None = None
        self._detector = RepDetector(RepConfig(set_rest_s=set_rest_s), mount=mount)
        self._tracker = LivePhaseTracker()
        self._tracker.hold_target_s = hold_target_s
        self._keep_refined = keep_refined
        self._refined: list[MotionChunk] = []
        self._tilt_sum = 0.0

    @property
    def mount(self) -> str | None:
        """'bar' or 'hips' (given, or detected from the first reps), None while unknown."""
        return self._detector.mount

    @property
    def period_s(self) -> float | None:
        return self._conditioner.period_s

    @property
    def conditioning(self) -> ConditioningCounters:
        return self._conditioner.counters

    @property
    def reps(self) -> list[RepMetrics]:
        return self._detector.reps

    @property
    def sets(self) -> list[SetSummary]:
        return self._detector.sets

    def set_hold_target(self, seconds: float | None) -> None:
        """Hold target for HoldTargetReached (seconds), or None for no target."""
        self._tracker.hold_target_s = seconds

    def process(self, block: SampleBlock) -> PipelineOutput:
        even = self._conditioner.process(self.calibration.apply(block))
        if not len(even):
            return PipelineOutput(MotionTrace.empty(), [])
        if self._orientation is None:
            self._orientation = OrientationStage(self._conditioner.period_s)
            self._motion = MotionStage(self._conditioner.period_s, self._motion_config)
        lin, rate, up = self._orientation.process(even.acc, even.gyr)
        live, refined = self._motion.process(even.t, lin, rate, even.breaks, up)
        events = self._tracker.process(
            live.t, live.height_m, live.velocity_mps, len(self._detector.reps)
        )
        events.extend(self._feed_detector(refined))
        real = ~even.synthetic
        trace = self._trace(live, real)
        released = MotionTrace.concat([self._to_trace(c, cumulative_tilt=None) for c in refined])
        return PipelineOutput(trace, _by_time(events), released)

    def finish(self) -> PipelineOutput:
        """End of stream: flush the open segment and close the last set."""
        events: list[AnalysisEvent] = []
        if self._motion is not None:
            events.extend(self._feed_detector(self._motion.flush()))
        events.extend(self._detector.finish())
        return PipelineOutput(MotionTrace.empty(), events)

    def refined_trace(self) -> MotionTrace:
        """The drift-corrected trace kept so far (only with keep_refined=True)."""
        chunk = MotionChunk.concat(self._refined)
        self._refined = [chunk] if len(chunk) else []
        return self._to_trace(chunk, cumulative_tilt=None)

    def _feed_detector(self, refined: list[MotionChunk]) -> list[AnalysisEvent]:
        events: list[AnalysisEvent] = []
        for chunk in refined:
            if self._keep_refined:
                self._refined.append(chunk)
            events.extend(self._detector.process(chunk))
        return events

    def _trace(self, live: MotionChunk, real: np.ndarray) -> MotionTrace:
        trace = self._to_trace(live, cumulative_tilt=self._tilt_sum)
        if len(trace) and np.isfinite(trace.tilt_deg[-1]):
            self._tilt_sum = float(trace.tilt_deg[-1])
        if real.all():
            return trace
        return MotionTrace(*(getattr(trace, f)[real] for f in MotionTrace.__slots__))

    def _to_trace(self, chunk: MotionChunk, cumulative_tilt: float | None) -> MotionTrace:
        axes = self._detector.axes
        n = len(chunk)
        forward = np.zeros(n) if axes.forward is None else _along(chunk.xy_m, axes.forward[:2])
        if axes.tilt is None or self.mount == "bar" or n == 0:
            tilt = np.full(n, math.nan)
        else:
            period = self._conditioner.period_s
            tilt = np.degrees(np.cumsum(_along(chunk.rate, axes.tilt)) * period)
            if cumulative_tilt is not None:
                tilt += cumulative_tilt
        return MotionTrace(chunk.t, chunk.height_m, chunk.velocity_mps, forward, tilt, chunk.rest)


def _along(vectors: np.ndarray, axis: np.ndarray) -> np.ndarray:
    """Component of N vectors along ``axis``, written out (a matrix product of a few columns
    would go to a threaded BLAS for nothing)."""
    out = vectors[:, 0] * axis[0]
    for k in range(1, axis.shape[0]):
        out = out + vectors[:, k] * axis[k]
    return out


def _by_time(events: list[AnalysisEvent]) -> list[AnalysisEvent]:
    return sorted(events, key=lambda e: e.t_s)


def analyze(
    block: SampleBlock,
    *,
    mount: str | None = None,
    calibration: CalibrationRecord | None = None,
    set_rest_s: float = 20.0,
) -> AnalysisResult:
    """Analyse a whole recording with the live pipeline fed as one block."""
    pipeline = LivePipeline(
        mount=mount, calibration=calibration, set_rest_s=set_rest_s, keep_refined=True
    )
    out = pipeline.process(block)
    tail = pipeline.finish()
    events = [*out.events, *tail.events]
    notes = _notes(block, pipeline)
    rate = 1.0 / pipeline.period_s if pipeline.period_s else math.nan
    return AnalysisResult(
        reps=[e.rep for e in events if isinstance(e, RepCompleted)],
        sets=list(pipeline.sets),
        mount=pipeline.mount,
        trace=pipeline.refined_trace(),
        events=events,
        notes=notes,
        rate_hz=rate,
    )


def _notes(block: SampleBlock, pipeline: LivePipeline) -> list[str]:
    notes: list[str] = []
    counters = pipeline.conditioning
    if pipeline.period_s is None:
        notes.append(
            f"only {len(block)} usable samples: at least 16 are needed to analyse anything"
        )
        return notes
    if counters.non_finite_dropped:
        notes.append(f"{counters.non_finite_dropped} samples with NaN or infinite values ignored")
    if counters.non_monotonic_dropped:
        notes.append(
            f"{counters.non_monotonic_dropped} samples with repeated or backward timestamps ignored"
        )
    if counters.samples_filled:
        notes.append(f"{counters.samples_filled} missing samples bridged by interpolation")
    if counters.long_gaps:
        notes.append(f"{counters.long_gaps} gaps longer than 1 s: velocity restarted after each")
    saturated = _saturated_share(block)
    if saturated > 0.001:
        notes.append(
            f"accelerometer saturated in {saturated:.1%} of samples: heights may be too low; "
            "set a larger accelerometer range"
        )
    if not pipeline.reps:
        notes.append("no reps found")
    return notes


def _saturated_share(block: SampleBlock) -> float:
    """Share of samples whose acceleration sits at the block's extreme value on some axis
    (a plateau of at least 3 samples beyond 1.5 g: a full scale of 2 g or more was hit)."""
    if len(block) < 16:
        return 0.0
    acc = block.acc[np.isfinite(block.acc).all(1)]
    if not len(acc):
        return 0.0
    magnitude = np.abs(acc)
    peak = magnitude.max(axis=0)
    at_peak = (magnitude >= peak * 0.9999) & (peak >= 1.5 * 9.80665)
    share = at_peak.any(axis=1).mean()
    return float(share) if at_peak.sum() >= 3 else 0.0
