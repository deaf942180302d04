"""A plan being done, set by set: the armed set, the scores of the sets done, edits.

``Workout(plan, exercises)`` arms the first set of the plan's session; ``record(reps)`` scores
the armed set against its targets and arms the next; ``skip()`` arms the next unscored. Each
armed set gives the live view its targets (``ArmedSet.live_targets()``). No Qt here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date as Date

from desktop.planner.errors import PlanError
from desktop.planner.exercises import ExerciseLibrary
from desktop.planner.plans import Plan, PlannedSet
from desktop.planner.scoring import PerformedSet, SetScore, score_set
from sensors.metrics import RepMetrics


@dataclass(frozen=True, slots=True)
class ArmedSet:
    """The set to do now: ``number`` counts from 1 over the session's ``total`` sets."""

    number: int
    total: int
    exercise: str
    exercise_name: str
    trackable: bool
    planned: PlannedSet

    def live_targets(self) -> dict:
        """Keyword arguments of the live view's SetTargets: the display name, the side, the
        bottom of the rep range as the count that meets the set (more reps up to the top are
        welcome) and the top of the range, the hold (None when no hold), the tempo as (down,
        pause, up, hold) seconds, load (kg) and rest (s)."""
        p = self.planned
        return {
            "exercise": self.exercise_name,
            "side": p.side,
            "reps": p.reps_min,
            "reps_max": p.reps_max,
            "hold_s": p.hold_s or None,
            "tempo_s": p.tempo.as_tuple(),
            "load_kg": p.load_kg,
            "rest_s": p.rest_s,
        }

    def describe(self) -> str:
        return f"Set {self.number} of {self.total}: {self.exercise_name}, {self.planned.describe()}"


class Workout:
    """One session of a plan done in order; ``session`` picks which of the plan's sessions."""

    def __init__(self, plan: Plan, exercises: ExerciseLibrary, session: int = 0) -> None:
        self.exercises = exercises
        self.plan = plan
        self.session = session
        if not 0 <= session < len(plan.sessions):
            raise PlanError(f"plan {plan.name!r} has no session {session + 1}")
        for ex in plan.sessions[session].exercises:
            exercises.get(ex.exercise)
        self.position = 0
        """Index of the armed set in the session's flat list; == total when all are done."""
        self.scores: dict[int, SetScore] = {}
        self.performed: list[PerformedSet] = []

    @property
    def total(self) -> int:
        return len(self._flat())

    @property
    def finished(self) -> bool:
        return self.position >= self.total

    @property
    def current(self) -> ArmedSet | None:
        """The armed set, or None when the session is done."""
        return None if self.finished else self.armed(self.position)

    @property
    def upcoming(self) -> list[ArmedSet]:
        """The sets after the armed one, in order."""
        return [self.armed(i) for i in range(self.position + 1, self.total)]

    def armed(self, index: int) -> ArmedSet:
        """The set at ``index`` (from 0) of the session, as it would be armed."""
        _, _, ex, planned = self._flat()[index]
        e = self.exercises.get(ex.exercise)
        return ArmedSet(index + 1, self.total, e.id, e.name, e.trackable, planned)

    def record(self, reps: Sequence[RepMetrics], on: Date | None = None) -> SetScore:
        """Score the armed set from its counted reps and arm the next one."""
        armed = self.current
        if armed is None:
            raise PlanError("every set of this session is done: choose a plan to start again")
        exercise = self.exercises.get(armed.exercise)
        score = score_set(armed.planned, reps, exercise.rom_m)
        self.scores[self.position] = score
        self.performed.append(
            PerformedSet.from_reps(
                on or Date.today(), self.plan.name, armed.exercise, armed.planned, reps
            )
        )
        self.position += 1
        return score

    def skip(self) -> None:
        """Arm the next set without scoring this one."""
        if not self.finished:
            self.position += 1

    def edit(self, index: int, new: PlannedSet) -> None:
        """Replace the targets of set ``index`` (from 0); a set already done stays scored."""
        ei, si, _, _ = self._flat()[index]
        self.plan = self.plan.with_set(self.session, ei, si, new)

    def _flat(self):
        return self.plan.sessions[self.session].flat_sets()
