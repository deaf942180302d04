"""An athlete's training record in the session library, as the planner reads it.

``read_record(library, athlete)`` returns the measured sets (as PerformedSet) and the past
decisions; ``save_decision`` stores an accepted or overridden suggestion (an assessment of
kind ``plan_decision``). What the rules cannot use is skipped and counted.
``saved_plans`` / ``store_plan`` keep the plans edited in the panel, by name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date as Date

from desktop.library import Library
from desktop.planner.errors import PlanError
from desktop.planner.exercises import ExerciseLibrary
from desktop.planner.plans import Plan
from desktop.planner.progression import Decision
from desktop.planner.scoring import PerformedSet
from desktop.planner.week import DEADLIFT
from sensors.errors import InputError

DECISION_KIND = "plan_decision"


@dataclass(frozen=True, slots=True)
class TrainingRecord:
    """What the library knows of one athlete (empty for a new one)."""

    athlete: str | None
    sets: tuple[PerformedSet, ...]
    decisions: tuple[Decision, ...]
    skipped: int
    """Stored sets and decisions the rules cannot use (an exercise the exercise library does
    not know, targets or a decision that no longer parse)."""

    @property
    def last_deadlift(self) -> Date | None:
        return max((p.date for p in self.sets if p.exercise == DEADLIFT), default=None)


EMPTY = TrainingRecord(None, (), (), 0)


def choose_athlete(library: Library, name: str | None) -> str | None:
    """``name`` if given; else the only athlete of the library; None when there is none."""
    names = [n for _, n in library.athletes()]
    if name:
        return name.strip()
    if len(names) > 1:
        raise InputError(
            f"the library has several athletes ({', '.join(names)}): choose one with --athlete"
        )
    return names[0] if names else None


def read_record(
    library: Library, athlete: str | None, exercises: ExerciseLibrary
) -> TrainingRecord:
    """The athlete's measured sets, oldest first, and decisions; EMPTY for an unknown name."""
    ids = {n: i for i, n in library.athletes()}
    if athlete is None or athlete not in ids:
        return TrainingRecord(athlete, (), (), 0)
    sets, skipped = [], 0
    for row in library.athlete_sets(ids[athlete]):
        exercise = exercises.find(row.get("exercise"))
        try:
            if exercise is None:
                raise PlanError(f"unknown exercise {row.get('exercise')!r}")
            sets.append(PerformedSet.from_library(row, exercise.id))
        except PlanError:
            skipped += 1
    decisions = []
    for stored in library.list_assessments(ids[athlete], DECISION_KIND):
        try:
            decisions.append(Decision.from_dict(stored["data"]))
        except PlanError:
            skipped += 1
    return TrainingRecord(athlete, tuple(sets), tuple(reversed(decisions)), skipped)


def save_decision(library: Library, athlete: str, decision: Decision) -> int:
    """Store the decision for the athlete (created if new); returns the record's id."""
    return library.save_assessment(DECISION_KIND, library.athlete_id(athlete), decision.to_dict())


def saved_plans(library: Library) -> list[Plan]:
    """The plans stored in the library, newest first; ones that no longer parse are left out."""
    plans = []
    for plan_id, _name, _created in library.list_plans():
        try:
            plans.append(Plan.from_dict(library.load_plan(plan_id)))
        except PlanError:
            continue
    return plans


def store_plan(library: Library, plan: Plan) -> int:
    """Save ``plan``, replacing the stored plan of the same name; returns its id."""
    same = [i for i, name, _ in library.list_plans() if name == plan.name]
    return library.save_plan(plan.name, plan.to_dict(), same[0] if same else None)
