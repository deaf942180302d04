"""Today and the days ahead for one athlete: the suggestion, the week, the session's plan.

``make_outlook(record, today, exercises, conditions)`` combines the progression rules and the
week rules into what the CLI and the planner panel show; ``plan_days`` redoes the week and the
adapted plan for a chosen rung. Pure, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date as Date

from desktop.planner.exercises import ExerciseLibrary
from desktop.planner.history import TrainingRecord
from desktop.planner.plans import Plan, default_plan
from desktop.planner.progression import Standing, Suggestion, current_standing, stage, suggest
from desktop.planner.week import DayPlan, adapt_plan, plan_week


@dataclass(frozen=True, slots=True)
class Conditions:
    """What the week must respect: days on shift, flagged problems, the last deadlift day."""

    shift_days: frozenset[Date] = field(default_factory=frozenset)
    problems: frozenset[str] = field(default_factory=frozenset)
    last_deadlift: Date | None = None

    @classmethod
    def of(
        cls,
        shift_days: Iterable[Date] = (),
        problems: Iterable[str] = (),
        last_deadlift: Date | None = None,
    ) -> Conditions:
        return cls(frozenset(shift_days), frozenset(problems), last_deadlift)


NO_CONDITIONS = Conditions()


@dataclass(frozen=True, slots=True)
class Outlook:
    """The suggestion for the next hip session, the week from ``today``, and the hip session's
    plan for the suggested stage, adapted to flagged problems and to its day's shift."""

    today: Date
    standing: Standing
    suggestion: Suggestion
    week: tuple[DayPlan, ...]
    plan: Plan
    plan_reasons: tuple[str, ...]
    conditions: Conditions
    """The conditions the week was made with (the last deadlift from the record too)."""

    @property
    def day(self) -> DayPlan:
        return self.week[0]

    @property
    def next_training_day(self) -> DayPlan | None:
        """The first day after today with training on it."""
        return next((d for d in self.week[1:] if d.focus != "rest"), None)


def make_outlook(
    record: TrainingRecord,
    today: Date,
    exercises: ExerciseLibrary,
    conditions: Conditions = NO_CONDITIONS,
) -> Outlook:
    """See the module docstring; a later ``conditions.last_deadlift`` wins over the library's."""
    suggestion = suggest(record.sets, record.decisions, today)
    known = [d for d in (conditions.last_deadlift, record.last_deadlift) if d and d <= today]
    conditions = Conditions(conditions.shift_days, conditions.problems, max(known, default=None))
    week, plan, reasons = plan_days(
        suggestion.stage, suggestion.load_kg, today, exercises, conditions
    )
    standing = current_standing(record.sets, record.decisions)
    return Outlook(today, standing, suggestion, week, plan, reasons, conditions)


def plan_days(
    stage_id: str,
    load_kg: float,
    today: Date,
    exercises: ExerciseLibrary,
    conditions: Conditions,
) -> tuple[tuple[DayPlan, ...], Plan, tuple[str, ...]]:
    """The week from ``today`` around the rung's session, and that session's plan adapted to
    the flagged problems and to whether its day is on shift (with the reasons)."""
    plan = default_plan(stage(stage_id), load_kg)
    week = plan_week(
        today,
        [e.exercise for e in plan.sessions[0].exercises],
        exercises,
        last_deadlift=conditions.last_deadlift,
        shift_days=conditions.shift_days,
        problems=conditions.problems,
    )
    hip_day = next((d for d in week if d.focus == "hip_thrust"), None)
    on_shift = hip_day is not None and hip_day.on_shift
    adapted, reasons = adapt_plan(plan, exercises, problems=conditions.problems, on_shift=on_shift)
    return tuple(week), adapted, tuple(reasons)
