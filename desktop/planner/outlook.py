"""Today and the days ahead for one athlete: the suggestion, the week, the session's plan.

``make_outlook(record, today, exercises, ...)`` combines the progression rules and the week
rules into what the CLI and the planner panel show; pure, no I/O.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date as Date

from desktop.planner.exercises import ExerciseLibrary
from desktop.planner.history import TrainingRecord
from desktop.planner.plans import Plan, default_plan
from desktop.planner.progression import Standing, Suggestion, current_standing, stage, suggest
from desktop.planner.week import DayPlan, adapt_plan, plan_week


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

    @property
    def day(self) -> DayPlan:
        return self.week[0]

    @property
    def hip_day(self) -> DayPlan | None:
        return next((d for d in self.week if d.focus == "hip_thrust"), None)

    @property
    def next_training_day(self) -> DayPlan | None:
        """The first day after today with training on it."""
        return next((d for d in self.week[1:] if d.focus != "rest"), None)


def make_outlook(
    record: TrainingRecord,
    today: Date,
    exercises: ExerciseLibrary,
    *,
    last_deadlift: Date | None = None,
    shift_days: Collection[Date] = (),
    problems: Collection[str] = (),
) -> Outlook:
    """See the module docstring; ``last_deadlift`` (if later) overrides the library's."""
    standing = current_standing(record.sets, record.decisions)
    suggestion = suggest(record.sets, record.decisions, today)
    plan = default_plan(stage(suggestion.stage), suggestion.load_kg)
    known = [d for d in (last_deadlift, record.last_deadlift) if d is not None and d <= today]
    week = plan_week(
        today,
        [e.exercise for e in plan.sessions[0].exercises],
        exercises,
        last_deadlift=max(known, default=None),
        shift_days=shift_days,
        problems=problems,
    )
    hip_day = next((d for d in week if d.focus == "hip_thrust"), None)
    on_shift = hip_day is not None and hip_day.on_shift
    adapted, reasons = adapt_plan(plan, exercises, problems=problems, on_shift=on_shift)
    return Outlook(today, standing, suggestion, tuple(week), adapted, tuple(reasons))
