"""Events: facts in the past tense, emitted by the analysis and by sources.

Analysis events carry device time ``t_s`` (seconds, the recording's clock). Link events carry
the source URI and, where known, a reason in words. All are small frozen dataclasses, created
per rep or per connection change, never per sample.
"""

from __future__ import annotations

from dataclasses import dataclass

from sensors.metrics import RepMetrics, SetSummary


@dataclass(frozen=True, slots=True)
class RepStarted:
    """The sensor left the bottom upwards: a rep candidate (it may still be rejected)."""

    t_s: float
    index: int


@dataclass(frozen=True, slots=True)
class TopReached:
    """Upward speed fell below 0.05 m/s near the peak: the hold timer starts at ``t_s``."""

    t_s: float
    index: int


@dataclass(frozen=True, slots=True)
class HoldTargetReached:
    """The top hold has lasted ``target_s``: the user may lower now."""

    t_s: float
    index: int
    target_s: float


@dataclass(frozen=True, slots=True)
class HoldEnded:
    """Downward speed exceeded 0.05 m/s: the hold is over after ``hold_s`` seconds."""

    t_s: float
    index: int
    hold_s: float


@dataclass(frozen=True, slots=True)
class RepCompleted:
    """A counted rep with its final (refined) metrics."""

    t_s: float
    rep: RepMetrics


@dataclass(frozen=True, slots=True)
class RepRejected:
    """A rise that was not a rep (too small: a bump, a failed partial attempt)."""

    t_s: float
    rom_m: float
    reason: str


@dataclass(frozen=True, slots=True)
class SetStarted:
    """A set began with its first rep at ``t_s``."""

    t_s: float
    set_index: int


@dataclass(frozen=True, slots=True)
class SetEnded:
    """No rep began within the rest time after the set's last rep."""

    t_s: float
    summary: SetSummary


AnalysisEvent = (
    RepStarted
    | TopReached
    | HoldTargetReached
    | HoldEnded
    | RepCompleted
    | RepRejected
    | SetStarted
    | SetEnded
)


@dataclass(frozen=True, slots=True)
class Connecting:
    """A source started opening its device (first attempt or a retry)."""

    uri: str
    attempt: int


@dataclass(frozen=True, slots=True)
class Connected:
    """The device is open and streaming; ``description`` names it for the user."""

    uri: str
    description: str


@dataclass(frozen=True, slots=True)
class ConnectionLost:
    """An open device stopped answering or was unplugged; a retry may follow."""

    uri: str
    reason: str


@dataclass(frozen=True, slots=True)
class Reconnected:
    """The device is back after a loss; the stream has a gap, never stitched time."""

    uri: str
    description: str


@dataclass(frozen=True, slots=True)
class ConnectionFailed:
    """Opening failed and no retry is pending; ``reason`` says what to check."""

    uri: str
    reason: str


@dataclass(frozen=True, slots=True)
class Closed:
    """The source was closed on purpose or reached the end of its recording."""

    uri: str


LinkEvent = Connecting | Connected | ConnectionLost | Reconnected | ConnectionFailed | Closed
