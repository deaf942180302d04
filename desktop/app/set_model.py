"""The live set as the window sees it: targets, reps so far, the hold in progress, flags.

``SetModel.apply(events)`` takes the analysis events of one poll and returns the cues they
imply (``"rep"``, ``"hold"``, ``"set_end"``) for the sound; views read the model and never
change it. Hands-free: a set runs from its first rep to the pipeline's ``SetEnded``, after
which the next planned targets are armed by themselves. No Qt here.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace

from sensors.events import (
    HoldEnded,
    HoldTargetReached,
    RepCompleted,
    RepStarted,
    SetEnded,
    SetStarted,
    TopReached,
)
from sensors.metrics import RepMetrics, SetSummary

TEMPO_RUSHED_SHARE = 0.7
"""A phase shorter than this share of its prescribed seconds counts as rushed."""


@dataclass(frozen=True, slots=True)
class SetTargets:
    """What the current set asks for; ``tempo_s`` is (down, pause, up, hold) in seconds."""

    exercise: str = "hip thrust"
    side: str = "both"
    reps: int = 12
    """Reps that meet the set (the bottom of a planned range)."""
    reps_max: int | None = None
    """Top of a planned rep range (None: no range, just ``reps``)."""
    hold_s: float | None = 3.0
    tempo_s: tuple[float, float, float, float] | None = (2.0, 1.0, 1.0, 3.0)
    load_kg: float = 0.0
    rest_s: float = 20.0
    rom_loss_share: float = 0.15
    """A rep whose range is below the set's best by more than this share is flagged."""

    def tempo_text(self) -> str:
        """The prescribed tempo as written in plans, e.g. ``2-1-1-3``; ``-`` if none."""
        return "-" if self.tempo_s is None else "-".join(_short(x) for x in self.tempo_s)


def rep_tempo_s(rep: RepMetrics) -> tuple[float, float, float, float]:
    """The measured (down, pause, up, hold) of one rep, in seconds (pause NaN on rep 1)."""
    return (rep.eccentric_s, rep.bottom_pause_s, rep.concentric_s, rep.hold_s)


def tempo_text(tempo: tuple[float, ...]) -> str:
    """Seconds as in a plan (``3-1-1-3``), one decimal; ``?`` where unmeasured."""
    return "-".join("?" if not math.isfinite(x) else _short(x) for x in tempo)


def rep_flags(rep: RepMetrics, targets: SetTargets, best_rom_m: float) -> list[str]:
    """Why this rep falls short of the targets, in words; empty when it is a good rep."""
    flags = []
    if targets.hold_s is not None and rep.hold_s < targets.hold_s - 0.05:
        flags.append(f"hold {rep.hold_s:.1f} s < {_short(targets.hold_s)} s")
    if math.isfinite(best_rom_m) and best_rom_m > 0:
        loss = 1.0 - rep.rom_m / best_rom_m
        if loss > targets.rom_loss_share:
            flags.append(f"range -{loss * 100:.0f} % of best")
    if targets.tempo_s is not None:
        down, _pause, up, _hold = targets.tempo_s
        for name, measured, wanted in (
            ("up", rep.concentric_s, up),
            ("down", rep.eccentric_s, down),
        ):
            if wanted > 0 and measured < TEMPO_RUSHED_SHARE * wanted:
                flags.append(f"rushed {name} {measured:.1f} s < {_short(wanted)} s")
    return flags


@dataclass(frozen=True, slots=True)
class HoldState:
    """The top hold of the rep in progress: started at device time ``top_s``."""

    top_s: float
    target_reached: bool = False
    ended_s: float | None = None

    def elapsed_s(self, now_s: float) -> float:
        """Seconds held by device time ``now_s`` (frozen once the hold ended)."""
        end = self.ended_s if self.ended_s is not None else now_s
        return max(0.0, end - self.top_s)


class SetModel:
    """State of the set in progress; feed it every analysis event in order."""

    def __init__(self, targets: SetTargets | None = None) -> None:
        self.targets = targets or SetTargets()
        self.queue: list[SetTargets] = []
        """Planned sets after the current one; armed one by one as sets end."""
        self.set_number = 1
        self.state = "armed"
        """``armed`` (waiting for the first rep), ``running`` or ``done`` (summary shown)."""
        self.reps: list[RepMetrics] = []
        self.flags: list[list[str]] = []
        self.hold: HoldState | None = None
        self.rep_started_s: float | None = None
        """Device time the rep in progress left the bottom; None between reps."""
        self.last_summary: SetSummary | None = None
        self.sets_done = 0
        self.revision = 0
        """Bumped whenever the reps or their flags change (views redraw the table on it)."""

    # -- queries -------------------------------------------------------------------------
    @property
    def best_rom_m(self) -> float:
        return max((r.rom_m for r in self.reps), default=float("nan"))

    @property
    def last_rep(self) -> RepMetrics | None:
        return self.reps[-1] if self.reps else None

    @property
    def upcoming(self) -> SetTargets:
        """The targets the next set will run with (the current ones when nothing is queued)."""
        return self.queue[0] if self.queue else self.targets

    # -- changes -------------------------------------------------------------------------
    def set_plan(self, targets: SetTargets, queue: Iterable[SetTargets] = ()) -> None:
        """Replace the targets of the coming set and the sets after it."""
        self.targets = targets
        self.queue = list(queue)

    def arm_next(self) -> None:
        """Clear the finished set and arm the next planned one (or the same targets again)."""
        if self.queue:
            self.targets = self.queue.pop(0)
        if self.state != "armed":
            self.set_number += 1
        self.state = "armed"
        self.reps = []
        self.flags = []
        self.revision += 1

    def apply(self, events: Iterable[object]) -> list[str]:
        """Update from analysis events (others are ignored); returns the cues to play."""
        cues: list[str] = []
        for event in events:
            if isinstance(event, SetStarted):
                if self.state == "done":
                    self.arm_next()
                self.state = "running"
            elif isinstance(event, RepStarted):
                self.rep_started_s = event.t_s
                self.hold = None
            elif isinstance(event, TopReached):
                self.hold = HoldState(event.t_s)
            elif isinstance(event, HoldTargetReached):
                if self.hold is not None:
                    self.hold = replace(self.hold, target_reached=True)
                cues.append("hold")
            elif isinstance(event, HoldEnded):
                if self.hold is not None:
                    self.hold = replace(self.hold, ended_s=self.hold.top_s + event.hold_s)
            elif isinstance(event, RepCompleted):
                self._add_rep(event.rep)
                cues.append("rep")
            elif isinstance(event, SetEnded):
                self.last_summary = event.summary
                self.state = "done"
                self.sets_done += 1
                self.rep_started_s = None
                cues.append("set_end")
        return cues

    def _add_rep(self, rep: RepMetrics) -> None:
        if self.state == "done":
            self.arm_next()
        self.state = "running"
        self.rep_started_s = None
        self.reps.append(rep)
        best = self.best_rom_m
        # flags of earlier reps may change when a new best range arrives
        self.flags = [rep_flags(r, self.targets, best) for r in self.reps]
        self.revision += 1
        if self.hold is None or self.hold.ended_s is None:
            self.hold = HoldState(rep.top_s, _hold_met(rep, self.targets), rep.top_s + rep.hold_s)


def _hold_met(rep: RepMetrics, targets: SetTargets) -> bool:
    return targets.hold_s is not None and rep.hold_s >= targets.hold_s - 0.05


def _short(x: float) -> str:
    return f"{x:.0f}" if float(x).is_integer() else f"{x:.1f}"
